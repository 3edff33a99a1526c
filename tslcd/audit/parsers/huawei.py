"""Huawei VRP (V5: AR, S, USG; V8: NE, CE) ``display current-configuration`` into the rule model.

Models basic (2000-2999) and advanced (3000-3999) ACLs, numbered or named, IPv4 and IPv6, in
rule-id order; where they are applied (``traffic-filter``, vty ``acl``, interzone
``packet-filter``); USG ``security-policy`` rules with address and service sets (huawei_usg); and
the management-plane lines the checks read (huawei_mgmt).

An ACL applied by ``traffic-filter`` lets through what no rule matches (Huawei: "If no rule is
matched, packets are allowed to pass through"), so such a list ends with an explicit
default-permit rule, added only when some packet reaches it. ``match-order auto`` (depth-first
order) is not modelled: the rules of such a list are noted and made inexact, so nothing is
claimed unreachable there.
"""

from __future__ import annotations

import re

from tslcd.audit.model import PERMIT, Binding, Evidence, ParsedConfig, Rule, RuleList
from tslcd.audit.parsers.cisco_ace import AceError
from tslcd.audit.parsers.common import ParseProblem, new_config, rule_from_ace, unread_rule
from tslcd.audit.parsers.huawei_acl import parse_rule
from tslcd.audit.parsers.huawei_mgmt import management
from tslcd.audit.parsers.huawei_tree import Node, vrp_tree
from tslcd.audit.parsers.huawei_usg import UsgObjects, security_policy
from tslcd.audit.reachability import DEFAULT_BUDGET, TooComplex, uncovered
from tslcd.audit.space import FULL, FULL6, Box, contains, volume

# Top-level words of VRP configurations (a file with none of them is no VRP configuration).
_VRP_LINES = (
    "sysname acl interface user-interface aaa info-center snmp-agent ntp-service",
    "security-policy firewall ip ipv6 vlan stelnet telnet ssh http undo traffic-filter traffic",
    "classifier behavior bgp ospf isis rip radius-server hwtacacs-server dhcp lldp stp nat ike",
    "ipsec time-range header clock drop-profile return web-manager dns domain local-user",
    "license cpu-defend security-zone firewall-zone l2tp vrrp route-policy ip-prefix",
    "license_info sftp ntp",
)
_VRP_WORDS = frozenset(word for line in _VRP_LINES for word in line.split())
# Lines that use an ACL for something other than filtering transit traffic (the ACL is group 1).
_MGMT_USES = (
    re.compile(r"^snmp-agent .*\bacl (?:ipv6 )?(?:name )?(\S+)"),
    re.compile(r"^(?:ssh|stelnet|telnet|http|ftp) .*\bacl (?:ipv6 )?(?:name )?(\S+)"),
    re.compile(r"^ntp-service access \S+ (?:ipv6 )?(\S+)"),
)
_OTHER_USES = (
    re.compile(r"\bif-match (?:ipv6 )?acl (?:name )?(\S+)"),
    re.compile(r"^nat outbound (\S+)"),
    re.compile(r"^security acl (\S+)"),
    re.compile(r"\bfilter-policy (?:acl-name )?(\S+) (?:import|export)"),
    re.compile(r"\bacl (?:ipv6 )?(?:name )?(\S+)"),
)
_CLASSIFIER = _OTHER_USES[0]
_DIRECTIONS = ("inbound", "outbound")


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one VRP V5 configuration; raises `ParseProblem` for a file that is no VRP configuration."""
    return _parse(text, host, source, "huawei")


def parse_v8(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one VRP V8 configuration (the same grammar; findings name the V8 platform)."""
    return _parse(text, host, source, "huawei_vrpv8")


