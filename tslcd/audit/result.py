"""The outcome of one audit run, as every report format and front end reads it."""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tslcd.audit.model import Finding, Severity
from tslcd.audit.waivers import Waived


@dataclass
class DeviceInfo:
    """Who a device belongs to, for grouping findings by agency."""

    host: str
    platform: str
    agency_code: str = ""
    agency_name: str = ""
    agency_type: str = ""
    district: str = ""
    source: str = ""

    @classmethod
    def from_data(cls, host: str, platform: str, data: dict[str, Any], source: str = "") -> DeviceInfo:
        """From inventory data (missing keys become empty strings)."""
        return cls(
            host,
            platform,
            str(data.get("agency_code") or ""),
            str(data.get("agency_name") or ""),
            str(data.get("agency_type") or ""),
            str(data.get("district") or ""),
            source,
        )


@dataclass(frozen=True)
class RunInfo:
    """A stored run as a comparison names it: which run, when, and what it covered."""

    id: int
    started: str
    kind: str
    description: str

    def label(self) -> str:
        """``run 12 (2026-12-04T02:30:00+00:00, full: whole inventory, 60 hosts)``."""
        return f"run {self.id} ({self.started}, {self.kind}: {self.description})"


@dataclass
class Comparison:
    """New and resolved findings against the baseline: the latest earlier full run of the inventory
    (or the previous audit of the same file); ``baseline`` is None before the first one."""

    baseline: RunInfo | None
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)

    @property
    def previous_run(self) -> int | None:
        """The baseline run's id."""
        return None if self.baseline is None else self.baseline.id

    def label(self) -> str:
        """What the new and resolved findings are counted against, for every report."""
        if self.baseline is None:
            return "no baseline yet (no earlier full audit to compare with)"
        return self.baseline.label()


@dataclass
class StoredAs:
    """How a result's findings relate to the result cache, so storing the run is cheap: the cache
    key of each host, and the hosts whose (unchanged) findings an earlier run already holds."""

    keys: dict[str, str] = field(default_factory=dict)
    copies: dict[str, int] = field(default_factory=dict)  # host -> run id


@dataclass
class AuditResult:
    """Devices audited, their findings, what the run covered, the waivers that apply to its
    findings and (optionally) the comparison with the baseline.

    Counts, totals and `worst` leave accepted findings out: an accepted risk is listed, marked, but
    is neither failing nor new.
    """

    devices: list[DeviceInfo]
    findings: list[Finding]
    started: str = ""
    run_id: int | None = None
    comparison: Comparison | None = None
    kind: str = "full"  # full | scoped | file | export (see tslcd.store.audits)
    scope: str = ""  # what the run covered, for people
    waived: dict[str, Waived] = field(default_factory=dict)  # fingerprint -> its waiver
    stored_as: StoredAs | None = field(default=None, repr=False)  # set by an audit using the cache

    def waiver(self, f: Finding) -> Waived | None:
        """The waiver naming this finding, expired or not."""
        return self.waived.get(f.fingerprint) if self.waived else None

    def is_accepted(self, f: Finding) -> bool:
        """Waived by a waiver that has not expired."""
        w = self.waiver(f)
        return w is not None and not w.expired

    @property
    def active(self) -> list[Finding]:
        """The findings that count: every one not covered by an unexpired waiver."""
        return [f for f in self.findings if not self.is_accepted(f)] if self.waived else self.findings

    @property
    def accepted(self) -> list[Finding]:
        """Findings covered by an unexpired waiver."""
        return [f for f in self.findings if self.is_accepted(f)]

    @property
    def expired(self) -> list[Finding]:
        """Findings whose waiver has expired (they count again)."""
        return [f for f in self.findings if (w := self.waiver(f)) is not None and w.expired]

    def covered(self) -> str:
        """``run 12, 2026-12-04T02:30:00+00:00, full: whole inventory, 60 hosts``."""
        run = f"run {self.run_id}, " if self.run_id is not None else ""
        return f"{run}{self.started}, {self.kind}: {self.scope or f'{len(self.devices)} device(s)'}"

    def filtered(self, min_severity: Severity | None = None, checks: Sequence[str] = (),
                 hosts: Sequence[str] = (), show_info: bool = True) -> AuditResult:
        """The same run showing only findings at least ``min_severity``, of ``checks`` and on
        ``hosts`` (globs); without ``show_info``, info findings are left out."""
        def keep(f: Finding) -> bool:
            return ((min_severity is None or f.severity >= min_severity)
                    and (show_info or f.severity > Severity.info)
                    and (not checks or f.check in checks)
                    and (not hosts or any(fnmatch.fnmatchcase(f.host, h) for h in hosts)))

        comparison = self.comparison
        if comparison is not None:
            comparison = Comparison(comparison.baseline, [f for f in comparison.new if keep(f)],
                                    [f for f in comparison.resolved if keep(f)])
        return replace(self, findings=[f for f in self.findings if keep(f)], comparison=comparison)

    def device(self, host: str) -> DeviceInfo:
        """The device record of a host (an empty one if unknown)."""
        return next((d for d in self.devices if d.host == host), DeviceInfo(host, ""))

    def by_severity(self) -> dict[str, int]:
        """Finding counts per severity, most severe first (zeros included)."""
        counts = Counter(f.severity for f in self.active)
        return {s.name: counts.get(s, 0) for s in sorted(Severity, reverse=True)}

    def by_agency(self) -> list[tuple[str, str, dict[str, int]]]:
        """(agency code, agency name, counts per severity) sorted by most severe findings."""
        table: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for f in self.active:
            d = self.device(f.host)
            code = d.agency_code or d.host
            names[code] = d.agency_name or code
            row = table.setdefault(code, {s.name: 0 for s in sorted(Severity, reverse=True)})
            row[f.severity.name] += 1
        order = sorted(table, key=lambda c: tuple(-table[c][s.name] for s in sorted(Severity, reverse=True)))
        return [(c, names[c], table[c]) for c in order]

    def by_check(self) -> list[tuple[str, str, int]]:
        """(check id, severity, count) sorted by severity then count."""
        counts = Counter(f.check for f in self.active)
        sev = {f.check: f.severity for f in self.active}
        return [
            (c, sev[c].name, n)
            for c, n in sorted(counts.items(), key=lambda kv: (-sev[kv[0]], -kv[1], kv[0]))
        ]

    def worst(self) -> Severity | None:
        """The highest severity among the findings that count, or None when clean."""
        return max((f.severity for f in self.active), default=None)


def by_severity_first(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first, then by host, check and line: the order every findings table uses."""
    return sorted(findings, key=lambda f: (-f.severity, f.host, f.check, f.line))


def finding_dict(f: Finding, waived: Waived | None = None) -> dict[str, Any]:
    """A finding as plain JSON-ready data, with its waiver when one names it."""
    out = {
        "check": f.check,
        "severity": f.severity.name,
        "host": f.host,
        "platform": f.platform,
        "list": f.list_name,
        "rule": f.rule,
        "line": f.line,
        "text": f.text,
        "message": f.message,
        "remediation": f.remediation,
        "details": f.details,
        "fingerprint": f.fingerprint,
    }
    if waived is not None:
        w = waived.waiver
        out["waiver"] = {"name": w.name, "status": "expired" if waived.expired else "accepted",
                         "reason": w.reason, "who": w.who, "ticket": w.ticket,
                         "expires": w.expires.isoformat()}
    return out
