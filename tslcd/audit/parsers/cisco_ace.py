"""One Cisco access-control entry (IOS and ASA share the grammar) into the rule model.

``permit|deny PROTO SRC [SPORT] DST [DPORT | ICMP-TYPE] [options]``; IOS writes masks as wildcards,
ASA as netmasks, which is the one thing the caller says. Options that the model ignores
(``established``, ``time-range``, ``fragments``, DSCP...) make the rule inexact rather than dropping
it, and unknown words are a parse problem naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tslcd.audit.model import Evidence
from tslcd.audit.names import ICMP6_TYPES, ICMP_MESSAGES, ICMP_TYPES, PORTS, PROTOCOLS, icmp_range
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    IntervalSet,
    addr_int,
    complement,
    family_product,
    full_set,
    ip_int,
    prefix_interval,
)

# Options that change what a rule matches in ways the model does not represent.
_INEXACT_FLAGS = {
    "established",
    "fragments",
    "ack",
    "syn",
    "fin",
    "psh",
    "rst",
    "urg",
    "match-any",
    "match-all",
    "ece",
    "cwr",
}
_INEXACT_WITH_ARG = {"time-range", "dscp", "precedence", "tos", "reflect", "option", "ecn"}
_IGNORED_WITH_ARG = {"interval"}  # ASA "log ... interval N" only changes how logging is done
_LOG_LEVELS = {
    "emergencies",
    "alerts",
    "critical",
    "errors",
    "warnings",
    "notifications",
    "informational",
    "debugging",
    "disable",
    "default",
}


class AceError(ValueError):
    """A word the entry grammar does not allow at that place."""


@dataclass
class Ace:
    """What one entry says, before it becomes a `Rule`."""

    action: str
    boxes: list[tuple[int, ...]]
    logged: bool = False
    inactive: bool = False
    inexact: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    src_any: bool = False
    dst_any: bool = False


_MAX_SCATTERED_BITS = 8  # a non-contiguous wildcard is listed exactly up to 2**8 intervals


def mask_interval(addr: str, mask: str, wildcard: bool) -> tuple[IntervalSet, str]:
    """Address plus mask as intervals, and a reason when only their hull could be given.

    A non-contiguous wildcard (``1.0.2.1 0.0.0.2``) is a union of intervals: its low run of
    don't-care bits is the width of each, every other don't-care bit doubles their number.
    """
    base, m = ip_int(addr), ip_int(mask)
    wild = m if wildcard else (~m) & 0xFFFFFFFF
    lo, hi = base & ~wild & 0xFFFFFFFF, (base | wild) & 0xFFFFFFFF
    if not wild & (wild + 1):
        return [(lo, hi)], ""
    low = wild & ~(wild + 1)  # the contiguous run of don't-care bits at the bottom (may be 0)
    scattered = [1 << k for k in range(32) if (wild & ~low) >> k & 1]
    if len(scattered) > _MAX_SCATTERED_BITS:
        return [(lo, hi)], f"non-contiguous mask {mask}"
    starts = [lo]
    for bit in scattered:
        starts += [v | bit for v in starts]
    return sorted((v, v | low) for v in starts), ""


def port_condition(words: list[str]) -> IntervalSet:
    """``eq 80 [443...]``, ``range 1 9``, ``lt 1024``, ``gt 1023``, ``neq 23 [25...]`` as ports."""
    op, args = words[0], [port_number(a) for a in words[1:]]
    if op == "eq" and args:
        return sorted({(a, a) for a in args})
    if op == "range" and len(args) == 2:
        return [(min(args), max(args))]
    if op == "lt" and len(args) == 1:
        return [(0, args[0] - 1)] if args[0] else []
    if op == "gt" and len(args) == 1:
        return [(args[0] + 1, 65535)] if args[0] < 65535 else []
    if op == "neq" and args:
        return complement(sorted({(a, a) for a in args}), DPORT)
    raise AceError(f"unknown port condition {' '.join(words)!r}")


def port_number(word: str) -> int:
    """A port number or Cisco port name."""
    if word.isdigit():
        return int(word)
    if word in PORTS:
        return PORTS[word]
    raise AceError(f"unknown port {word!r}")


class _Tokens:
    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        i = self.pos + ahead
        return self.words[i] if i < len(self.words) else None

    def take(self) -> str:
        if self.pos >= len(self.words):
            raise AceError("entry ends too early")
        self.pos += 1
        return self.words[self.pos - 1]


class AceParser:
    """Parses entries against one configuration's objects.

    ``family`` is what ``any`` means: 4 in an IOS IPv4 list, 6 in an IOS ``ipv6 access-list``
    (where ``icmp`` is ICMPv6 and ``ipv6`` any protocol), and 0 (both) in an ASA list.
    """

    def __init__(self, objects: Objects, wildcard: bool, family: int = 4) -> None:
        self.objects = objects
        self.wildcard = wildcard
        self.family = family
        self.any: IntervalSet = {4: [ANY4], 6: [ANY6]}.get(family, [ANY4, ANY6])

    def parse(self, words: list[str], at: Evidence, standard: bool) -> Ace:
        """Parse ``words`` starting at the action; raises AceError on malformed input."""
        t = _Tokens(words)
        action = t.take()
        if action not in ("permit", "deny"):
            raise AceError(f"expected permit or deny, got {action!r}")
        ace = Ace(action=action, boxes=[])
        if standard:
            src = self._address(t, at, ace)
            services: list[Service] = [(full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP))]
            dst = self.any
            ace.src_any, ace.dst_any = src == self.any, True
        else:
            services = self._protocol(t, at, ace)
            src = self._address(t, at, ace)
            ace.src_any = src == self.any
            sports = self._ports(t, at, ace)
            dst = self._address(t, at, ace)
            ace.dst_any = dst == self.any
            dports = self._ports(t, at, ace)
            icmp = self._icmp(t, services, at, ace)
            services = [(p, sports or s, dports or d, icmp or i) for p, s, d, i in services]
        self._options(t, ace)
        ace.boxes = [b for p, s, d, i in services for b in family_product([p, src, dst, s, d, i])]
        return ace

    def _protocol(self, t: _Tokens, at: Evidence, ace: Ace) -> list[Service]:
        word, name = t.peek() or "", t.peek(1) or ""
        builtin = builtin_service(name) if word == "object" and not self.objects.has(name) else None
        if word in ("object-group", "object") and builtin is None:
            return self._group(t, at, ace)
        t.take()
        if builtin is not None:
            t.take()
            return [builtin]
        full = (full_set(SPORT), full_set(DPORT), full_set(ICMP))
        if word == "ip" or (word == "ipv6" and self.family == 6):
            return [(full_set(PROTO), *full)]
        if word == "icmp" and self.family == 6:
            return [([(58, 58)], *full)]
        if word.isdigit() and int(word) <= 255:
            n = int(word)
            return [([(n, n)], *full)]
        if word in PROTOCOLS:
            n = PROTOCOLS[word]
            return [([(n, n)], *full)]
        raise AceError(f"unknown protocol {word!r}")

    def _address(self, t: _Tokens, at: Evidence, ace: Ace) -> IntervalSet:
        word = t.take()
        if word == "any":
            return self.any
        if word in ("any4", "any6"):
            return [ANY4 if word == "any4" else ANY6]
        if word == "host":
            v = _addr(t.take())
            return [(v, v)]
        if word in ("object-group", "object", "addrgroup"):
            name = t.take()
            ace.refs.append(name)
            values, why = self.objects.addresses(name, at)
            if why:
                ace.inexact.append(why)
            return values
        if word == "interface":
            ace.inexact.append(f"interface address {t.take()}")
            return self.any
        if "/" in word or ":" in word:  # IPv6, or IOS-XE prefix notation
            try:
                return [prefix_interval(word)]
            except ValueError:
                raise AceError(f"expected an address, got {word!r}") from None
        try:
            ip_int(word)
        except ValueError:
            raise AceError(f"expected an address, got {word!r}") from None
        nxt = t.peek()
        if nxt is not None and _looks_like_ip(nxt):
            values, why = mask_interval(word, t.take(), self.wildcard)
            if why:
                ace.inexact.append(why)
            return values
        v = ip_int(word)
        return [(v, v)]

    def _group(self, t: _Tokens, at: Evidence, ace: Ace) -> list[Service]:
        """``object-group NAME`` (or ``object``, ``portgroup``): the group's services, noted as used."""
        t.take()
        name = t.take()
        ace.refs.append(name)
        svcs, why = self.objects.services(name, at)
        if why:
            ace.inexact.append(why)
        return svcs

    def _ports(self, t: _Tokens, at: Evidence, ace: Ace) -> IntervalSet | None:
        op = t.peek()
        name = t.peek(1) or ""
        if op == "portgroup" or (
            op == "object-group" and self.objects.has(name) and self.objects.is_port_group(name)
        ):
            return sorted(
                {iv for _, _, d, _ in self._group(t, at, ace) for iv in d}
            )  # IOS portgroup, ASA port group
        if op not in ("eq", "neq", "lt", "gt", "range"):
            return None
        words = [t.take(), t.take()]
        if op == "range":
            words.append(t.take())
        while op == "eq" and t.peek() is not None and _is_port(t.peek() or ""):
            words.append(t.take())  # IOS allows "eq 80 443"
        return port_condition(words)

    def _icmp(self, t: _Tokens, services: list[Service], at: Evidence, ace: Ace) -> IntervalSet | None:
        """ICMP type, ``type code``, a message name (one code) or an ICMP object-group."""
        word = t.peek()
        protos = {iv for p, *_ in services for iv in p}
        if word is None or protos not in ({(1, 1)}, {(58, 58)}):
            return None
        types, messages = (ICMP_TYPES, ICMP_MESSAGES) if protos == {(1, 1)} else (ICMP6_TYPES, {})
        if word == "object-group" and self.objects.has(t.peek(1) or ""):
            return sorted({iv for _, _, _, i in self._group(t, at, ace) for iv in i})
        if word in messages:
            t.take()
            return [icmp_range(*messages[word])]
        if word in types:
            t.take()
            return [icmp_range(types[word])]
        if word.isdigit():
            t.take()
            code = t.peek()
            if code is not None and code.isdigit():
                t.take()
                return [icmp_range(_byte(word), _byte(code))]
            return [icmp_range(_byte(word))]
        return None

    def _options(self, t: _Tokens, ace: Ace) -> None:
        while t.peek() is not None:
            word = t.take()
            if word in ("log", "log-input"):
                ace.logged = True
                while t.peek() is not None and ((t.peek() or "").isdigit() or t.peek() in _LOG_LEVELS):
                    if t.take() == "disable":
                        ace.logged = False
            elif word == "inactive":
                ace.inactive = True
            elif word in _INEXACT_FLAGS:
                ace.inexact.append(word)
            elif word in _INEXACT_WITH_ARG:
                ace.inexact.append(f"{word} {t.take()}")
            elif word in _IGNORED_WITH_ARG:
                t.take()
            elif word in ("ttl",):
                ace.inexact.append(f"ttl {t.take()} {t.take()}")
            else:
                raise AceError(f"unexpected {word!r}")


