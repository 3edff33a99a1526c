"""One Huawei VRP ACL rule (``rule 5 permit tcp source ... destination-port eq 22``) into the rule model.

VRP writes a rule's conditions as keyword/value pairs in any order after the action (and, in an
advanced ACL, the protocol). Addresses take a wildcard (``0`` is one host, ``0.0.0.255`` a /24);
IPv6 ACLs write a prefix (``2001:db8::/32`` or ``2001:db8:: 32``). Conditions the header space
does not hold (``time-range``, ``vpn-instance``, ``dscp``, ``tcp-flag``, ``fragment``...) make the
rule inexact: its boxes are then a superset, and it is noted, never dropped.
"""

from __future__ import annotations

from tslcd.audit.names import ICMP6_TYPES, ICMP_MESSAGES, ICMP_TYPES, PORTS, PROTOCOLS, icmp_range
from tslcd.audit.parsers.cisco_ace import Ace, AceError, mask_interval
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    IntervalSet,
    family_product,
    full_set,
    ip_int,
    prefix_interval,
)

# VRP protocol keywords beyond the Cisco ones (``ip`` and ``ipv6`` are any protocol).
_PROTOCOLS = {**PROTOCOLS, "icmpv6": 58, "ipv6-icmp": 58}
# VRP port names beyond the Cisco ones (UDP ``dns`` is 53; Mobile IP agent and node).
_PORTS = {**PORTS, "dns": 53, "mobilip-ag": 434, "mobilip-mn": 435}
# VRP ICMP names that differ from Cisco's (``fragmentneed-DFset``: unreachable, fragmentation needed).
_ICMP_NAMES: dict[str, tuple[int, int | None]] = {
    **{name: (t, None) for name, t in ICMP_TYPES.items()},
    **{name: tc for name, tc in ICMP_MESSAGES.items()},
    "fragmentneed-dfset": (3, 4),
    "timestamp-request": (13, None),
}
# Options that narrow a rule in ways the header space does not hold, and how many values follow.
_INEXACT = {
    "time-range": 1,
    "vpn-instance": 1,
    "dscp": 1,
    "tos": 1,
    "precedence": 1,
    "ttl": 2,
    "ttl-expired": 0,
    "fragment": 0,
    "fragment-type": 1,
    "none-first-fragment": 0,
    "first-fragment": 0,
    "established": 0,
    "igmp-type": 1,
    "packet-length": 2,
    "source-pool": 1,
    "destination-pool": 1,
    "source-port-pool": 1,
    "destination-port-pool": 1,
    "vni": 1,
}
_TCP_FLAGS = {"ack", "fin", "psh", "rst", "syn", "urg", "established", "ece", "cwr", "ns"}


def parse_rule(words: list[str], advanced: bool, family: int) -> Ace:
    """Parse the words after ``rule [N]``; raises AceError on a word the grammar does not allow."""
    if not words or words[0] not in ("permit", "deny"):
        raise AceError(f"expected permit or deny, got {words[0] if words else 'nothing'!r}")
    ace = Ace(action=words[0], boxes=[])
    anything = [ANY4] if family == 4 else [ANY6]
    protos = full_set(PROTO)
    rest = words[1:]
    if advanced:
        if not rest:
            raise AceError("advanced rule without a protocol")
        protos = _protocol(rest[0], family)
        rest = rest[1:]
    src: IntervalSet = anything
    dst: IntervalSet = anything
    sports, dports, icmp = full_set(SPORT), full_set(DPORT), full_set(ICMP)
    ace.src_any = ace.dst_any = True
    i = 0
    while i < len(rest):
        word = rest[i].lower()
        if word == "source" or (word == "destination" and advanced):
            values, used = _address(rest[i + 1 :], family)
            if word == "source":
                src, ace.src_any = values, values == anything
            else:
                dst, ace.dst_any = values, values == anything
            i += 1 + used
        elif word in ("source-port", "destination-port") and advanced:
            ports, used = _ports(rest[i + 1 :])
            if word == "source-port":
                sports = ports
            else:
                dports = ports
            i += 1 + used
        elif word in ("icmp-type", "icmpv6-type") and advanced:
            icmp, used = _icmp(rest[i + 1 :], family)
            i += 1 + used
        elif word == "logging":
            ace.logged = True
            i += 1
        elif word == "counting":
            i += 1
        elif word == "tcp-flag" and advanced:
            i += 1
            flags = []
            while i < len(rest) and rest[i].lower().rstrip("*") in _TCP_FLAGS | {"mask"}:
                flags.append(rest[i])
                i += 1
            ace.inexact.append("tcp-flag " + " ".join(flags))
        elif word in _INEXACT:
            n = _INEXACT[word]
            if i + n >= len(rest):
                raise AceError(f"{word} without its value")
            ace.inexact.append(" ".join(rest[i : i + 1 + n]))
            i += 1 + n
        else:
            raise AceError(f"unexpected {rest[i]!r}")
    port_protos = {iv for iv in protos} <= {(6, 6), (17, 17)} and protos != []
    if (sports != full_set(SPORT) or dports != full_set(DPORT)) and not port_protos:
        raise AceError("ports given for a protocol without ports")
    ace.boxes = family_product([protos, src, dst, sports, dports, icmp])
    return ace


