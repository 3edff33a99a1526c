"""Change impact: exactly which packets a configuration change newly permits or newly denies.

Two versions of a rule list decide every packet first-match, with the implicit deny at the end. The
packets whose decision differs are computed exactly as disjoint boxes of the header space (the same
boxes the audit's reachability uses), then merged into as few readable rectangles as merging
adjacent boxes allows; together they are exactly the changed set. Only the part of the space the
changed rules touch is walked: packets decided by the rules both versions share before the first
difference, or matched by no changed rule at all, are decided alike in both.

Intents ("permit tcp 10.10.10.0/24 -> 18.18.18.0/27 eq 80,8080") are checked the way Batfish's
"provably safe changes" method does: was the traffic already so (``already``), does the change
treat all of it as intended (else ``missing``), and is nothing else changed (else ``collateral``);
a change that passes all three is ``exact``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tslcd.audit.model import DENY, PERMIT, ParsedConfig, Rule, RuleList
from tslcd.audit.space import (
    FULL,
    FULL6,
    NDIM,
    Box,
    box_corner,
    intersection,
    intersects,
    subtract,
)

DEFAULT_BUDGET = 200_000  # boxes the walk may hold before the summary is declared inexact


class BudgetExceeded(Exception):
    """The change fragments the space beyond the budget: the summary would not be exact."""


@dataclass(frozen=True)
class Decider:
    """What decides a packet in one version: a rule, or the implicit deny at the end."""

    action: str
    key: str = ""  # "" for the implicit deny
    line: int = 0
    text: str = ""

    @property
    def label(self) -> str:
        """``line 462 (permit tcp ...)`` or ``implicit deny``."""
        return f"{self.key} ({self.text})" if self.key else "implicit deny"


IMPLICIT_DENY = Decider(DENY)


@dataclass(frozen=True)
class Region:
    """A rectangle of packets whose decision changed, and the lines that decide it before/after."""

    box: Box
    before: Decider
    after: Decider

    @property
    def newly(self) -> str:
        """``permitted`` or ``denied``: what the change does to these packets."""
        return "permitted" if self.after.action == PERMIT else "denied"

    @property
    def example(self) -> tuple[int, ...]:
        """One concrete packet of the region."""
        return box_corner(self.box)


@dataclass
class ListImpact:
    """The impact on one rule list (an ACL, or a firewall's policies for one zone pair)."""

    name: str
    regions: list[Region] = field(default_factory=list)
    exact: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def permitted(self) -> list[Region]:
        """Regions newly permitted."""
        return [r for r in self.regions if r.after.action == PERMIT]

    @property
    def denied(self) -> list[Region]:
        """Regions newly denied."""
        return [r for r in self.regions if r.after.action != PERMIT]


def _decider(rule: Rule) -> Decider:
    return Decider(rule.action, rule.key, rule.line, rule.text)


def _same(a: Rule, b: Rule) -> bool:
    return a.action == b.action and a.boxes == b.boxes and a.exact == b.exact


def decide(rules: Sequence[Rule], space: Iterable[Box], budget: int = DEFAULT_BUDGET
           ) -> list[tuple[Box, Decider]]:
    """Disjoint pieces of ``space`` (disjoint boxes) with the rule that decides each, first match."""
    remaining = list(space)
    out: list[tuple[Box, Decider]] = []
    for rule in rules:
        if not remaining:
            break
        decider = _decider(rule)
        for cut in rule.boxes:
            kept: list[Box] = []
            for box in remaining:
                if not intersects(box, cut):
                    kept.append(box)
                    continue
                taken = intersection(box, cut)
                assert taken is not None
                out.append((taken, decider))
                kept.extend(subtract(box, cut))
            remaining = kept
            if len(remaining) + len(out) > budget:
                raise BudgetExceeded
    out.extend((box, IMPLICIT_DENY) for box in remaining)
    return out


def _disjoint(boxes: Iterable[Box], budget: int) -> list[Box]:
    """The same packets as disjoint boxes."""
    out: list[Box] = []
    for box in boxes:
        pieces = [box]
        for have in out:
            pieces = [p for piece in pieces for p in
                      (subtract(piece, have) if intersects(piece, have) else [piece])]
            if not pieces:
                break
        out.extend(pieces)
        if len(out) > budget:
            raise BudgetExceeded
    return out


def minus(boxes: Iterable[Box], cuts: Iterable[Box]) -> list[Box]:
    """``boxes`` without the packets of ``cuts``."""
    out = list(boxes)
    for cut in cuts:
        out = [p for box in out for p in (subtract(box, cut) if intersects(box, cut) else [box])]
    return out


def compare_rules(name: str, before: Sequence[Rule], after: Sequence[Rule],
                  budget: int = DEFAULT_BUDGET) -> ListImpact:
    """The exact impact of replacing the rules ``before`` by ``after`` in one first-match list."""
    old = [r for r in before if r.enabled]
    new = [r for r in after if r.enabled]
    head = 0
    while head < min(len(old), len(new)) and _same(old[head], new[head]):
        head += 1
    tail = 0
    while (tail < min(len(old), len(new)) - head
           and _same(old[len(old) - 1 - tail], new[len(new) - 1 - tail])):
        tail += 1
    changed_old, changed_new = old[head:len(old) - tail], new[head:len(new) - tail]
    impact = ListImpact(name)
    if not changed_old and not changed_new:
        return impact
    try:
        # Only packets some changed rule matches can be decided differently; of those, the ones the
        # shared head takes are decided alike.
        touched = _disjoint((b for r in (*changed_old, *changed_new) for b in r.boxes), budget)
        touched = minus(touched, (b for r in old[:head] for b in r.boxes))
        rest_old, rest_new = old[head:], new[head:]
        pieces_old = decide(rest_old, touched, budget)
        pieces_new = decide(rest_new, touched, budget)
        raw = _differences(pieces_old, pieces_new, budget)
    except BudgetExceeded:
        impact.exact = False
        impact.notes.append(f"the change splits the packet space into more than {budget} pieces: "
                            "not summarised (no guess is made)")
        return impact
    inexact = [r for r in (*rest_old, *rest_new) if not r.exact
               and any(intersects(b, t) for b in r.boxes for t in touched)]
    if inexact:
        impact.exact = False
        impact.notes += sorted({f"{r.key} ({r.text}) has conditions the model does not analyse: "
                                "the regions are an over-approximation" for r in inexact})
    impact.regions = merge(raw)
    return impact


def _differences(old: list[tuple[Box, Decider]], new: list[tuple[Box, Decider]],
                 budget: int) -> list[Region]:
    out: list[Region] = []
    for box_old, dec_old in old:
        for box_new, dec_new in new:
            if dec_old.action == dec_new.action or not intersects(box_old, box_new):
                continue
            common = intersection(box_old, box_new)
            assert common is not None
            out.append(Region(common, dec_old, dec_new))
            if len(out) > budget:
                raise BudgetExceeded
    return out


def _merge_pair(a: Box, b: Box) -> Box | None:
    """One box for two that differ in one dimension only, where they touch or overlap."""
    differ = [k for k in range(0, 2 * NDIM, 2) if (a[k], a[k + 1]) != (b[k], b[k + 1])]
    if len(differ) != 1:
        return None if differ else a
    k = differ[0]
    if a[k] > b[k + 1] + 1 or b[k] > a[k + 1] + 1:
        return None
    merged = list(a)
    merged[k], merged[k + 1] = min(a[k], b[k]), max(a[k + 1], b[k + 1])
    return tuple(merged)


def merge(regions: Iterable[Region]) -> list[Region]:
    """Fewer, larger rectangles with the same packets (only boxes of the same before/after lines
    are merged, so every rectangle still names the lines that decide all of it)."""
    groups: dict[tuple[Decider, Decider], list[Box]] = {}
    for region in regions:
        groups.setdefault((region.before, region.after), []).append(region.box)
    out: list[Region] = []
    for (before, after), boxes in groups.items():
        changed = True
        while changed:
            changed = False
            boxes.sort()
            kept: list[Box] = []
            for box in boxes:
                for i, have in enumerate(kept):
                    joined = _merge_pair(have, box)
                    if joined is not None:
                        kept[i] = joined
                        changed = True
                        break
                else:
                    kept.append(box)
            boxes = kept
        out += [Region(b, before, after) for b in boxes]
    out.sort(key=lambda r: (r.after.action != PERMIT, r.box))
    return out


def compare_configs(before: ParsedConfig, after: ParsedConfig, budget: int = DEFAULT_BUDGET,
                    only: str | None = None) -> list[ListImpact]:
    """The impact on every list the two versions hold (a list in one version only is compared
    with an empty list, which denies everything), in the order of the newer version."""
    old = {lst.name: lst for lst in before.lists}
    new = {lst.name: lst for lst in after.lists}
    names = [n for n in new if n in old] + [n for n in new if n not in old] + [n for n in old if n not in new]
    out = []
    for name in names:
        if only is not None and name != only:
            continue
        impact = compare_rules(name, _rules(old.get(name)), _rules(new.get(name)), budget)
        if name not in old:
            impact.notes.append("list added by the change (compared with a list that denies everything)")
        elif name not in new:
            impact.notes.append("list removed by the change (compared with a list that denies everything)")
        out.append(impact)
    return out


def _rules(lst: RuleList | None) -> list[Rule]:
    return list(lst.rules) if lst is not None else []


FULL_SPACE: tuple[Box, Box] = (FULL, FULL6)
