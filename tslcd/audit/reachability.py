"""Exact first-match reachability of every rule in an ordered list (Batfish filterLineReachability).

A rule is reachable when some packet it matches is matched by no earlier rule. We decide that per
rule, exactly: take the rule's boxes, and subtract the earlier rules' boxes that intersect them
(found through `BoxIndex`) depth first, stopping at the first packet left over. A rule covered
only by several earlier rules together is therefore caught, which pairwise comparison misses.

For an unreachable rule the blocking rules follow Batfish's choice: of the earlier rules that
really take some of its packets, sorted by how much of the rule they overlap, the shortest prefix
of that order that covers it, plus the first one with a different action, so a conflict is never
hidden.
Fragmentation is bounded by ``budget`` per rule; past it the rule is reported undetermined.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from tslcd.audit.index import BoxIndex, BoxSet, iter_bits
from tslcd.audit.model import PERMIT, Rule
from tslcd.audit.space import Box, box_corner, contains, intersection, intersects, subtract, volume

DEFAULT_BUDGET = 200_000


class TooComplex(Exception):
    """The subtraction for one rule produced more fragments than the budget allows."""


@dataclass
class Verdict:
    """What the analysis concluded about one rule."""

    index: int
    reachable: bool | None  # None: undetermined within the budget
    empty: bool = False  # the rule matches no packet at all (e.g. an empty group)
    example: tuple[int, ...] | None = None  # a packet for which this rule is the first match
    blocking: list[int] = field(default_factory=list)  # indices of the rules that take its packets
    different_action: bool = False


@dataclass
class Stats:
    """Work counters, for the benchmark: fragments created and the most for one rule."""

    fragments: int = 0
    worst_rule_fragments: int = 0


def uncovered(box: Box, cands: Sequence[Box], budget: int, stats: Stats | None = None) -> Box | None:
    """A part of ``box`` that no box of ``cands`` covers, or None when they cover it all.

    Depth first: a fragment is only ever cut by candidates after the one that produced it, since
    the earlier ones did not intersect its parent.
    """
    stack: list[tuple[Box, int]] = [(box, 0)]
    made = 0
    n = len(cands)
    while stack:
        part, start = stack.pop()
        k = start
        while k < n:
            c = cands[k]
            if intersects(part, c):
                break
            k += 1
        else:
            if stats is not None:
                _count(stats, made)
            return part
        if contains(c, part):
            continue
        pieces = subtract(part, c)
        made += len(pieces)
        if made > budget:
            raise TooComplex
        stack.extend((p, k + 1) for p in pieces)
    if stats is not None:
        _count(stats, made)
    return None


def _count(stats: Stats, made: int) -> None:
    stats.fragments += made
    stats.worst_rule_fragments = max(stats.worst_rule_fragments, made)


def analyse(rules: Sequence[Rule], budget: int = DEFAULT_BUDGET, stats: Stats | None = None) -> list[Verdict]:
    """One verdict per enabled rule, in order (see `ListAnalysis.verdicts`)."""
    return ListAnalysis(rules, budget, stats).verdicts()


class ListAnalysis:
    """One ordered list, indexed once, answering first-match questions about it.

    Disabled rules match nothing; rules whose conditions are only partly modelled (``exact`` is
    False) get a verdict but never take packets from later rules, since their boxes over-approximate.
    """

    def __init__(
        self, rules: Sequence[Rule], budget: int = DEFAULT_BUDGET, stats: Stats | None = None
    ) -> None:
        self.rules = rules
        self.budget = budget
        self.stats = stats
        self._boxes: list[Box] = []
        self._owner: list[int] = []
        self._first: list[int] = []
        for i, rule in enumerate(rules):
            self._first.append(len(self._boxes))
            if rule.enabled and rule.exact:
                self._boxes.extend(rule.boxes)
                self._owner.extend([i] * len(rule.boxes))
        self._index = BoxIndex(self._boxes)

    def _earlier(self, boxes: Sequence[Box], before: int) -> tuple[list[Box], list[int]]:
        """Boxes of earlier blocking rules that intersect any of ``boxes``, and their rule indices."""
        bits = 0
        for b in boxes:
            bits |= self._index.query(b, before)
        ids = list(iter_bits(bits))
        return [self._boxes[j] for j in ids], [self._owner[j] for j in ids]

    def earlier_rules(self, i: int) -> list[int]:
        """Earlier rules (that take packets) whose matches intersect rule ``i``'s."""
        _, owners = self._earlier(self.rules[i].boxes, self._first[i])
        return sorted(set(owners))

    def first_match(self, packet: tuple[int, ...]) -> int | None:
        """Index of the first enabled rule that matches the packet (None: the implicit deny)."""
        for i, rule in enumerate(self.rules):
            if rule.enabled and any(
                all(b[2 * d] <= v <= b[2 * d + 1] for d, v in enumerate(packet)) for b in rule.boxes
            ):
                return i
        return None

    def verdicts(self) -> list[Verdict]:
        """Reachability of every enabled rule."""
        out: list[Verdict] = []
        for i, rule in enumerate(self.rules):
            if not rule.enabled:
                continue
            if not rule.boxes:
                out.append(Verdict(i, reachable=False, empty=True))
                continue
            cands, owners = self._earlier(rule.boxes, self._first[i])
            try:
                out.append(self._judge(i, cands, owners))
            except TooComplex:
                out.append(Verdict(i, reachable=None))
        return out

    def _judge(self, i: int, cands: list[Box], owners: list[int]) -> Verdict:
        rule = self.rules[i]
        for b in rule.boxes:
            if any(contains(c, b) for c in cands):
                continue
            hole = uncovered(b, cands, self.budget, self.stats)
            if hole is not None:
                return Verdict(i, reachable=True, example=box_corner(hole))
        blocking, different = self._blocking(i, cands, owners)
        return Verdict(i, reachable=False, blocking=blocking, different_action=different)

    def _blocking(self, i: int, cands: list[Box], owners: list[int]) -> tuple[list[int], bool]:
        """Batfish's blocking lines of unreachable rule ``i``, and whether any acts differently.

        The candidates are the earlier rules that really take some of its packets (given the rules
        before them); ordered by how much of the rule they overlap (then by position), the
        shortest prefix that covers the rule, plus the first candidate in that order with another
        action when the prefix has none (FilterLineReachabilityUtils.findBlockingPropsForLine).
        """
        rule = self.rules[i]
        boxes_of: dict[int, list[Box]] = {}
        for c, j in zip(cands, owners, strict=True):
            boxes_of.setdefault(j, []).append(c)
        # No rule after the first that alone covers the rule can take any of its packets.
        alone = next(
            (
                j
                for j in sorted(boxes_of)
                if all(any(contains(c, b) for c in boxes_of[j]) for b in rule.boxes)
            ),
            None,
        )
        takers = [
            j
            for j in sorted(boxes_of)
            if (alone is None or j <= alone) and self._takes_some(rule, j, cands, owners)
        ]
        if len(takers) == 1:  # the usual case: one earlier rule takes all of it
            return takers, self.rules[takers[0]].action != rule.action
        weight = {j: _overlap(rule.boxes, boxes_of[j]) for j in takers}
        order = sorted(takers, key=lambda j: (-weight[j], j))

        def covered_by(n: int) -> bool:
            boxes = [c for j in order[:n] for c in boxes_of[j]]
            return all(uncovered(b, boxes, self.budget, self.stats) is None for b in rule.boxes)

        lo, hi = 1, len(order)
        while lo < hi:  # the shortest covering prefix; all the takers together always cover
            mid = (lo + hi) // 2
            if covered_by(mid):
                hi = mid
            else:
                lo = mid + 1
        chosen = set(order[:lo])
        different = [j for j in order if self.rules[j].action != rule.action]
        if different and not any(self.rules[j].action != rule.action for j in chosen):
            chosen.add(different[0])
        return sorted(chosen), bool(different)

    def _takes_some(self, rule: Rule, j: int, cands: list[Box], owners: list[int]) -> bool:
        """True when rule ``j`` is the first match for some packet of ``rule``.

        The earlier boxes that matter are among ``cands`` (every earlier box touching the rule, in
        rule order); when those are many, the index finds the few that touch each part.
        """
        start, end = bisect_left(owners, j), bisect_right(owners, j)
        for b in rule.boxes:
            for c in cands[start:end]:
                part = intersection(b, c)
                if part is None:
                    continue
                if start > 64:
                    earlier = [self._boxes[k] for k in iter_bits(self._index.query(part, self._first[j]))]
                else:
                    earlier = [e for e in cands[:start] if intersects(e, part)]
                if uncovered(part, earlier, self.budget, self.stats) is not None:
                    return True
        return False

    def witness(self, i: int, region: Sequence[Box], exclude: BoxSet | None = None) -> tuple[int, ...] | None:
        """A packet of ``region``, outside ``exclude``, for which rule ``i`` is the first match."""
        for r in region:
            for b in self.rules[i].boxes:
                part = intersection(r, b)
                if part is None:
                    continue
                cands, _ = self._earlier([part], self._first[i])
                if exclude is not None:
                    cands += exclude.touching(part)
                hole = uncovered(part, cands, self.budget, self.stats)
                if hole is not None:
                    return box_corner(hole)
        return None

    def unmatched(self, region: Sequence[Box]) -> tuple[int, ...] | None:
        """A packet of ``region`` that no rule matches (it falls to the implicit deny)."""
        for r in region:
            cands, _ = self._earlier([r], len(self._boxes))
            hole = uncovered(r, cands, self.budget, self.stats)
            if hole is not None:
                return box_corner(hole)
        return None


