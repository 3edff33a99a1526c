"""Parsing what an ASA accepts in access-list entries and objects, normalised as ASA stores it.

Each parser reads words from a `Words` cursor (which knows every word's column, so an error can
put the caret under the offending word) and returns the canonical text: ``host A`` for a /32
mask, ``any4`` for ``0.0.0.0 0.0.0.0``, port names instead of numbers where the ASA has one,
``log`` for the default log level. References to objects are checked unless the configuration
has ``forward-reference enable``.
"""

from __future__ import annotations

import ipaddress
import re

from tslcd.lab.models.asa_config import (
    LOG_LEVELS,
    PORT_OPS,
    PROTOCOLS,
    AsaConfig,
    AsaError,
    incomplete,
    invalid,
    missing_object,
    port_text,
    valid_port,
)

#: Other IP protocols the ASA knows by name.
PROTOCOL_NAMES = ("igmp", "igrp", "ipinip", "ipsec", "nos", "ospf", "pcp", "pim", "pptp", "snp", "eigrp")
PROTOCOL_NUMBERS = {"0": "ip", "1": "icmp", "6": "tcp", "17": "udp", "47": "gre", "50": "esp", "51": "ah"}
DEFAULT_LOG = ("informational", "6")
DEFAULT_INTERVAL = "300"


#: ICMP types by name (``access-list ... icmp any any echo``, ``icmp-object``).
ICMP_TYPES = frozenset((
    "alternate-address", "conversion-error", "echo", "echo-reply", "information-reply",
    "information-request", "mask-reply", "mask-request", "mobile-redirect", "parameter-problem",
    "redirect", "router-advertisement", "router-solicitation", "source-quench", "time-exceeded",
    "timestamp-reply", "timestamp-request", "traceroute", "unreachable",
))


class Words:
    """A cursor over a line's words that remembers each word's column."""

    def __init__(self, line: str, offset: int = 0) -> None:
        self.items = [(m.group(), m.start() + offset) for m in re.finditer(r"\S+", line)]
        self.pos = 0

    def peek(self) -> str | None:
        """The next word, not consumed."""
        return self.items[self.pos][0] if self.pos < len(self.items) else None

    def take(self) -> str:
        """Consume the next word; running out means the command is incomplete."""
        if self.pos >= len(self.items):
            raise incomplete()
        self.pos += 1
        return self.items[self.pos - 1][0]

    def take_if(self, *choices: str) -> str | None:
        """Consume the next word only if it is one of ``choices``."""
        if self.peek() in choices:
            return self.take()
        return None

    def error(self) -> AsaError:
        """Invalid input at the word just consumed (or at the end of the line)."""
        index = max(self.pos - 1, 0)
        column = self.items[index][1] if self.items else 0
        return invalid(column)

    def rest(self) -> str:
        """Everything left, as typed (for descriptions and remarks)."""
        if self.pos >= len(self.items):
            raise incomplete()
        words = [w for w, _ in self.items[self.pos:]]
        self.pos = len(self.items)
        return " ".join(words)

    def done(self) -> None:
        """Refuse anything left over."""
        if self.pos < len(self.items):
            self.pos += 1
            raise self.error()


def ip_address(words: Words) -> str:
    """One IPv4 address."""
    word = words.take()
    try:
        return str(ipaddress.IPv4Address(word))
    except ValueError:
        raise words.error() from None


def any_address(words: Words) -> str:
    """One IPv4 or IPv6 address (IPv6 as the ASA prints it, compressed)."""
    word = words.take()
    try:
        return str(ipaddress.ip_address(word))
    except ValueError:
        raise words.error() from None


def ipv6_prefix(words: Words) -> str:
    """``PREFIX/LEN`` with no host bits set."""
    word = words.take()
    try:
        return str(ipaddress.IPv6Network(word))
    except ValueError:
        raise words.error() from None


def protocol_name(words: Words) -> str:
    """An IP protocol by name or number, as the ASA shows it."""
    word = words.take()
    word = PROTOCOL_NUMBERS.get(word, word)
    if word in (*PROTOCOLS, *PROTOCOL_NAMES) or (word.isdigit() and int(word) < 256):
        return word
    raise words.error()


