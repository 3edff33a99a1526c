"""Zone-policy checks: flows a firewall permits that the policy does not allow; required flows it blocks."""

from __future__ import annotations

from tslcd.audit.checks.registry import finding
from tslcd.audit.model import PERMIT, Finding, ParsedConfig, RuleList
from tslcd.audit.packets import format_packet
from tslcd.audit.reachability import ListAnalysis
from tslcd.audit.space import (
    DPORT,
    DST,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    Box,
    IntervalSet,
    full_set,
    intersect_sets,
    normalize,
    product,
)
from tslcd.audit.zones import ZonePolicy


def _region(src: IntervalSet, dst: IntervalSet) -> list[Box]:
    """Every packet from ``src`` to ``dst`` addresses."""
    return product([full_set(PROTO), src, dst, full_set(SPORT), full_set(DPORT), full_set(ICMP)])


def _span(boxes: list[Box], dim: int) -> IntervalSet:
    return normalize((b[2 * dim], b[2 * dim + 1]) for b in boxes)


def not_allowed(
    parsed: ParsedConfig, lst: RuleList, analysis: ListAnalysis, policy: ZonePolicy
) -> list[Finding]:
    """One finding per permit rule that lets through a flow between zones the policy does not list."""
    regions = policy.regions()
    parts: dict[tuple[tuple[int, int], ...], dict[str, IntervalSet]] = {}

    def zone_parts(span: IntervalSet) -> dict[str, IntervalSet]:
        """Each zone's share of an address span (rules repeat the same spans: computed once each)."""
        key = tuple(span)
        if key not in parts:
            parts[key] = {z: p for z, region in regions.items() if (p := intersect_sets(region, span))}
        return parts[key]

    out: list[Finding] = []
    for i, rule in enumerate(lst.rules):
        if not (rule.enabled and rule.exact and rule.action == PERMIT and rule.boxes):
            continue
        src_span, dst_span = _span(rule.boxes, SRC), _span(rule.boxes, DST)
        dst_parts = zone_parts(dst_span)
        flows: list[str] = []
        example = None
        for zs, s_part in zone_parts(src_span).items():
            pairs = {zd: part for zd, part in dst_parts.items() if zd != zs}
            if not pairs:
                continue
            # One question per source zone first: most rules permit only allowed flows.
            every = normalize(iv for part in pairs.values() for iv in part)
            allowed = policy.allowed_from(zs)
            if analysis.witness(i, _region(s_part, every), allowed) is None:
                continue
            for zd, d_part in pairs.items():
                packet = analysis.witness(i, _region(s_part, d_part), allowed)
                if packet is not None:
                    flows.append(f"{zs} -> {zd}")
                    example = example or packet
        if flows and example is not None:
            out.append(
                finding(
                    "zone-flow-not-allowed",
                    parsed,
                    f"{rule.key} permits {', '.join(flows[:4])}{' ...' if len(flows) > 4 else ''} "
                    f"not allowed by the zone policy (e.g. {format_packet(example)})",
                    list_name=lst.name,
                    rule=rule,
                    details={"flows": flows, "example": format_packet(example)},
                )
            )
    return out


def required_blocked(
    parsed: ParsedConfig, analyses: list[tuple[RuleList, ListAnalysis]], policy: ZonePolicy
) -> list[Finding]:
    """Required flows that no traffic list of the device lets through whole."""
    out: list[Finding] = []
    for flow in policy.flows:
        if not flow.required:
            continue
        region = policy.flow_boxes(
            flow, policy.zone_region(flow.src, parsed.data), policy.zone_region(flow.dst, parsed.data)
        )
        if not region or not analyses:
            continue
        blocked = []
        for lst, analysis in analyses:
            hit = _first_block(lst, analysis, region)
            if hit is None:
                break  # this list passes the whole flow
            permits_some = any(
                r.enabled and r.action == PERMIT and analysis.witness(k, region) is not None
                for k, r in enumerate(lst.rules)
            )
            blocked.append((not permits_some, lst, hit))
        else:
            _, lst, (rule, packet) = min(blocked, key=lambda t: t[0])
            where = f"{rule.key}" if rule is not None else "the implicit deny"
            out.append(
                finding(
                    "zone-required-blocked",
                    parsed,
                    f"required flow {flow.label} is blocked by {where} in {lst.name} "
                    f"(e.g. {format_packet(packet)})",
                    list_name=lst.name,
                    rule=rule,
                    details={"flow": flow.label, "example": format_packet(packet)},
                )
            )
    return out


def _first_block(lst: RuleList, analysis: ListAnalysis, region: list[Box]):
    """The first rule (None: the implicit deny) dropping some packet of ``region``, and that packet.

    A deny whose conditions are only partly modelled (App-ID, a dynamic group) may not drop the
    flow at all, so it is never named as the rule that blocks it.
    """
    for k, rule in enumerate(lst.rules):
        if rule.enabled and rule.exact and rule.action != PERMIT:
            packet = analysis.witness(k, region)
            if packet is not None:
                return rule, packet
    packet = analysis.unmatched(region)
    return (None, packet) if packet is not None else None
