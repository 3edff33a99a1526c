"""Concrete packets: shown as examples in findings, typed by people for ``tslcd explain``."""

from __future__ import annotations

from tslcd.audit.names import ICMP6_TYPES, ICMP_MESSAGES, ICMP_TYPES, PORTS, PROTOCOLS
from tslcd.audit.space import V6_BASE, addr_int, int_ip
from tslcd.errors import InputError

_PROTO_NAMES = {v: k for k, v in PROTOCOLS.items()}
_ICMP_NAMES = {v: k for k, v in ICMP_TYPES.items()}
_ICMP_CODE_NAMES = {v: k for k, v in ICMP_MESSAGES.items()}
_ICMP6_NAMES = {v: k for k, v in reversed(ICMP6_TYPES.items())}

Packet = tuple[int, ...]  # (proto, src, dst, sport, dport, icmp type * 256 + code)


def format_packet(p: Packet) -> str:
    """``tcp 10.10.1.0 port 0 -> 10.250.10.10 port 443`` or ``icmp 10.10.1.0 -> 10.250.10.10 type 8``."""
    proto, src, dst, sport, dport, icmp = p
    name = _PROTO_NAMES.get(proto, str(proto))
    if proto in (6, 17):
        return f"{name} {int_ip(src)} port {sport} -> {int_ip(dst)} port {dport}"
    if proto == 1:
        t, code = divmod(icmp, 256)
        name = _ICMP_CODE_NAMES.get((t, code)) or f"{_ICMP_NAMES.get(t, t)}" + (
            f" code {code}" if code else ""
        )
        return f"icmp {int_ip(src)} -> {int_ip(dst)} type {name}"
    if proto == 58:
        t, code = divmod(icmp, 256)
        return f"icmp6 {int_ip(src)} -> {int_ip(dst)} type {_ICMP6_NAMES.get(t, t)}" + (
            f" code {code}" if code else ""
        )
    return f"{name} {int_ip(src)} -> {int_ip(dst)}"


def parse_packet(text: str) -> Packet:
    """``SRC DST PROTO [DPORT|ICMP-TYPE [CODE]] [SPORT]``, e.g. ``10.10.1.5 10.250.10.10 tcp 443``."""
    words = text.split()
    if len(words) < 3:
        raise InputError(f"packet {text!r}: expected 'SRC DST PROTO [DPORT] [SPORT]'")
    try:
        src, dst = addr_int(words[0]), addr_int(words[1])
    except ValueError as exc:
        raise InputError(f"packet {text!r}: {exc}") from None
    if (src >= V6_BASE) != (dst >= V6_BASE):
        raise InputError(f"packet {text!r}: source and destination are of different address families")
    proto_word = words[2].lower()
    proto = int(proto_word) if proto_word.isdigit() else PROTOCOLS.get(proto_word)
    if proto is None or not 0 <= proto <= 255:
        raise InputError(f"packet {text!r}: unknown protocol {words[2]!r}")
    dport = sport = icmp = 0
    rest = words[3:]
    try:
        if proto == 1:
            icmp = _icmp_value(rest)
        elif proto == 58:
            icmp = _icmp_value(rest, v6=True)
        elif rest:
            dport = PORTS[rest[0]] if rest[0] in PORTS else int(rest[0])
            sport = int(rest[1]) if len(rest) > 1 else 49152
        else:
            sport = 49152
    except ValueError:
        raise InputError(f"packet {text!r}: bad port or ICMP type") from None
    if not (0 <= dport <= 65535 and 0 <= sport <= 65535 and 0 <= icmp <= 65535):
        raise InputError(f"packet {text!r}: port or ICMP type out of range")
    return proto, src, dst, sport, dport, icmp


def _icmp_value(words: list[str], v6: bool = False) -> int:
    """``echo``, ``port-unreachable``, ``3 3`` or nothing (echo) as type * 256 + code."""
    types = ICMP6_TYPES if v6 else ICMP_TYPES
    if not words:
        return types["echo"] << 8
    if words[0] in ICMP_MESSAGES and not v6:
        t, code = ICMP_MESSAGES[words[0]]
        return (t << 8) | code
    t = types[words[0]] if words[0] in types else int(words[0])
    code = int(words[1]) if len(words) > 1 else 0
    if not (0 <= t <= 255 and 0 <= code <= 255):
        raise ValueError("ICMP type or code out of range")
    return (t << 8) | code