def _icmp(cfg: AsaConfig, words: Words) -> str | None:
    """An optional ICMP type (and code) or ``object-group`` of ICMP types after the destination."""
    word = words.peek()
    if word is None:
        return None
    if word == "object-group":
        name = words.items[words.pos + 1][0] if words.pos + 1 < len(words.items) else ""
        group = cfg.groups.get(name)
        if group is not None and group.kind == "icmp-type":
            words.pos += 2
            return f"object-group {name}"
        return None
    if word in ICMP_TYPES or (word.isdigit() and int(word) <= 255):
        words.take()
        code = words.peek()
        if code is not None and code.isdigit():
            if int(code) > 255:
                words.take()
                raise words.error()
            words.take()
            return f"{word} {code}"
        return word
    return None


def ip_mask(words: Words) -> str:
    """``A M``: an address and mask that pair (no host bits set)."""
    address, mask = ip_address(words), ip_address(words)
    try:
        ipaddress.IPv4Network(f"{address}/{mask}")
    except ValueError:
        raise AsaError(f"ERROR: IP address,mask <{address},{mask}> doesn't pair") from None
    return f"{address} {mask}"


def _reference(cfg: AsaConfig, words: Words, keyword: str, kind: str) -> str:
    name = words.take()
    table = cfg.objects if keyword == "object" else cfg.groups
    found = table.get(name)
    if (found is None or found.kind != kind) and not cfg.forward_reference:
        raise missing_object(keyword, name)
    return f"{keyword} {name}"


def address(cfg: AsaConfig, words: Words) -> str:
    """An ACE source or destination."""
    word = words.take()
    if word in ("any", "any4", "any6"):
        return word
    if word == "host":
        return f"host {any_address(words)}"
    if word in ("object", "object-group"):
        return _reference(cfg, words, word, "network")
    if ":" in word:
        words.pos -= 1
        return ipv6_prefix(words)
    if word == "interface":
        name = words.take()
        if name not in cfg.nameifs:
            raise words.error()
        return f"interface {name}"
    words.pos -= 1
    pair = ip_mask(words)
    if pair.endswith(" 255.255.255.255"):
        return f"host {pair.split()[0]}"
    return "any4" if pair == "0.0.0.0 0.0.0.0" else pair


def port(cfg: AsaConfig, words: Words, proto: str) -> str | None:
    """An optional port condition after an address (``eq https``, ``range 1 2``, a service group)."""
    if proto not in ("tcp", "udp", "tcp-udp", "sctp"):
        return None
    op = words.take_if(*PORT_OPS, "object-group")
    if op is None:
        return None
    if op == "object-group":
        group = words.peek()
        if group in cfg.groups and cfg.groups[group].kind == "service" and cfg.groups[group].proto:
            return f"object-group {words.take()}"
        words.pos -= 1  # a network group: it is the destination, not a port condition
        return None
    values = []
    for _ in range(PORT_OPS[op]):
        value = words.take()
        if not valid_port(proto, value):
            raise words.error()
        values.append(port_text(proto, value))
    return " ".join([op, *values])


def protocol(cfg: AsaConfig, words: Words) -> tuple[str, str]:
    """An ACE protocol: (text, protocol for port checks; '' for service objects)."""
    word = words.take()
    if word == "object-group" and cfg.groups.get(words.peek() or "") is not None:
        group = cfg.groups[words.take()]
        if group.kind not in ("service", "protocol"):
            raise missing_object(word, words.items[words.pos - 1][0])
        members = {m.split()[-1] for m in group.members}
        ports = "tcp-udp" if group.kind == "protocol" and members <= {"tcp", "udp"} else ""
        return f"object-group {words.items[words.pos - 1][0]}", ports
    if word in ("object", "object-group"):
        return _reference(cfg, words, word, "service"), ""
    word = PROTOCOL_NUMBERS.get(word, word)
    if word in (*PROTOCOLS, *PROTOCOL_NAMES) or (word.isdigit() and int(word) < 256):
        return word, word
    raise words.error()


def _log(words: Words) -> str:
    level = words.take_if(*LOG_LEVELS, *map(str, range(8)), "disable", "default")
    if level in ("disable", "default"):
        return f"log {level}"
    interval = None
    if words.take_if("interval"):
        interval = words.take()
        if not interval.isdigit() or not 1 <= int(interval) <= 600:
            raise words.error()
    if level in (None, *DEFAULT_LOG) and interval in (None, DEFAULT_INTERVAL):
        return "log"
    return " ".join(filter(None, ("log", level or "informational", interval and f"interval {interval}")))