def _parse(text: str, host: str, source: str, platform: str) -> ParsedConfig:
    parsed = new_config(host, platform, text, source or host or "config")
    nodes = vrp_tree(parsed.lines)
    _refuse_foreign(parsed, nodes)
    usg = UsgObjects(parsed)
    for node in nodes:  # objects first: rules may use a set defined further down
        usg.define(node)
    acls: dict[str, RuleList] = {}
    aliases: dict[str, str] = {}
    families: dict[str, int] = {}
    covering: dict[str, list[Box]] = {}  # per list, the packets its exactly read rules match
    mgmt_lists: set[str] = set()
    classifier_lists: set[str] = set()
    default_permit: dict[str, int] = {}  # list -> line of a traffic-filter applying it
    for node in nodes:
        words = node.words
        if words[0] == "acl":
            _acl(parsed, node, acls, aliases, families, covering)
            continue
        if words[0] == "security-policy":
            security_policy(parsed, usg, node)
        elif words[0] == "interface" or words[0] == "traffic-filter":
            _traffic_filters(parsed, node, default_permit)
        elif words[0] == "user-interface":
            _vty_acl(parsed, node, mgmt_lists)
        elif words[:2] == ["firewall", "interzone"]:
            _interzone(parsed, node)
        _other_uses(parsed, node, mgmt_lists, classifier_lists)
    management(parsed, nodes)
    for b in parsed.bindings:
        b.list_name = aliases.get(b.list_name, b.list_name)
    parsed.other_list_refs = {aliases.get(n, n) for n in parsed.other_list_refs}
    bound_traffic = {b.list_name for b in parsed.bindings if b.traffic}
    mgmt = {aliases.get(n, n) for n in mgmt_lists}
    for name, line in default_permit.items():
        name = aliases.get(name, name)
        if name in acls:
            _end_with_default_permit(parsed, acls[name], families[name], covering.get(name, []), line)
            if name in mgmt:  # one list, two defaults: the traffic-filter's is the one modelled
                parsed.note(
                    line, f"ACL {name} also filters management access, where unmatched packets are refused"
                )
    users = mgmt | {aliases.get(n, n) for n in classifier_lists}
    for acl in acls.values():
        acl.traffic = not (acl.name in users and acl.name not in bound_traffic)
    parsed.lists = list(acls.values()) + parsed.lists
    usg.finish()
    return parsed


def _refuse_foreign(parsed: ParsedConfig, nodes: list[Node]) -> None:
    head = parsed.lines[:50]
    if any(line.startswith(("config system ", "#config-version=")) for line in head):
        raise ParseProblem(f"{parsed.source}: a FortiOS configuration, not a Huawei VRP one")
    if nodes and not any(n.words[0] in _VRP_WORDS for n in nodes):
        raise ParseProblem(
            f"{parsed.source}: not a Huawei VRP configuration (no sysname, interface, acl or other "
            "VRP command at top level)"
        )


