"""SVG snapshots of stable screens at 80x24: inventory, help (16-colour theme), audit table, diff.

Deterministic: fixed size and theme, no animation, no cursor blink, no clock, no run timestamps.
Update after an intended change with ``pytest tests/tui --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.conftest import SIZE, set_filter, settle, steady, type_filter
from tslcd.audit.model import Finding, Severity
from tslcd.audit.result import AuditResult, Comparison, DeviceInfo, RunInfo
from tslcd.config import Config
from tslcd.tui.app import TslcdApp
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.views.audit import AuditView

DIFF = """--- a/so/STC/stc-r1.cfg
+++ b/so/STC/stc-r1.cfg
@@ -12,4 +12,5 @@ interface GigabitEthernet0/0/1
  description LAN Sở Tài chính
  ip address 10.10.2.1 255.255.255.0
- ip access-group LAN-IN in
+ ip access-group LAN-IN-V2 in
+ ip flow monitor TSLCD input
"""


def _findings() -> AuditResult:
    shadowed = Finding("shadowed-rule", Severity.high, "stc-r1", "cisco_ios",
                       "line 88 never matches: line 87 takes all its packets (alone)",
                       "Remove the line or move it above the lines that block it.", "LAN-IN", "line 88",
                       88, "20 permit tcp 10.10.2.0 0.0.0.255 host 10.200.1.10 eq 443",
                       {"blocking": [{"rule": "line 87", "action": "permit", "line": 87,
                                      "text": "10 permit tcp 10.10.2.0 0.0.0.255 any eq 443"}]})
    others = [
        Finding("any-any-permit", Severity.critical, "ubnd-ap-r1", "cisco_ios",
                "line 87 permits any source to any destination", "Name what is needed.", "LAN-IN",
                "line 87", 87, "70 permit ip any any log"),
        Finding("mgmt-telnet", Severity.high, "ubnd-ap-fw1", "fortinet", "telnet management enabled",
                "Disable telnet.", line=37, text="set allowaccess ping https ssh telnet"),
        Finding("object-unused", Severity.low, "stc-fw1", "cisco_asa", "network SYSLOG-SRV is never used",
                "Remove the object.", line=212),
        Finding("permit-no-log", Severity.info, "stc-fw1", "cisco_asa", "line 114 permits without logging",
                "Add log.", "INSIDE_IN", "line 114", 114, "access-list INSIDE_IN permit tcp any any"),
    ]
    devices = [DeviceInfo(h, "cisco_ios") for h in ("stc-r1", "ubnd-ap-r1", "ubnd-ap-fw1", "stc-fw1")]
    result = AuditResult(devices, [shadowed, *others], "", run_id=7, kind="scoped",
                         scope="filter name=stc-r1|ubnd-ap-*|stc-fw1, 3 hosts")
    baseline = RunInfo(6, "2026-12-01T02:30:00+00:00", "full", "whole inventory, 65 hosts")
    result.comparison = Comparison(baseline=baseline, new=[shadowed], resolved=[])
    return result


def test_inventory_filtered_with_a_device_highlighted(project: Config, snap_compare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        steady(pilot.app)
        await type_filter(pilot, *"district=an-phu", "enter", "down", "down", "down", "down")
        await settle(pilot)

    assert snap_compare(TslcdApp(project), terminal_size=SIZE, run_before=run_before)


def test_help_in_the_16_colour_theme(project: Config, snap_compare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        steady(pilot.app, theme="ansi-dark")
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(TslcdApp(project), terminal_size=SIZE, run_before=run_before)


def test_audit_table_with_a_new_shadowed_rule(project: Config, snap_compare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        steady(pilot.app)
        await set_filter(pilot, "name=stc-r1|ubnd-ap-*|stc-fw1")
        await pilot.press("3")
        pilot.app.query_one(AuditView).show_result(_findings())
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(TslcdApp(project), terminal_size=SIZE, run_before=run_before)


def test_diff_in_colour(project: Config, snap_compare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        steady(pilot.app)
        pilot.app.push_screen(DiffScreen("stc-r1: 66c1054b3d → 9f2e61a0c4", DIFF))
        await settle(pilot)

    assert snap_compare(TslcdApp(project), terminal_size=SIZE, run_before=run_before)
