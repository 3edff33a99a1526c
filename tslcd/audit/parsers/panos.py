"""Palo Alto PAN-OS configuration (XML, set or brace form; firewall or Panorama) into the rule model.

A firewall's virtual systems, and a Panorama's device groups, are each audited as a firewall of
their own (one vsys, or none named, keeps plain names). Security rules are evaluated first-match in
order: Panorama shared pre-rules, the device group's pre-rules, the device's own rules, the device
group's post-rules, the shared post-rules. Each ordered list holds the rules that apply to one
source-zone/destination-zone pair (zone pairs with the same rules share one list).

Not modelled, and so noted and never used to call another rule unreachable: App-ID (an
``application`` other than ``any``), users, URL categories, HIP profiles, schedules, FQDN and
dynamic addresses. The device's built-in ``intrazone-default`` (allow) and ``interzone-default``
(deny) become rules only where the configuration sets them; reachability never depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tslcd.audit.model import DENY, PERMIT, Binding, ParsedConfig, Rule, RuleList
from tslcd.audit.parsers.common import new_config
from tslcd.audit.parsers.objects import Objects
from tslcd.audit.parsers.panos_mgmt import management
from tslcd.audit.parsers.panos_objects import define_objects
from tslcd.audit.parsers.panos_rules import ScopeRule, security_rule
from tslcd.audit.parsers.panos_tree import PNode, parse_tree
from tslcd.audit.space import FULL, FULL6


@dataclass
class _Scope:
    """One firewall's worth of policy: a vsys, a device group, or the whole device."""

    name: str
    objects: list[PNode]  # nodes holding address/service definitions, most specific first
    rulebases: list[tuple[str, PNode]]  # (label, rulebase node) in evaluation order
    zones: list[str] = field(default_factory=list)
    defaults: list[PNode] = field(default_factory=list)  # nodes holding default-security-rules


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one PAN-OS configuration; raises `ParseProblem` only for a file that is no PAN-OS one."""
    parsed = new_config(host, "paloalto_panos", text, source or host or "config")
    root = parse_tree(parsed)
    scopes = _scopes(root)
    if len(scopes) == 1:
        _parse_scope(parsed, scopes[0])
    else:
        for scope in scopes:
            part = ParsedConfig(host=host, platform=parsed.platform, source=parsed.source, lines=parsed.lines)
            owners = _parse_scope(part, scope)
            _merge(parsed, part, scope.name, owners)
    management(parsed, root)
    return parsed


def _devices(root: PNode) -> list[PNode]:
    """The device-level nodes: ``devices/<entry>`` in XML and full exports, else the root itself."""
    return root.entries("devices") or [root]


def _scopes(root: PNode) -> list[_Scope]:
    shared = root.child("shared")
    shared_objs = [shared] if shared is not None else []
    shared_pre = [("shared pre-rulebase", shared.child("pre-rulebase"))] if shared else []
    shared_post = [("shared post-rulebase", shared.child("post-rulebase"))] if shared else []
    scopes: list[_Scope] = []
    for dev in _devices(root):
        pushed = dev.child("policy", "panorama") or root.child("policy", "panorama")
        pre = [("panorama pre-rulebase", pushed.child("pre-rulebase"))] if pushed else []
        post = [("panorama post-rulebase", pushed.child("post-rulebase"))] if pushed else []
        if not pushed and not dev.entries("device-group"):  # a Panorama with shared rules only
            pre, post = shared_pre, shared_post
        pushed_objs = [pushed] if pushed else []
        for vsys in dev.entries("vsys"):
            scopes.append(
                _Scope(
                    vsys.name,
                    [vsys, *pushed_objs, *shared_objs],
                    [*pre, ("rulebase", vsys.child("rulebase")), *post],
                    [z.name for z in vsys.entries("zone")],
                    [vsys.child("rulebase"), *(n for _, n in post)],
                )
            )
        bare = not dev.entries("vsys") and not dev.entries("device-group")
        if bare or dev.child("rulebase") is not None:  # set form: vsys1 unnamed
            scopes.append(
                _Scope(
                    "vsys1" if dev.entries("vsys") else "",
                    [dev, *pushed_objs, *shared_objs],
                    [*pre, ("rulebase", dev.child("rulebase")), *post],
                    [z.name for z in dev.entries("zone")],
                    [dev.child("rulebase"), *(n for _, n in post)],
                )
            )
        groups = {g.name: g for g in dev.entries("device-group")}
        for group in groups.values():
            chain = _ancestry(group, groups, root)
            pre_dg = [(f"{g.name} pre-rulebase", g.child("pre-rulebase")) for g in reversed(chain)]
            post_dg = [(f"{g.name} post-rulebase", g.child("post-rulebase")) for g in chain]
            scopes.append(
                _Scope(
                    group.name,
                    [*chain, *shared_objs],
                    [*shared_pre, *pre_dg, *post_dg, *shared_post],
                    [],
                    [*(n for _, n in post_dg), *(n for _, n in shared_post)],
                )
            )
    with_rules = [s for s in scopes if _rules_of(s)]
    return with_rules or scopes[:1]


def _rules_of(scope: _Scope) -> list[PNode]:
    return [r for _, rb in scope.rulebases if rb is not None for r in rb.entries("security", "rules")]


def _ancestry(group: PNode, groups: dict[str, PNode], root: PNode) -> list[PNode]:
    """The device group and its parents, nearest first (``parent-dg`` in set form, or the
    ``readonly`` hierarchy of an XML export)."""
    chain = [group]
    hierarchy = root.entries("readonly", "devices", "localhost.localdomain", "device-group")
    readonly = {e.name: e.get("parent-dg") for e in hierarchy}
    while True:
        parent = chain[-1].get("parent-dg") or readonly.get(chain[-1].name, "")
        if not parent or parent not in groups or groups[parent] in chain:
            return chain
        chain.append(groups[parent])


def _merge(parsed: ParsedConfig, part: ParsedConfig, scope: str, owners: dict[str, str]) -> None:
    """Add one scope's analysis to the device's, names prefixed so two scopes never mix.

    Objects a scope inherits (from ``shared`` or a parent device group) keep their owner's name
    (``shared/NAME``) and are used when any scope uses them; a scope's own are ``SCOPE/NAME``.
    """

    def rename(name: str) -> str:
        return f"{owners.get(name) or scope}/{name}"

    renamed: set[int] = set()
    for lst in part.lists:
        lst.name = f"{scope}: {lst.name}"
        parsed.lists.append(lst)
        for rule in lst.rules:  # two scopes may each have a rule of one name: keep them apart
            if id(rule) not in renamed:
                renamed.add(id(rule))
                rule.key = f"{scope} {rule.key}"
    for b in part.bindings:
        parsed.bindings.append(Binding(f"{scope}: {b.list_name}", f"{scope} {b.where}", b.line, b.traffic))
    for name, obj in part.objects.items():
        obj.name = rename(name)
        parsed.objects.setdefault(obj.name, obj)
    parsed.used_objects |= {rename(n) for n in part.used_objects}
    parsed.undefined_refs += [(f"{scope}/{n}", at) for n, at in part.undefined_refs]
    parsed.notes += part.notes


def _parse_scope(parsed: ParsedConfig, scope: _Scope) -> dict[str, str]:
    """Objects, rules and zone-pair lists of one scope; returns inherited objects' owners."""
    objects = Objects(parsed)
    owners = define_objects(parsed, objects, scope.objects)
    rules: list[ScopeRule] = []
    for label, rulebase in scope.rulebases:
        if rulebase is None:
            continue
        for entry in rulebase.entries("security", "rules"):
            rules.append(security_rule(parsed, objects, entry, label))
    objects.finish()
    for name, obj in list(parsed.objects.items()):
        if obj.line == 0:  # PAN-OS's own objects (service-http, ...): never "unused"
            del parsed.objects[name]
    _zone_lists(parsed, scope, rules, _default_rules(scope))
    return owners


