"""Property: the impact regions are exactly the packets whose first-match decision differs,
checked by brute force over a tiny packet universe on random ACL pairs (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tslcd.audit.impact import compare_rules
from tslcd.audit.model import DENY, PERMIT, Rule
from tslcd.audit.space import NDIM

SIZE = (2, 4, 4, 1, 4, 1)  # protocol, source, destination, source port, destination port, ICMP
UNIVERSE = list(itertools.product(*(range(n) for n in SIZE)))


def _interval(size: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).map(lambda t: (min(t), max(t)))


_box = st.tuples(*(_interval(n) for n in SIZE)).map(lambda ivs: tuple(v for iv in ivs for v in iv))
_rule = st.tuples(st.sampled_from([PERMIT, DENY]), st.lists(_box, min_size=1, max_size=2), st.booleans())


def _acl(raw: list[tuple[str, list, bool]], offset: int) -> list[Rule]:
    return [Rule(key=f"line {n + offset}", action=a, boxes=bs, text=f"{a} {n}", line=n + offset,
                 end_line=n + offset, enabled=enabled)
            for n, (a, bs, enabled) in enumerate(raw, start=1)]


# An "after" list is the "before" list edited: rules kept, dropped, added, or moved.
_pair = st.tuples(st.lists(_rule, min_size=0, max_size=7), st.lists(_rule, min_size=0, max_size=3),
                  st.integers(0, 7), st.integers(0, 7))


def _in(packet: tuple[int, ...], box: tuple[int, ...]) -> bool:
    return all(box[2 * d] <= packet[d] <= box[2 * d + 1] for d in range(NDIM))


def _decide(acl: list[Rule], packet: tuple[int, ...]) -> tuple[str, str]:
    for r in acl:
        if r.enabled and any(_in(packet, b) for b in r.boxes):
            return r.action, r.key
    return DENY, ""


@settings(max_examples=300, deadline=None)
@given(_pair)
def test_regions_are_exactly_the_changed_packets(pair) -> None:
    base, added, cut, at = pair
    before = _acl(base, 0)
    kept = [r for i, r in enumerate(before) if i != cut]
    after = kept[:at] + _acl(added, 100) + kept[at:]
    impact = compare_rules("acl", before, after)
    assert impact.exact
    changed = {p for p in UNIVERSE if _decide(before, p)[0] != _decide(after, p)[0]}
    covered: dict[tuple[int, ...], int] = {}
    for region in impact.regions:
        for p in UNIVERSE:
            if _in(p, region.box):
                covered[p] = covered.get(p, 0) + 1
                # the region names the lines that really decide its packets
                assert _decide(before, p) == (region.before.action, region.before.key)
                assert _decide(after, p) == (region.after.action, region.after.key)
    assert set(covered) == changed
    assert all(n == 1 for n in covered.values()), "regions overlap"


def test_identical_lists_have_no_impact() -> None:
    acl = _acl([(PERMIT, [(0, 1, 0, 3, 0, 3, 0, 0, 0, 3, 0, 0)], True)], 0)
    assert compare_rules("acl", acl, list(acl)).regions == []
