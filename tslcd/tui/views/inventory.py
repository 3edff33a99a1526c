"""The Inventory tab: filter box (the CLI's syntax), tree by agency type/district/role, detail pane."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.table import Table
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static, Tree

from tslcd.audit.model import Severity
from tslcd.errors import FilterError, InputError
from tslcd.inventory import HostInfo
from tslcd.inventory.filters import select
from tslcd.services import facts, history
from tslcd.services import inventory as service
from tslcd.tui.grouping import GROUPINGS, Agency, Group
from tslcd.tui.messages import InventoryLoaded, TargetsChanged
from tslcd.tui.session import Session
from tslcd.tui.views.base import View
from tslcd.tui.widgets.host_detail import HostDetail, status_table
from tslcd.tui.widgets.host_tree import HostTree, NodeData


class HostStatusRead(Message):
    """A device's facts, last backup and findings were read, as a table for the detail pane."""

    def __init__(self, host: str, table: Table) -> None:
        super().__init__()
        self.host = host
        self.table = table


class InventoryView(View):
    """Browse and select the agency network; the filter here picks the targets of every other tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("g", "cycle_grouping", "Group by"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.selection: service.Selection | None = None
        self.hosts: list[HostInfo] = []
        self.grouping = next(iter(GROUPINGS))

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: role=firewall, district=an-phu, group=so, host-name*",
                    id="filter", compact=True)
        yield Static("", id="filter-status")
        with Horizontal(id="inventory-body"):
            yield HostTree("inventory", id="host-tree")
            with VerticalScroll(id="detail-scroll"):
                yield HostDetail(id="host-detail")

    def on_mount(self) -> None:
        self.query_one(HostTree).loading = True
        self.action_reload()

    def action_reload(self) -> None:
        """Read the inventory again (after editing hosts.yaml) without leaving the TUI."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="Loading the inventory")
    def _load(self) -> None:
        self.post_message(InventoryLoaded(service.load_selection(self.session.config, None)))

    @on(InventoryLoaded)
    def _loaded(self, message: InventoryLoaded) -> None:
        self.selection = message.selection
        tree = self.query_one(HostTree)
        tree.loading = False
        if self.screen.focused in (None, self.query_one("#detail-scroll")):
            tree.focus()  # it could not take the focus while loading; the filter box keeps it
        self._apply_filter(self.query_one("#filter", Input).value)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(HostTree).focus()

    def _apply_filter(self, text: str) -> None:
        """Select with the same parser as --filter; a malformed filter keeps the last good tree."""
        if self.selection is None:
            return
        status = self.query_one("#filter-status", Static)
        filters = [text] if text.strip() else []
        try:
            hosts = select(self.selection.inventory, filters)
        except FilterError as exc:
            status.update(str(exc))
            status.set_class(True, "error")
            return
        status.update(f"{len(hosts)} of {len(self.selection.inventory)} devices, by {self.grouping}")
        status.set_class(False, "error")
        self.hosts = hosts
        self.query_one(HostTree).show(hosts, self.grouping)
        self._detail_follows(hosts)
        self.post_message(TargetsChanged(filters, hosts))

    def _detail_follows(self, hosts: list[HostInfo]) -> None:
        """The detail pane shows what the filter selects: the one device, or the selection's counts
        (never a device the filter just left out)."""
        if self.selection is None:
            return
        detail = self.query_one(HostDetail)
        if len(hosts) == 1:
            detail.show_host(service.host_detail(self.selection, hosts[0].name))
            self._read_status(hosts[0].name)
        else:
            detail.show_counts(f"{len(hosts)} selected devices", service.counts(hosts))

    def action_focus_filter(self) -> None:
        """Jump to the filter box."""
        self.query_one("#filter", Input).focus()

    def action_cycle_grouping(self) -> None:
        """Switch the first tree level: agency type, district, role."""
        names = list(GROUPINGS)
        self.grouping = names[(names.index(self.grouping) + 1) % len(names)]
        self._apply_filter(self.query_one("#filter", Input).value)

    @on(Tree.NodeHighlighted, "#host-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        detail = self.query_one(HostDetail)
        data = event.node.data
        if self.selection is None:
            return
        if isinstance(data, HostInfo):
            detail.show_host(service.host_detail(self.selection, data.name))
            self._read_status(data.name)
        elif isinstance(data, Group | Agency):
            hosts = data.hosts if isinstance(data, Agency) else [
                h for a in data.agencies.values() for h in a.hosts]
            detail.show_counts(data.label, service.counts(hosts))
        else:
            detail.show_counts("all selected devices", service.counts(self.hosts))

    @work(thread=True, exclusive=True, group="host-status", exit_on_error=False,
          name="Reading the device status")
    def _read_status(self, name: str) -> None:
        """Facts, last backup and open findings of one device (storage reads: off the UI thread)."""
        config = self.session.config
        try:
            attempts = history.host_history(config, name).attempts
        except InputError:
            attempts = []  # never backed up
        audit = self.session.audit
        findings = None
        if audit is not None and any(d.host == name for d in audit.devices):
            counts = Counter(f.severity for f in audit.findings if f.host == name)
            findings = {s.name: counts.get(s, 0) for s in sorted(Severity, reverse=True)}
        table = status_table(facts.latest_facts(config).get(name), attempts[0] if attempts else None,
                             findings, audit.run_id if audit else None)
        self.post_message(HostStatusRead(name, table))

    @on(HostStatusRead)
    def _status_read(self, message: HostStatusRead) -> None:
        if self.selection is None:
            return
        node = self.query_one(HostTree).cursor_node
        if node is not None and isinstance(node.data, HostInfo) and node.data.name == message.host:
            self.query_one(HostDetail).show_host(service.host_detail(self.selection, message.host),
                                                 [message.table])
