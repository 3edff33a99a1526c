"""Audit one device: parse its stored configuration with its platform's parser, run every check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tslcd.audit.checks import management, objects, rules, zoning
from tslcd.audit.checks.registry import CHECKS, finding
from tslcd.audit.model import Finding, ParsedConfig
from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.reachability import DEFAULT_BUDGET, ListAnalysis
from tslcd.audit.zones import ZonePolicy
from tslcd.platforms import get_platform, load_object


@dataclass
class DeviceConfig:
    """A configuration to audit, wherever it came from (backup store, a file, a test)."""

    host: str
    platform: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)  # inventory data: agency, role, lan_prefix...
    source: str = ""
    decoding: str = ""  # how the bytes were decoded when not plain UTF-8 (noted in the audit)


def parse_device(dev: DeviceConfig) -> ParsedConfig:
    """Parse with the parser the platform registry names; raises `ParseProblem` naming the line."""
    parser = load_object(get_platform(dev.platform).audit_parser)
    parsed: ParsedConfig = parser(dev.text, host=dev.host, source=dev.source or dev.host)
    parsed.data = dict(dev.data)
    if dev.decoding:
        parsed.note(1, f"file decoded as {dev.decoding}")
    return parsed


def audit_parsed(parsed: ParsedConfig, policy: ZonePolicy, budget: int = DEFAULT_BUDGET) -> list[Finding]:
    """Every finding on one parsed configuration, in a stable order."""
    out: list[Finding] = []
    seen_rules: set[int] = set()
    zone_lists: list[tuple] = []
    zoned = policy.applies_to(parsed.data)
    applied = {b.list_name for b in parsed.bindings} | parsed.other_list_refs
    analysed = []
    reached: set[int] = set()
    for lst in parsed.lists:
        analysis = ListAnalysis(lst.rules, budget)
        verdicts = analysis.verdicts()
        reached |= {id(lst.rules[v.index]) for v in verdicts if v.reachable is not False}
        analysed.append((lst, analysis, verdicts))
    for lst, analysis, verdicts in analysed:
        live = lst.traffic and lst.name in applied  # exposure only counts where traffic meets the list
        for rule in lst.rules:
            if id(rule) not in seen_rules:
                seen_rules.add(id(rule))
                out += rules.rule_level(parsed, lst, rule, policy, id(rule) in reached)
        for v in verdicts:
            out += rules.reachability(parsed, lst, v)
            if v.reachable:
                if live:
                    out += rules.exposure(parsed, lst, analysis, v.index, policy)
                out += rules.anomalies(parsed, lst, analysis, v.index)
        out += rules.catch_all(parsed, lst)
        if zoned and live:
            out += zoning.not_allowed(parsed, lst, analysis, policy)
            zone_lists.append((lst, analysis))
    if zoned:
        out += zoning.required_blocked(parsed, zone_lists, policy)
    out += objects.object_findings(parsed)
    out += objects.binding_findings(parsed)
    out += objects.note_findings(parsed)
    out += management.management_findings(parsed)
    return _dedupe([f for f in out if parsed.platform in CHECKS[f.check].platforms])


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """A FortiGate policy in several interface-pair lists reports the same exposure once."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (f.check, f.rule or str(f.line), f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def audit_device(dev: DeviceConfig, policy: ZonePolicy, budget: int = DEFAULT_BUDGET) -> list[Finding]:
    """Findings for one device; an unreadable configuration becomes a parse-error finding."""
    try:
        parsed = parse_device(dev)
    except ParseProblem as exc:
        empty = ParsedConfig(host=dev.host, platform=dev.platform, source=dev.source, data=dict(dev.data))
        return [finding("parse-error", empty, str(exc))]
    return audit_parsed(parsed, policy, budget)
