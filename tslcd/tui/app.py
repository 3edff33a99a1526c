"""The tslcd TUI: one tab per job, shared targets, one error handler for every worker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane

from tslcd.config import Config
from tslcd.tui.messages import TargetsChanged, WorkFailed
from tslcd.tui.screens.error import ErrorScreen, describe
from tslcd.tui.screens.help import HelpScreen, HelpSections
from tslcd.tui.session import Session
from tslcd.tui.views.audit import AuditView
from tslcd.tui.views.backups import BackupsView
from tslcd.tui.views.base import View
from tslcd.tui.views.compliance import ComplianceView
from tslcd.tui.views.inventory import InventoryView
from tslcd.tui.views.lab import LabView
from tslcd.tui.views.push import PushView

# tab id -> (title, view factory); the order is the order of the tabs and of keys 1, 2, 3...
ViewFactory = Callable[["TslcdApp"], View]
VIEWS: dict[str, tuple[str, ViewFactory]] = {
    "inventory": ("Inventory", lambda app: InventoryView(app.session, id="inventory-view")),
    "backups": ("Backups", lambda app: BackupsView(app.session, id="backups-view")),
    "audit": ("Audit", lambda app: AuditView(app.session, id="audit-view")),
    "push": ("Push", lambda app: PushView(app.session, id="push-view")),
    "lab": ("Lab", lambda app: LabView(app.session, id="lab-view")),
    "compliance": ("Compliance", lambda app: ComplianceView(app.session, id="compliance-view")),
}


class TslcdApp(App[None]):
    """Front end over the services: every action here is a service call run in a worker."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tslcd"
    AUTO_FOCUS = "#host-tree"  # keys work from the first frame: digits switch tabs, / filters
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("colon", "command", "Command", key_display=":", show=False),
        Binding("ctrl+f", "search(False)", "Search backups", show=False),
        Binding("escape", "leave_input", "Leave the text box", show=False),
        *(Binding(str(i), f"show_tab('{tab}')", title, show=False)
          for i, (tab, (title, _)) in enumerate(VIEWS.items(), start=1)),
    ]

    def __init__(self, config: Config, *, lab: bool = False) -> None:
        super().__init__()
        self.session = Session(config, lab)
        self.sub_title = f"{config.root.name} (lab)" if lab else config.root.name
        if self.console.color_system in ("standard", "windows"):
            # a 16-colour terminal: its own palette, since colours derived from a truecolour theme
            # blur together; chosen before the stylesheet is first applied (a later switch restyles all)
            self.theme = "ansi-dark"

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with TabbedContent(id="tabs"):
            for number, (tab, (title, factory)) in enumerate(VIEWS.items(), start=1):
                with TabPane(f"{number} {title}", id=tab):
                    yield factory(self)
        yield Footer()

    def views(self) -> dict[str, View]:
        """The view widget of each tab, by tab id."""
        return {tab: self.query_one(f"#{tab}", TabPane).query_one(View) for tab in VIEWS}

    def action_show_tab(self, tab: str) -> None:
        """Switch tab and put the focus inside it, so its keys work and show in the footer.

        Focus is dropped first: a focused widget in the tab being hidden would hand focus to a
        neighbour in that same tab, and TabbedContent follows focus back to it.
        """
        self.views()[tab].screen.set_focus(None)
        self.query_one(TabbedContent).active = tab
        self._focus_view(tab)  # now, not after a refresh: a key typed right after the digit must land

    def _focus_view(self, tab: str) -> None:
        view = self.views()[tab]
        # not a text box: digits must keep switching tabs (the filter box is one key away: /)
        focusable = [w for w in view.query("*") if w.focusable and not isinstance(w, Input)]
        focused = view.screen.focused
        if focusable and (focused is None or view not in focused.ancestors):
            view.screen.set_focus(focusable[0])  # at once (widget.focus() waits for the queue)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id in VIEWS:
            self.views()[event.pane.id].activated()
            self.call_after_refresh(self._focus_view, event.pane.id)

    def on_targets_changed(self, message: TargetsChanged) -> None:
        """Keep the inventory filter's hosts: the other tabs work on them."""
        self.session.filters = message.filters
        self.session.targets = message.hosts

    def on_work_failed(self, message: WorkFailed) -> None:
        """The one error handler: a failed worker becomes a modal naming its cause."""
        self.log.error(message.error)
        self.push_screen(ErrorScreen(f"{message.what} failed", describe(message.error)))

    def help_sections(self) -> HelpSections:
        """Keys of the app and of each tab, from their bindings (so help never goes stale)."""
        sections: HelpSections = [("Everywhere", [
            (f"1-{len(VIEWS)}", "switch tab"), ("ctrl+p", "command palette"),
            *((_key(b), b.description) for b in _bindings(self) if b.show)])]
        for tab, view in self.views().items():
            rows = [(_key(b), b.description) for b in _bindings(view)]
            sections.append((VIEWS[tab][0], rows))
        return sections

    def action_help(self) -> None:
        """Show every key of every tab."""
        self.push_screen(HelpScreen(self.help_sections()))

    def action_leave_input(self) -> None:
        """Escape in a text box gives the keys back to the tab (digits switch tabs again)."""
        focused = self.screen.focused
        if isinstance(focused, Input):
            tab = self.query_one(TabbedContent).active
            if tab in VIEWS:
                self.screen.set_focus(None)
                self._focus_view(tab)

    def action_command(self) -> None:
        """Run a read-only command on the targets (show / get / read-only diagnose)."""
        from tslcd.tui.screens.query import QueryScreen, command_asker  # the drivers load on first use

        self.push_screen(QueryScreen(f"Read-only command on {self.session.scope}",
                                     "show / get / read-only diagnose, e.g. show run | include snmp",
                                     command_asker(self.session)))

    def action_search(self, missing: bool) -> None:
        """Search the targets' stored configs: matching lines, or the devices lacking one."""
        from tslcd.tui.screens.query import QueryScreen, search_asker

        what = "devices lacking a line" if missing else "lines"
        self.push_screen(QueryScreen(f"Search the backups of {self.session.scope}: {what}",
                                     "regular expression, e.g. ^logging host",
                                     search_asker(self.session, missing)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Command palette: the built-in commands, a switch per tab and every action of every tab."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Run a read-only command", "show / get / diagnose on the targets, answers "
                            "grouped (key :)", self.action_command)
        yield SystemCommand("Search backups", "lines matching a regex in the targets' stored configs "
                            "(ctrl+f)", partial(self.action_search, False))
        yield SystemCommand("Search backups: devices missing a line", "the targets whose stored config "
                            "has no match", partial(self.action_search, True))
        for tab, view in self.views().items():
            title = VIEWS[tab][0]
            yield SystemCommand(f"Go to {title}", f"Show the {title} tab", partial(self.action_show_tab, tab))
            for binding in _bindings(view):
                yield SystemCommand(f"{title}: {binding.description}", f"key {_key(binding)}",
                                    partial(self._run_view_action, tab, binding.action))

    def _run_view_action(self, tab: str, action: str) -> None:
        self.action_show_tab(tab)
        self.call_next(self.run_action, action, self.views()[tab])


def _bindings(node: App[None] | View) -> list[Binding]:
    return [b for b in node.BINDINGS if isinstance(b, Binding)]


def _key(binding: Binding) -> str:
    """A binding's keys as the help screen and palette print them."""
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "slash": "/"}
    return ", ".join(names.get(k, k) for k in binding.key.split(","))
