"""JunOS firewall filters (family inet and inet6) into ordered rule lists, and where they are applied.

A filter is its terms, first match, then the implicit ``discard`` at the end. A term matches what
all its ``from`` conditions match (no ``from``: every packet of the family) and ends with its
terminating action: ``accept``, ``discard``, ``reject``, a forwarding action, or none at all, which
accepts. A ``next term`` term terminates nothing, so a packet goes on exactly as if it were not
there: it is left out of the list. Conditions the header space cannot express make the term
inexact (a superset), with a "not analysed" note at its line.
"""

from __future__ import annotations

from collections.abc import Callable

from tslcd.audit.model import DENY, PERMIT, Binding, ParsedConfig, Rule, RuleList
from tslcd.audit.names import icmp_range
from tslcd.audit.parsers.junos_objects import icmp_type, lpm_set, port_range, protocol, used_at
from tslcd.audit.parsers.junos_tree import Config, Path, Stmt
from tslcd.audit.parsers.objects import Objects
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    DST,
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
    subtract_sets,
)

_FAMILIES = {"inet": ANY4, "inet6": ANY6}
_ACCEPT = {"accept", "routing-instance", "next-ip", "next-ip6", "next-interface", "topology"}
_DENY = {"discard", "reject"}
_ADDRESS_KEYS = {"source-address": SRC, "destination-address": DST, "address": -1}
_PREFIX_KEYS = {"source-prefix-list": SRC, "destination-prefix-list": DST, "prefix-list": -1}
_PORT_KEYS = {"source-port": SPORT, "destination-port": DPORT, "port": -1}
_PROTO_KEYS = ("protocol", "next-header", "payload-protocol")


def filters(parsed: ParsedConfig, config: Config, objects: Objects) -> None:
    """Every filter of family inet/inet6 as a list; other families are noted.

    An interface naming a filter nobody defined is a binding to an undefined list; one naming a
    filter that exists but is not analysed (inactive, other family) is no binding at all.
    """
    found: dict[tuple[str, str], Path] = {}
    body: dict[Path, list[Stmt]] = {}  # one pass: a router may have hundreds of filters
    for s in config.stmts:
        w = s.words
        if w[0] != "firewall" or len(w) < 3:
            continue
        if w[1] == "filter":
            path = found.setdefault(("inet", w[2]), w[:3])
        elif w[1] == "family" and len(w) > 4 and w[3] == "filter":
            path = found.setdefault((w[2], w[4]), w[:5])
        else:
            continue
        body.setdefault(path, []).append(s)
    defined = {f"{family}/{name}" for family, name in found}
    chains: _Chains = {}
    on_lo0 = _bindings(parsed, config, chains)
    for (family, name), path in found.items():
        line = config.opens.get(path, 1)
        if family not in _FAMILIES:
            parsed.note(line, f"firewall filter {name} of family {family} not analysed")
            continue
        if config.is_inactive(path):
            parsed.note(line, f"firewall filter {name} is inactive; not analysed")
            continue
        rules = _terms(parsed, config, objects, path, body[path], _FAMILIES[family])
        if config.any_inherited(path):
            unordered(parsed, rules, line, "terms")
        parsed.lists.append(
            RuleList(f"{family}/{name}", "acl", rules, line, traffic=not on_lo0.get(f"{family}/{name}"))
        )
    other_refs(parsed, config)
    _chain_lists(parsed, chains)
    analysed = {lst.name for lst in parsed.lists}
    parsed.bindings = [b for b in parsed.bindings if b.list_name in analysed or b.list_name not in defined]


def unordered(parsed: ParsedConfig, rules: list[Rule], line: int, what: str) -> None:
    """Rules of a list that apply-groups added to: where JunOS places them is not modelled, so no
    rule of the list may hide another (each is treated as inexact)."""
    parsed.note(
        line,
        f"{what} inherited from apply-groups: their order is not modelled; "
        "reachability in this list not judged",
    )
    for rule in rules:
        rule.exact = False


def _terms(
    parsed: ParsedConfig,
    config: Config,
    objects: Objects,
    path: Path,
    stmts: list[Stmt],
    family: tuple[int, int],
) -> list[Rule]:
    n = len(path)
    terms: dict[str, list[Stmt]] = {}
    for s in stmts:
        if len(s.words) > n + 1 and s.words[n] == "term":
            terms.setdefault(s.words[n + 1], []).append(s)
    rules = []
    for term, own in terms.items():
        tpath = (*path, "term", term)
        active = [s.words[n + 2 :] for s in own if not config.inactive_below(s.words, n + 2)]
        rule = _rule(parsed, objects, tpath, active, own, family, config)
        if rule is not None:
            rules.append(rule)
    return rules