def builtin_service(name: str) -> Service | None:
    """ASA's built-in service objects: a protocol name (``ospf``) or ``icmp-TYPE`` (``icmp-echo``)."""
    full = (full_set(SPORT), full_set(DPORT), full_set(ICMP))
    if name == "ip":
        return (full_set(PROTO), *full)
    if name in PROTOCOLS:
        n = PROTOCOLS[name]
        return ([(n, n)], *full)
    kind, _, icmp = name.partition("-")
    if kind == "icmp" and icmp in ICMP_TYPES:
        return ([(1, 1)], full[0], full[1], [icmp_range(ICMP_TYPES[icmp])])
    return None


def icmp_words(words: list[str], v6: bool = False) -> IntervalSet:
    """``echo``, ``port-unreachable``, ``3``, ``3 3`` or nothing (every type) as ICMP values."""
    types, messages = (ICMP6_TYPES, {}) if v6 else (ICMP_TYPES, ICMP_MESSAGES)
    if not words:
        return full_set(ICMP)
    word = words[0]
    if word in messages:
        return [icmp_range(*messages[word])]
    if word in types:
        return [icmp_range(types[word])]
    if word.isdigit():
        if len(words) > 1 and words[1].isdigit():
            return [icmp_range(_byte(word), _byte(words[1]))]
        return [icmp_range(_byte(word))]
    raise AceError(f"unknown ICMP type {word!r}")


def _addr(word: str) -> int:
    try:
        return addr_int(word)
    except ValueError:
        raise AceError(f"expected an address, got {word!r}") from None


def _byte(word: str) -> int:
    value = int(word)
    if value > 255:
        raise AceError(f"ICMP type or code {word} out of range")
    return value


def _looks_like_ip(word: str) -> bool:
    parts = word.split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


def _is_port(word: str) -> bool:
    return word.isdigit() or word in PORTS