def _protocol(word: str, family: int) -> IntervalSet:
    word = word.lower()
    if word == ("ip" if family == 4 else "ipv6"):
        return full_set(PROTO)
    if word == "icmp" and family == 6:
        return [(58, 58)]
    if word.isdigit() and int(word) <= 255:
        return [(int(word), int(word))] if int(word) else full_set(PROTO)  # 0 is "ip" in VRP
    if word in _PROTOCOLS:
        n = _PROTOCOLS[word]
        return [(n, n)]
    raise AceError(f"unknown protocol {word!r}")


def _address(words: list[str], family: int) -> tuple[IntervalSet, int]:
    """``any``, ``ADDR WILDCARD``, ``ADDR 0`` (host), ``PREFIX/LEN`` or ``ADDR LEN`` (IPv6)."""
    if not words:
        raise AceError("address missing")
    if words[0] == "any":
        return ([ANY4] if family == 4 else [ANY6]), 1
    if family == 6:
        if "/" in words[0]:
            return [_prefix(words[0])], 1
        if len(words) > 1 and words[1].isdigit():
            return [_prefix(f"{words[0]}/{words[1]}")], 2
        return [_prefix(words[0] + "/128")], 1
    if len(words) < 2:
        raise AceError("address without its wildcard")
    mask = "0.0.0.0" if words[1] == "0" else words[1]
    try:
        values, why = mask_interval(words[0], mask, wildcard=not _netmask(mask))
    except ValueError:
        raise AceError(f"expected an address and wildcard, got {' '.join(words[:2])!r}") from None
    if why:
        raise AceError(why)
    return values, 2


def _netmask(text: str) -> bool:
    """VRP also takes a netmask where a wildcard goes (``10.1.1.0 255.255.255.0``): leading ones
    from the top bit, which as a wildcard would be meaningless (all ones stays the wildcard "any")."""
    try:
        value = ip_int(text)
    except ValueError:
        return False
    inverse = ~value & 0xFFFFFFFF
    return value >> 31 == 1 and inverse != 0 and not inverse & (inverse + 1)


def _prefix(text: str) -> tuple[int, int]:
    try:
        return prefix_interval(text)
    except ValueError:
        raise AceError(f"expected an IPv6 prefix, got {text!r}") from None


def port_value(word: str) -> int:
    """A port number or VRP port name."""
    if word.isdigit() and int(word) <= 65535:
        return int(word)
    if word.lower() in _PORTS:
        return _PORTS[word.lower()]
    raise AceError(f"unknown port {word!r}")


def _ports(words: list[str]) -> tuple[IntervalSet, int]:
    """``eq P``, ``lt P``, ``gt P``, ``range A B`` (VRP has no ``neq``)."""
    op = words[0] if words else ""
    if op == "range" and len(words) >= 3:
        a, b = port_value(words[1]), port_value(words[2])
        return [(min(a, b), max(a, b))], 3
    if op in ("eq", "lt", "gt") and len(words) >= 2:
        p = port_value(words[1])
        if op == "eq":
            return [(p, p)], 2
        if op == "lt":
            return ([(0, p - 1)] if p else []), 2
        return ([(p + 1, 65535)] if p < 65535 else []), 2
    raise AceError(f"unknown port condition {' '.join(words[:3])!r}")


def _icmp(words: list[str], family: int) -> tuple[IntervalSet, int]:
    """``icmp-type NAME`` or ``icmp-type TYPE [CODE]``."""
    if not words:
        raise AceError("icmp-type without a type")
    word = words[0].lower()
    if word.isdigit():
        t = int(word)
        if len(words) > 1 and words[1].isdigit():
            return [icmp_range(_byte(t), _byte(int(words[1])))], 2
        return [icmp_range(_byte(t))], 1
    if family == 6:
        if word in ICMP6_TYPES:
            return [icmp_range(ICMP6_TYPES[word])], 1
        raise AceError(f"unknown ICMPv6 type {words[0]!r}")
    if word in _ICMP_NAMES:
        t, code = _ICMP_NAMES[word]
        return [icmp_range(t, code)], 1
    raise AceError(f"unknown ICMP type {words[0]!r}")


def _byte(value: int) -> int:
    if value > 255:
        raise AceError(f"ICMP type or code {value} out of range")
    return value
