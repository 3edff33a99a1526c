"""Batfish's own blocking-line expectations, ported case by case.

From batfish/batfish ``projects/question/src/test/java/org/batfish/question/filterlinereachability/``
``FilterLineReachabilityAnswererTest.java`` (testSmallBlockersIgnored, testPartialOverlaps,
testPartialOverlapsDominateFull, testDifferentActionPreservation) and
``FilterLineReachabilityTest.java`` (testWithIcmpType, testIpWildcards, testMultipleCoveringLines,
testIndependentlyUnmatchableLines), commit cba1873338ae3b1952883706f5d7c6d969b385ec, Apache-2.0.
Line numbers are Batfish's (0-based); each case gives the lines as IOS entries.
"""

from __future__ import annotations

import pytest

from tslcd.audit.parsers.ios import parse
from tslcd.audit.reachability import analyse


def _verdicts(entries: list[str]) -> dict[int, tuple[list[int], bool]]:
    text = "hostname r\nip access-list extended T\n" + "".join(f" {e}\n" for e in entries)
    acl = parse(text).lists[0]
    return {v.index: (v.blocking, v.different_action) for v in analyse(acl.rules) if not v.reachable}


SMALL_BLOCKERS = [
    "{0} ip host 1.2.3.1 any",
    "{0} ip host 1.2.3.2 any",
    "{0} ip host 1.2.3.3 any",
    "permit tcp any any eq 22",
    "permit tcp any host 2.3.4.5 eq 22",
]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # testSmallBlockersIgnored: #4 is really blocked by #3; #0 is the first with another action
        ([e.format("deny") for e in SMALL_BLOCKERS], {4: ([0, 3], True)}),
        ([e.format("permit") for e in SMALL_BLOCKERS], {4: ([3], False)}),
        # testPartialOverlaps: blocked by both halves, whatever their actions
        (
            ["permit ip any host 1.2.3.4", "deny ip any host 1.2.3.5", "permit ip any 1.2.3.4 0.0.0.1"],
            {2: ([0, 1], True)},
        ),
        (
            ["permit ip any host 1.2.3.4", "permit ip any host 1.2.3.5", "permit ip any 1.2.3.4 0.0.0.1"],
            {2: ([0, 1], False)},
        ),
        # testPartialOverlapsDominateFull: #1 terminates none of #2's packets
        (
            ["permit ip any 1.2.3.4 0.0.0.1", "deny ip any any", "permit ip any host 1.2.3.5"],
            {2: ([0], False)},
        ),
        # testDifferentActionPreservation
        (
            ["deny tcp any host 1.2.3.4 neq 80", "permit ip any any", "permit ip any host 1.2.3.4"],
            {2: ([0, 1], True)},
        ),
        (
            ["permit tcp any host 1.2.3.4 neq 80", "permit ip any any", "permit ip any host 1.2.3.4"],
            {2: ([1], False)},
        ),
        (
            ["deny tcp any host 1.2.3.4 neq 80", "deny ip any any", "permit ip any host 1.2.3.4"],
            {2: ([1], True)},
        ),
        # testWithIcmpType: the ICMP echo line is blocked by the line before it
        (["permit ip host 1.2.3.4 any", "permit icmp host 1.2.3.4 any 8"], {1: ([0], False)}),
        # testIpWildcards
        (
            ["permit ip 1.2.3.4 0.0.0.3 any", "permit ip host 1.2.3.4 any", "permit ip 1.2.3.0 0.0.0.15 any"],
            {1: ([0], False)},
        ),
        # testMultipleCoveringLines: 1.0.0.0 wildcard 0.0.0.1 is covered by the two hosts together
        (
            ["permit ip host 1.0.0.0 any", "permit ip host 1.0.0.1 any", "permit ip 1.0.0.0 0.0.0.1 any"],
            {2: ([0, 1], False)},
        ),
    ],
)
def test_batfish_blocking_lines(entries: list[str], expected: dict) -> None:
    assert _verdicts(entries) == expected


def test_independently_unmatchable_lines() -> None:
    """testIndependentlyUnmatchableLines: the empty line has no blocking lines; #3 is blocked by #0."""
    text = (
        "hostname r\nobject-group network EMPTY\nip access-list extended T\n"
        " deny ip 1.0.0.0 0.0.0.255 any\n permit ip 1.0.0.0 0.0.0.255 any\n"
        " permit ip object-group EMPTY any\n permit ip host 1.0.0.0 any\n permit ip host 1.2.3.4 any\n"
    )
    acl = parse(text).lists[0]
    got = {v.index: (v.empty, v.blocking, v.different_action) for v in analyse(acl.rules) if not v.reachable}
    assert got == {1: (False, [0], True), 2: (True, [], False), 3: (False, [0], True)}