def _default_rules(scope: _Scope) -> dict[str, Rule]:
    """``intrazone-default`` / ``interzone-default`` where the configuration overrides them."""
    out: dict[str, Rule] = {}
    for node in scope.defaults:
        if node is None:
            continue
        for entry in node.entries("default-security-rules", "rules"):
            if entry.name not in ("intrazone-default", "interzone-default"):
                continue
            builtin = "allow" if entry.name == "intrazone-default" else "deny"
            action = entry.get("action", default=builtin)
            out[entry.name] = Rule(
                key=entry.name,
                action=PERMIT if action == "allow" else DENY,
                boxes=[FULL, FULL6],
                text=f"{entry.name}: action {action}",
                line=entry.line,
                end_line=entry.end_line or entry.line,
                logged="yes" in (entry.get("log-end"), entry.get("log-start")),
                src_any=True,
                dst_any=True,
            )
    return out


def _zone_lists(
    parsed: ParsedConfig, scope: _Scope, rules: list[ScopeRule], defaults: dict[str, Rule]
) -> None:
    """One list per group of zone pairs that see the same rules, each rule in every pair it matches."""
    named = {z for r in rules for z in (*r.from_zones, *r.to_zones) if z != "any"}
    zones = sorted(scope.zones or named)
    if not zones:  # zones unknown (a Panorama device group): one list, the defaults left out
        zones, defaults = ["any"], {}
    groups: dict[tuple, list[str]] = {}
    for s in zones:
        candidates = [i for i, r in enumerate(rules) if "any" in r.from_zones or s in r.from_zones]
        for d in zones:
            intra = s == d
            picked = tuple(i for i in candidates if rules[i].applies(s, d))
            default = defaults.get("intrazone-default" if intra else "interzone-default")
            if not picked and default is None:
                continue
            groups.setdefault((picked, intra and default is not None, default is not None), []).append(
                f"{s} -> {d}"
            )
    line = min((r.rule.line for r in rules), default=1)
    for (picked, intra, has_default), pairs in sorted(groups.items(), key=lambda kv: kv[1][0]):
        name = pairs[0] if len(pairs) == 1 else f"{pairs[0]} (+{len(pairs) - 1} zone pairs, same rules)"
        lst = [rules[i].rule for i in picked]
        if has_default:
            lst.append(defaults["intrazone-default" if intra else "interzone-default"])
        parsed.lists.append(RuleList(name, "policy", lst, line))
        parsed.bindings.append(Binding(name, f"zone pair {name}", line))
