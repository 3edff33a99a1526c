"""IOS zone-based firewall: zone-pairs, their inspect policy-maps and class-maps, as rule lists.

Each zone-pair becomes one ordered list (first matching class wins, ``class-default`` or the
implicit drop last): a class is a rule whose packets are those its ``match`` lines select
(``match-all`` intersects them, ``match-any`` unites them) and whose action is its policy line
(``inspect``/``pass`` permit, ``drop`` denies). An ACL a class-map matches selects the packets the
ACL permits, first match, so its deny lines carve holes. Application protocols (``match protocol
http``) are matched on their well-known port and the class is marked inexact with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tslcd.audit.model import DENY, PERMIT, Binding, ParsedConfig, Rule, RuleList
from tslcd.audit.names import PORTS, PROTOCOLS
from tslcd.audit.parsers.common import Block
from tslcd.audit.reachability import TooComplex, permitted
from tslcd.audit.space import DPORT, FULL, FULL6, PROTO, Box, intersection

_L4 = {"tcp": 6, "udp": 17, "icmp": 1}


@dataclass
class _ClassMap:
    name: str
    line: int
    match_all: bool
    matches: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, words after "match")


@dataclass
class _Zbf:
    classes: dict[str, _ClassMap] = field(default_factory=dict)
    policies: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # (line, class, action)
    pairs: list[tuple[Block, str, str, str]] = field(default_factory=list)  # (block, src, dst, policy)


def class_map_acls(block: Block) -> list[str]:
    """ACL names a ``class-map`` matches (any type): these are uses of the ACL."""
    out = []
    for _, line in block.children:
        w = line.split()
        if w[:2] == ["match", "access-group"] and len(w) >= 3:
            out.append(w[3] if w[2] == "name" and len(w) > 3 else w[2])
    return out


def collect(blocks: list[Block]) -> _Zbf:
    """The class-maps, policy-maps and zone-pairs of type inspect."""
    zbf = _Zbf()
    for block in blocks:
        w = block.words
        if w[:3] == ["class-map", "type", "inspect"] and len(w) >= 4:
            match_all = w[3] != "match-any"
            name = w[-1]
            cm = _ClassMap(name, block.line, match_all)
            for n, line in block.children:
                words = line.split()
                if words and words[0] == "match":
                    cm.matches.append((n, words[1:]))
            zbf.classes[name] = cm
        elif w[:3] == ["policy-map", "type", "inspect"] and len(w) == 4:
            entries: list[tuple[int, str, str]] = []
            for n, line in block.children:
                words = line.split()
                if words[:1] == ["class"]:
                    entries.append((n, words[-1], "drop"))  # a class with no action line drops
                elif entries and words and words[0] in ("inspect", "pass", "drop"):
                    entries[-1] = (entries[-1][0], entries[-1][1], words[0])
            zbf.policies[w[3]] = entries
        elif w[:2] == ["zone-pair", "security"] and len(w) >= 7 and w[3::2][:2] == ["source", "destination"]:
            policy = next(
                (c.split()[-1] for _, c in block.children if c.startswith("service-policy type inspect ")), ""
            )
            zbf.pairs.append((block, w[4], w[6], policy))
    return zbf


def zone_pair_lists(parsed: ParsedConfig, zbf: _Zbf, acls: dict[str, RuleList]) -> list[RuleList]:
    """One rule list per zone-pair that has an inspect policy, bound to the pair."""
    out: list[RuleList] = []
    for block, src, dst, policy_name in zbf.pairs:
        entries = zbf.policies.get(policy_name)
        if entries is None:
            if policy_name:
                parsed.note(block.line, f"zone-pair policy {policy_name} is not defined; pair not analysed")
            continue
        rules: list[Rule] = []
        for n, cls, action in entries:
            why: list[str] = []
            boxes = (
                [FULL, FULL6] if cls == "class-default" else _class_boxes(parsed, zbf, acls, cls, why, set())
            )
            for reason in why:
                parsed.note(n, f"class {cls}: {reason}; the class is treated as matching more")
            rules.append(
                Rule(
                    key=f"class {cls}",
                    action=DENY if action == "drop" else PERMIT,
                    boxes=boxes,
                    text=f"policy-map {policy_name} class {cls} {action}",
                    line=n,
                    end_line=n,
                    exact=not why,
                    logged=action == "inspect" or "log" in parsed.line_text(n + 1).split(),
                )
            )
        name = f"zone-pair {block.words[2]}"
        out.append(RuleList(name, "zone-pair", rules, block.line))
        parsed.bindings.append(Binding(name, f"zone-pair {src} -> {dst}", block.line))
    return out


def _class_boxes(
    parsed: ParsedConfig, zbf: _Zbf, acls: dict[str, RuleList], name: str, why: list[str], seen: set[str]
) -> list[Box]:
    cm = zbf.classes.get(name)
    if cm is None or name in seen:
        why.append(f"class-map {name} is not defined")
        return [FULL, FULL6]
    seen.add(name)
    sets: list[list[Box]] = []
    for _, words in cm.matches:
        sets.append(_match_boxes(parsed, zbf, acls, words, why, seen))
    if not sets:
        return [FULL, FULL6]
    if not cm.match_all:
        return [b for s in sets for b in s]
    result = sets[0]
    for other in sets[1:]:
        result = [p for a in result for b in other if (p := intersection(a, b)) is not None]
    return result


def _match_boxes(
    parsed: ParsedConfig,
    zbf: _Zbf,
    acls: dict[str, RuleList],
    words: list[str],
    why: list[str],
    seen: set[str],
) -> list[Box]:
    if words[:1] == ["access-group"] and len(words) >= 2:
        acl_name = words[2] if words[1] == "name" and len(words) > 2 else words[1]
        acl = acls.get(acl_name)
        if acl is None:
            why.append(f"access list {acl_name} is not defined (matches nothing on the device)")
            return []
        if not all(r.exact for r in acl.rules):
            why.append(f"access list {acl_name} is not fully analysed")
        try:
            return permitted(acl.rules)
        except TooComplex:
            why.append(f"access list {acl_name} is too fragmented to resolve")
            return [b for r in acl.rules if r.action == PERMIT for b in r.boxes]
    if words[:1] == ["protocol"] and len(words) >= 2:
        proto = words[1]
        if proto in _L4:
            return _proto_boxes(_L4[proto])
        if proto in PORTS:
            why.append(f"application {proto} matched on its well-known port {PORTS[proto]}")
            return [b for p in (6, 17) for b in _port_boxes(p, PORTS[proto])]
        if proto in PROTOCOLS:
            return _proto_boxes(PROTOCOLS[proto])
        why.append(f"match protocol {proto} not modelled")
        return [FULL, FULL6]
    if words[:1] == ["class-map"] and len(words) >= 2:
        return _class_boxes(parsed, zbf, acls, words[1], why, seen)
    why.append(f"match {' '.join(words)} not modelled")
    return [FULL, FULL6]


def _proto_box(proto: int, base: Box = FULL) -> Box:
    box = list(base)
    box[2 * PROTO], box[2 * PROTO + 1] = proto, proto
    return tuple(box)


def _proto_boxes(proto: int) -> list[Box]:
    return [_proto_box(proto, base) for base in (FULL, FULL6)]


def _port_boxes(proto: int, port: int) -> list[Box]:
    out = []
    for box in _proto_boxes(proto):
        b = list(box)
        b[2 * DPORT], b[2 * DPORT + 1] = port, port
        out.append(tuple(b))
    return out
