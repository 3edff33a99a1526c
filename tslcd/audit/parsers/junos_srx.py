"""SRX security policies into ordered lists, one per zone pair.

For traffic from zone A to zone B the SRX tries the A-to-B policies in order, then the global
policies (those whose ``from-zone``/``to-zone`` admit the pair), then the default policy
(``deny-all`` unless ``default-policy permit-all``). Each zone pair that has policies is one list
holding exactly that sequence; global policies alone (for pairs without zone policies) are the
list ``global``. Addresses resolve in the from-zone's (source) and to-zone's (destination)
address books before the global one.
"""

from __future__ import annotations

from tslcd.audit.model import DENY, PERMIT, Binding, ParsedConfig, Rule, RuleList
from tslcd.audit.parsers.junos_objects import Books, predefined, used_at
from tslcd.audit.parsers.junos_tree import Config, Stmt
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    FULL,
    FULL6,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    IntervalSet,
    complement,
    family_product,
    full_set,
    intersect_sets,
    normalize,
)

_SPECIAL = {"any": [ANY4, ANY6], "any-ipv4": [ANY4], "any-ipv6": [ANY6]}
_IGNORED_MATCH = {
    "source-address",
    "destination-address",
    "application",
    "from-zone",
    "to-zone",
    "source-address-excluded",
    "destination-address-excluded",
}


class _Policy:
    """One policy's statements, gathered in configuration order."""

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line
        self.match: dict[str, list[str]] = {}
        self.then: list[tuple[str, ...]] = []
        self.stmts: list[Stmt] = []


def policies(parsed: ParsedConfig, config: Config, objects: Objects, books: Books) -> None:
    """Every zone pair's policies (plus the global ones that apply) as a list."""
    pairs: dict[tuple[str, str], dict[str, _Policy]] = {}
    global_policies: dict[str, _Policy] = {}
    default_permit: Stmt | None = None
    for s in config.stmts:
        w = s.words
        if w[:2] != ("security", "policies") or len(w) < 3:
            continue
        if w[2] == "default-policy" and not s.inactive:
            default_permit = s if w[3:4] == ("permit-all",) else None
        elif w[2] == "from-zone" and len(w) > 7 and w[4] == "to-zone" and w[6] == "policy":
            table = pairs.setdefault((w[3], w[5]), {})
            _add(table, w[7], w[8:], s, config.opens.get(w[:8], s.line))
        elif w[2] == "global" and len(w) > 4 and w[3] == "policy":
            _add(global_policies, w[4], w[5:], s, config.opens.get(w[:5], s.line))
    names = {
        a
        for p in [*global_policies.values(), *(q for t in pairs.values() for q in t.values())]
        for a in p.match.get("application", [])
    }
    predefined(objects, names)
    seen = [n for table in pairs.values() for n in table]
    repeated = {n for n in seen if seen.count(n) > 1} | (set(seen) & set(global_policies))
    for (src_zone, dst_zone), table in pairs.items():
        rules = [
            _rule(parsed, config, objects, books, p, src_zone, dst_zone, repeated) for p in table.values()
        ]
        rules += [
            _rule(parsed, config, objects, books, p, src_zone, dst_zone, repeated)
            for p in global_policies.values()
            if _admits(p, src_zone, dst_zone)
        ]
        _finish(parsed, f"{src_zone} -> {dst_zone}", rules, default_permit, next(iter(table.values())).line)
    if global_policies:
        rules = [_rule(parsed, config, objects, books, p, "", "", repeated) for p in global_policies.values()]
        _finish(parsed, "global", rules, default_permit, next(iter(global_policies.values())).line)


def _add(table: dict[str, _Policy], name: str, rest: tuple[str, ...], s: Stmt, line: int) -> None:
    policy = table.setdefault(name, _Policy(name, line))
    policy.stmts.append(s)
    if s.inactive:
        return
    if rest[:1] == ("match",) and len(rest) > 2:
        policy.match.setdefault(rest[1], []).append(rest[2])
    elif rest[:1] == ("match",) and len(rest) == 2:
        policy.match.setdefault(rest[1], [])
    elif rest[:1] == ("then",) and len(rest) > 1:
        policy.then.append(rest[1:])
    elif rest[:1] == ("scheduler-name",):
        policy.match.setdefault("scheduler-name", []).append(" ".join(rest[1:]))