def _rule(
    parsed: ParsedConfig,
    objects: Objects,
    tpath: Path,
    body: list[Path],
    stmts: list[Stmt],
    family: tuple[int, int],
    config: Config,
) -> Rule | None:
    line = config.opens.get(tpath, stmts[0].line)
    then = [w[1:] for w in body if w[:1] == ("then",) and len(w) > 1]
    verbs = {w[0] for w in then}
    if "next" in verbs and not verbs & (_ACCEPT | _DENY):
        return None  # "next term": the packet goes on as if this term were not there
    action = DENY if verbs & _DENY else PERMIT
    # anything beside from/then (a nested "filter NAME", ...) is not modelled
    reasons = sorted({w[0] for w in body if w and w[0] not in ("from", "then")})
    sets, either, refs = _match(
        parsed, objects, [w[1:] for w in body if w[:1] == ("from",) and len(w) > 1], family, reasons, stmts
    )
    variants = [sets]
    for dim_pair, values in either:
        variants = [{**v, d: intersect_sets(v[d], values)} for v in variants for d in dim_pair]
    boxes = [b for v in variants for b in family_product([v[d] for d in range(6)])]
    enabled = not config.is_inactive(tpath)
    if reasons and enabled:
        parsed.note(line, f"term condition not modelled ({', '.join(reasons)}); treated as matching more")
    key = f"filter {tpath[-3]} term {tpath[-1]}"  # term names repeat across filters; keys may not
    text = f"{key}: " + "; ".join(" ".join(w) for w in body) if body else key
    return Rule(
        key=key,
        action=action,
        boxes=boxes,
        text=text,
        line=line,
        end_line=config.closes.get(tpath, line),
        enabled=enabled,
        logged=bool(verbs & {"log", "syslog"}),
        exact=not reasons,
        refs=tuple(refs),
        src_any=sets[SRC] == [family],
        dst_any=sets[DST] == [family],
    )


def _match(
    parsed: ParsedConfig,
    objects: Objects,
    conds: list[Path],
    family: tuple[int, int],
    reasons: list[str],
    stmts: list[Stmt],
) -> tuple[dict[int, IntervalSet], list, list[str]]:
    """Per-dimension sets of a term's ``from`` conditions, and the either-direction ones apart."""
    sets = {d: full_set(d) for d in range(6)}
    sets[SRC] = sets[DST] = [family]
    either: list[tuple[tuple[int, int], IntervalSet]] = []
    refs: list[str] = []
    addresses: dict[int, list[tuple[str, bool]]] = {}
    prefixes: dict[int, list[tuple[IntervalSet, bool]]] = {}
    values: dict[str, list[str]] = {}
    at = used_at(stmts[0])
    for cond in conds:
        key, rest = cond[0], cond[1:]
        if key in _ADDRESS_KEYS and rest:
            addresses.setdefault(_ADDRESS_KEYS[key], []).append((rest[0], rest[1:2] == ("except",)))
        elif key in _PREFIX_KEYS and rest:
            refs.append(rest[0])
            got, why = objects.addresses(rest[0], at)
            if not got:  # undefined, or an apply-path that picks nothing up: not guessed
                got, why = [family], f"prefix-list {rest[0]} undefined or empty"
            if why:
                reasons.append(why)
            prefixes.setdefault(_PREFIX_KEYS[key], []).append((got, rest[1:2] == ("except",)))
        elif rest and (
            key in _PORT_KEYS
            or key.removesuffix("-except") in (*_PORT_KEYS, *_PROTO_KEYS, "icmp-type", "icmp-code")
        ):
            values.setdefault(key, []).append(rest[0])
        else:
            reasons.append(key)
    try:
        _fill(sets, either, addresses, prefixes, values, family, reasons)
    except (ValueError, KeyError) as exc:
        reasons.append(f"unreadable value {exc}")
        sets = {d: full_set(d) for d in range(6)}
        sets[SRC] = sets[DST] = [family]
        either = []
    return sets, either, refs


def _fill(
    sets: dict[int, IntervalSet],
    either: list,
    addresses: dict,
    prefixes: dict,
    values: dict[str, list[str]],
    family: tuple[int, int],
    reasons: list[str],
) -> None:
    for dim in set(addresses) | set(prefixes):
        got: IntervalSet = []
        if dim in addresses:
            got = lpm_set(addresses[dim])
        if dim in prefixes:
            if dim in addresses:
                reasons.append("address and prefix-list in one term")
            plus = normalize([iv for s, exc in prefixes[dim] if not exc for iv in s])
            minus = [iv for s, exc in prefixes[dim] if exc for iv in s]
            got = normalize([*got, *subtract_sets(plus, minus, SRC)])
        got = intersect_sets(normalize(got), [family])
        if dim == -1:
            either.append(((SRC, DST), got))
        else:
            sets[dim] = got
    v6 = family == ANY6
    protos = [v for k in _PROTO_KEYS for v in values.get(k, [])]
    if protos:
        sets[PROTO] = normalize([(protocol(p),) * 2 for p in protos])
    excepted = [v for k in _PROTO_KEYS for v in values.get(f"{k}-except", [])]
    if excepted:
        sets[PROTO] = intersect_sets(
            sets[PROTO], complement(normalize([(protocol(p),) * 2 for p in excepted]), PROTO)
        )
    for key, dim in _PORT_KEYS.items():
        ports = normalize(port_range(v) for v in values.get(key, []))
        cut = normalize(port_range(v) for v in values.get(f"{key}-except", []))
        if not ports and not cut:
            continue
        got = intersect_sets(ports or full_set(DPORT), complement(cut, DPORT))
        if not protos:
            reasons.append("port match without a protocol")
            sets[PROTO] = intersect_sets(sets[PROTO], [(6, 6), (17, 17), (132, 132)])
        if dim == -1:
            either.append(((SPORT, DPORT), got))
        else:
            sets[dim] = got
    types = [_icmp_span(t, v6) for t in values.get("icmp-type", [])]
    if values.get("icmp-code"):
        reasons.append("icmp-code")
    if types:
        sets[ICMP] = normalize(types)
    cut_types = [_icmp_span(t, v6) for t in values.get("icmp-type-except", [])]
    if cut_types:
        sets[ICMP] = subtract_sets(sets[ICMP], normalize(cut_types), ICMP)
    if (types or cut_types) and not protos:
        sets[PROTO] = intersect_sets(sets[PROTO], [(58, 58)] if v6 else [(1, 1)])


