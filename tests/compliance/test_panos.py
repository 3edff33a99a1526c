"""PAN-OS verdicts on Palo Alto Networks' own iron-skillet day-one configurations (the audit's real
corpus, tests/audit/fixtures/real/SOURCES): the same verdicts from the XML and the set form, with
the evidence at the line an inspector would point at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import default_policy
from tslcd.compliance.evaluate import DeviceText, Status, Verdict, evaluate
from tslcd.compliance.packs import load_packs

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "audit" / "fixtures" / "real" / "paloalto_panos"
PACKS = load_packs(ROOT / "compliance")
XML = "ironskillet__sample-mgmt-static_panos_iron_skillet_panos_full.cfg"
SET = "ironskillet__sample-set-commands_panos_iron_skillet_panos_full.cfg"


def _verdicts(path: Path, level: int = 3) -> dict[str, Verdict]:
    text = path.read_text(encoding="utf-8")
    findings = audit_device(DeviceConfig(path.stem, "paloalto_panos", text, {}, path.name), default_policy())
    device = DeviceText(path.stem, "paloalto_panos", level, text, path.name)
    return {c.id: evaluate(c, device, findings) for pack in PACKS.values() for c in pack.controls}


@pytest.mark.parametrize(("name", "timeout_line", "lockout_line"), [(XML, 723, 720), (SET, 63, 61)])
def test_iron_skillet_idle_timeout_and_lockout_pass_at_their_line(
    name: str, timeout_line: int, lockout_line: int
) -> None:
    v = _verdicts(REAL / name)
    assert v["CD-MANG-03"].status is Status.passed  # idle-timeout 10 (minutes)
    assert [e.line for e in v["CD-MANG-03"].evidence] == [timeout_line]
    assert v["CD-MANG-04"].status is Status.passed  # admin-lockout failed-attempts 5
    assert [e.line for e in v["CD-MANG-04"].evidence] == [lockout_line]
    for control in ("CD-MANG-01", "CD-MANG-05", "CD-MANG-06"):  # telnet/http off, syslog, NTP
        assert v[control].status is Status.passed, control
    assert v["CD-MANG-02"].status is Status.failed  # no permitted-ip for management
    # iron-skillet is Palo Alto's best-practice baseline: every CIS control checkable from the
    # config passes but the site-specific permitted-ip, which it leaves to the operator.
    cis = {c: v[c].status for c in v if c.startswith("CIS-PAN-")}
    assert len(cis) >= 6
    assert {c for c, status in cis.items() if status is not Status.passed} == {"CIS-PAN-1.x-permitted-ip"}
    assert [e.line for e in v["CIS-PAN-1.x-idle-timeout"].evidence] == [timeout_line]


def test_unset_idle_timeout_fails_on_the_pan_os_default(tmp_path: Path) -> None:
    config = tmp_path / "pa.cfg"
    lines = ["set deviceconfig system hostname pa", "set deviceconfig system permitted-ip 10.9.0.0/24"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    v = _verdicts(config)
    assert v["CD-MANG-03"].status is Status.failed  # PAN-OS closes idle sessions after 60 minutes
    assert v["CD-MANG-04"].status is Status.failed
    assert v["CD-MANG-02"].status is Status.passed
