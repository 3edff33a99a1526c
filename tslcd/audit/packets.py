"""Concrete packets: shown as examples in findings, typed by people for ``tslcd explain``."""

from __future__ import annotations

from tslcd.audit.names import ICMP_MESSAGES, ICMP_TYPES, PORTS, PROTOCOLS
from tslcd.audit.space import int_ip, ip_int
from tslcd.errors import InputError

_PROTO_NAMES = {v: k for k, v in PROTOCOLS.items()}
_ICMP_NAMES = {v: k for k, v in ICMP_TYPES.items()}
_ICMP_CODE_NAMES = {v: k for k, v in ICMP_MESSAGES.items()}

Packet = tuple[int, ...]  # (proto, src, dst, sport, dport, icmp type * 256 + code)


def format_packet(p: Packet) -> str:
    """``tcp 10.10.1.0 port 0 -> 10.250.10.10 port 443`` or ``icmp 10.10.1.0 -> 10.250.10.10 type 8``."""
    proto, src, dst, sport, dport, icmp = p
    name = _PROTO_NAMES.get(proto, str(proto))
    if proto in (6, 17):
        return f"{name} {int_ip(src)} port {sport} -> {int_ip(dst)} port {dport}"
    if proto == 1:
        t, code = divmod(icmp, 256)
        name = _ICMP_CODE_NAMES.get((t, code)) or f"{_ICMP_NAMES.get(t, t)} code {code}"
        return f"icmp {int_ip(src)} -> {int_ip(dst)} type {name}"
    return f"{name} {int_ip(src)} -> {int_ip(dst)}"


def parse_packet(text: str) -> Packet:
    """``SRC DST PROTO [DPORT|ICMP-TYPE [CODE]] [SPORT]``, e.g. ``10.10.1.5 10.250.10.10 tcp 443``."""
    words = text.split()
    if len(words) < 3:
        raise InputError(f"packet {text!r}: expected 'SRC DST PROTO [DPORT] [SPORT]'")
    try:
        src, dst = ip_int(words[0]), ip_int(words[1])
    except ValueError as exc:
        raise InputError(f"packet {text!r}: {exc}") from None
    proto_word = words[2].lower()
    proto = int(proto_word) if proto_word.isdigit() else PROTOCOLS.get(proto_word)
    if proto is None or not 0 <= proto <= 255:
        raise InputError(f"packet {text!r}: unknown protocol {words[2]!r}")
    dport = sport = icmp = 0
    rest = words[3:]
    try:
        if proto == 1:
            icmp = _icmp_value(rest)
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


def _icmp_value(words: list[str]) -> int:
    """``echo``, ``port-unreachable``, ``3 3`` or nothing (echo) as type * 256 + code."""
    if not words:
        return 8 << 8
    if words[0] in ICMP_MESSAGES:
        t, code = ICMP_MESSAGES[words[0]]
        return (t << 8) | code
    t = ICMP_TYPES[words[0]] if words[0] in ICMP_TYPES else int(words[0])
    code = int(words[1]) if len(words) > 1 else 0
    if not (0 <= t <= 255 and 0 <= code <= 255):
        raise ValueError("ICMP type or code out of range")
    return (t << 8) | code
