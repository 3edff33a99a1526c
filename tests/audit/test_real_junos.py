"""Real public JunOS configurations (Batfish's test configs, ``fixtures/real/juniper_junos``).

Both formats (display set and braces), SRX policies and router filters: every file is audited
without a crash or a refusal, a file with filters or security policies yields analysed lists, and
every construct the parser does not model is a not-analysed finding at file:line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tslcd.audit.parsers.common import decode_config
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import ZonePolicy
from tslcd.platforms import detect_platform

REAL = Path(__file__).parent / "fixtures" / "real" / "juniper_junos"
FILES = sorted(REAL.glob("*.cfg"))
# Filters of an analysed family, or security policies, in either format.
HAS_RULES = re.compile(
    r"^set firewall (?:family inet6? )?filter \S+ term |^set security policies (?:from-zone|global) "
    r"|^\s+(?:from-zone \S+ to-zone \S+|filter \S+) \{",
    re.M,
)
POLICY = ZonePolicy(zones={}, flows=[])


def _audit(path: Path) -> tuple:
    text, decoding = decode_config(path.read_bytes())
    parsed = parse_device(DeviceConfig(path.stem, "juniper_junos", text, {}, path.name, decoding))
    return parsed, audit_parsed(parsed, POLICY)


def test_corpus_covers_both_formats_srx_and_filters() -> None:
    texts = [f.read_text(encoding="latin-1") for f in FILES]
    assert len(FILES) >= 150
    assert sum(1 for t in texts if re.search(r"^set ", t, re.M)) >= 100
    assert sum(1 for t in texts if re.search(r"^[a-z-]+ \{$", t, re.M)) >= 10
    assert sum(1 for t in texts if "security policies" in t or "from-zone" in t) >= 15
    filters = re.compile(r"firewall (?:family inet6? )?filter|^\s+filter \S+ \{", re.M)
    assert sum(1 for t in texts if filters.search(t)) >= 15
    listed = (REAL.parent / "SOURCES").read_text(encoding="utf-8")
    assert all(f"juniper_junos/{f.name} | " in listed for f in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_real_junos_config_is_analysed_without_dropping_the_device(path: Path) -> None:
    parsed, findings = _audit(path)
    assert not [f for f in findings if f.check == "parse-error"]
    text = "\n".join(parsed.lines)
    if HAS_RULES.search(text) and "family ethernet-switching" not in text:
        assert parsed.lists, "filters or policies present but none analysed"
    for f in findings:
        if f.check == "not-analysed":
            assert f.line > 0 and f.message.startswith(f"{path.name}:{f.line}: "), f.message


def test_srx_testbed_policies_resolve_zone_address_books() -> None:
    parsed, _ = _audit(REAL / "bf-junos-net__junos-srx-1.cfg")
    pairs = {lst.name for lst in parsed.lists if lst.kind == "policy"}
    assert pairs and all(" -> " in name or name == "global" for name in pairs)
    assert all(r.boxes for lst in parsed.lists for r in lst.rules if r.enabled and r.exact)


def _detected(path: Path) -> str:
    platform = detect_platform(path.read_text(encoding="latin-1"))
    return platform.name if platform else ""


def test_detection_recognises_junos_in_both_formats_and_nothing_else() -> None:
    """Without --platform, a JunOS file is read as JunOS (both formats); no other real file is."""
    assert sum(1 for f in FILES if _detected(f) == "juniper_junos") >= 0.95 * len(FILES)
    others = [f for f in REAL.parent.glob("*/*.cfg") if f.parent != REAL]
    assert others and not [f for f in others if _detected(f) == "juniper_junos"]
