"""Real public configurations nobody here wrote (``fixtures/real``, see its ``SOURCES``).

Every file is audited as its platform: no crash, no file refused, no device dropped whole (a
file with rules yields analysed lists), every not-analysed note names file:line; and the
findings the source publishes (pybatfish's zone-based firewall example) are reproduced.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from tslcd.audit.parsers.common import check_text, decode_config
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import load_policy

REAL = Path(__file__).parent / "fixtures" / "real"
FILES = sorted(REAL.glob("*/*.cfg"))
RULES = re.compile(
    r"^(access-list |ip access-list |object-group |config firewall policy|class-map type inspect)", re.M
)
LISTS = re.compile(
    r"^(access-list \S+ (extended |standard )?(permit|deny)|ip access-list |config firewall policy)", re.M
)
MAC_ONLY = {"bf-unit__cisco_mac_acl.cfg"}  # its only lists filter MAC addresses: noted, not analysed
POLICY = load_policy(Path(__file__).parent / "fixtures" / "zones.yaml")


def _audit(path: Path) -> tuple:
    text, decoding = decode_config(path.read_bytes())
    parsed = parse_device(DeviceConfig(path.stem, path.parent.name, text, {}, path.name, decoding))
    return parsed, audit_parsed(parsed, POLICY)


def test_corpus_is_large_and_every_file_has_a_source() -> None:
    sources = {line.split(" | ")[0] for line in (REAL / "SOURCES").read_text().splitlines() if " | " in line}
    assert {f"{f.parent.name}/{f.name}" for f in FILES} <= sources
    with_lists = [f for f in FILES if LISTS.search(f.read_bytes().decode("latin-1"))]
    assert len(FILES) >= 300 and len(with_lists) >= 100


def test_every_real_config_is_analysed_without_dropping_a_device() -> None:
    for path in FILES:
        parsed, findings = _audit(path)
        assert not [f for f in findings if f.check == "parse-error"], path
        if LISTS.search("\n".join(parsed.lines)) and path.name not in MAC_ONLY:
            assert parsed.lists, f"{path}: access lists or policies present but none analysed"
        for f in findings:
            if f.check == "not-analysed":
                assert f.line > 0 and f.message.startswith(f"{path.name}:{f.line}: "), (path, f.message)


def test_pybatfish_zone_based_firewall_has_no_false_applied_nowhere() -> None:
    """Only the two ACLs no class-map matches are unbound (class-maps name the others)."""
    parsed, findings = _audit(REAL / "cisco_ios" / "pbf__example-filters_current_firewall.cfg")
    unbound = sorted(f.list_name for f in findings if f.check == "acl-unbound")
    assert unbound == ["acl-f5-z3-tcp-syslog", "acl-fw-dns-z2-dns-master-udp-dns"]
    pairs = {lst.name: lst for lst in parsed.lists if lst.kind == "zone-pair"}
    assert set(pairs) == {
        "zone-pair z2-to-admin",
        "zone-pair admin-to-z2",
        "zone-pair admin-to-z3",
        "zone-pair z2-to-z3",
    }
    last = pairs["zone-pair z2-to-admin"].rules[-1]
    assert (last.key, last.action) == ("class class-default", "deny")


@pytest.mark.parametrize(
    ("data", "how"),
    [
        (codecs.BOM_UTF8 + b"hostname r1\n", "UTF-8 with byte-order mark"),
        ("hostname r1\n".encode("utf-16"), "UTF-16 (byte-order mark)"),
        (b"hostname r1\nbanner motd ^C caf\xe9 ^C\n", "latin-1 (not valid UTF-8 at byte 30)"),
        (b"hostname r1\n", ""),
    ],
)
def test_encodings_are_read_and_noted(data: bytes, how: str) -> None:
    text, decoding = decode_config(data)
    assert text.splitlines()[0] == "hostname r1" and decoding == how


def test_stored_text_with_a_bom_or_replaced_bytes_is_noted() -> None:
    assert check_text("\ufeffhostname r1\n") == ("hostname r1\n", "UTF-8 with byte-order mark")
    assert check_text("banner caf\ufffd\n")[1] == "UTF-8 with undecodable bytes replaced by U+FFFD"
    assert check_text("hostname r1\n") == ("hostname r1\n", "")


def test_pybatfish_published_filter_line_reachability_answer() -> None:
    """pybatfish ``jupyter_notebooks/Analyzing ACLs and Firewall Rules.ipynb``: filterLineReachability
    on rtr-with-acl finds 670 blocked by 540 (different action) and 790 blocked by 500 (same action)."""
    _, findings = _audit(REAL / "cisco_ios" / "pbf__example-filters_current_rtr-with-acl.cfg")
    got = sorted(
        (f.check, f.text, tuple(b["text"] for b in f.details["blocking"]))
        for f in findings
        if f.check in ("shadowed-rule", "redundant-rule")
    )
    assert got == [
        ("redundant-rule", "790 deny ip 54.203.159.1/32 any", ("500 deny ip 54.0.0.0/8 any",)),
        ("shadowed-rule", "670 permit ip 166.146.58.184 any", ("540 deny ip 166.144.0.0/12 any",)),
    ]