def ace(cfg: AsaConfig, words: Words) -> str:
    """``extended permit|deny PROTO SRC [PORT] DST [PORT] [log ...] [inactive]`` canonicalised."""
    action = words.take()
    if action not in ("permit", "deny"):
        raise words.error()
    proto_text, proto = protocol(cfg, words)
    parts = [action, proto_text, address(cfg, words)]
    parts += filter(None, [port(cfg, words, proto)])
    parts.append(address(cfg, words))
    parts += filter(None, [port(cfg, words, proto)])
    if proto in ("icmp", "icmp6"):
        parts += filter(None, [_icmp(cfg, words)])
    options: dict[str, str] = {}
    while words.peek() is not None:
        word = words.take()
        if word in options or word not in ("log", "time-range", "inactive"):
            raise words.error()
        if word == "log":
            options[word] = _log(words)
        elif word == "time-range":
            options[word] = _time_range(cfg, words)
        else:
            options[word] = word
    parts += [options[o] for o in ("log", "time-range", "inactive") if o in options]
    return "extended " + " ".join(parts)


def _time_range(cfg: AsaConfig, words: Words) -> str:
    """``time-range NAME``: a time range that exists (or a forward reference)."""
    name = words.take()
    if f"time-range {name}" not in cfg.blocks and not cfg.forward_reference:
        raise AsaError(f"ERROR: time-range {name} does not exist")
    return f"time-range {name}"


def standard_ace(words: Words) -> str:
    """``standard permit|deny any4|host A|A M`` (the destination of route maps and VPN filters)."""
    action = words.take()
    if action not in ("permit", "deny"):
        raise words.error()
    word = words.take()
    if word in ("any", "any4"):
        target = "any4"
    elif word == "host":
        target = f"host {ip_address(words)}"
    else:
        words.pos -= 1
        pair = ip_mask(words)
        target = f"host {pair.split()[0]}" if pair.endswith(" 255.255.255.255") else pair
    words.done()
    return f"standard {action} {target}"


def network_member(cfg: AsaConfig, words: Words) -> str:
    """``network-object host A | A M | object NAME`` canonicalised."""
    word = words.peek()
    if word == "host":
        words.take()
        return f"network-object host {any_address(words)}"
    if word is not None and ":" in word:
        return f"network-object {ipv6_prefix(words)}"
    if word == "object":
        words.take()
        return f"network-object {_reference(cfg, words, 'object', 'network')}"
    pair = ip_mask(words)
    if pair.endswith(" 255.255.255.255"):
        return f"network-object host {pair.split()[0]}"
    return f"network-object {pair}"


def service_body(cfg: AsaConfig, words: Words) -> str:
    """``PROTO [source OP P] [destination OP P]`` for ``service`` / ``service-object``."""
    word = words.take()
    if word == "object":
        return _reference(cfg, words, "object", "service")
    proto = PROTOCOL_NUMBERS.get(word, word)
    if proto not in (*PROTOCOLS, *PROTOCOL_NAMES, "tcp-udp") and not (proto.isdigit() and int(proto) < 256):
        raise words.error()
    parts = [proto]
    if proto in ("icmp", "icmp6"):
        return " ".join(parts + list(filter(None, [_icmp(cfg, words)])))
    for direction in ("source", "destination"):
        if direction == "destination" and words.peek() in PORT_OPS:
            words.items.insert(words.pos, ("destination", words.items[words.pos][1]))
        if words.take_if(direction):
            condition = port(cfg, words, proto)
            if condition is None:
                raise words.error()
            parts += [direction, condition]
    return " ".join(parts)


def port_member(words: Words, proto: str) -> str:
    """``port-object eq P | range P P`` in a typed service group."""
    op = words.take()
    if op not in ("eq", "range"):
        raise words.error()
    values = []
    for _ in range(PORT_OPS[op]):
        value = words.take()
        if not valid_port(proto, value):
            raise words.error()
        values.append(port_text("tcp" if proto == "tcp-udp" else proto, value))
    return " ".join(["port-object", op, *values])