def _acl(
    parsed: ParsedConfig,
    node: Node,
    acls: dict[str, RuleList],
    aliases: dict[str, str],
    families: dict[str, int],
    covering: dict[str, list[Box]],
) -> None:
    """``acl [ipv6] number N | name X [N | basic | advance] [match-order config|auto]``.

    IPv6 lists are named ``ipv6 N`` (VRP numbers IPv4 and IPv6 ACLs apart: both may be 3000).
    """
    words = node.words[1:]
    family = 6 if words[:1] == ["ipv6"] else 4
    words = words[1:] if family == 6 else words
    auto = "auto" in words[words.index("match-order") + 1 :][:1] if "match-order" in words else False
    words = words[: words.index("match-order")] if "match-order" in words else words
    name = number = kind = ""
    if words[:1] == ["number"] and len(words) > 1:
        number = words[1]
    elif words[:1] == ["name"] and len(words) > 1:
        name = words[1]
        rest = words[2:]
        number = next((w for w in rest if w.isdigit()), "")
        kind = next((w for w in rest if w in ("basic", "advance", "advanced")), "")
    elif words[:1] and words[0].isdigit():
        number = words[0]
    else:
        parsed.note(node.line, "ACL header not analysed; its rules are not analysed")
        return
    if number and not number.isdigit():
        parsed.note(node.line, "ACL header not analysed; its rules are not analysed")
        return
    if number and not kind:
        n = int(number)
        kind = "basic" if 2000 <= n <= 2999 else "advance" if 3000 <= n <= 3999 else ""
        if not kind:
            parsed.note(node.line, f"ACL {number} (layer 2, user-defined or user ACL) not analysed")
            return
    kind = kind or "advance"
    prefix = "ipv6 " if family == 6 else ""
    list_name = prefix + (name or number)
    if name and number:
        aliases[prefix + number] = list_name
    advanced = kind != "basic"
    acl = acls.setdefault(
        list_name, RuleList(list_name, "acl" if advanced else "standard-acl", [], node.line)
    )
    families[list_name] = family
    if auto:
        parsed.note(
            node.line,
            "match-order auto (depth-first) not modelled: its rules are not checked for reachability",
        )
    numbered: list[tuple[int, Rule]] = []
    for child in node.children:
        w = child.words
        if w[0] in ("description", "step") or (w[0] == "rule" and _is_remark(w)):
            continue
        if w[0] != "rule":
            parsed.note(child.line, f"ACL line {w[0]!r} not analysed")
            continue
        rule_id = int(w[1]) if len(w) > 1 and w[1].isdigit() else len(numbered)
        body = w[2:] if len(w) > 1 and w[1].isdigit() else w[1:]
        if body[:1] == ["name"]:  # V8 "rule 5 name NAME permit ..."
            body = body[2:]
        at = Evidence(child.line, child.text)
        key = f"acl {list_name} rule {rule_id}"  # unique in the file: findings are told apart by key
        try:
            ace = parse_rule(body, advanced, family)
        except (AceError, ValueError, IndexError) as exc:
            rule = unread_rule(parsed, body, key, at, str(exc))
            if rule is not None:
                numbered.append((rule_id, rule))
            continue
        if not ace.inexact and not ace.inactive:
            covering.setdefault(list_name, []).extend(ace.boxes)
        if auto:  # the rule itself is read exactly; only its place in the order is unknown
            ace.inexact.append("match-order auto")
        rule = rule_from_ace(parsed, ace, key, at, child.line)
        numbered.append((rule_id, rule))
    numbered.sort(key=lambda item: item[0])  # config order is rule-id order
    acl.rules.extend(rule for _, rule in numbered)


def _is_remark(words: list[str]) -> bool:
    return len(words) > 2 and words[1].isdigit() and words[2] in ("description", "remark")


def _acl_ref(words: list[str]) -> str | None:
    """The ACL named after ``acl`` in a binding line (``acl 3000``, ``acl name X``, ``acl ipv6 3000``,
    ``ipv6 acl 3000``), IPv6 ones as ``ipv6 N``."""
    if "acl" not in words:
        return None
    rest = [w for w in words[words.index("acl") + 1 :] if w not in ("ipv6", "name")]
    return (("ipv6 " if "ipv6" in words else "") + rest[0]) if rest else None


def _traffic_filters(parsed: ParsedConfig, node: Node, default_permit: dict[str, int]) -> None:
    """``traffic-filter inbound acl 3000`` (V5), ``traffic-filter acl 3000 inbound`` (V8), on an
    interface or globally (``traffic-filter vlan 10 inbound acl 3000``)."""
    where = " ".join(node.words[1:]) if node.words[0] == "interface" else "global"
    lines = [node] if node.words[0] == "traffic-filter" else node.children
    for child in lines:
        w = child.words
        if w[0] == "traffic-policy" and len(w) >= 2:
            parsed.note(child.line, "traffic-policy (classifier/behavior) not analysed")
        if w[0] != "traffic-filter":
            continue
        ref = _acl_ref(w)
        direction = next((d for d in w if d in _DIRECTIONS), "")
        if ref is None or not direction:
            parsed.note(child.line, "traffic-filter line not analysed")
            continue
        number = ref.removeprefix("ipv6 ")
        if "l2" in w or (number.isdigit() and not 2000 <= int(number) <= 3999):
            parsed.note(child.line, "traffic-filter with a layer 2 or user ACL not analysed")
            continue
        parsed.bindings.append(Binding(ref, f"{where} traffic-filter {direction}", child.line))
        default_permit.setdefault(ref, child.line)


