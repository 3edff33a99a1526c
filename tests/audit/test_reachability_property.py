"""Property: the exact engine agrees with brute force on small ACLs over a tiny packet universe."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tslcd.audit.model import DENY, PERMIT, Rule
from tslcd.audit.reachability import analyse
from tslcd.audit.space import DST, NDIM, SRC, V6_BASE, family_product, intersect_sets, normalize

# Tiny universe: every dimension takes values 0..SIZE-1 except source port and ICMP type (fixed 0).
SIZE = (2, 4, 4, 1, 4, 1)
UNIVERSE = list(itertools.product(*(range(n) for n in SIZE)))


def _interval(size: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).map(lambda t: (min(t), max(t)))


_box = st.tuples(*(_interval(n) for n in SIZE)).map(lambda ivs: tuple(v for iv in ivs for v in iv))
_rule = st.tuples(st.sampled_from([PERMIT, DENY]), st.lists(_box, min_size=0, max_size=2))
_acl = st.lists(_rule, min_size=1, max_size=8).map(
    lambda rs: [
        Rule(key=f"line {n}", action=a, boxes=bs, text="", line=n, end_line=n)
        for n, (a, bs) in enumerate(rs, start=1)
    ]
)


def _in(packet: tuple[int, ...], rule: Rule) -> bool:
    return any(all(b[2 * d] <= packet[d] <= b[2 * d + 1] for d in range(NDIM)) for b in rule.boxes)


def _first_match(acl: list[Rule], packet: tuple[int, ...]) -> int | None:
    return next((i for i, r in enumerate(acl) if _in(packet, r)), None)


@settings(max_examples=400, deadline=None)
@given(_acl)
def test_unreachable_exactly_when_brute_force_finds_no_first_match(acl: list[Rule]) -> None:
    first = {p: _first_match(acl, p) for p in UNIVERSE}
    for v in analyse(acl):
        reached = [p for p, i in first.items() if i == v.index]
        assert v.reachable is (bool(reached)), (v, acl)
        if v.reachable:
            assert first[v.example] == v.index
        else:
            mine = [p for p in UNIVERSE if _in(p, acl[v.index])]
            assert v.empty is (not mine)
            assert all(j < v.index for j in v.blocking)
            for p in mine:  # the reported blocking rules really cover the rule
                assert any(_in(p, acl[j]) for j in v.blocking), (p, v, acl)
            assert v.different_action is any(acl[j].action != acl[v.index].action for j in v.blocking)
            takers = {first[p] for p in mine}
            assert set(v.blocking) <= takers, "a blocking rule must take some of the rule's packets"
            assert v.blocking == _batfish_blocking(acl, v.index, first), (v, acl)


def _batfish_blocking(acl: list[Rule], i: int, first: dict) -> list[int]:
    """Batfish's findBlockingPropsForLine on explicit packet sets (weights are packet counts)."""
    mine = {p for p in UNIVERSE if _in(p, acl[i])}
    takers = sorted({first[p] for p in mine})
    weight = {j: len({p for p in mine if _in(p, acl[j])}) for j in takers}
    need_diff = any(acl[j].action != acl[i].action for j in takers)
    rest, chosen = set(mine), []
    for j in sorted(takers, key=lambda j: (-weight[j], j)):
        diff = acl[j].action != acl[i].action
        if rest or (need_diff and diff):
            rest -= {p for p in rest if _in(p, acl[j])}
            chosen.append(j)
            need_diff = need_diff and not diff
        if not rest and not need_diff:
            break
    return sorted(chosen)


def test_rule_blocked_only_by_several_rules_together() -> None:
    """The case pairwise tools miss: two halves together cover the third rule."""

    def r(n: int, action: str, dst: tuple[int, int]) -> Rule:
        box = (6, 6, 0, 2**32 - 1, *dst, 0, 65535, 443, 443, 0, 255)
        return Rule(key=f"line {n}", action=action, boxes=[box], text="", line=n, end_line=n)

    acl = [r(1, PERMIT, (0, 127)), r(2, DENY, (128, 255)), r(3, PERMIT, (0, 255))]
    verdicts = analyse(acl)
    assert [v.reachable for v in verdicts] == [True, True, False]
    assert verdicts[2].blocking == [0, 1] and verdicts[2].different_action


_ADDR = st.sampled_from(
    [(0, 9), (5, 2**32 - 1), (2**32, 2**32 + 7), (2**32 + 3, 2**32 + 2**128 - 1), (0, 2**32 + 5)]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ADDR, min_size=1, max_size=3), st.lists(_ADDR, min_size=1, max_size=3))
def test_family_product_pairs_only_addresses_of_one_family(src: list, dst: list) -> None:
    """IPv4 and IPv6 share the address dimension; a box never pairs an IPv4 end with an IPv6 one."""
    sets = [[(6, 6)], normalize(src), normalize(dst), [(0, 65535)], [(443, 443)], [(0, 65535)]]
    boxes = family_product(sets)
    for b in boxes:
        assert (b[2 * SRC + 1] < V6_BASE) == (b[2 * DST + 1] < V6_BASE)
        assert (b[2 * SRC] < V6_BASE) == (b[2 * SRC + 1] < V6_BASE)
    for fam_lo, fam_hi in ((0, V6_BASE - 1), (V6_BASE, V6_BASE + 2**128 - 1)):
        s = intersect_sets(normalize(src), [(fam_lo, fam_hi)])
        d = intersect_sets(normalize(dst), [(fam_lo, fam_hi)])
        want = sum((a[1] - a[0] + 1) * (c[1] - c[0] + 1) for a in s for c in d)
        got = sum(
            (b[2 * SRC + 1] - b[2 * SRC] + 1) * (b[2 * DST + 1] - b[2 * DST] + 1)
            for b in boxes
            if fam_lo <= b[2 * SRC] <= fam_hi
        )
        assert got == want
