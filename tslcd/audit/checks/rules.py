"""Checks on the rules of one ordered list: reachability, anomalies, exposure, hygiene."""

from __future__ import annotations

from tslcd.audit.checks.registry import finding
from tslcd.audit.model import PERMIT, Finding, ParsedConfig, Rule, RuleList
from tslcd.audit.packets import format_packet
from tslcd.audit.reachability import ListAnalysis, Verdict
from tslcd.audit.space import (
    DPORT,
    DST,
    FULL,
    FULL6,
    ICMP,
    SPORT,
    SRC,
    Box,
    complement,
    contains,
    full_set,
    intersect_sets,
    product,
)
from tslcd.audit.zones import ZonePolicy

WIDE_PORTS = 1000  # a TCP/UDP permit spanning more ports than this is "wide"
# (label, protocol, low port, high port)
CLEARTEXT = (("telnet", 6, 23, 23), ("FTP", 6, 20, 21), ("TFTP", 17, 69, 69), ("SNMP v1/v2c", 17, 161, 162))
DANGEROUS = (
    ("SMB", 6, 445, 445),
    ("NetBIOS", 6, 137, 139),
    ("NetBIOS", 17, 137, 139),
    ("RDP", 6, 3389, 3389),
    ("MS-SQL", 6, 1433, 1434),
    ("Oracle", 6, 1521, 1521),
    ("MySQL", 6, 3306, 3306),
    ("PostgreSQL", 6, 5432, 5432),
    ("MongoDB", 6, 27017, 27017),
    ("Redis", 6, 6379, 6379),
)


def is_catch_all(rule: Rule) -> bool:
    """A rule that matches every packet (of IPv4, or of IPv6 in an IPv6 list)."""
    return rule.enabled and rule.exact and (FULL in rule.boxes or FULL6 in rule.boxes)


def rule_level(
    parsed: ParsedConfig, lst: RuleList, rule: Rule, policy: ZonePolicy, reachable: bool
) -> list[Finding]:
    """Findings about one rule in itself (computed once even when a policy sits in several lists).

    Exposure checks skip a rule that never matches: its finding is that it never matches.
    """
    out: list[Finding] = []
    name = lst.name
    if not rule.enabled:
        out.append(
            finding("rule-disabled", parsed, f"{rule.key} is disabled/inactive", list_name=name, rule=rule)
        )
        return out
    if rule.action != PERMIT:
        return out
    if is_catch_all(rule):
        out.append(
            finding(
                "any-any-permit",
                parsed,
                f"{rule.key} permits any source to any destination, any service",
                list_name=name,
                rule=rule,
            )
        )
    elif rule.exact and lst.traffic and reachable:
        internal = policy.internal_region()
        hits = [
            b
            for b in rule.boxes
            if b[2 * SRC] == 0
            and b[2 * SRC + 1] == FULL[2 * SRC + 1]
            and intersect_sets([(b[2 * DST], b[2 * DST + 1])], internal)
        ]
        if hits:
            out.append(
                finding(
                    "permit-any-to-internal",
                    parsed,
                    f"{rule.key} permits any source to internal addresses",
                    list_name=name,
                    rule=rule,
                )
            )
        wide = "ALL" in rule.services or any(
            b[0] == b[1] and b[0] in (6, 17) and b[2 * DPORT + 1] - b[2 * DPORT] + 1 > WIDE_PORTS
            for b in rule.boxes
            if not _fixed_source_port(b)
        )
        if wide:
            out.append(
                finding(
                    "wide-service",
                    parsed,
                    f"{rule.key} permits a wide port range or ALL services",
                    list_name=name,
                    rule=rule,
                )
            )
    if lst.traffic and not rule.logged:
        out.append(
            finding("permit-no-log", parsed, f"{rule.key} permits without logging", list_name=name, rule=rule)
        )
    return out


