"""Audit tab: run the audit on the lab's backups, page/sort/filter findings, detail, new and resolved."""

from __future__ import annotations

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.conftest import RunningLab
from tests.tui.conftest import configure, drive, plain_text, set_filter, settle, type_filter
from tslcd.audit.model import Severity
from tslcd.services.backup import run_backup
from tslcd.tui.app import TslcdApp
from tslcd.tui.views.audit import PAGE_SIZE, AuditDone, AuditProgress, AuditView
from tslcd.tui.widgets.finding_detail import FindingDetail
from tslcd.tui.widgets.host_detail import HostDetail

pytestmark = pytest.mark.lab


def _view(app: TslcdApp) -> AuditView:
    return app.query_one(AuditView)


def test_run_audit_then_filter_sort_and_read_a_finding(fresh_lab: RunningLab) -> None:
    run_backup(fresh_lab.config, None, lab=True)  # the audit reads the stored configurations
    app = TslcdApp(fresh_lab.config, lab=True)
    messages: list[Message] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("3", "a")
        await settle(pilot)
        view = _view(app)
        assert view.result is not None and view.result.run_id == 1
        progress = [m for m in messages if isinstance(m, AuditProgress)]
        assert progress[-1].done == progress[-1].total == 65
        assert len([m for m in messages if isinstance(m, AuditDone)]) == 1
        total = len(view.result.findings)
        assert total > PAGE_SIZE  # the sample network has planted problems on many devices
        table = view.query_one("#findings", DataTable)
        assert table.row_count == PAGE_SIZE and len(view.selected) == total
        # most severe first; the next page continues the order
        assert [f.severity for f in view.shown] == sorted((f.severity for f in view.shown), reverse=True)
        await pilot.press("right_square_bracket")
        assert view.page == 1 and table.row_count == min(PAGE_SIZE, total - PAGE_SIZE)
        status = str(view.query_one("#audit-status", Static).render())
        assert f"of {total}" in status and "page 2/" in status

        # the filter box: the shadowed rules only, with their blocking rules in the detail pane
        await type_filter(pilot, *"check=shadowed-rule", "enter")
        assert view.selected and all(f.check == "shadowed-rule" for f in view.selected)
        assert view.page == 0
        detail = plain_text(view.query_one(FindingDetail))
        first = view.shown[0]
        assert first.host in detail and f"{first.line}: {first.text}" in detail
        assert "blocked by:" in detail and "remediation:" in detail

        await pilot.press("s")  # sort by device
        assert view.sort == "device"
        assert [f.host for f in view.shown] == sorted(f.host for f in view.shown)

        view.query_one("#audit-filter", Input).value = "severity>=critical"
        await pilot.pause()
        assert view.selected and {f.severity for f in view.selected} == {Severity.critical}
        view.query_one("#audit-filter", Input).value = "colour=red"
        await pilot.pause()
        assert "unknown field 'colour'" in str(view.query_one("#audit-status", Static).render())

        # the Inventory detail pane now counts the device's open findings and shows its last backup
        await pilot.press("1")
        await set_filter(pilot, "name=stc-r1")
        await pilot.press("down", "down", "down")
        await settle(pilot)
        detail = plain_text(app.query_one(HostDetail), width=200)
        assert "critical" in detail and "(audit run 1)" in detail
        assert "last backup" in detail and "changed" in detail

    drive(app, scenario, messages)