def _span(text: str, one: Callable[[str], int]) -> tuple[int, int]:
    """A keyword, number or ``LOW-HIGH`` range of numbers as an interval."""
    lo, _, hi = text.partition("-")
    if hi and lo.isdigit() and hi.isdigit():
        a, b = one(lo), one(hi)
        return min(a, b), max(a, b)
    return (one(text),) * 2


def _icmp_span(text: str, v6: bool) -> tuple[int, int]:
    """ICMP types (name, number or range) in the ICMP dimension, every code of each."""
    lo, hi = _span(text, lambda t: icmp_type(t, v6))
    return icmp_range(lo)[0], icmp_range(hi)[1]


_Chains = dict[tuple[str, str, str], tuple[int, list[str]]]  # (family, interface, direction)


def _bindings(parsed: ParsedConfig, config: Config, chains: _Chains) -> dict[str, bool]:
    """``interfaces IF unit N family F filter input|output NAME``; which filters sit on lo0 only.

    A filter applied only to lo0 guards the routing engine (management), not transit traffic.
    ``input-list``/``output-list`` members are gathered into ``chains`` in their order.
    """
    on_lo0: dict[str, bool] = {}
    for s in config.under("interfaces"):
        w = s.words
        if "filter" not in w or "family" not in w:
            continue
        i, f = w.index("filter"), w.index("family")
        if i + 2 >= len(w) or f + 1 >= len(w):
            continue
        direction, name = w[i + 1], w[i + 2]
        if direction not in ("input", "output", "input-list", "output-list"):
            continue
        list_name = f"{w[f + 1]}/{name}"
        interface = f"{w[1]}{'.' + w[3] if w[2:3] == ('unit',) else ''}"
        lo0 = w[1] == "lo0"
        on_lo0[list_name] = on_lo0.get(list_name, True) and lo0
        if direction.endswith("-list"):
            chains.setdefault((w[f + 1], interface, direction), (s.line, []))[1].append(name)
            continue
        parsed.bindings.append(
            Binding(list_name, f"interface {interface} {direction}", s.line, traffic=not lo0)
        )
    return on_lo0


def _chain_lists(parsed: ParsedConfig, chains: _Chains) -> None:
    """Each filter list as JunOS runs it: the filters concatenated into one, named like the device
    names it (``ge-0/0/0.0-i``), with the one implicit discard at the end. A member filter used
    nowhere else is analysed only there (alone it would end in a discard the device never applies)."""
    lists = {lst.name: lst for lst in parsed.lists}
    used_alone = {b.list_name for b in parsed.bindings} | parsed.other_list_refs
    in_chains: set[str] = set()
    for (family, interface, direction), (line, names) in chains.items():
        members = [f"{family}/{name}" for name in names]
        missing = [m for m in members if m not in lists]
        if missing:
            for m in missing:
                parsed.bindings.append(Binding(m, f"interface {interface} {direction}", line))
            parsed.note(line, f"{direction} with a filter not analysed ({', '.join(missing)}); not analysed")
            continue
        name = f"{family}/{interface}-{direction[0]}"
        rules = [rule for m in members for rule in lists[m].rules]
        traffic = not interface.startswith("lo0.")
        parsed.lists.append(RuleList(name, "acl", rules, line, traffic=traffic))
        parsed.bindings.append(Binding(name, f"interface {interface} {direction}", line, traffic=traffic))
        in_chains.update(members)
    parsed.lists = [lst for lst in parsed.lists if lst.name not in in_chains - used_alone]


def other_refs(parsed: ParsedConfig, config: Config) -> None:
    """Filters named outside interfaces (forwarding-options, snmp, dhcp...) count as applied."""
    names = {lst.name for lst in parsed.lists}
    for s in config.stmts:
        w = s.words
        if w[0] in ("firewall", "interfaces") or s.inactive or "filter" not in w:
            continue
        i = w.index("filter")
        for name in w[i + 1 : i + 3]:
            parsed.other_list_refs |= {n for n in names if n.split("/", 1)[1] == name}
