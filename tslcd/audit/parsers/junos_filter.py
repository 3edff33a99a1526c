"""JunOS firewall filters (family inet and inet6) into ordered rule lists, and where they are applied.

A filter is its terms, first match, then the implicit ``discard`` at the end. A term matches what
all its ``from`` conditions match (no ``from``: every packet of the family) and ends with its
terminating action: ``accept``, ``discard``, ``reject``, a forwarding action, or none at all, which
accepts. A ``next term`` term terminates nothing, so a packet goes on exactly as if it were not
there: it is left out of the list. Conditions the header space cannot express make the term
inexact (a superset), with a "not analysed" note at its line.
"""

from __future__ import annotations

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
    """Every filter of family inet/inet6 as a list; other families are noted."""
    found: dict[tuple[str, str], Path] = {}
    for s in config.stmts:
        w = s.words
        if w[0] != "firewall" or len(w) < 3:
            continue
        if w[1] == "filter":
            found.setdefault(("inet", w[2]), w[:3])
        elif w[1] == "family" and len(w) > 4 and w[3] == "filter":
            found.setdefault((w[2], w[4]), w[:5])
    for (family, name), path in found.items():
        line = config.opens.get(path, 1)
        if family not in _FAMILIES:
            parsed.note(line, f"firewall filter {name} of family {family} not analysed")
            continue
        if config.is_inactive(path):
            parsed.note(line, f"firewall filter {name} is inactive; not analysed")
            continue
        rules = _terms(parsed, config, objects, path, _FAMILIES[family])
        parsed.lists.append(RuleList(f"{family}/{name}", "acl", rules, line))
    _bindings(parsed, config)


def _terms(
    parsed: ParsedConfig, config: Config, objects: Objects, path: Path, family: tuple[int, int]
) -> list[Rule]:
    n = len(path)
    terms: dict[str, list[Stmt]] = {}
    for s in config.stmts:
        if s.words[:n] == path and len(s.words) > n + 1 and s.words[n] == "term":
            terms.setdefault(s.words[n + 1], []).append(s)
    rules = []
    for term, stmts in terms.items():
        tpath = (*path, "term", term)
        active = [s.words[n + 2 :] for s in stmts if not s.inactive]
        rule = _rule(parsed, objects, tpath, active, stmts, family, config)
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
    reasons: list[str] = []
    if any(w[:1] not in (("from",), ("then",)) and w[:1] != () for w in body):
        reasons += sorted({w[0] for w in body if w[:1] not in (("from",), ("then",))})
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
    types = [icmp_range(icmp_type(t, v6)) for t in values.get("icmp-type", [])]
    if values.get("icmp-code"):
        reasons.append("icmp-code")
    if types:
        sets[ICMP] = normalize(types)
    cut_types = [icmp_range(icmp_type(t, v6)) for t in values.get("icmp-type-except", [])]
    if cut_types:
        sets[ICMP] = subtract_sets(sets[ICMP], normalize(cut_types), ICMP)
    if (types or cut_types) and not protos:
        sets[PROTO] = intersect_sets(sets[PROTO], [(58, 58)] if v6 else [(1, 1)])


def _bindings(parsed: ParsedConfig, config: Config) -> None:
    """``interfaces IF unit N family F filter input|output NAME``; lo0 filters guard management."""
    names = {lst.name for lst in parsed.lists}
    on_lo0: dict[str, bool] = {}
    for s in config.under("interfaces"):
        w = s.words
        if "filter" not in w or "family" not in w:
            continue
        i, f = w.index("filter"), w.index("family")
        if i + 2 >= len(w) or f + 1 >= len(w):
            continue
        direction, name = w[i + 1], w[i + 2]
        list_name = f"{w[f + 1]}/{name}"
        if direction in ("input-list", "output-list"):
            parsed.note(
                s.line,
                f"{direction}: filters chained without their own final discard; each "
                "filter is analysed alone",
            )
        if list_name not in names:
            continue
        where = f"interface {w[1]}{'.' + w[3] if w[2:3] == ('unit',) else ''} {direction}"
        lo0 = w[1] == "lo0"
        on_lo0[list_name] = on_lo0.get(list_name, True) and lo0
        parsed.bindings.append(Binding(list_name, where, s.line, traffic=not lo0))
    for lst in parsed.lists:
        if on_lo0.get(lst.name):
            lst.traffic = False
    for s in config.stmts:
        w = s.words
        if w[0] in ("firewall", "interfaces") or s.inactive or "filter" not in w:
            continue
        i = w.index("filter")
        for name in w[i + 1 : i + 3]:
            parsed.other_list_refs |= {n for n in names if n.split("/", 1)[1] == name}
