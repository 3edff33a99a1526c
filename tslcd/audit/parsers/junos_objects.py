"""JunOS named objects: address books (global, named, per zone), prefix-lists and applications.

Zone address books are per zone, so their names are qualified ``ZONE/NAME``; a named book
attached to zones is ``BOOK/NAME``; the global book keeps bare names. Applications and their sets
(including the predefined ``junos-*`` ones a configuration uses without defining) become services.
"""

from __future__ import annotations

from tslcd.audit.model import Evidence, ParsedConfig
from tslcd.audit.names import icmp_range
from tslcd.audit.parsers.junos_names import (
    ICMP4_TYPES,
    ICMP6_TYPES,
    JUNOS_APPLICATION_SETS,
    JUNOS_APPLICATIONS,
    PORTS,
    PROTOCOLS,
    RPC_PREFIXES,
)
from tslcd.audit.parsers.junos_tree import Config, Stmt
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    IntervalSet,
    addr_int,
    full_set,
    normalize,
    prefix_interval,
    subtract_sets,
)


def prefix(text: str) -> tuple[int, int]:
    """``10.0.0.0/8``, ``10.1.1.1``, ``2001:db8::/32`` as an interval (ValueError when malformed)."""
    return prefix_interval(text)


def lpm_set(entries: list[tuple[str, bool]]) -> IntervalSet:
    """Addresses a JunOS address match takes: the longest listed prefix decides, ``except`` excludes.

    Prefixes are painted shortest first, so a longer prefix overrides the shorter one it sits in
    (``10.0.0.0/8 except; 10.1.0.0/16;`` takes 10.1/16 only).
    """
    sized = sorted(
        ((hi - lo, lo, hi, exc) for lo, hi, exc in ((*prefix(t), exc) for t, exc in entries)),
        key=lambda e: -e[0],
    )
    out: IntervalSet = []
    for _, lo, hi, exc in sized:
        out = subtract_sets(out, [(lo, hi)], SRC) if exc else normalize([*out, (lo, hi)])
    return out


def port_range(text: str) -> tuple[int, int]:
    """``80``, ``1024-65535``, ``http`` as an interval (ValueError when unknown)."""
    lo, _, hi = text.partition("-")
    a = PORTS[lo] if lo in PORTS else int(lo)
    b = (PORTS[hi] if hi in PORTS else int(hi)) if hi else a
    if not 0 <= min(a, b) <= max(a, b) <= 65535:
        raise ValueError(f"port {text!r}")
    return min(a, b), max(a, b)


def protocol(text: str) -> int:
    """A protocol keyword or number (ValueError when unknown)."""
    n = PROTOCOLS[text] if text in PROTOCOLS else int(text)
    if not 0 <= n <= 255:
        raise ValueError(f"protocol {text!r}")
    return n


def icmp_type(text: str, v6: bool) -> int:
    """An ICMP (or ICMPv6) type keyword or number."""
    names = ICMP6_TYPES if v6 else ICMP4_TYPES
    n = names[text] if text in names else int(text)
    if not 0 <= n <= 255:
        raise ValueError(f"ICMP type {text!r}")
    return n


class Books:
    """Address books and which of them each zone sees."""

    def __init__(self, parsed: ParsedConfig, objects: Objects) -> None:
        self.parsed = parsed
        self.objects = objects
        self.attached: dict[str, list[str]] = {}  # zone -> named books attached to it

    def lookup(self, name: str, zone: str) -> str:
        """The object a policy's address name means in a zone (zone book, attached books, global)."""
        for qualified in (f"{zone}/{name}", *(f"{b}/{name}" for b in self.attached.get(zone, ()))):
            if self.objects.has(qualified):
                return qualified
        return name

    def read(self, config: Config) -> None:
        """Every address book of the configuration into the object table."""
        for s in config.under("security", "address-book"):
            book = s.words[2]
            rest = s.words[3:]
            if rest[:1] == ("attach",) and len(rest) >= 3 and rest[1] == "zone":
                self.attached.setdefault(rest[2], []).append(book)
                continue
            self._entry(s, "" if book == "global" else f"{book}/", rest)
        for s in config.under("security", "zones", "security-zone"):
            if len(s.words) > 4 and s.words[4] == "address-book":
                self._entry(s, f"{s.words[3]}/", s.words[5:])

    def _entry(self, s: Stmt, scope: str, rest: tuple[str, ...]) -> None:
        if len(rest) < 2 or rest[0] not in ("address", "address-set"):
            return
        name = scope + rest[1]
        value = rest[2:]
        if rest[0] == "address-set":
            self.objects.define(name, "network-group", s.line)
            if len(value) >= 2 and value[0] in ("address", "address-set"):
                self.objects.add_member(name, scope + value[1])
            return
        self.objects.define(name, "network", s.line)
        if not value or value[0] == "description":
            return
        try:
            if value[0] == "range-address" and len(value) >= 4:
                lo, hi = addr_int(value[1]), addr_int(value[3])
                self.objects.add_addresses(name, [(min(lo, hi), max(lo, hi))])
            elif "/" in value[0] or value[0][:1].isdigit() or ":" in value[0]:
                self.objects.add_addresses(name, [prefix(value[0])])
            else:
                raise ValueError(value[0])
        except (ValueError, IndexError):
            self.objects.mark_inexact(name, f"address {' '.join(value)}")
            self.parsed.note(s.line, f"address {' '.join(value)!r} not analysed (matched as any address)")
            self.objects.add_addresses(name, full_set(SRC))


