"""The one rule model every parser produces and every analysis reads.

A device's configuration becomes a `ParsedConfig`: ordered `RuleList`s (an ACL, or the FortiGate
policies that apply to one interface pair), the objects they use, where lists are bound, and the
management-plane facts the checks need. Each rule keeps where it came from (line range or policy
id) so a finding can point at it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any

from tslcd.audit.space import Box

PERMIT = "permit"
DENY = "deny"


class Severity(IntEnum):
    """Ordered severities; the names are what users type for ``--fail-on``."""

    info = 0
    low = 1
    medium = 2
    high = 3
    critical = 4


@dataclass
class Rule:
    """One ACL entry or firewall policy, reduced to the packets it matches and what it does."""

    key: str  # stable label within its list: "line 12", "policy 7"
    action: str  # PERMIT or DENY
    boxes: list[Box]
    text: str
    line: int
    end_line: int
    policy_id: str | None = None
    enabled: bool = True
    logged: bool = False
    exact: bool = True  # False: the rule has conditions the model ignores; boxes are a superset
    refs: tuple[str, ...] = ()  # object names the rule uses
    services: tuple[str, ...] = ()  # service names as written (FortiGate "ALL", "HTTP")
    src_any: bool = False
    dst_any: bool = False


@dataclass
class RuleList:
    """An ordered list of rules evaluated first-match, with an implicit deny at the end."""

    name: str
    kind: str  # "acl", "standard-acl", "policy"
    rules: list[Rule]
    line: int
    traffic: bool = True  # False for lists that filter the device's own management access


@dataclass
class Binding:
    """Where a list is applied (interface and direction, vty lines, interface pair)."""

    list_name: str
    where: str
    line: int
    traffic: bool = True


@dataclass
class ObjectDef:
    """A named address or service object or group."""

    name: str
    kind: str  # "network", "network-group", "service", "service-group", ...
    line: int
    members: list[str] = field(default_factory=list)  # names of nested objects
    empty: bool = False


@dataclass
class Evidence:
    """A configuration line that proves a fact."""

    line: int
    text: str


@dataclass
class MgmtFacts:
    """What the management-plane checks look at, gathered by each platform's parser."""

    telnet: list[Evidence] = field(default_factory=list)
    http: list[Evidence] = field(default_factory=list)
    unrestricted: list[Evidence] = field(default_factory=list)
    ssh_v1: list[Evidence] = field(default_factory=list)
    snmp_weak: list[Evidence] = field(default_factory=list)
    weak_crypto: list[Evidence] = field(default_factory=list)
    plaintext_passwords: list[Evidence] = field(default_factory=list)
    idle_timeout: list[Evidence] = field(default_factory=list)  # admin sessions left open too long
    syslog_servers: list[str] = field(default_factory=list)
    ntp_servers: list[str] = field(default_factory=list)


@dataclass
class Note:
    """A line the parser did not model: reported as "not analysed", never dropped silently."""

    line: int
    text: str
    reason: str


@dataclass
class ParsedConfig:
    """Everything the audit knows about one device's stored configuration."""

    host: str
    platform: str
    source: str  # file name or "backup of HOST", for messages
    lists: list[RuleList] = field(default_factory=list)
    objects: dict[str, ObjectDef] = field(default_factory=dict)
    used_objects: set[str] = field(default_factory=set)
    undefined_refs: list[tuple[str, Evidence]] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    other_list_refs: set[str] = field(default_factory=set)  # lists used by SNMP, NAT, crypto...
    mgmt: MgmtFacts = field(default_factory=MgmtFacts)
    notes: list[Note] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # inventory data of the host

    def note(self, line: int, reason: str) -> None:
        """Record a construct that is not (fully) analysed, so a finding says so."""
        self.notes.append(Note(line, self.line_text(line), reason))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line of the configuration."""
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""


@dataclass
class Finding:
    """One problem found on one device."""

    check: str
    severity: Severity
    host: str
    platform: str
    message: str
    remediation: str
    list_name: str = ""
    rule: str = ""
    line: int = 0
    text: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def fingerprint(self) -> str:
        """Identity across runs, for new/resolved and waivers: 16 hex digits.

        Built from what identifies the problem, never from where it sits: line numbers shift when
        unrelated lines are added. A rule is known by its configuration text with any sequence or
        line number taken out (IOS ``10 permit ...``, ASA ``access-list X line 5 ...``), or by its
        key when the key is not a line (``policy 7``); a device-level finding by its message with
        line numbers taken out. Computed once per finding (an audit compares 100,000s).
        """
        line_key = _LINE_KEY.fullmatch(self.rule) is not None
        text = " ".join(self.text.split())
        if text[:1].isdigit():
            text = _SEQ.sub("", text)
        if "line" in text:
            text = _LINE_REF.sub("line #", text)
        identity = (
            self.host,
            self.check,
            self.list_name,
            "" if line_key else self.rule,
            text if line_key or not self.rule else "",
            _LINE_REF.sub("line #", self.message) if not (self.text or self.rule) else "",
        )
        return hashlib.sha256("\x1f".join(identity).encode()).hexdigest()[:16]


_LINE_KEY = re.compile(r"line \d+")
_LINE_REF = re.compile(r"\blines? \d+(?:(?:, | and |-)\d+)*")
_SEQ = re.compile(r"^\d+ ")
