"""The TUI with Huawei VRP devices: listed with their platform, backed up live, a change diffed."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.conftest import RunningLab
from tests.tui.conftest import configure, drive, plain_text, set_filter, settle
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.views.backups import BackupsView
from tslcd.tui.widgets.host_progress import HostProgressTable

pytestmark = pytest.mark.lab
HOSTS = ["ubnd-pt-r1", "ubnd-pt-fw1"]  # district=phu-tan: a Huawei AR router and a FortiGate


def _statuses(app: TslcdApp) -> dict[str, str]:
    table = app.query_one(HostProgressTable)
    return {str(key.value): str(table.get_cell(key, "status")) for key in table.rows}


def test_a_huawei_router_is_backed_up_and_its_change_diffed(fresh_lab: RunningLab) -> None:
    app = TslcdApp(fresh_lab.config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=phu-tan")
        assert "huawei" in app.export_screenshot()  # the inventory tree names the platform
        await pilot.press("2")
        await pilot.press("b")
        await settle(pilot)
        assert _statuses(app) == dict.fromkeys(HOSTS, "changed")
        configure(fresh_lab, "ubnd-pt-r1", ["interface LoopBack99", "description Kiem thu TUI"])
        await pilot.press("b")
        await settle(pilot)
        assert _statuses(app) == {"ubnd-pt-r1": "changed", "ubnd-pt-fw1": "unchanged"}
        view = app.query_one(BackupsView)
        view.query_one(HostProgressTable).move_cursor(row=0)
        await settle(pilot)
        assert view.history is not None and view.history.host == "ubnd-pt-r1"
        assert view.query_one("#versions", DataTable).row_count == 2
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        diff = plain_text(app.screen.query_one("#diff-text", Static))
        assert "+interface LoopBack99" in diff.replace("+ ", "+") and "description Kiem thu TUI" in diff
        assert "<removed>" not in diff and "$1c$" not in diff
        await pilot.press("escape")

    drive(app, scenario, [])