def _interzone(parsed: ParsedConfig, node: Node) -> None:
    """``firewall interzone trust untrust`` / `` packet-filter 3000 inbound`` (USG, AR firewall)."""
    zones = " ".join(node.words[2:])
    for child in node.children:
        w = child.words
        if w[0] == "packet-filter" and len(w) >= 3 and w[-1] in _DIRECTIONS:
            ref = w[1] if w[1] not in ("ipv6", "name") else w[2]
            parsed.bindings.append(Binding(ref, f"interzone {zones} packet-filter {w[-1]}", child.line))
            parsed.note(
                child.line,
                "interzone default action not modelled: packets no rule matches are analysed as denied",
            )


def _vty_acl(parsed: ParsedConfig, node: Node, mgmt_lists: set[str]) -> None:
    """``user-interface vty 0 4`` / `` acl 2000 inbound``: who may log in (management, not transit)."""
    for child in node.children:
        w = child.words
        if w[0] == "acl" and w[-1] == "inbound":
            ref = _acl_ref(w)
            if ref is not None:
                parsed.bindings.append(Binding(ref, f"{node.text} acl inbound", child.line, traffic=False))
                mgmt_lists.add(ref)


def _other_uses(parsed: ParsedConfig, node: Node, mgmt_lists: set[str], classifier_lists: set[str]) -> None:
    """ACLs used by SNMP, NTP, NAT, IPsec, route filters and classifiers (bound, but not filters)."""
    if node.words[0] in ("user-interface", "interface", "traffic-filter", "firewall"):
        lines = [c for c in _walk(node) if c.words[0] not in ("acl", "traffic-filter", "packet-filter")]
    else:
        lines = _walk(node)
    for item in lines:
        text = item.text
        for pattern in _MGMT_USES:
            m = pattern.search(text)
            if m:
                mgmt_lists.add(m.group(1))
                parsed.other_list_refs.add(m.group(1))
        m = _CLASSIFIER.search(text)
        if m:
            classifier_lists.add(m.group(1))
        for pattern in _OTHER_USES:
            m = pattern.search(text)
            if m:
                parsed.other_list_refs.add(m.group(1))
                break


def _walk(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out += _walk(child)
    return out


def _end_with_default_permit(
    parsed: ParsedConfig, acl: RuleList, family: int, taken: list[Box], line: int
) -> None:
    """Append the traffic-filter default (permit what no rule matched) when a packet reaches it.

    Whether a packet matches no rule does not depend on the rules' order, so the exactly read
    rules of a ``match-order auto`` list count here too; the widest are tried first (a final
    ``rule deny ip`` settles it at once). Past the budget the default is kept but inexact.
    """
    everything = FULL if family == 4 else FULL6
    exact = True
    if any(contains(box, everything) for box in taken):
        return
    try:
        if uncovered(everything, sorted(taken, key=volume, reverse=True), DEFAULT_BUDGET) is None:
            return
    except TooComplex:
        exact = False
        parsed.note(line, f"whether packets reach the default permit of ACL {acl.name} is undetermined")
    acl.rules.append(
        Rule(
            key=f"acl {acl.name} default permit",
            action=PERMIT,
            boxes=[everything],
            text=f"(no rule matched: permitted by {parsed.line_text(line)})",
            line=line,
            end_line=line,
            exact=exact,
            src_any=True,
            dst_any=True,
        )
    )