def _admits(policy: _Policy, src_zone: str, dst_zone: str) -> bool:
    """True when a global policy's zone conditions admit the pair (none given: every pair)."""
    froms, tos = policy.match.get("from-zone", ["any"]), policy.match.get("to-zone", ["any"])
    return (src_zone in froms or "any" in froms) and (dst_zone in tos or "any" in tos)


def _finish(
    parsed: ParsedConfig, name: str, rules: list[Rule], default_permit: Stmt | None, line: int
) -> None:
    if default_permit is not None:
        rules.append(
            Rule(
                key="default-policy permit-all",
                action=PERMIT,
                boxes=[FULL, FULL6],
                text="security policies default-policy permit-all",
                line=default_permit.line,
                end_line=default_permit.line,
                src_any=True,
                dst_any=True,
            )
        )
    parsed.lists.append(RuleList(name, "policy", rules, line))
    parsed.bindings.append(Binding(name, f"zone pair {name}", line))


def _rule(
    parsed: ParsedConfig,
    config: Config,
    objects: Objects,
    books: Books,
    p: _Policy,
    src_zone: str,
    dst_zone: str,
    repeated: set[str],
) -> Rule:
    """A policy as a rule, in the context of one zone pair ("" for the ``global`` list)."""
    is_global = p.stmts[0].words[2] == "global"
    at = used_at(p.stmts[0])
    reasons: list[str] = []
    refs: list[str] = []

    def addresses(field: str, zone: str) -> IntervalSet:
        out: IntervalSet = []
        for name in p.match.get(field, []):
            if name in _SPECIAL:
                out += _SPECIAL[name]
                continue
            qualified = books.lookup(name, zone) if zone else name
            refs.append(qualified)
            got, why = objects.addresses(qualified, at)
            out += got
            if why:
                reasons.append(why)
        out = normalize(out)
        if f"{field}-excluded" in p.match:
            out = complement(out, SRC)
        return out

    src = addresses("source-address", src_zone)
    dst = addresses("destination-address", dst_zone)
    if not src_zone and is_global and ("from-zone" in p.match or "to-zone" in p.match):
        reasons.append("global policy zone match")
    services: list[Service] = []
    for name in p.match.get("application", []):
        if name == "any":
            services.append((full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))
            continue
        refs.append(name)
        got, why = objects.services(name, at)
        services += got
        if why:
            reasons.append(why)
    for extra in sorted(set(p.match) - _IGNORED_MATCH):
        if extra == "dynamic-application" and set(p.match[extra]) <= {"any", "none"}:
            continue
        reasons.append(f"{extra} {' '.join(p.match[extra])}".strip())
    verbs = {t[0] for t in p.then}
    action = PERMIT if "permit" in verbs else DENY
    boxes = [b for pr, sp, dp, ic in services for b in family_product([pr, src, dst, sp, dp, ic])]
    enabled = not any(config.is_inactive(s.words[: s.words.index("policy") + 2]) for s in p.stmts[:1])
    if reasons and enabled:
        parsed.note(p.line, f"policy condition not modelled ({', '.join(reasons)}); treated as matching more")
    zones = "global " if is_global else f"from-zone {src_zone} to-zone {dst_zone} "
    text = f"{zones}policy {p.name}: " + "; ".join(
        [f"match {k} {' '.join(v)}".strip() for k, v in p.match.items()]
        + [f"then {' '.join(t)}" for t in p.then]
    )
    return Rule(
        key=f"policy {p.name}" + (f" ({zones.strip()})" if p.name in repeated else ""),
        action=action,
        boxes=boxes,
        text=text,
        line=p.line,
        end_line=max(s.line for s in p.stmts),
        policy_id=p.name,
        enabled=enabled,
        logged=any(t[0] == "log" for t in p.then) or "count" in verbs,
        exact=not reasons,
        refs=tuple(refs),
        services=tuple(p.match.get("application", [])),
        src_any=bool(intersect_sets(src, [ANY4]) == [ANY4]),
        dst_any=bool(intersect_sets(dst, [ANY4]) == [ANY4]),
    )
