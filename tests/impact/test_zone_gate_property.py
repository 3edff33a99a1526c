"""Property: the zone gate flags exactly the newly permitted packets that cross two zones no flow of
the sample ``inventory/zones.yaml`` allows, checked packet by packet on random regions (hypothesis).

Packets are drawn near the edges that matter (zone prefixes, the region's own bounds, the ports the
policy names), where an off-by-one or a lost piece would show."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.impact.test_platforms import ROOT
from tslcd.audit.impact import Decider, Region
from tslcd.audit.model import DENY, PERMIT
from tslcd.audit.space import DST, FULL, NDIM, SRC, box_corner, intersection, prefix_interval
from tslcd.audit.zone_gate import forbidden_in
from tslcd.audit.zones import load_policy

POLICY = load_policy(ROOT / "inventory" / "zones.yaml")
PREFIXES = ["10.0.0.0/8", "10.0.10.0/24", "10.0.10.10/32", "10.0.10.0/29", "10.0.99.0/24", "10.160.0.0/16",
            "10.254.0.0/16", "10.10.16.0/24", "203.0.113.0/24", "0.0.0.0/0", "10.0.10.20/31"]
PORTS = [0, 21, 22, 53, 80, 123, 443, 993, 3389, 8443, 65535]
ALLOWED = [b for zs in POLICY.zones for zd in POLICY.zones if zs != zd for b in POLICY.allowed_boxes(zs, zd)]
EDGES = sorted({v for p in PREFIXES for lo, hi in [prefix_interval(p)] for v in (lo, hi, lo - 1, hi + 1)
                if FULL[2 * SRC] <= v <= FULL[2 * SRC + 1]})


def _span(values: list[int]) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.sampled_from(values), st.sampled_from(values)).map(lambda t: (min(t), max(t)))


_region = st.tuples(
    st.sampled_from([(6, 6), (17, 17), (1, 1), (0, 255)]),
    st.sampled_from(PREFIXES).map(prefix_interval),
    st.sampled_from(PREFIXES).map(prefix_interval),
    _span(PORTS),
).map(lambda t: (*t[0], *t[1], *t[2], 0, 65535, *t[3], *FULL[10:12]))


def _in(packet: tuple[int, ...], box: tuple[int, ...]) -> bool:
    return all(box[2 * d] <= packet[d] <= box[2 * d + 1] for d in range(NDIM))


def _zone(address: int) -> str:
    return next(z for z, ivs in POLICY.regions().items() if any(lo <= address <= hi for lo, hi in ivs))


def _expected(packet: tuple[int, ...]) -> bool:
    zs, zd = _zone(packet[SRC]), _zone(packet[DST])
    return zs != zd and not any(_in(packet, b) for b in POLICY.allowed_boxes(zs, zd))


def _packets(box: tuple[int, ...]) -> st.SearchStrategy[tuple[int, ...]]:
    def near(dim: int, extra: list[int]) -> st.SearchStrategy[int]:
        lo, hi = box[2 * dim], box[2 * dim + 1]
        inside = [v for v in {lo, hi, *extra} if lo <= v <= hi]
        return st.one_of(st.sampled_from(inside), st.integers(lo, hi))

    return st.tuples(near(0, [6, 17, 1]), near(SRC, EDGES), near(DST, EDGES), near(3, []), near(4, PORTS),
                     near(5, []))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_flagged_packets_are_exactly_the_forbidden_ones(data: st.DataObject) -> None:
    box = data.draw(_region)
    region = Region(box, Decider(DENY), Decider(PERMIT, "policy 99", 1, "accept"))
    flows = forbidden_in("fw", "wan1 -> lan", [region], POLICY)
    for flow in flows:
        assert all(box[k] <= flow.region.box[k] <= flow.region.box[k + 1] <= box[k + 1]
                   for k in range(0, 2 * NDIM, 2)), "a flagged rectangle leaves the region"
        assert {_zone(flow.region.box[2 * SRC]), _zone(flow.region.box[2 * DST])} <= {flow.src_zone,
                                                                                       flow.dst_zone}
    packets = [data.draw(_packets(box)) for _ in range(20)]
    # and the corners of what the region shares with each allowed flow and each flagged rectangle
    for b in (*ALLOWED, *(f.region.box for f in flows)):
        if (common := intersection(box, b)) is not None:
            packets += [box_corner(common), tuple(common[2 * d + 1] for d in range(NDIM))]
    for packet in packets:
        flagged = any(_in(packet, f.region.box) for f in flows)
        assert flagged == _expected(packet), (packet, [f.line() for f in flows])


def test_newly_denied_packets_are_never_flagged() -> None:
    region = Region((6, 6, *prefix_interval("203.0.113.0/24"), *prefix_interval("10.10.16.0/24"),
                     0, 65535, 22, 22, *FULL[10:12]), Decider(PERMIT, "policy 1", 1, "accept"), Decider(DENY))
    assert forbidden_in("fw", "wan1 -> lan", [region], POLICY) == []
