"""PAN-OS addresses, address groups, external lists, services and service groups into the object table.

A scope sees its own objects first, then those it inherits (a parent device group, ``shared``):
a name defined nearer wins, as on the device. Predefined services (``service-http``,
``service-https``) and external dynamic lists (``panw-known-ip-list``, ...) are added when the
configuration does not redefine them.
"""

from __future__ import annotations

from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.parsers.panos_tree import PNode
from tslcd.audit.space import DPORT, ICMP, PROTO, SPORT, SRC, IntervalSet, addr_int, full_set, prefix_interval

# PAN-OS's predefined services (Objects > Services, "Predefined"): protocol and destination ports.
PREDEFINED_SERVICES: dict[str, tuple[int, IntervalSet]] = {
    "service-http": (6, [(80, 80), (8080, 8080)]),
    "service-https": (6, [(443, 443)]),
}
# Palo Alto's predefined external dynamic lists (kept current by content updates).
PREDEFINED_LISTS = ("panw-highrisk-ip-list", "panw-known-ip-list", "panw-bulletproof-ip-list",
                    "panw-torexit-ip-list")
_PROTOCOLS = {"tcp": 6, "udp": 17, "sctp": 132}


def define_objects(parsed: ParsedConfig, objects: Objects, nodes: list[PNode]) -> dict[str, str]:
    """Define every object of ``nodes`` (nearest first); returns inherited names and their owner."""
    owners: dict[str, str] = {}
    for depth, node in enumerate(nodes):
        for kind, reader in (("address", _address), ("address-group", _address_group),
                             ("external-list", _external_list), ("service", _service),
                             ("service-group", _service_group)):
            for entry in node.entries(kind):
                if objects.has(entry.name):
                    continue
                if depth:
                    owners[entry.name] = node.name or "shared"
                reader(parsed, objects, entry)
    for name, (proto, ports) in PREDEFINED_SERVICES.items():
        if not objects.has(name):
            objects.define(name, "service", 0)
            objects.add_service(name, ([(proto, proto)], full_set(SPORT), ports, full_set(ICMP)))
    if not objects.has("any"):  # a service group may list "any" among its members
        objects.define("any", "service", 0)
        objects.add_service("any", _every_service())
    for name in PREDEFINED_LISTS:
        if not objects.has(name):
            objects.define(name, "network", 0)
            objects.mark_inexact(name, "external dynamic list")
            objects.add_addresses(name, full_set(SRC))
    return owners


def address_values(text: str) -> IntervalSet:
    """``10.0.0.0/8``, ``10.0.0.1``, ``2001:db8::/32`` or ``10.0.0.1-10.0.0.9``; ValueError otherwise."""
    if "-" in text:
        lo_text, _, hi_text = text.partition("-")
        lo, hi = addr_int(lo_text.strip()), addr_int(hi_text.strip())
        if (lo >= 2**32) != (hi >= 2**32):
            raise ValueError(f"address range mixes families: {text!r}")
        return [(min(lo, hi), max(lo, hi))]
    return [prefix_interval(text)]


def _address(parsed: ParsedConfig, objects: Objects, entry: PNode) -> None:
    name = entry.name
    objects.define(name, "network", entry.line)
    for key in ("ip-netmask", "ip-range"):
        value = entry.get(key)
        if value:
            try:
                objects.add_addresses(name, address_values(value))
            except ValueError as exc:
                parsed.note(entry.line, f"address not analysed ({exc}); matched as any address")
                objects.mark_inexact(name, "unreadable address")
                objects.add_addresses(name, full_set(SRC))
            return
    kind = next((k for k in ("fqdn", "ip-wildcard") if entry.child(k) is not None), "no value")
    objects.mark_inexact(name, f"address {kind}")
    parsed.note(entry.line, f"address {kind} not analysed (resolved at run time; matched as any address)")
    objects.add_addresses(name, full_set(SRC))


def _address_group(parsed: ParsedConfig, objects: Objects, entry: PNode) -> None:
    name = entry.name
    objects.define(name, "network-group", entry.line)
    for member in entry.members("static"):
        objects.add_member(name, member)
    dynamic = entry.child("dynamic")
    if dynamic is not None:
        objects.mark_inexact(name, "dynamic address group")
        parsed.note(entry.line, f"dynamic address group (filter {dynamic.get('filter')!r}) not analysed; "
                    "matched as any address")
        objects.add_addresses(name, full_set(SRC))


def _external_list(parsed: ParsedConfig, objects: Objects, entry: PNode) -> None:
    """An external dynamic list: addresses fetched from a URL at run time."""
    objects.define(entry.name, "network", entry.line)
    objects.mark_inexact(entry.name, "external dynamic list")
    parsed.note(entry.line, "external dynamic list not analysed (fetched at run time; any address)")
    objects.add_addresses(entry.name, full_set(SRC))


def _ports(text: str) -> IntervalSet:
    """``80,443,8000-8080`` as destination or source port intervals."""
    out: IntervalSet = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        a, b = int(lo), int(hi or lo)
        if not 0 <= min(a, b) <= max(a, b) <= 65535:
            raise ValueError(f"port range {part!r}")
        out.append((min(a, b), max(a, b)))
    return out


def _service(parsed: ParsedConfig, objects: Objects, entry: PNode) -> None:
    name = entry.name
    objects.define(name, "service", entry.line)
    protocol = entry.child("protocol")
    for proto_name, number in _PROTOCOLS.items():
        node = protocol.child(proto_name) if protocol is not None else None
        if node is None:
            continue
        try:
            dports = _ports(node.get("port")) if node.get("port") else full_set(DPORT)
            sports = _ports(node.get("source-port")) if node.get("source-port") else full_set(SPORT)
        except ValueError as exc:
            parsed.note(entry.line, f"service not analysed ({exc}); matched as every service")
            objects.mark_inexact(name, "unreadable service")
            objects.add_service(name, _every_service())
            return
        objects.add_service(name, ([(number, number)], sports, dports, full_set(ICMP)))
        return
    parsed.note(entry.line, "service without tcp/udp/sctp protocol not analysed (matched as every service)")
    objects.mark_inexact(name, "service protocol")
    objects.add_service(name, _every_service())


def _service_group(parsed: ParsedConfig, objects: Objects, entry: PNode) -> None:
    name = entry.name
    objects.define(name, "service-group", entry.line)
    for member in entry.members("members"):
        objects.add_member(name, member)


def _every_service() -> Service:
    return full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)
