"""Helpers every parser shares: indented blocks with line numbers, parse problems, rule building."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from tslcd.audit.model import Evidence, ParsedConfig, Rule
from tslcd.audit.parsers.cisco_ace import Ace
from tslcd.audit.space import FULL, FULL6, ip_int
from tslcd.errors import InputError


class ParseProblem(InputError):
    """A configuration line the parser cannot read; the message names the file and line."""


@dataclass
class Block:
    """A top-level line and the indented lines under it."""

    line: int
    text: str
    children: list[tuple[int, str]] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The top-level line split on blanks."""
        return self.text.split()


def decode_config(data: bytes) -> tuple[str, str]:
    """A stored configuration's text and how it was decoded ("" for plain UTF-8).

    UTF-8 with or without a byte-order mark, UTF-16 with one; anything else that is not valid
    UTF-8 is read as latin-1, which never fails (a stray byte in a banner must not hide the rules).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16 (byte-order mark)"
        except UnicodeDecodeError:
            pass
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "UTF-8 with byte-order mark"
        except UnicodeDecodeError:
            return data[3:].decode("latin-1"), "latin-1 (after a UTF-8 byte-order mark, not valid UTF-8)"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        return data.decode("latin-1"), f"latin-1 (not valid UTF-8 at byte {exc.start})"


def check_text(text: str) -> tuple[str, str]:
    """Text already decoded elsewhere (a stored backup): a byte-order mark dropped, and how it reads.

    The store decodes UTF-8 replacing bytes it cannot read; those show as U+FFFD and are noted.
    """
    how = []
    if text.startswith("\ufeff"):
        text = text[1:]
        how.append("UTF-8 with byte-order mark")
    if "\ufffd" in text:
        how.append("UTF-8 with undecodable bytes replaced by U+FFFD")
    return text, ", ".join(how)


def new_config(host: str, platform: str, text: str, source: str) -> ParsedConfig:
    """An empty `ParsedConfig` holding the text's lines for later quoting (a leading BOM dropped)."""
    return ParsedConfig(
        host=host, platform=platform, source=source, lines=text.removeprefix("\ufeff").splitlines()
    )


def cisco_blocks(parsed: ParsedConfig) -> list[Block]:
    """Top-level lines with their indented children; ``!`` comment lines are skipped."""
    out: list[Block] = []
    for n, raw in enumerate(parsed.lines, start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or stripped.startswith(":"):
            continue
        if raw[0] in " \t" and out:
            out[-1].children.append((n, stripped))
        else:
            out.append(Block(n, stripped))
    return out


# Top-level commands of IOS and ASA configurations (a file with none of them is no Cisco config).
_CISCO_LINES = (
    "hostname interface version access-list ip ipv6 line object object-group router service username",
    "enable aaa logging snmp-server ntp crypto access-group boot vlan banner class-map policy-map zone",
    "zone-pair names name ASA PIX terminal feature vrf control-plane end no spanning-tree domain-name",
    "clock route nat mtu ssh telnet http tunnel-group group-policy webvpn dhcpd same-security-traffic",
    "failover monitor-interface icmp arp pager firewall threat-detection dynamic-access-policy-record",
    "prompt call-home license archive redundancy platform multilink controller cdp lldp mpls track event",
    "alias privilege scheduler key mac-address-table errdisable system diagnostic memory file flow",
    "exception process netconf restconf vtp udld dial-peer voice telephony-service hw-module",
    "ipv6-vpn-filter vpn-filter route-map prefix-list community-list",
)
_CISCO_WORDS = frozenset(word for line in _CISCO_LINES for word in line.split())


def refuse_foreign_cisco(parsed: ParsedConfig, blocks: list[Block], platform: str) -> None:
    """Refuse a file that is no Cisco configuration at all (one unknown line is never a reason)."""
    if not blocks:
        return
    head = parsed.lines[:50]
    if any(line.startswith(("config system ", "#config-version=")) for line in head):
        raise ParseProblem(f"{parsed.source}: a FortiOS configuration, not a {platform} one")
    if platform == "IOS" and any(line.startswith(("ASA Version", "PIX Version", ": Saved")) for line in head):
        raise ParseProblem(f"{parsed.source}: an ASA configuration, not an IOS one")
    if not any(b.words[0] in _CISCO_WORDS for b in blocks):
        raise ParseProblem(
            f"{parsed.source}: not a {platform} configuration (no hostname, interface, access-list "
            f"or other {platform} command at top level)"
        )


def problem(parsed: ParsedConfig, line: int, message: str) -> ParseProblem:
    """The error for an unreadable line: ``file:line: message`` and the line itself."""
    return ParseProblem(f"{parsed.source}:{line}: {message}: {parsed.line_text(line)!r}")


def rule_from_ace(parsed: ParsedConfig, ace: Ace, key: str, at: Evidence, end_line: int) -> Rule:
    """A `Rule` from a parsed entry; unmodelled conditions become "not analysed" notes."""
    for why in ace.inexact:
        parsed.note(at.line, f"rule condition not modelled ({why}); the rule is treated as matching more")
    return Rule(
        key=key,
        action=ace.action,
        boxes=ace.boxes,
        text=at.text,
        line=at.line,
        end_line=end_line,
        enabled=not ace.inactive,
        logged=ace.logged,
        exact=not ace.inexact,
        refs=tuple(ace.refs),
        src_any=ace.src_any,
        dst_any=ace.dst_any,
    )


def is_ip(word: str) -> bool:
    """True for a dotted IPv4 address (a host operand rather than a keyword or object name)."""
    try:
        ip_int(word)
    except ValueError:
        return False
    return True


def unread_rule(parsed: ParsedConfig, words: list[str], key: str, at: Evidence, why: str) -> Rule | None:
    """An entry the parser cannot read: noted, and kept in its place as an inexact rule.

    It matches every packet (a superset of what it really matches), so it never hides later rules
    from the analysis; everything else in its list is still analysed. None for a line that is not
    a permit/deny entry at all (it only gets the note).
    """
    parsed.note(at.line, f"entry not analysed ({why})")
    action = next((w for w in words[:3] if w in ("permit", "deny")), None)
    if action is None:
        return None
    logged = bool({"log", "log-input"} & set(words))
    return Rule(
        key=key,
        action=action,
        boxes=[FULL, FULL6],
        text=at.text,
        line=at.line,
        end_line=at.line,
        exact=False,
        logged=logged,
    )
