"""TUI mends from the walkthrough: Escape leaves a text box (digits typed there never switch
tabs), each key means one thing across tabs, help scrolls and fits 80x24, the inventory detail
pane follows the filter, placeholders are styled as placeholders."""

from __future__ import annotations

from collections import defaultdict

from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from tests.tui.conftest import drive, plain_text, until
from tslcd.config import Config
from tslcd.tui.app import TslcdApp, _bindings
from tslcd.tui.screens.help import HelpScreen
from tslcd.tui.widgets.host_detail import HostDetail


def test_escape_leaves_the_filter_and_digits_typed_there_stay_text(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: bool(app.session.targets))  # the inventory is loaded
        await pilot.press("slash")
        field = app.query_one("#filter", Input)
        await until(pilot, lambda: app.focused is field)
        await pilot.press(*"district=an-phu", "2")
        assert app.query_one(TabbedContent).active == "inventory" and field.value.endswith("2")
        await pilot.press("escape")
        assert not isinstance(app.focused, Input)
        await pilot.press("2")
        assert app.query_one(TabbedContent).active == "backups"

    drive(app, scenario)


def test_one_key_one_meaning_across_tabs(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        meanings: dict[str, set[str]] = defaultdict(set)
        keys_of: dict[str, set[str]] = defaultdict(set)
        for tab, view in app.views().items():
            for binding in _bindings(view):
                for key in binding.key.split(","):
                    meanings[key].add(binding.action.split("(")[0])
                    keys_of[tab].add(key)
        clashes = {k for k, v in meanings.items() if len(v) > 1}
        # the Inventory, Backups and Lab tabs' keys mean the same everywhere (left: d is Diff here
        # and Dry run on the Push tab, another branch's)
        assert (keys_of["inventory"] | keys_of["lab"]) & clashes == set(), clashes
        assert keys_of["backups"] & clashes <= {"d"}, clashes

    drive(app, scenario)


def test_help_scrolls_with_the_arrows_within_80x24(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: bool(app.session.targets))  # the inventory is loaded
        await pilot.press("f1")  # the help key that no text box takes as text
        await until(pilot, lambda: isinstance(app.screen, HelpScreen),)
        dialog = app.screen.query_one("#help-dialog", VerticalScroll)
        assert app.screen.focused is dialog
        assert dialog.region.height <= 24 and dialog.region.width <= 80
        assert dialog.max_scroll_y > 0  # more keys than fit: it scrolls
        await pilot.press("down", "down")
        assert dialog.scroll_y > 0

    drive(app, scenario)


def test_the_detail_pane_follows_the_filter(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        view = app.views()["inventory"]
        view._apply_filter("stc-fw1")
        await pilot.pause()
        detail = app.query_one(HostDetail)
        assert "stc-fw1" in plain_text(detail)
        view._apply_filter("district=an-phu")
        await pilot.pause()
        assert "2 selected devices" in plain_text(detail)

    drive(app, scenario)


def test_push_with_no_template_asks_for_one(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: bool(app.session.targets))
        app.action_show_tab("push")
        await pilot.pause()
        view = app.views()["push"]
        for action in (view.action_preview, view.action_dry_run, view.action_commit):
            action()
            await pilot.pause()
            assert not view.running  # nothing started: no row left "waiting"
        select = view.query_one("#push-template", Select)
        assert select.expanded and app.focused is not None
        assert any("choose a template first" in str(n.message) for n in app._notifications)
        assert view.query_one("#push-bar").display is False  # no rollout began, none is "waiting"

    drive(app, scenario)


def test_placeholders_look_like_placeholders(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: bool(app.session.targets))
        field = app.query_one("#filter", Input)
        assert field.value == "" and field.placeholder
        placeholder = field.get_component_rich_style("input--placeholder")
        assert placeholder.italic  # an empty filter never reads as an active one

    drive(app, scenario)
