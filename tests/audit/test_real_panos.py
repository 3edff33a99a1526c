"""Real public PAN-OS configurations (``fixtures/real/paloalto_panos``, see ``../SOURCES``).

Batfish's PAN-OS grammar tests (set and brace forms, vsys, Panorama device groups, pushed
pre/post rules) and Palo Alto Networks' iron-skillet day-one configurations (XML for a firewall
and a Panorama, and the same in set form). Every file is audited without a parse error and
without dropping the device: a file with security rules yields analysed lists, and every
not-analysed note names file:line. Where a source states what its configuration means (the
comments in Batfish's test configs), that meaning is checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import ZonePolicy

REAL = Path(__file__).parent / "fixtures" / "real" / "paloalto_panos"
FILES = sorted(REAL.glob("*.cfg"))
SECURITY_RULES = re.compile(
    r"rulebase security rules \S+ action|<security>\s*<rules>\s*<entry |security \{\s*rules \{\s*\S+ \{"
)


def _audit(path: Path) -> tuple:
    parsed = parse_device(DeviceConfig(path.stem, "paloalto_panos", path.read_text(encoding="utf-8"), {},
                                       path.name))
    return parsed, audit_parsed(parsed, ZonePolicy(zones={}, flows=[]))


def test_corpus_has_every_export_form() -> None:
    texts = [f.read_text(encoding="utf-8") for f in FILES]
    assert len(FILES) >= 150
    assert sum(t.lstrip().startswith("<config") for t in texts) >= 3  # XML, firewall and Panorama
    assert sum(t.lstrip().startswith(("set ", "#", "!")) for t in texts) >= 100
    assert sum(bool(re.search(r"^\S+ \{$", t, re.M)) for t in texts) >= 3  # brace form


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_real_config_is_analysed_without_dropping_the_device(path: Path) -> None:
    parsed, findings = _audit(path)
    assert not [f for f in findings if f.check == "parse-error"]
    if SECURITY_RULES.search("\n".join(parsed.lines)):
        assert parsed.lists and any(lst.rules for lst in parsed.lists)
    for f in findings:
        if f.check == "not-analysed":
            assert f.line > 0 and f.message.startswith(f"{path.name}:{f.line}: "), f.message


def _order(name: str) -> list[str]:
    parsed, _ = _audit(REAL / f"bf-panos__{name}.cfg")
    longest = max(parsed.lists, key=lambda lst: len(lst.rules))
    return [r.policy_id or r.key for r in longest.rules]


def test_move_lines_give_the_order_batfish_states() -> None:
    """``move-rulebase-security``: "Final order of rules after moves: 3,4,1,5,2"."""
    assert _order("move-rulebase-security") == ["RULE3", "RULE4", "RULE1", "RULE5", "RULE2"]


def test_delete_lines_remove_a_rule_and_a_member() -> None:
    """``delete-line``: RULE2 deleted whole; RULE1's source is addr2 only, so addr1 is unused."""
    _, findings = _audit(REAL / "bf-panos__delete-line.cfg")
    assert _order("delete-line") == ["RULE1"]
    unused = {f.message.split()[1] for f in findings if f.check == "object-unused"}
    assert "addr1" in unused and "addr2" not in unused


def test_panorama_pushed_rules_wrap_the_device_rules() -> None:
    """``panorama-rulebase``: pre-rules, then the device's rules, then post-rules."""
    assert _order("panorama-rulebase") == ["ALLOW-SERVICE1", "DENY-SERVICE12", "ALLOW-SERVICE23"]


def test_device_group_override_and_shared_rules_as_batfish_traces_them() -> None:
    """``device-group-shared-inheritance`` (Batfish ``PaloAltoSecurityRuleTest``): a flow from the
    device group's ADDR2-override (192.168.1.2) hits the shared pre-rule deny before the group's
    allow; a flow from ADDR3-shared is allowed by the group's post-rule before the shared deny.
    So the group's pre-rule and the shared post-rule never match, each blocked by one rule."""
    _, findings = _audit(REAL / "bf-panos__device-group-shared-inheritance.cfg")
    assert _order("device-group-shared-inheritance") == [
        "PRE_RULE_SHARED", "PRE_RULE_DG", "POST_RULE_DG", "2nd_POST_RULE_DG", "POST_RULE_SHARED"
    ]
    got = sorted((f.rule, tuple(b["text"].split(":")[0] for b in f.details["blocking"]))
                 for f in findings if f.check == "shadowed-rule")
    assert got == [
        ("rule POST_RULE_SHARED", ("DG1 post-rulebase rule POST_RULE_DG",)),
        ("rule PRE_RULE_DG", ("shared pre-rulebase rule PRE_RULE_SHARED",)),
    ]
