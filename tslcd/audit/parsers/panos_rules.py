"""One PAN-OS security rule into a `Rule`: zones, addresses (negatable), services, action.

What a rule matches beyond the header space (App-ID, users, URL categories, HIP, schedules) makes
the rule inexact: its boxes then over-approximate, it is noted at its line, and it is never used to
call another rule unreachable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tslcd.audit.model import DENY, PERMIT, Evidence, ParsedConfig, Rule
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.parsers.panos_objects import address_values
from tslcd.audit.parsers.panos_tree import PNode
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    IntervalSet,
    complement,
    family_product,
    full_set,
    normalize,
)

# Rule fields that narrow what a rule matches in ways the header space cannot express.
_UNMODELLED = ("source-user", "category", "source-hip", "destination-hip", "hip-profiles")
_REGION = re.compile(r"[A-Z]{2}")  # a country code used as an address (geolocation)


@dataclass
class ScopeRule:
    """A parsed rule and where it applies: its zones and its rule type."""

    rule: Rule
    from_zones: list[str]
    to_zones: list[str]
    rule_type: str  # universal, intrazone, interzone

    def applies(self, src: str, dst: str) -> bool:
        """True when the rule sees traffic from zone ``src`` to zone ``dst``."""
        if self.rule_type == "intrazone" and src != dst:
            return False
        if self.rule_type == "interzone" and src == dst:
            return False
        return ("any" in self.from_zones or src in self.from_zones) and (
            "any" in self.to_zones or dst in self.to_zones
        )


def security_rule(parsed: ParsedConfig, objects: Objects, entry: PNode, label: str) -> ScopeRule:
    """The rule model of one ``security rules`` entry."""
    at = Evidence(entry.line, f"rule {entry.name}")
    reasons: list[str] = []
    refs: list[str] = []

    def addresses(key: str) -> IntervalSet:
        values: IntervalSet = []
        for member in entry.members(key) or ["any"]:
            if member == "any":
                values += [ANY4, ANY6]
                continue
            if not objects.has(member):
                try:
                    values += address_values(member)
                    continue
                except ValueError:
                    if _REGION.fullmatch(member):
                        reasons.append(f"{key} region {member}")
                        values += [ANY4, ANY6]
                        continue
            refs.append(member)
            got, why = objects.addresses(member, at)
            values += got
            if why:
                reasons.append(why)
        values = normalize(values)
        if entry.get(f"negate-{key}") == "yes":
            values = complement(values, SRC)
        return values

    src, dst = addresses("source"), addresses("destination")
    services: list[Service] = []
    for member in entry.members("service") or ["any"]:
        if member == "any":
            services.append((full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))
        elif member == "application-default":
            reasons.append("service application-default (each application's default ports)")
            services.append((full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))
        else:
            refs.append(member)
            got, why = objects.services(member, at)
            services += got
            if why:
                reasons.append(why)
    apps = [a for a in entry.members("application") if a != "any"]
    if apps:
        reasons.append(f"App-ID application {' '.join(apps)} not modelled")
    for key in _UNMODELLED:
        values = [v for v in entry.members(key) if v != "any"]
        if values:
            reasons.append(f"{key} {' '.join(values)}")
    if entry.get("schedule"):
        reasons.append(f"schedule {entry.get('schedule')}")
    for why in reasons:
        parsed.note(entry.line, f"rule condition not modelled ({why}); the rule is treated as matching more")
    action = entry.get("action", default="allow")
    rule = Rule(
        key=f"rule {entry.name}",
        action=PERMIT if action == "allow" else DENY,
        boxes=[b for p, s, d, i in services for b in family_product([p, src, dst, s, d, i])],
        text=_text(entry, label),
        line=entry.line,
        end_line=entry.end_line or entry.line,
        policy_id=entry.name,
        enabled=entry.get("disabled", default="no") != "yes",
        logged=entry.get("log-end", default="yes") != "no" or entry.get("log-start") == "yes",
        exact=not reasons,
        refs=tuple(refs),
        services=tuple(entry.members("service") or ["any"]),
        src_any=ANY4 in src,
        dst_any=ANY4 in dst,
    )
    return ScopeRule(
        rule,
        entry.members("from") or ["any"],
        entry.members("to") or ["any"],
        entry.get("rule-type", default="universal"),
    )


def _text(entry: PNode, label: str) -> str:
    """The rule as one readable line (the same for every export form, so findings match)."""
    parts = [f"{label} rule {entry.name}:"]
    for key in ("from", "to", "source", "destination", "application", "service"):
        values = entry.members(key) or ["any"]
        negate = "not " if entry.get(f"negate-{key}") == "yes" else ""
        parts.append(f"{key} {negate}{' '.join(values)}")
    parts.append(f"action {entry.get('action', default='allow')}")
    if entry.get("disabled") == "yes":
        parts.append("disabled")
    return " ".join(parts)
