"""Fixture-folder tests (netutils style): every ``fixtures/<platform>/<case>.cfg`` is audited and its
findings must equal ``<case>.expected.yaml`` exactly (check, line, list) — nothing missing, nothing extra.
Drop a new pair into the folder and it is picked up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import load_policy

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.cfg"))


def _key(item: dict) -> tuple[str, int, str]:
    return item["check"], int(item.get("line", 0)), str(item.get("list", ""))


@pytest.mark.parametrize("cfg", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(cfg: Path) -> None:
    expected = yaml.safe_load(cfg.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    policy = load_policy(FIXTURES / "zones.yaml")
    dev = DeviceConfig(cfg.stem, cfg.parent.name, cfg.read_text(encoding="utf-8"), {}, str(cfg))
    found = sorted(
        _key({"check": f.check, "line": f.line, "list": f.list_name}) for f in audit_device(dev, policy)
    )
    assert found == sorted(_key(i) for i in expected["findings"])


def test_every_platform_has_fixtures() -> None:
    from tslcd.platforms import PLATFORMS

    assert {p.parent.name for p in CASES} == set(PLATFORMS)
