"""What a planned push does to traffic on each device, and the zone policy gate over it.

A plan is made against the config a device holds (its running config in a dry run, its latest
backup offline); the config it would hold afterwards is computed without touching the device
(`tslcd.push.diff.after_config`), and the two are compared exactly (`tslcd.audit.impact`). Newly
permitted flows that ``inventory/zones.yaml`` does not allow are flagged; a commit refuses them
unless the operator accepts the risk under a ticket (`gate`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tslcd.audit.intent import ImpactReport, Intent
from tslcd.audit.runner import DeviceConfig
from tslcd.audit.zone_gate import ForbiddenFlow, forbidden_flows
from tslcd.audit.zones import ZonePolicy
from tslcd.errors import InputError
from tslcd.inventory import HostInfo
from tslcd.push.diff import Plan, planned_config
from tslcd.services.impact import compare, summary_lines


class ForbiddenChange(InputError):
    """A change opens flows the zone policy forbids and the risk was not accepted (exit 2)."""


@dataclass
class ChangeImpact:
    """Per device: the impact of its plan, why it could not be analysed, the forbidden flows."""

    reports: dict[str, ImpactReport] = field(default_factory=dict)
    unanalysed: dict[str, str] = field(default_factory=dict)
    forbidden: dict[str, list[ForbiddenFlow]] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self, host: str) -> list[str]:
        """What the change does to one device's traffic, one line per rectangle of packets."""
        if host in self.unanalysed:
            return [f"traffic impact not analysed: {self.unanalysed[host]}"]
        report = self.reports.get(host)
        return summary_lines(report) if report is not None else []

    @property
    def flows(self) -> list[ForbiddenFlow]:
        """Every forbidden flow, device by device."""
        return [f for flows in self.forbidden.values() for f in flows]

    def acceptance(self, ticket: str) -> str:
        """What the change log records when the operator accepts the forbidden flows."""
        return "\n".join([f"accepted under ticket {ticket}:"] + [f.line() for f in self.flows])


def plan_report(host: HostInfo, plan: Plan, intents: Sequence[Intent] = ()) -> ImpactReport:
    """The impact of one device's plan: the config it was made against, then with the change."""
    data = host.flat()
    after = planned_config(plan)
    return compare(DeviceConfig(host.name, host.platform, plan.running, data, f"{host.name} now"),
                   DeviceConfig(host.name, host.platform, after, data, f"{host.name} after the change"),
                   intents)


def impacts(hosts: Mapping[str, HostInfo], plans: Iterable[Plan], policy: ZonePolicy,
            intents: Sequence[Intent] = ()) -> ChangeImpact:
    """The impact of every non-empty plan, and the flows the zone policy forbids among them."""
    started = time.monotonic()
    out = ChangeImpact()
    for plan in plans:
        if plan.empty:
            continue
        host = hosts[plan.host]
        try:
            report = plan_report(host, plan, intents)
        except InputError as exc:
            out.unanalysed[plan.host] = str(exc)
            continue
        out.reports[plan.host] = report
        flows = forbidden_flows(report, policy, host.flat())
        if flows:
            out.forbidden[plan.host] = flows
    out.seconds = time.monotonic() - started
    return out


def gate(impact: ChangeImpact, accept_risk: bool, ticket: str) -> str:
    """Refuse a change that opens forbidden flows unless the risk is accepted under a ticket;
    returns what the change log records ("" when nothing was forbidden)."""
    if accept_risk and not ticket:
        raise InputError("--accept-risk needs --ticket T: the acceptance is recorded under a ticket")
    if not impact.flows:
        return ""
    if not accept_risk:
        raise ForbiddenChange("refused: the change newly permits flows the zone policy forbids "
                              "(give --accept-risk --ticket T to push it anyway)",
                              [f.line() for f in impact.flows])
    return impact.acceptance(ticket)