def test_second_run_shows_new_and_resolved_findings(fresh_lab: RunningLab) -> None:
    run_backup(fresh_lab.config, ["district=an-phu"], lab=True)
    app = TslcdApp(fresh_lab.config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("3", "a")  # no filter: a full run (of the two hosts backed up), the baseline
        await settle(pilot)
        # an engineer opens telnet on the router; the next backup and a scoped audit show it as new
        configure(fresh_lab, "ubnd-ap-r1", ["line vty 0 4", "transport input telnet ssh"])
        run_backup(fresh_lab.config, ["district=an-phu"], lab=True)
        app.query_one("#filter", Input).value = "district=an-phu"
        await pilot.pause()
        await pilot.press("a")
        await settle(pilot)
        view = _view(app)
        assert view.result is not None and view.result.comparison is not None
        assert view.result.kind == "scoped" and view.result.comparison.previous_run == 1
        new = view.result.comparison.new
        assert new and {(f.host, f.check) for f in new} >= {("ubnd-ap-r1", "mgmt-telnet")}
        status = str(view.query_one("#audit-status", Static).render())
        assert "scoped: filter district=an-phu" in status
        assert "against run 1 (" in status and f"{len(new)} new, 0 resolved" in status
        assert "full run 1 (" in status and "f shows it" in status  # the whole picture is offered
        await pilot.press("v")
        assert (view.show_which == "new" and view.selected == sorted(new, key=lambda f: -f.severity)) or \
            set(map(id, view.selected)) == set(map(id, new))
        assert "new since the previous run" in plain_text(view.query_one(FindingDetail), width=200)
        await pilot.press("v")
        assert view.show_which == "resolved" and view.selected == []
        await pilot.press("f")
        await settle(pilot)
        assert view.result.run_id == 1 and view.result.kind == "full" and view.full_run is None

    drive(app, scenario)


def test_audit_without_backups_explains_in_a_modal(fresh_lab: RunningLab) -> None:
    app = TslcdApp(fresh_lab.config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("3", "a")
        await settle(pilot)
        from tslcd.tui.screens.error import ErrorScreen

        assert isinstance(app.screen, ErrorScreen)
        assert "run 'tslcd backup' first" in str(app.screen.query_one("#error-message", Static).render())

    drive(app, scenario)


def test_findings_of_an_earlier_run_show_at_start_up(project) -> None:
    """A run from the CLI or the scheduler is shown without re-running (Audit tab and detail pane)."""
    from pathlib import Path

    from tslcd.audit.runner import DeviceConfig
    from tslcd.services import audit

    fixtures = Path(__file__).resolve().parents[1] / "audit" / "fixtures"
    text = (fixtures / "cisco_asa" / "acl_objects.cfg").read_text(encoding="utf-8")
    device = DeviceConfig("stc-fw1", "cisco_asa", text, {"agency_code": "STC", "role": "firewall",
                                                         "lan_prefix": "10.10.2.0/24"}, "test")
    earlier = audit.audit_configs([device], audit.load_zone_policy(project))
    run_id = audit.record_run(project.data_dir, earlier, "inventory")
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        view = _view(app)
        assert view.result is not None and view.result.run_id == run_id
        assert len(view.selected) == len(earlier.findings) > 0
        assert f"run {run_id}: {len(earlier.findings)} findings" in str(
            view.query_one("#audit-status", Static).render())
        await set_filter(pilot, "name=stc-fw1")
        await pilot.press("down", "down", "down")
        await settle(pilot)
        detail = plain_text(app.query_one(HostDetail), width=200)
        assert f"(audit run {run_id})" in detail

    drive(app, scenario)


def test_accepted_and_expired_waivers_are_marked(project) -> None:
    """A waived finding is marked accepted in the table and left out of the counts; an expired one
    is marked too, and counts."""
    from datetime import date
    from pathlib import Path

    from tslcd.audit.runner import DeviceConfig
    from tslcd.audit.waivers import Waiver, match
    from tslcd.services import audit

    fixtures = Path(__file__).resolve().parents[1] / "audit" / "fixtures"
    text = (fixtures / "cisco_asa" / "acl_objects.cfg").read_text(encoding="utf-8")
    data = {"role": "firewall", "lan_prefix": "10.10.2.0/24"}
    device = DeviceConfig("stc-fw1", "cisco_asa", text, data, "t")
    result = audit.audit_configs([device], audit.load_zone_policy(project))
    waived, lapsed = result.findings[0], result.findings[1]
    result.waived = match(result.findings, [
        Waiver("w1", "r", "who", "T-1", date(2999, 1, 1), fingerprint=waived.fingerprint),
        Waiver("w2", "r", "who", "T-2", date(2000, 1, 1), fingerprint=lapsed.fingerprint)], date(2026, 12, 4))
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("3")
        view = _view(app)
        view.show_result(result)
        await settle(pilot)
        status = str(view.query_one("#audit-status", Static).render())
        assert f"{len(result.findings) - 1} findings" in status and ", 1 accepted" in status
        marks = {str(view.query_one("#findings", DataTable).get_row_at(i)[1]) for i in range(len(view.shown))}
        assert {"accepted", "waiver expired"} <= marks

    drive(app, scenario)
