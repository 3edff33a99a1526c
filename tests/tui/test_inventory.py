"""Inventory tab: loading, the filter box (CLI syntax), grouping, detail pane, help and palette."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.tui.conftest import drive, plain_text, type_filter, until
from tslcd.config import Config, load_config
from tslcd.inventory import HostInfo
from tslcd.tui.app import VIEWS, TslcdApp
from tslcd.tui.grouping import Group
from tslcd.tui.screens.error import ErrorScreen
from tslcd.tui.screens.help import HelpScreen
from tslcd.tui.widgets.host_detail import HostDetail
from tslcd.tui.widgets.host_tree import HostTree


def _status(app: TslcdApp) -> str:
    return str(app.query_one("#filter-status", Static).render())


def _group_labels(app: TslcdApp) -> list[str]:
    return [node.data.label for node in app.query_one(HostTree).root.children
            if isinstance(node.data, Group)]


def test_opens_with_the_whole_inventory_grouped_by_agency_type(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        assert len(app.session.targets) == 65
        assert "65 of 65 devices" in _status(app)
        assert _group_labels(app) == ["Trung tâm tích hợp dữ liệu", "Sở", "Văn phòng", "Ban, ngành",
                                      "UBND cấp huyện"]

    drive(app, scenario)


def test_filter_box_uses_the_cli_syntax_and_sets_the_targets(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_filter(pilot, *"role=firewall,district=an-phu")
        await until(pilot, lambda: len(app.session.targets) == 1)
        assert [h.name for h in app.session.targets] == ["ubnd-ap-fw1"]
        assert app.session.filters == ["role=firewall,district=an-phu"]
        # a small result is shown fully expanded, down to the device
        assert [n.data.name for n in app.query_one(HostTree).host_nodes()] == ["ubnd-ap-fw1"]

    drive(app, scenario)


def test_a_bad_filter_names_the_valid_fields_and_keeps_the_last_targets(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_filter(pilot, *"role=firewall")
        await until(pilot, lambda: app.session.filters == ["role=firewall"])
        firewalls = list(app.session.targets)
        app.query_one("#filter", Input).value = "role=firewall,colour=red"  # pasted
        status = app.query_one("#filter-status", Static)
        await until(pilot, lambda: status.has_class("error"))
        assert status.has_class("error")
        assert "unknown filter field 'colour'" in _status(app) and "agency_type" in _status(app)
        assert app.session.targets == firewalls and len(firewalls) == 32

    drive(app, scenario)


def test_g_cycles_the_first_level_district_then_role(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        app.query_one(HostTree).focus()
        await pilot.press("g")
        assert "Huyện An Phú" in _group_labels(app)
        await pilot.press("g")
        assert set(_group_labels(app)) == {"Bộ định tuyến CPE", "Tường lửa", "Thiết bị chuyển mạch"}
        await pilot.press("g")
        assert "Sở" in _group_labels(app)

    drive(app, scenario)


def test_detail_pane_shows_the_host_with_vietnamese_names(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_filter(pilot, *"stttt-fw1")
        await until(pilot, lambda: [h.name for h in app.session.targets] == ["stttt-fw1"])
        await pilot.press("enter")
        await pilot.pause()
        tree = app.query_one(HostTree)
        assert tree.has_focus
        await pilot.press("down", "down", "down", "down")  # root, group, agency, router, firewall
        await pilot.pause()
        assert isinstance(tree.cursor_node.data, HostInfo)
        text = plain_text(app.query_one(HostDetail))
        assert "stttt-fw1" in text and "Sở Thông tin và Truyền thông" in text
        assert "fortinet" in text and "Tường lửa" in text

    drive(app, scenario)


def test_missing_inventory_shows_an_error_modal_with_the_cause(tmp_path: Path) -> None:
    path = tmp_path / "tslcd.yaml"
    path.write_text("inventory: nowhere\n", encoding="utf-8")
    app = TslcdApp(load_config(str(path)))

    async def scenario(pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert "nowhere does not exist" in message and "Traceback" not in message
        await pilot.press("escape")
        assert not isinstance(app.screen, ErrorScreen)

    drive(app, scenario)


def test_help_and_palette_list_every_action_of_every_tab(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        assert list(sections) == ["Everywhere", "Inventory", "Backups", "Audit", "Push", "Lab", "Compliance"]
        assert ("g", "Group by") in sections["Inventory"]
        await pilot.press("escape")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for tab, view in app.views().items():
            title = VIEWS[tab][0]
            assert f"Go to {title}" in titles
            for binding in view.BINDINGS:
                assert f"{title}: {binding.description}" in titles  # type: ignore[union-attr]
        assert "Push: Commit" in titles and "Backups: Back up now" in titles

    drive(app, scenario)


def test_palette_action_runs_on_its_tab(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Inventory: Group by")
        command.callback()
        await pilot.pause()
        assert "Huyện An Phú" in _group_labels(app)

    drive(app, scenario)
