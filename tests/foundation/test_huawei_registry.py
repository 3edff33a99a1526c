"""The Huawei registry entries against real VRP output: facts from every real ``display version``
and ``display esn`` sample, and `tslcd cmd`'s read-only rule for VRP commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.platforms import get_platform
from tslcd.readonly import refusal
from tslcd.tasks.facts import parse_facts

REAL = Path(__file__).resolve().parents[1] / "lab" / "conformance" / "fixtures" / "real" / "huawei"
VERSIONS = sorted([*REAL.glob("ntc/huawei_vrp_display_version*.raw"),
                   *REAL.glob("napalm/*display_version.txt")])


@pytest.mark.parametrize("path", VERSIONS, ids=[p.name for p in VERSIONS])
def test_facts_from_real_display_version(path: Path) -> None:
    esn = (REAL / "napalm" / "vrp8_display_esn.txt").read_text(encoding="utf-8")
    facts = parse_facts(path.read_text(encoding="utf-8") + "\n" + esn, get_platform("huawei"))
    assert facts["model"] and facts["os_version"].startswith("V") and facts["uptime_seconds"] > 0
    assert facts["serial"] == "2102550AFWP0H6000080"


@pytest.mark.parametrize("platform", ["huawei", "huawei_vrpv8"])
def test_only_display_commands_and_their_filters_are_read_only(platform: str) -> None:
    p = get_platform(platform)
    for command in ("display current-configuration | include sysname", "dis cur | begin interface",
                    "display version", "display esn"):
        assert refusal(command, p) is None, command
    for command in ("save", "system-view", "undo sysname", "reboot", "commit",
                    "display current-configuration | section x"):
        assert refusal(command, p), command
