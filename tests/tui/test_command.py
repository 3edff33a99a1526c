"""The TUI's read-only command screen (key `:` or the palette): answers grouped, refusals named."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import RunningLab
from tests.tui.conftest import drive, set_filter, until
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.query import QueryScreen

pytestmark = pytest.mark.lab


def _text(app: TslcdApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_a_command_runs_on_the_targets_and_a_config_command_is_refused(lab: RunningLab) -> None:
    app = TslcdApp(lab.config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "role=router,district=an-phu|chau-doc")
        app.action_command()  # what `:` and the palette entry do
        await until(pilot, lambda: isinstance(app.screen, QueryScreen))
        field = app.screen.query_one("#query-input", Input)
        field.value = "configure terminal"
        await pilot.press("enter")
        await until(pilot, lambda: "refused" in _text(app, "#query-status"))
        assert "not on the read-only list" in _text(app, "#query-status")
        field.value = "show running-config | include ^ip ssh version"
        await pilot.press("enter")
        await until(pilot, lambda: "distinct answers" in _text(app, "#query-status"), 60)
        output = _text(app, "#query-output")
        assert "(2 hosts) ==" in output and "ip ssh version 2" in output
        await pilot.press("escape")
        assert not isinstance(app.screen, QueryScreen)

    drive(app, scenario)