def prefix_lists(parsed: ParsedConfig, config: Config, objects: Objects) -> None:
    """``policy-options prefix-list NAME PREFIX`` (``apply-path`` is resolved on the device: noted)."""
    for s in config.under("policy-options", "prefix-list"):
        if len(s.words) < 3:
            continue
        name = s.words[2]
        objects.define(name, "prefix-list", s.line)
        value = s.words[3:]
        if not value or value[0] == "description":
            continue
        try:
            if value[0] == "apply-path":
                raise ValueError("apply-path")
            objects.add_addresses(name, [prefix(value[0])])
        except ValueError:
            objects.mark_inexact(name, f"prefix-list entry {' '.join(value)}")
            parsed.note(
                s.line, f"prefix-list entry {' '.join(value)!r} not analysed (matched as any address)"
            )
            objects.add_addresses(name, full_set(SRC))


def applications(parsed: ParsedConfig, config: Config, objects: Objects) -> None:
    """Custom applications (with or without terms) and application-sets as services."""
    terms: dict[tuple[str, str], dict[str, list[str]]] = {}
    for s in config.under("applications"):
        if len(s.words) < 4:
            continue
        kind, name, rest = s.words[1], s.words[2], s.words[3:]
        if kind == "application-set":
            objects.define(name, "service-group", s.line)
            if rest[0] in ("application", "application-set") and len(rest) > 1:
                objects.add_member(name, rest[1])
            continue
        if kind != "application":
            continue
        objects.define(name, "service", s.line)
        term = ""
        if rest[0] == "term" and len(rest) > 1:
            term, rest = rest[1], rest[2:]
        attrs = terms.setdefault((name, term), {"_line": [str(s.line)]})
        for key, value in zip(rest[::2], rest[1::2], strict=False):
            attrs.setdefault(key, []).append(value)
    for (name, _), attrs in terms.items():
        line = int(attrs["_line"][0])
        try:
            service, why = _service(attrs)
        except (ValueError, KeyError) as exc:
            service, why = (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)), str(exc)
        if why:
            objects.mark_inexact(name, why)
            parsed.note(line, f"application condition not modelled ({why}); matched as more")
        objects.add_service(name, service)


_IGNORED = {"_line", "description", "inactivity-timeout", "alg", "application-protocol"}
_MODELLED = {
    "protocol",
    "destination-port",
    "source-port",
    "icmp-type",
    "icmp-code",
    "icmp6-type",
    "icmp6-code",
}


def _service(attrs: dict[str, list[str]]) -> tuple[Service, str]:
    """One application (or term of one) as a service and why it is inexact ("" when exact)."""
    why = ", ".join(sorted(k for k in attrs if k not in _MODELLED | _IGNORED))
    proto = attrs.get("protocol", [""])[0]
    protos = [(protocol(proto),) * 2] if proto else full_set(PROTO)
    dports = [port_range(v) for v in attrs.get("destination-port", [])] or full_set(DPORT)
    sports = [port_range(v) for v in attrs.get("source-port", [])] or full_set(SPORT)
    icmp = full_set(ICMP)
    v6 = proto in ("icmp6", "icmpv6", "58")
    types = attrs.get("icmp6-type" if v6 else "icmp-type") or attrs.get("icmp-type", [])
    codes = attrs.get("icmp6-code" if v6 else "icmp-code") or attrs.get("icmp-code", [])
    if types:
        code = int(codes[0]) if codes and codes[0].isdigit() else None
        if codes and code is None:
            why = why or f"icmp code {codes[0]}"
        icmp = [icmp_range(icmp_type(types[0], v6), code)]
    if not proto and ("destination-port" in attrs or "source-port" in attrs):
        why = why or "ports without a protocol"
    return (protos, normalize(sports), normalize(dports), icmp), why


def predefined(objects: Objects, names: set[str]) -> None:
    """Define the ``junos-*`` applications and sets a configuration uses but does not define."""
    for name in sorted(names):
        if objects.has(name) or not name.startswith("junos-"):
            continue
        if name in JUNOS_APPLICATION_SETS:
            objects.define(name, "service-group", 0)
            for member in JUNOS_APPLICATION_SETS[name]:
                predefined(objects, {member})
                objects.add_member(name, member)
            continue
        objects.define(name, "service", 0)
        entries = JUNOS_APPLICATIONS.get(name)
        if entries is None or name.startswith(RPC_PREFIXES):
            objects.mark_inexact(name, f"predefined application {name}")
            objects.add_service(name, (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))
            continue
        for proto, ports, itype in entries:
            dports = [ports] if ports else full_set(DPORT)
            icmp = [icmp_range(itype)] if itype is not None else full_set(ICMP)
            objects.add_service(name, ([(proto, proto)], full_set(SPORT), dports, icmp))


def used_at(stmt: Stmt) -> Evidence:
    """Evidence for the statement that uses an object."""
    return Evidence(stmt.line, " ".join(stmt.words))
