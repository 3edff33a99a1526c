"""The Compliance tab as an engineer uses it: switch to it, check the targets, read the failures
with their evidence, cycle what is shown and the pack."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.compliance.conftest import store_lab_backups, write_project
from tests.tui.conftest import drive, plain_text, set_filter, until
from tslcd.compliance.evaluate import Status
from tslcd.config import load_config
from tslcd.tui.app import TslcdApp
from tslcd.tui.views.compliance import ComplianceView


def test_check_compliance_and_read_the_evidence(tmp_path: Path) -> None:
    config = load_config(str(write_project(tmp_path)))
    store_lab_backups(config)
    app = TslcdApp(config)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=tinh-bien")
        await until(pilot, lambda: len(app.session.targets) == 2)
        await pilot.press("6")
        view = app.query_one(ComplianceView)
        await pilot.press("k")
        await until(pilot, lambda: view.result is not None)
        status = plain_text(app.query_one("#compliance-status", Static))
        assert "attt-cap-do" in status and "Không đạt 1" in status
        table = app.query_one("#verdicts", DataTable)
        assert table.row_count == 1  # ubnd-tb-r1: vty sessions never time out
        (verdict,) = view.rows
        assert verdict.host == "ubnd-tb-r1" and verdict.control.id == "CD-MANG-03"
        detail = plain_text(app.query_one("#verdict-detail", Static), width=200)
        assert "ubnd-tb-r1.cfg:" in detail and "exec-timeout 0 0" in detail and "Khắc phục" in detail
        await pilot.press("v")
        assert table.row_count == len(view.rows) > 10
        assert all(v.status is not Status.not_applicable for v in view.rows)
        await pilot.press("n")
        assert view.pack == "cis-network"
        await pilot.press("k")
        await until(pilot, lambda: view.result is not None and view.result.pack.name == "cis-network")

    drive(app, scenario)