def _overlap(boxes: Sequence[Box], other: Sequence[Box], limit: int = 64) -> int:
    """Packets common to two unions of boxes (Batfish's weight of a blocking line).

    Exact while the common parts are few; past ``limit`` parts their volumes are summed, which
    only affects the order in which equally placed candidates are tried.
    """
    parts = [p for b in boxes for c in other if (p := intersection(b, c)) is not None]
    if len(parts) > limit:
        return sum(volume(p) for p in parts)
    disjoint: list[Box] = []
    for part in parts:
        pieces = [part]
        for d in disjoint:
            pieces = [q for p in pieces for q in (subtract(p, d) if intersects(p, d) else [p])]
        disjoint += pieces
    return sum(volume(p) for p in disjoint)


def permitted(rules: Sequence[Rule], budget: int = DEFAULT_BUDGET) -> list[Box]:
    """Disjoint boxes of the packets a list permits (first match), e.g. an ACL used as a class match.

    Raises `TooComplex` past ``budget`` fragments.
    """
    taken: list[Box] = []
    out: list[Box] = []
    made = 0
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.action == PERMIT:
            for box in rule.boxes:
                pieces = [box]
                for cut in taken:
                    pieces = [q for p in pieces for q in (subtract(p, cut) if intersects(p, cut) else [p])]
                    made += len(pieces)
                    if made > budget:
                        raise TooComplex
                out += pieces
        taken += rule.boxes
    return out