def exposure(
    parsed: ParsedConfig, lst: RuleList, analysis: ListAnalysis, i: int, policy: ZonePolicy
) -> list[Finding]:
    """Clear-text and dangerous services this permit really lets in from untrusted sources."""
    rule = lst.rules[i]
    if not (rule.enabled and rule.exact and rule.action == PERMIT and lst.traffic):
        return []
    if all(_fixed_source_port(b) for b in rule.boxes):
        return []
    untrusted = complement(policy.trusted_region(), SRC)
    out: list[Finding] = []
    for check, table in (("cleartext-service", CLEARTEXT), ("dangerous-service", DANGEROUS)):
        names: list[str] = []
        example = None
        for label, proto, lo, hi in table:
            if not any(
                b[0] <= proto <= b[1] and b[2 * DPORT] <= hi and lo <= b[2 * DPORT + 1] for b in rule.boxes
            ):
                continue
            region = product(
                [[(proto, proto)], untrusted, full_set(DST), full_set(SPORT), [(lo, hi)], full_set(ICMP)]
            )
            packet = analysis.witness(i, region)
            if packet is not None and label not in names:
                names.append(label)
                example = example or packet
        if names and example is not None:
            out.append(
                finding(
                    check,
                    parsed,
                    f"{rule.key} permits {', '.join(names)} from an untrusted zone",
                    list_name=lst.name,
                    rule=rule,
                    details={"example": format_packet(example), "services": names},
                )
            )
    return out


def reachability(parsed: ParsedConfig, lst: RuleList, v: Verdict) -> list[Finding]:
    """The exact verdict on one rule, as a finding when it never matches."""
    rule = lst.rules[v.index]
    if v.reachable is None:
        return [
            finding(
                "not-analysed",
                parsed,
                f"{parsed.source}:{rule.line}: {rule.key}: reachability undetermined (too many fragments)",
                list_name=lst.name,
                rule=rule,
            )
        ]
    if v.reachable:
        return []
    if v.empty and not rule.exact:
        return []  # matches no packet the model covers (e.g. IPv6 only): its note says so
    if v.empty:
        return [finding("empty-rule", parsed, f"{rule.key} matches no packet", list_name=lst.name, rule=rule)]
    blockers = [lst.rules[j] for j in v.blocking]
    names = ", ".join(b.key for b in blockers)
    check = "shadowed-rule" if v.different_action else "redundant-rule"
    how = "together" if len(blockers) > 1 else "alone"
    return [
        finding(
            check,
            parsed,
            f"{rule.key} never matches: {names} {'take' if len(blockers) > 1 else 'takes'} "
            f"all its packets ({how})",
            list_name=lst.name,
            rule=rule,
            details={
                "blocking": [
                    {"rule": b.key, "action": b.action, "line": b.line, "text": b.text} for b in blockers
                ],
                "multiple": len(blockers) > 1,
            },
        )
    ]


def anomalies(parsed: ParsedConfig, lst: RuleList, analysis: ListAnalysis, i: int) -> list[Finding]:
    """Pairwise Al-Shaer hints (generalisation, correlation) with earlier rules of another action."""
    rule = lst.rules[i]
    if is_catch_all(rule) or not rule.exact:
        return []
    general, correlated = [], []
    for j in analysis.earlier_rules(i):
        other = lst.rules[j]
        if other.action == rule.action:
            continue
        if _covers(rule.boxes, other.boxes):
            general.append(other)
        elif not _covers(other.boxes, rule.boxes):
            correlated.append(other)
    out = []
    for check, related, what in (
        ("generalised-rule", general, "generalises"),
        ("correlated-rules", correlated, "partly overlaps"),
    ):
        if related:
            keys = ", ".join(r.key for r in related[:5]) + (" ..." if len(related) > 5 else "")
            out.append(
                finding(
                    check,
                    parsed,
                    f"{rule.key} {what} {keys} (different action)",
                    list_name=lst.name,
                    rule=rule,
                    details={"related": [r.key for r in related]},
                )
            )
    return out


def _fixed_source_port(box: Box) -> bool:
    """A rule naming its source port (``udp host NTP eq 123 ...``) is written for replies, not services."""
    return box[2 * SPORT] != 0 or box[2 * SPORT + 1] != FULL[2 * SPORT + 1]


def _covers(outer: list[Box], inner: list[Box]) -> bool:
    return all(any(contains(o, b) for o in outer) for b in inner)


def catch_all(parsed: ParsedConfig, lst: RuleList) -> list[Finding]:
    """Rules placed after a rule that matches everything."""
    for k, rule in enumerate(lst.rules):
        if is_catch_all(rule):
            later = [r for r in lst.rules[k + 1 :] if r.enabled]
            if later:
                return [
                    finding(
                        "rule-after-catch-all",
                        parsed,
                        f"{len(later)} rule(s) after catch-all {rule.key} never match "
                        f"(first: {later[0].key})",
                        list_name=lst.name,
                        rule=rule,
                        details={"after": [r.key for r in later]},
                    )
                ]
            return []
    return []
