"""Push tab: the dry run shows what the change does to traffic and flags flows zones.yaml forbids; the
commit of such a change is refused with the reason on screen and nothing is applied."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.conftest import RunningLab
from tests.tui.conftest import ROOT, drive, plain_text, set_filter, settle
from tslcd.services import push
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.error import ErrorScreen
from tslcd.tui.views.push import PushView
from tslcd.tui.widgets.host_progress import HostProgressTable

pytestmark = pytest.mark.lab
HOST = "skhcn-fw1"
FLOW = "tcp 203.0.113.0/24 -> 10.10.16.0/24 port 22"


def _opening_vars(tmp_path: Path) -> Path:
    """The example variables with skhcn-fw1's management network moved to an Internet prefix."""
    raw = yaml.safe_load((ROOT / "templates" / "change.example.yaml").read_text(encoding="utf-8"))
    raw["hosts"] = {HOST: {"mgmt_prefix": "203.0.113.0/24"}}
    path = tmp_path / "open-ssh.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_dry_run_shows_the_impact_and_the_forbidden_flow_and_commit_refuses(
        fresh_lab: RunningLab, tmp_path: Path) -> None:
    app = TslcdApp(dataclasses.replace(fresh_lab.config, templates=str(ROOT / "templates")), lab=True)
    opening = _opening_vars(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, f"name={HOST}")
        await pilot.press("4")
        view = pilot.app.query_one(PushView)
        view.query_one("#push-template", Select).value = "firewall-policy"
        view.query_one("#push-vars", Input).value = str(opening)
        await pilot.press("t")
        await settle(pilot)
        status = str(view.query_one("#push-status", Static).render())
        assert "FORBIDDEN flow(s) (commit refuses)" in status
        detail = str(view.query_one(HostProgressTable).get_row(HOST))
        assert "opens a flow zones.yaml forbids" in detail
        preview = " ".join(plain_text(view.query_one("#push-preview", Static), width=400).split())
        assert "Traffic impact" in preview and f"now permits {FLOW} (wan1 -> lan)" in preview
        assert f"FORBIDDEN {HOST}: newly permits {FLOW} (wan1 -> lan), internet -> agency_lan" in preview

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = " ".join(str(app.screen.query_one("#error-message", Static).render()).split())
        assert "refused" in message and FLOW in message and "zones.yaml" in message
        assert push.changes(app.session.config) == []

    drive(app, scenario)
