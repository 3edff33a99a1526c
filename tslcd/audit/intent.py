"""What an engineer means a change to do, and whether the change does exactly that.

An intent reads like an ACL line with CIDR prefixes: ``permit tcp 10.10.10.0/24 -> 18.18.18.0/27
eq 80,8080`` (also ``deny``, protocols ``ip``/``tcp``/``udp``/``icmp``/a number, ``any`` or an
address for either side, ``range 8000-8080``). Its verdicts follow Batfish's "provably safe ACL
and firewall changes": ``already`` (the traffic was already so before the change), ``missing`` (part
of it is not treated as intended after the change), ``collateral`` (other traffic changed too), or
``exact`` when none of these holds.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

from tslcd.audit.impact import ListImpact, Region, decide, minus
from tslcd.audit.model import DENY, PERMIT, Rule
from tslcd.audit.names import PROTOCOLS
from tslcd.audit.space import ANY4, ANY6, DIMS, Box, IntervalSet, family_product, prefix_interval
from tslcd.errors import InputError


@dataclass(frozen=True)
class Intent:
    """The traffic a change is meant to permit or deny."""

    text: str
    action: str
    boxes: tuple[Box, ...]


@dataclass
class IntentVerdict:
    """An intent checked against one list's change: the verdict and the packets behind it."""

    intent: Intent
    list_name: str
    verdict: str  # exact | missing | collateral | already | missing+collateral
    missing: list[Box] = field(default_factory=list)  # intended packets not treated as intended
    collateral: list[Region] = field(default_factory=list)  # changed packets outside the intent


def _side(text: str, where: str) -> IntervalSet:
    if text == "any":
        return [ANY4, ANY6]
    try:
        return [prefix_interval(text)]
    except ValueError:
        raise InputError(f"intent {where}: {text!r} is not an address, a prefix or 'any'") from None


def _ports(words: Sequence[str], where: str) -> IntervalSet:
    if not words:
        return [(0, 65535)]
    if len(words) != 2 or words[0] not in ("eq", "range"):
        raise InputError(f"intent {where}: ports are 'eq P[,P...]' or 'range A-B'")
    try:
        if words[0] == "range":
            lo, _, hi = words[1].partition("-")
            ranges = [(int(lo), int(hi))]
        else:
            ranges = [(int(p), int(p)) for p in words[1].split(",")]
    except ValueError:
        raise InputError(f"intent {where}: ports must be numbers") from None
    if any(not 0 <= lo <= hi <= 65535 for lo, hi in ranges):
        raise InputError(f"intent {where}: ports must be from 0 to 65535")
    return ranges


def parse_intent(text: str) -> Intent:
    """``ACTION PROTO SRC -> DST [eq P,P | range A-B]`` as the boxes it covers."""
    where = repr(text)
    words = text.replace("->", " -> ").split()
    if len(words) < 5 or words[0] not in (PERMIT, DENY) or words[3] != "->":
        raise InputError(f"intent {where}: write 'permit|deny PROTO SRC -> DST [eq P,P | range A-B]'")
    proto_word = words[1].lower()
    if proto_word == "ip":
        proto: tuple[int, int] = (0, 255)
    elif proto_word.isdigit() and int(proto_word) <= 255:
        proto = (int(proto_word), int(proto_word))
    elif proto_word in PROTOCOLS:
        proto = (PROTOCOLS[proto_word], PROTOCOLS[proto_word])
    else:
        raise InputError(f"intent {where}: unknown protocol {words[1]!r}")
    ports = _ports(words[5:], where)
    if proto not in ((6, 6), (17, 17)) and words[5:]:
        raise InputError(f"intent {where}: ports need tcp or udp")
    sets = [[proto], _side(words[2], where), _side(words[4], where), [(0, 65535)], ports,
            [(0, DIMS[5][1])]]
    boxes = tuple(family_product(sets))
    if not boxes:
        raise InputError(f"intent {where}: source and destination are of different IP versions")
    return Intent(" ".join(words), words[0], boxes)


def check_intent(intent: Intent, impact: ListImpact, before: Sequence[Rule], after: Sequence[Rule]
                 ) -> IntentVerdict:
    """Batfish's three steps: already so before? all of it as intended after? nothing else changed?"""
    old = [r for r in before if r.enabled]
    new = [r for r in after if r.enabled]
    space = _disjoint_intent(intent)
    if all(d.action == intent.action for _, d in decide(old, space)):
        return IntentVerdict(intent, impact.name, "already")
    missing = [box for box, d in decide(new, space) if d.action != intent.action]
    collateral = []
    for region in impact.regions:
        for box in minus([region.box], intent.boxes):
            collateral.append(Region(box, region.before, region.after))
    verdict = "+".join(v for v, hit in (("missing", missing), ("collateral", collateral)) if hit) or "exact"
    return IntentVerdict(intent, impact.name, verdict, missing, collateral)


def _disjoint_intent(intent: Intent) -> list[Box]:
    out: list[Box] = []
    for box in intent.boxes:
        out += minus([box], out)
    return out


def prefixes(lo: int, hi: int) -> list[str]:
    """An address interval as the fewest CIDR prefixes (what an engineer reads)."""
    if lo >= ANY6[0]:
        first = ipaddress.IPv6Address(lo - ANY6[0])
        last = ipaddress.IPv6Address(hi - ANY6[0])
    else:
        first, last = ipaddress.IPv4Address(lo), ipaddress.IPv4Address(hi)  # type: ignore[assignment]
    if (lo, hi) in (ANY4, ANY6):
        return ["any"]
    return [str(n) for n in ipaddress.summarize_address_range(first, last)]


@dataclass
class ImpactReport:
    """The impact of one change on one device: per list, and per intent."""

    host: str
    platform: str
    before: str  # what was compared: a revision or a file
    after: str
    lists: list[ListImpact] = field(default_factory=list)
    intents: list[IntentVerdict] = field(default_factory=list)

    @property
    def changed(self) -> list[ListImpact]:
        """Lists whose decisions changed (or could not be summarised exactly)."""
        return [i for i in self.lists if i.regions or not i.exact]

    @property
    def exact(self) -> bool:
        """Every list's summary is exact."""
        return all(i.exact for i in self.lists)
