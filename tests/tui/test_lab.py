"""Lab tab: start the lab in the background, inject and clear a fault, stop it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import SAMPLE_INVENTORY, SAMPLE_TOPOLOGY, free_port
from tests.tui.conftest import drive, settle
from tslcd.config import load_config
from tslcd.services import lab
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.confirm import TypedConfirmScreen
from tslcd.tui.screens.fault import FaultScreen
from tslcd.tui.views.lab import LabView

pytestmark = pytest.mark.lab


def test_start_inject_clear_stop(tmp_path: Path) -> None:
    path = tmp_path / "tslcd.yaml"
    path.write_text(yaml.safe_dump({"inventory": str(SAMPLE_INVENTORY), "data": "data",
                                    "lab": {"port": free_port(), "topology": str(SAMPLE_TOPOLOGY)}}))
    config = load_config(str(path))
    app = TslcdApp(config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("5")
        await settle(pilot)
        view = app.query_one(LabView)
        status = view.query_one("#lab-status", Static)
        assert view.status is None and "not running" in str(status.render())
        await pilot.press("u")
        await settle(pilot)
        assert view.status is not None and "lab running: 65 devices" in str(status.render())
        table = view.query_one("#lab-devices", DataTable)
        table.move_cursor(row=table.get_row_index("ubnd-ap-r1"))
        await pilot.press("i")
        assert isinstance(app.screen, FaultScreen)
        app.screen.query_one(Select).value = "latency"
        app.screen.query_one("#fault-value", Input).focus()
        await pilot.press(*"0.5", "enter")
        await settle(pilot)
        assert str(table.get_cell("ubnd-ap-r1", "faults")) == "latency=0.5"
        assert "ubnd-ap-r1: latency injected" in str(status.render())
        await pilot.press("e")
        await settle(pilot)
        assert str(table.get_cell("ubnd-ap-r1", "faults")) == ""
        await pilot.press("o")  # stopping the lab is confirmed first
        assert isinstance(app.screen, TypedConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert view.status is not None  # not confirmed: still running
        await pilot.press("o", *"yes", "enter")
        await settle(pilot)
        assert view.status is None and "lab stopped" in str(status.render())

    try:
        drive(app, scenario)
    finally:
        lab.lab_down(config)
