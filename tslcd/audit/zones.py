"""The operator's zone policy (``inventory/zones.yaml``): zones by prefix and the flows allowed between them.

A packet's zone is the one with the longest prefix containing its address; one zone may be the
default (everything else, e.g. the Internet). A zone marked ``site_local`` (agency LANs) means, on a
given device, just that site's ``lan_prefix`` when a required flow is checked there, so agency A's
firewall is not asked to pass agency B's traffic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tslcd import yamlsafe
from tslcd.audit.index import BoxSet
from tslcd.audit.names import PROTOCOLS
from tslcd.audit.space import (
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    Box,
    IntervalSet,
    complement,
    full_set,
    intersect_sets,
    normalize,
    prefix_interval,
    product,
    subtract_sets,
)
from tslcd.errors import InputError

ANY_ZONE = "any"


@dataclass
class Zone:
    """A named set of prefixes."""

    name: str
    label: str
    prefixes: list[tuple[int, int, int]]  # (low, high, prefix length)
    trusted: bool = False
    internal: bool = True
    site_local: bool = False
    default: bool = False


@dataclass
class Flow:
    """Traffic from one zone to another on some services; ``required`` flows must pass."""

    src: str
    dst: str
    services: list[str]
    required: bool = False
    # (protocols, destination ports, ICMP types) per service
    matches: list[tuple[IntervalSet, IntervalSet, IntervalSet]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """``agency_lan -> lgsp tcp/443``."""
        return f"{self.src} -> {self.dst} {','.join(self.services)}"


@dataclass
class ZonePolicy:
    """Zones, flows and which devices the policy applies to."""

    zones: dict[str, Zone]
    flows: list[Flow]
    roles: list[str] = field(default_factory=list)  # empty: every device
    source: str = ""
    _regions: dict[str, IntervalSet] = field(default_factory=dict)
    _allowed: dict[str, BoxSet] = field(default_factory=dict)

    def applies_to(self, data: dict[str, Any]) -> bool:
        """True when the device's role is one the policy covers (or its role is unknown)."""
        role = data.get("role")
        return not self.roles or role is None or role in self.roles

    def regions(self) -> dict[str, IntervalSet]:
        """Each zone's addresses, after more specific prefixes of other zones are taken out."""
        if self._regions:
            return self._regions
        entries = [(lo, hi, plen, z.name) for z in self.zones.values() for lo, hi, plen in z.prefixes]
        out: dict[str, IntervalSet] = {}
        for lo, hi, plen, name in entries:
            cut = [(a, b) for a, b, p, other in entries if other != name and p > plen]
            out.setdefault(name, []).extend(subtract_sets([(lo, hi)], cut, SRC))
        everything = normalize((lo, hi) for lo, hi, _, _ in entries)
        for z in self.zones.values():
            if z.default:
                out[z.name] = complement(everything, SRC)
        self._regions = {name: normalize(v) for name, v in out.items()}
        return self._regions

    def zone_region(self, name: str, data: dict[str, Any] | None = None) -> IntervalSet:
        """A zone's addresses; narrowed to the site's LAN for a ``site_local`` zone when ``data`` is given."""
        if name == ANY_ZONE:
            return full_set(SRC)
        region = self.regions().get(name, [])
        zone = self.zones[name]
        if data and zone.site_local and data.get("lan_prefix"):
            try:
                lan = [prefix_interval(str(data["lan_prefix"]))]
            except ValueError:
                return region
            mine = intersect_sets(region, lan)
            return mine or region
        return region

    def trusted_region(self) -> IntervalSet:
        """Addresses of all trusted zones (management)."""
        return normalize(
            iv for z in self.zones.values() if z.trusted for iv in self.regions().get(z.name, [])
        )

    def internal_region(self) -> IntervalSet:
        """Addresses of all internal zones."""
        return normalize(
            iv for z in self.zones.values() if z.internal for iv in self.regions().get(z.name, [])
        )

    def flow_boxes(self, flow: Flow, src: IntervalSet, dst: IntervalSet) -> list[Box]:
        """The packets of a flow between the given source and destination addresses."""
        return [
            b
            for protos, dports, icmp in flow.matches
            for b in product([protos, src, dst, full_set(SPORT), dports, icmp])
        ]

    def allowed_from(self, src_zone: str) -> BoxSet:
        """Every packet the policy allows from one zone to any other (built once per zone).

        Zones are disjoint, so within a question about one destination zone the packets allowed
        towards the others never interfere: one set per source zone serves every pair.
        """
        if src_zone not in self._allowed:
            self._allowed[src_zone] = BoxSet(
                [
                    b
                    for dst_zone in self.zones
                    if dst_zone != src_zone
                    for b in self.allowed_boxes(src_zone, dst_zone)
                ]
            )
        return self._allowed[src_zone]

    def allowed_boxes(self, src_zone: str, dst_zone: str) -> list[Box]:
        """Every packet the policy allows from one zone to another."""
        src, dst = self.zone_region(src_zone), self.zone_region(dst_zone)
        return [
            b
            for f in self.flows
            if f.src in (src_zone, ANY_ZONE) and f.dst in (dst_zone, ANY_ZONE)
            for b in self.flow_boxes(f, src, dst)
        ]


