"""Fingerprints name a finding across runs: they must not move when unrelated lines do.

New/resolved and waivers compare fingerprints, so a fingerprint that follows line numbers would
report every finding below an added line as new (and resolved), and break every waiver there.
"""

from __future__ import annotations

import re
from pathlib import Path

from tslcd.audit.model import Finding, Severity
from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.zones import load_policy

FIXTURES = Path(__file__).parent / "fixtures"
POLICY = load_policy(FIXTURES / "zones.yaml")
DATA = {"agency_code": "STC", "role": "firewall", "lan_prefix": "10.10.2.0/24"}


def _prints(platform: str, text: str) -> set[str]:
    return {f.fingerprint for f in audit_device(DeviceConfig("h1", platform, text, DATA, "t"), POLICY)}


def _insert_before(text: str, anchor: str, new: str) -> str:
    assert anchor in text
    return text.replace(anchor, new + anchor, 1)


def test_ios_findings_keep_their_fingerprints_when_lines_are_added_or_resequenced() -> None:
    text = (FIXTURES / "cisco_ios" / "acl_reachability.cfg").read_text(encoding="utf-8")
    before = _prints("cisco_ios", text)
    shifted = _insert_before(text, "ip access-list extended LAN-IN",
                             "banner motd ^C\nAuthorised access only\n^C\nip access-list extended OTHER\n"
                             " 10 permit tcp host 10.9.9.9 host 10.8.8.8 eq 22 log\n")
    shifted = _insert_before(shifted, "interface GigabitEthernet0/0/1", "interface Loopback9\n no shutdown\n")
    assert before <= _prints("cisco_ios", shifted)
    # 'ip access-list resequence LAN-IN 100 5' renumbers every entry: the same findings
    count = iter(range(100, 1000, 5))
    in_lan = False
    lines = []
    for line in text.splitlines():
        in_lan = line.startswith("ip access-list extended LAN-IN") or (in_lan and line.startswith(" "))
        lines.append(re.sub(r"^ \d+ ", lambda _: f" {next(count)} ", line) if in_lan else line)
    assert _prints("cisco_ios", "\n".join(lines) + "\n") == before
    # indentation and spacing are not identity either
    assert _prints("cisco_ios", text.replace(" permit ", "  permit  ")) == before


def test_asa_findings_keep_their_fingerprints_when_lines_are_added() -> None:
    text = (FIXTURES / "cisco_asa" / "acl_objects.cfg").read_text(encoding="utf-8")
    before = _prints("cisco_asa", text)
    shifted = _insert_before(text, "access-list OUTSIDE_IN",
                             "access-list NEW_IN extended permit tcp host 10.9.9.9 host 10.8.8.8 eq 22 log\n"
                             "object network UNRELATED\n host 10.7.7.7\n")
    assert before <= _prints("cisco_asa", "names\n" * 5 + shifted)


def test_fortigate_findings_are_known_by_policy_id_not_position() -> None:
    text = (FIXTURES / "fortinet" / "policies.cfg").read_text(encoding="utf-8")
    before = _prints("fortinet", text)
    shifted = _insert_before(text, "config firewall policy",
                             'config system global\n    set hostname "moved"\nend\n')
    assert _prints("fortinet", shifted) == before


def test_line_numbers_in_device_level_messages_are_not_identity() -> None:
    def finding(line: int, message: str) -> Finding:
        return Finding("no-syslog", Severity.low, "h1", "cisco_ios", message, "fix", line=line)

    repeated = finding(3, "lines 3, 4 and 9 repeat it")
    assert repeated.fingerprint == finding(7, "lines 7, 8 and 12 repeat it").fingerprint
    assert finding(3, "no syslog").fingerprint != finding(3, "no NTP").fingerprint
    rule = Finding("permit-no-log", Severity.low, "h1", "cisco_ios", "line 30 permits", "fix", "ACL",
                   "line 30", 30, " 30 permit tcp any any")
    moved = Finding("permit-no-log", Severity.low, "h1", "cisco_ios", "line 42 permits", "fix", "ACL",
                    "line 42", 42, "50 permit tcp any  any")
    other_host = Finding("permit-no-log", Severity.low, "h2", "cisco_ios", "line 30 permits", "fix", "ACL",
                         "line 30", 30, " 30 permit tcp any any")
    assert rule.fingerprint == moved.fingerprint != other_host.fingerprint
    assert re.fullmatch(r"[0-9a-f]{16}", rule.fingerprint)
