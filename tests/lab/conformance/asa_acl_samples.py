"""The configuration behind a real ASA ``show access-list``: what the lab must hold to print it.

Each listed entry is a configured line (``access-list NAME line N extended ...``); the indented
lines under an entry that names objects are that entry expanded, one per member combination. So
the objects and groups an entry names are rebuilt from its expansions: a network object or group
from the addresses in its slot, a service or protocol group from the protocols and ports. Nested
groups come back flattened (the listing does not show the nesting); everything else is the real
device's configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ENTRY = re.compile(r"^(\s*)access-list (\S+) line \d+ (.*?)\s*(?:\(hitcnt=\d+\))?\s*(?:\(inactive\))?\s*"
                   r"(?:0x[0-9a-f]+)?\s*$")
PORT_OPS = {"eq": 1, "neq": 1, "lt": 1, "gt": 1, "range": 2}
OPTIONS = ("log", "time-range", "inactive")


@dataclass
class Slots:
    """An extended entry split into its parts (each a list of words)."""

    head: list[str]  # extended permit|deny
    proto: list[str]
    src: list[str]
    src_port: list[str] = field(default_factory=list)
    dst: list[str] = field(default_factory=list)
    dst_port: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)  # icmp type, log, time-range, inactive


def _address(words: list[str], i: int) -> int:
    """Index after the address starting at ``i``."""
    word = words[i]
    if word in ("any", "any4", "any6") or "/" in word:
        return i + 1
    if word == "fqdn":
        return i + 3 if i + 2 < len(words) and words[i + 2].startswith("(") else i + 2
    if word == "range":
        return i + 3
    if word in ("host", "object", "object-group", "interface"):
        return i + 2
    return i + 2  # address and mask


def _port(words: list[str], i: int, last: bool) -> int:
    """Index after the port condition at ``i`` (``i``: none); ``last``: after the destination,
    where an ``object-group`` is a port group, not an address."""
    if i < len(words) and words[i] in PORT_OPS and not (i + 1 < len(words) and "." in words[i + 1]):
        return i + 1 + PORT_OPS[words[i]]
    if last and i + 1 < len(words) and words[i] == "object-group":
        return i + 2
    return i


def split(entry: str) -> Slots | None:
    """The parts of ``extended ACTION PROTO SRC [PORT] DST [PORT] ...``; None for other entries."""
    words = entry.split()
    if words[:1] != ["extended"]:
        return None
    i = 2
    j = i + (2 if words[i] in ("object", "object-group") else 1)
    proto = words[i:j]
    k = _address(words, j)
    m = _port(words, k, False)
    n = _address(words, m)
    o = _port(words, n, True)
    return Slots(words[:2], proto, words[j:k], words[k:m], words[m:n], words[n:o], words[o:])


def _is_ref(slot: list[str]) -> bool:
    return len(slot) == 2 and slot[0] in ("object", "object-group")


def _member(address: list[str]) -> str:
    """A network group member for an expanded address."""
    if address[0] in ("host",) or (len(address) == 2 and address[0][0].isdigit()):
        return "network-object " + " ".join(address)
    if "/" in address[0]:
        return f"network-object {address[0]}"
    return ""


class Rebuilt:
    """The objects, groups and access lists of one listing, as configuration lines."""

    def __init__(self) -> None:
        self.objects: dict[str, list[str]] = {}
        self.lines: list[str] = []
        self.counter = 0

    def _object(self, body: list[str]) -> str:
        self.counter += 1
        name = f"SAMPLE-OBJ-{self.counter}"
        kind = body[0]
        text = {"fqdn": f"fqdn {body[1]}", "range": " ".join(body[:3]), "host": " ".join(body[:2])}.get(kind)
        if text is None:
            text = f"subnet {body[0]} {body[1]}" if len(body) == 2 else f"subnet {body[0]}"
        self.objects[f"object network {name}"] = [f" {text}"]
        return name

    def network(self, ref: list[str], addresses: list[list[str]]) -> None:
        header = f"object network {ref[1]}" if ref[0] == "object" else f"object-group network {ref[1]}"
        if header in self.objects:
            return
        if ref[0] == "object":
            body = addresses[0]
            text = {"fqdn": f"fqdn {body[1] if len(body) > 1 else ''}", "range": " ".join(body[:3]),
                    "host": " ".join(body[:2])}.get(body[0])
            if text is None:
                text = "subnet " + " ".join(body)
            self.objects[header] = [f" {text}"]
            return
        members = []
        for address in addresses:
            member = _member(address) or f"network-object object {self._object(address)}"
            if f" {member}" not in members:
                members.append(f" {member}")
        self.objects[header] = members

    def ports(self, proto: str, ref: list[str], ports: list[list[str]]) -> None:
        """A port group (``object-group service NAME tcp``) from the expanded ports."""
        header = f"object-group service {ref[1]} {proto}"
        members = []
        for port in ports:
            member = " port-object " + " ".join(port)
            if port and member not in members:
                members.append(member)
        self.objects.setdefault(header, members)

    def service(self, ref: list[str], services: list[tuple[str, list[str], list[str], list[str]]]) -> None:
        header = f"object service {ref[1]}" if ref[0] == "object" else ""
        if ref[0] == "object":
            if header not in self.objects:
                proto, src, dst, icmp = services[0]
                self.objects[header] = [" service " + " ".join(_body(proto, src, dst, icmp))]
            return
        plain = all(not (src or dst or icmp) for _, src, dst, icmp in services)
        header = f"object-group {'protocol' if plain else 'service'} {ref[1]}"
        if any(h.startswith("object-group ") and h.split()[2] == ref[1] for h in self.objects):
            return
        members = []
        for proto, src, dst, icmp in services:
            body = _body(proto, src, dst, icmp)
            member = f" protocol-object {proto}" if plain else " service-object " + " ".join(body)
            if member not in members:
                members.append(member)
        self.objects[header] = members


def _body(proto: str, src: list[str], dst: list[str], icmp: list[str]) -> list[str]:
    return [proto, *(["source", *src] if src else []), *(["destination", *dst] if dst else []), *icmp]


def rebuild(listing: str) -> list[str]:
    """Configuration lines that make a lab ASA list ``listing``."""
    rebuilt = Rebuilt()
    entries: list[tuple[str, str, list[str]]] = []  # (acl, entry, expansions)
    for line in listing.splitlines():
        match = ENTRY.match(line)
        if not match:
            continue
        indent, acl, entry = match.groups()
        entry = re.sub(r"\s*\((?:unresolved|[\w.-]+\.[a-z]+)\)", "", entry)  # fqdn state / resolved name
        if indent and entries:
            entries[-1][2].append(entry)
        elif not indent:
            entries.append((acl, entry, []))
    for acl, entry, expansions in entries:
        parent = split(entry)
        if parent is not None and expansions:
            children = [c for c in (split(e) for e in expansions) if c is not None]
            _rebuild_refs(rebuilt, parent, children)
        rebuilt.lines.append(f"access-list {acl} {entry}")
    objects = [line for header, body in rebuilt.objects.items() for line in (header, *body)]
    return [*objects, *rebuilt.lines]


def _rebuild_refs(rebuilt: Rebuilt, parent: Slots, children: list[Slots]) -> None:
    if _is_ref(parent.src):
        rebuilt.network(parent.src, [c.src for c in children])
    if _is_ref(parent.dst):
        rebuilt.network(parent.dst, [c.dst for c in children])
    if _is_ref(parent.dst_port):
        rebuilt.ports(parent.proto[0], parent.dst_port, [c.dst_port for c in children])
    if _is_ref(parent.proto):
        icmp = [c.tail[: len(c.tail) - len(parent.tail)] for c in children]
        rebuilt.service(parent.proto, [(c.proto[0], [] if parent.src_port else c.src_port,
                                        [] if parent.dst_port else c.dst_port, i)
                                       for c, i in zip(children, icmp, strict=True)])
