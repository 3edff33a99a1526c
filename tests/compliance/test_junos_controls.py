"""JunOS assertions of the attt-cap-do pack on real configurations nobody here wrote (Batfish's
JunOS test configs, tests/audit/fixtures/real/SOURCES) and on the braces form of the same facts."""

from __future__ import annotations

from pathlib import Path

from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import default_policy
from tslcd.compliance.evaluate import DeviceText, Status, Verdict, evaluate
from tslcd.compliance.packs import load_packs

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "audit" / "fixtures" / "real" / "juniper_junos"
PACK = load_packs(ROOT / "compliance")["attt-cap-do"]


def _verdicts(name: str, text: str) -> dict[str, Verdict]:
    findings = audit_device(DeviceConfig(name, "juniper_junos", text, {}, name), default_policy())
    device = DeviceText(name, "juniper_junos", 2, text, name)
    return {c.id: evaluate(c, device, findings) for c in PACK.controls}


def _lines(v: Verdict) -> set[int]:
    return {e.line for e in v.evidence if e.line}


def test_batfish_login_class_timeouts_and_retries() -> None:
    name = "bf-junos__juniper-login-class.cfg"
    v = _verdicts(name, (REAL / name).read_text(encoding="utf-8"))
    # idle-timeout 30 (class READONLY) and 60 (system login) minutes: beyond 15
    assert v["CD-MANG-03"].status is Status.failed and _lines(v["CD-MANG-03"]) == {7, 44}
    assert v["CD-MANG-04"].status is Status.passed and _lines(v["CD-MANG-04"]) == {37}  # 4 tries


def test_batfish_login_range_out_of_bounds_retries() -> None:
    name = "bf-junos__juniper-login-range.cfg"
    v = _verdicts(name, (REAL / name).read_text(encoding="utf-8"))
    assert v["CD-MANG-04"].status is Status.failed and _lines(v["CD-MANG-04"]) == {9}
    assert v["CD-MANG-03"].status is Status.failed  # no idle-timeout: JunOS never logs out


BRACES = """\
system {
    login {
        retry-options {
            tries-before-disconnect 3;
        }
        class ops {
            idle-timeout 10;
        }
    }
    services {
        telnet;
    }
}
snmp {
    community netops {
        authorization read-write;
    }
}
"""


def test_braces_form_is_read_too() -> None:
    v = _verdicts("r1.conf", BRACES)
    assert v["CD-MANG-03"].status is Status.passed and _lines(v["CD-MANG-03"]) == {7}
    assert v["CD-MANG-04"].status is Status.passed and _lines(v["CD-MANG-04"]) == {4}
    assert v["CD-MANG-09"].status is Status.failed and 16 in _lines(v["CD-MANG-09"])
    assert v["CD-MANG-01"].status is Status.failed  # the audit's mgmt-telnet finding