def default_policy() -> ZonePolicy:
    """Without a policy file: private networks are internal, nothing is trusted, no flows are listed."""
    zones = {
        "internal": Zone(
            "internal",
            "RFC 1918",
            [
                (*prefix_interval(p), int(p.split("/")[1]))
                for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
            ],
        ),
        "external": Zone("external", "", [], internal=False, default=True),
    }
    return ZonePolicy(zones=zones, flows=[], source="(built-in)")


def parse_service(text: str) -> tuple[IntervalSet, IntervalSet, IntervalSet]:
    """``tcp/443``, ``udp/1000-2000``, ``icmp``, ``icmp/8``, ``tcp``, ``any``; raises ValueError."""
    proto, _, rest = text.lower().partition("/")
    if proto in ("any", "ip"):
        return full_set(PROTO), full_set(DPORT), full_set(ICMP)
    n = int(proto) if proto.isdigit() else PROTOCOLS[proto]
    ports, icmp = full_set(DPORT), full_set(ICMP)
    if rest:
        lo, _, hi = rest.partition("-")
        rng = [(int(lo), int(hi or lo))]
        if n == 1:
            icmp = rng
        else:
            ports = rng
    return [(n, n)], ports, icmp


def load_policy(path: Path) -> ZonePolicy:
    """Read and validate a zone policy file; every problem names the file and the entry."""
    try:
        raw = yamlsafe.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read zone policy ({exc})") from None
    problems: list[str] = []
    zones: dict[str, Zone] = {}
    for name, spec in (raw.get("zones") or {}).items():
        spec = spec or {}
        prefixes = []
        for p in spec.get("prefixes") or []:
            try:
                lo, hi = prefix_interval(str(p))
                prefixes.append((lo, hi, int(str(p).split("/")[1]) if "/" in str(p) else 32))
            except ValueError:
                problems.append(f"zone {name}: bad prefix {p!r}")
        unknown = set(spec) - {"label", "prefixes", "trusted", "internal", "site_local", "default"}
        if unknown:
            problems.append(f"zone {name}: unknown keys {sorted(unknown)}")
        zones[str(name)] = Zone(
            str(name),
            str(spec.get("label", "")),
            prefixes,
            bool(spec.get("trusted")),
            bool(spec.get("internal", not spec.get("default"))),
            bool(spec.get("site_local")),
            bool(spec.get("default")),
        )
    flows: list[Flow] = []
    for k, spec in enumerate(raw.get("flows") or [], start=1):
        src, dst = str(spec.get("from", "")), str(spec.get("to", ""))
        for z in (src, dst):
            if z not in zones and z != ANY_ZONE:
                problems.append(f"flow {k}: unknown zone {z!r}")
        services = [str(s) for s in spec.get("services") or ["any"]]
        matches = []
        for s in services:
            try:
                matches.append(parse_service(s))
            except (ValueError, KeyError):
                problems.append(f"flow {k}: bad service {s!r}")
        flows.append(Flow(src, dst, services, bool(spec.get("required")), matches))
    if sum(z.default for z in zones.values()) > 1:
        problems.append("more than one default zone")
    if problems:
        raise InputError(f"{path}: invalid zone policy", problems)
    roles = [str(r) for r in (raw.get("applies_to") or {}).get("roles") or []]
    return ZonePolicy(zones=zones, flows=flows, roles=roles, source=str(path))
