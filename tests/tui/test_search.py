"""Searching the backups from the TUI (ctrl+f or the palette): lines, and devices lacking one."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.tui.conftest import drive, until
from tslcd.config import Config
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.query import QueryScreen


def _text(app: TslcdApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_search_lines_then_devices_missing_one(project: Config) -> None:
    store = ConfigStore(project.data_dir)
    with store.writer():
        store.prepare()
        store.write([StoredConfig("stc-fw1", layout_path("stc-fw1", "so", "STC"),
                                  "hostname stc-fw1\nlogging host inside 10.0.10.5\n"),
                     StoredConfig("ubnd-ap-fw1", layout_path("ubnd-ap-fw1", "ubnd-cap-huyen", "AP"),
                                  "hostname ubnd-ap-fw1\n")])
        store.commit("backup run: test\n")
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, QueryScreen))
        app.screen.query_one("#query-input", Input).value = "^logging host"
        await pilot.press("enter")
        await until(pilot, lambda: "lines on" in _text(app, "#query-status"))
        assert "1 lines on 1 devices" in _text(app, "#query-status")
        assert "so/STC/stc-fw1.cfg:2  logging host inside 10.0.10.5" in _text(app, "#query-output")
        await pilot.press("escape")
        app.action_search(True)
        await until(pilot, lambda: isinstance(app.screen, QueryScreen))
        app.screen.query_one("#query-input", Input).value = "^logging host"
        await pilot.press("enter")
        await until(pilot, lambda: "without a matching line" in _text(app, "#query-status"))
        assert "ubnd-ap-fw1" in _text(app, "#query-output")
        app.screen.query_one("#query-input", Input).value = "("
        await pilot.press("enter")
        await until(pilot, lambda: "bad regular expression" in _text(app, "#query-status"))

    drive(app, scenario)
