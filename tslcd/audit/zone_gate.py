"""The zone policy gate: which packets a change newly permits that ``zones.yaml`` does not allow.

A change's impact (`tslcd.audit.impact`) gives the exact packets it newly permits; each of them
travels from one zone to another (zones are disjoint, the longest prefix wins). Packets between two
different zones that no flow of the policy lists are forbidden: a push that opens them is refused
unless the operator accepts the risk under a ticket. Traffic inside one zone is not judged, as in
the audit's zone checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tslcd.audit.impact import Region, merge, minus
from tslcd.audit.impact_report import region_line
from tslcd.audit.intent import ImpactReport
from tslcd.audit.space import DST, SRC, Box, IntervalSet, intersect_sets
from tslcd.audit.zones import ZonePolicy


@dataclass(frozen=True)
class ForbiddenFlow:
    """Packets a change newly permits from one zone to another that the zone policy does not allow."""

    host: str
    list_name: str
    src_zone: str
    dst_zone: str
    region: Region
    policy_source: str

    @property
    def flow(self) -> str:
        """``tcp any -> 10.20.1.0/24 port 3389``: the packets, as one line."""
        return region_line(self.region)

    @property
    def rule(self) -> str:
        """The policy rule that forbids it: no flow of the file lists this pair for these packets."""
        return (f"{self.policy_source}: no flow from {self.src_zone} to {self.dst_zone} allows it "
                "(flows not listed there are forbidden)")

    def as_dict(self) -> dict[str, Any]:
        """The flow as data (JSON): host, list, zones, the packets, the policy rule."""
        return {"host": self.host, "list": self.list_name, "from_zone": self.src_zone,
                "to_zone": self.dst_zone, "flow": self.flow, "rule": self.rule}

    def line(self) -> str:
        """``stc-fw1: newly permits ... (wan1 -> lan), internet -> agency_lan``: one line for people."""
        return (f"{self.host}: newly permits {self.flow} ({self.list_name}), "
                f"{self.src_zone} -> {self.dst_zone} forbidden by {self.rule}")


def _span(box: Box, dim: int) -> IntervalSet:
    return [(box[2 * dim], box[2 * dim + 1])]


def _with_addresses(box: Box, src: tuple[int, int], dst: tuple[int, int]) -> Box:
    out = list(box)
    out[2 * SRC], out[2 * SRC + 1] = src
    out[2 * DST], out[2 * DST + 1] = dst
    return tuple(out)


def _zone_parts(policy: ZonePolicy, span: IntervalSet) -> dict[str, IntervalSet]:
    return {z: part for z, region in policy.regions().items() if (part := intersect_sets(region, span))}


def forbidden_in(host: str, list_name: str, regions: Iterable[Region], policy: ZonePolicy
                 ) -> list[ForbiddenFlow]:
    """The parts of newly permitted ``regions`` that cross zones the policy does not connect."""
    out: list[ForbiddenFlow] = []
    for region in regions:
        if region.newly != "permitted":
            continue
        dst_parts = _zone_parts(policy, _span(region.box, DST))
        for zs, s_part in _zone_parts(policy, _span(region.box, SRC)).items():
            for zd, d_part in dst_parts.items():
                if zd == zs:
                    continue
                boxes = [_with_addresses(region.box, s, d) for s in s_part for d in d_part]
                left = minus(boxes, policy.allowed_boxes(zs, zd))
                out += [ForbiddenFlow(host, list_name, zs, zd, piece, policy.source)
                        for piece in merge(Region(b, region.before, region.after) for b in left)]
    return out


def forbidden_flows(report: ImpactReport, policy: ZonePolicy, data: dict[str, Any]) -> list[ForbiddenFlow]:
    """Every flow a device's change newly permits that the zone policy forbids (none when the policy
    does not cover the device's role)."""
    if not policy.applies_to(data):
        return []
    return [f for impact in report.changed
            for f in forbidden_in(report.host, impact.name, impact.regions, policy)]

