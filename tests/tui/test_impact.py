"""The diff screen says what a change does to traffic, above the lines that changed."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.pilot import Pilot
from textual.widgets import Static

from tests.impact.test_platforms import ROOT, _lab_config, _opened
from tests.tui.conftest import drive, plain_text, set_filter, settle, until
from tslcd.config import load_config
from tslcd.platforms import get_platform
from tslcd.sanitize import sanitize
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.views.backups import BackupsView
from tslcd.tui.widgets.host_progress import HostProgressTable


def test_diff_of_a_policy_change_shows_the_newly_permitted_flow(tmp_path: Path) -> None:
    project = tmp_path / "tslcd.yaml"
    project.write_text(yaml.safe_dump({"inventory": str(ROOT / "inventory"), "data": str(tmp_path / "data")}),
                       encoding="utf-8")
    config = load_config(str(project))
    platform, text, data = _lab_config("skhcn-fw1")
    store = ConfigStore(config.data_dir)
    store.prepare()
    path = layout_path("skhcn-fw1", data["agency_type"], data["agency_code"])
    for version in (text, _opened(text)):
        with store.writer():
            store.write([StoredConfig("skhcn-fw1", path, sanitize(version, get_platform(platform)))])
            store.commit("backup")
    app = TslcdApp(config)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "skhcn-fw1")
        await until(pilot, lambda: [h.name for h in app.session.targets] == ["skhcn-fw1"])
        await pilot.press("2")
        view = app.query_one(BackupsView)
        view.query_one(HostProgressTable).move_cursor(row=0)
        await until(pilot, lambda: view.history is not None and len(view.history.revisions) == 2)
        await pilot.press("d")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        impact = plain_text(app.screen.query_one("#diff-impact", Static), width=200)
        assert f"now permits tcp any -> {data['lan_prefix']} port 3389 (wan1 -> lan)" in impact
        assert "edit 99" in plain_text(app.screen.query_one("#diff-text", Static), width=200)

    drive(app, scenario)
