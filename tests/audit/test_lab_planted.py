"""Every problem the lab plants in a generated configuration is found by the audit in what the backup
stores (what the platform's config command prints, after `tslcd.sanitize` masks its secrets), and
nothing is reported as an any-any permit that is not one. Every host of the sample province is
generated and audited.

Each lab model module exposes ``planted_findings(host, problems)``: where each planted problem sits
(policy id, or the exact configuration line). This maps the lab's platform-neutral problem kinds to
the audit's check ids and matches findings to those places.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from conftest import fetched_config

from tslcd.audit.model import Finding
from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import load_policy
from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.lab.models.base import PROBLEM_KINDS
from tslcd.platforms import PLATFORMS, get_platform, load_object
from tslcd.sanitize import sanitize

ROOT = Path(__file__).resolve().parents[2]

KIND_TO_CHECKS: dict[str, set[str]] = {
    "any-any-permit": {"any-any-permit"},
    "shadowed-rule": {"shadowed-rule"},
    "redundant-rule": {"redundant-rule"},
    "multi-shadowed-rule": {"shadowed-rule", "redundant-rule"},
    "telnet-permitted": {"cleartext-service"},
    "risky-service": {"dangerous-service"},
    "no-logging": {"permit-no-log"},
    "disabled-rule": {"rule-disabled"},
    "unused-object": {"object-unused"},
    "undefined-reference": {"object-undefined"},
    "unbound-acl": {"acl-unbound"},
    "bound-undefined-acl": {"acl-undefined"},
    "telnet-enabled": {"mgmt-telnet"},
    "snmp-public": {"snmp-weak"},
    "weak-ike": {"weak-crypto"},
    "plaintext-password": {"plaintext-password"},
    "no-ntp": {"no-ntp"},
    "mgmt-open": {"mgmt-unrestricted"},
    # No audit check reads idle timeouts: `tslcd compliance` does (tests/compliance).
    "no-idle-timeout": set(),
}


def test_every_problem_kind_is_mapped() -> None:
    assert set(KIND_TO_CHECKS) == set(PROBLEM_KINDS)


def _hosts(platform: str) -> list[dict]:
    """Every host of the sample province on this platform, as the lab models see them."""
    inventory = load_inventory(load_config(str(ROOT / "tslcd.yaml")))
    return [h.flat() for h in inventory if h.platform == platform]


def _lab(platform: str):
    ref = PLATFORMS[platform].lab_model
    module = importlib.import_module(ref.partition(":")[0])
    planted = getattr(module, "planted_findings", None)
    if planted is None:
        pytest.skip(f"{ref} does not expose planted_findings yet")
    return load_object(ref), planted


def _backup(platform: str, text: str) -> str:
    """What the backup stores for a configuration (or a single line of one)."""
    return sanitize(text, get_platform(platform))


def _block_heads(lines: list[str]) -> dict[int, int]:
    """Line number -> the line number of the top-level line it sits under (itself when top-level)."""
    heads, head = {}, 0
    for n, raw in enumerate(lines, start=1):
        if raw and raw[0] not in " \t":
            head = n
        heads[n] = head
    return heads


def _matches(item: dict, f: Finding, lines: list[str], heads: dict[int, int]) -> bool:
    """Whether a finding is the one a planted problem should produce (``item["line"]`` as stored)."""
    if f.check not in KIND_TO_CHECKS[item["kind"]]:
        return False
    if item.get("rule") and item.get("acl") == "policy":
        return f.rule == f"policy {item['rule']}"
    if item.get("acl") and f.list_name and f.list_name != item["acl"]:
        return False
    if not f.line and not f.text:  # a device-wide finding (what is missing has no line)
        return True
    wanted = item["line"].strip()
    where = {n for n, raw in enumerate(lines, start=1) if raw.strip() == wanted}
    return f.line in where or heads.get(f.line) in where or f.text.strip() == wanted


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_planted_problems_found(platform: str) -> None:
    model, planted = _lab(platform)
    problems = tuple(sorted(model.supported_problems()))
    policy = load_policy(ROOT / "inventory" / "zones.yaml")
    for host in _hosts(platform):
        text = _backup(platform, fetched_config(model(host["name"], host, None, problems)))
        findings = audit_device(DeviceConfig(host["name"], platform, text, host, "lab"), policy)
        lines = text.splitlines()
        heads = _block_heads(lines)
        expected = [{**i, "line": _backup(platform, i["line"]).strip()} for i in planted(host, problems)]
        assert {i["kind"] for i in expected} == set(problems)
        stripped = {raw.strip() for raw in lines}
        absent = [i for i in expected if i["line"] and i["line"] not in stripped]
        assert not absent, "planted but not in the backup"
        expected = [i for i in expected if KIND_TO_CHECKS[i["kind"]]]
        missing = [i for i in expected if not any(_matches(i, f, lines, heads) for f in findings)]
        assert not missing, missing
        any_any = [f for f in findings if f.check == "any-any-permit"]
        planted_any = [i for i in expected if i["kind"] == "any-any-permit"]
        assert len(any_any) == len(planted_any), any_any
        assert all(any(_matches(i, f, lines, heads) for i in planted_any) for f in any_any)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_clean_config_has_no_any_any_or_parse_problem(platform: str) -> None:
    model, _ = _lab(platform)
    policy = load_policy(ROOT / "inventory" / "zones.yaml")
    for host in _hosts(platform):
        text = _backup(platform, fetched_config(model(host["name"], host, None, ())))
        findings = audit_device(DeviceConfig(host["name"], platform, text, host, "lab"), policy)
        assert not [f for f in findings if f.check in ("any-any-permit", "parse-error")], findings
