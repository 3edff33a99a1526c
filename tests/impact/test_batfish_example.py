"""pybatfish's "Provably Safe ACL and Firewall Changes" example, converted to IOS (fixtures/real/
SOURCES): candidate1 also permits tcp to 18.18.18.32 and above, outside the intended /27
(collateral); candidate2 does exactly what was intended."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tslcd.audit.impact_report import region_fields
from tslcd.audit.intent import parse_intent
from tslcd.services.impact import compare, files

EXAMPLE = Path(__file__).parent / "fixtures" / "real" / "pybatfish-example-filters"
INTENT = "permit tcp 10.10.10.0/24 -> 18.18.18.0/27 eq 80,8080"


def _report(candidate: str):
    before, after = files(EXAMPLE / "current.cfg", EXAMPLE / f"{candidate}.cfg", "cisco_ios")
    return compare(before, after, [parse_intent(INTENT)])


def test_step_one_the_traffic_is_not_already_permitted() -> None:
    (verdict,) = _report("candidate2").intents
    assert verdict.verdict != "already"


def test_candidate1_also_permits_the_upper_half_of_the_slash_26() -> None:
    report = _report("candidate1")
    (impact,) = report.changed
    assert impact.name == "acl_in" and impact.exact and not impact.denied
    (verdict,) = report.intents
    assert verdict.verdict == "collateral" and not verdict.missing
    collateral = [region_fields(r) for r in verdict.collateral]
    assert {(tuple(c["source"]), tuple(c["destination"]), c["destination_ports"]) for c in collateral} == {
        (("10.10.10.0/24",), ("18.18.18.32/27",), "80"), (("10.10.10.0/24",), ("18.18.18.32/27",), "8080")}
    assert all(c["before"]["text"] == "2020 deny tcp any any" for c in collateral)


def test_candidate2_is_exact() -> None:
    report = _report("candidate2")
    (verdict,) = report.intents
    assert verdict.verdict == "exact"
    regions = [region_fields(r) for r in report.changed[0].regions]
    assert {(c["destination"][0], c["destination_ports"]) for c in regions} == {
        ("18.18.18.0/27", "80"), ("18.18.18.0/27", "8080")}
    assert {c["after"]["text"].split()[0] for c in regions} == {"462", "463"}
    assert all(c["protocol"] == "tcp" and c["source_ports"] == "any" for c in regions)


@pytest.mark.parametrize(("candidate", "code", "verdict"), [("candidate1", 1, "collateral"),
                                                          ("candidate2", 0, "exact")])
def test_cli_json_and_exit_code(candidate: str, code: int, verdict: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tslcd", "impact", "--before", str(EXAMPLE / "current.cfg"),
         "--after", str(EXAMPLE / f"{candidate}.cfg"), "--platform", "cisco_ios", "--intent", INTENT,
         "--format", "json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == code, result.stderr
    doc = json.loads(result.stdout)
    assert doc["intents"][0]["verdict"] == verdict and doc["exact"] is True
    region = doc["lists"][0]["regions"][0]
    assert region["change"] == "newly permitted" and region["example"].startswith("tcp 10.10.10.")
