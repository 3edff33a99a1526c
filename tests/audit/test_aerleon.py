"""Policies rendered by a third-party generator (aerleon): every unreachable rule found, nothing else.

Each ``fixtures/aerleon/<target>/case.yaml`` names the platform, the rendered config file (aerleon's
output, committed unchanged), how it was generated, and the rules aerleon's input makes unreachable:
the list is derived from the policy by hand (including rules blocked only by two rules together),
never from tslcd's answer. The audit must report exactly those, as rule-reachability findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import ZonePolicy

HERE = Path(__file__).parent / "fixtures" / "aerleon"
CASES = sorted(HERE.glob("*/case.yaml"))
#: The checks that say "this rule never matches"; hardening checks are out of this test's scope.
UNREACHABLE = {"shadowed-rule", "redundant-rule", "rule-after-catch-all", "empty-rule"}


def _key(item: dict) -> tuple[str, int, str]:
    return str(item["check"]), int(item["line"]), str(item.get("list", ""))


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.parent.name)
def test_generated_policy(case_file: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    config = case_file.parent / case["config"]
    dev = DeviceConfig(case_file.parent.name, case["platform"], config.read_text(encoding="utf-8"), {},
                       str(config))
    findings = audit_device(dev, ZonePolicy(zones={}, flows=[]))
    assert not [f for f in findings if f.check == "parse-error"], "the generated config parses"
    found = sorted(_key({"check": f.check, "line": f.line, "list": f.list_name})
                   for f in findings if f.check in UNREACHABLE)
    assert found == sorted(_key(i) for i in case["unreachable"])


def test_each_generator_target_is_covered() -> None:
    """aerleon renders the same policy for JunOS filters, SRX and PAN-OS: all three are here."""
    platforms = {yaml.safe_load(p.read_text(encoding="utf-8"))["platform"] for p in CASES}
    assert platforms >= {"juniper_junos", "paloalto_panos"}
