"""The outcome of one audit run, as every report format and front end reads it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tslcd.audit.model import Finding, Severity


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


@dataclass
class Comparison:
    """New and resolved findings against an earlier run of the same scope."""

    previous_run: int | None
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)


@dataclass
class AuditResult:
    """Devices audited, their findings, and (optionally) the comparison with the previous run."""

    devices: list[DeviceInfo]
    findings: list[Finding]
    started: str = ""
    run_id: int | None = None
    comparison: Comparison | None = None

    def device(self, host: str) -> DeviceInfo:
        """The device record of a host (an empty one if unknown)."""
        return next((d for d in self.devices if d.host == host), DeviceInfo(host, ""))

    def by_severity(self) -> dict[str, int]:
        """Finding counts per severity, most severe first (zeros included)."""
        counts = Counter(f.severity for f in self.findings)
        return {s.name: counts.get(s, 0) for s in sorted(Severity, reverse=True)}

    def by_agency(self) -> list[tuple[str, str, dict[str, int]]]:
        """(agency code, agency name, counts per severity) sorted by most severe findings."""
        table: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for f in self.findings:
            d = self.device(f.host)
            code = d.agency_code or d.host
            names[code] = d.agency_name or code
            row = table.setdefault(code, {s.name: 0 for s in sorted(Severity, reverse=True)})
            row[f.severity.name] += 1
        order = sorted(table, key=lambda c: tuple(-table[c][s.name] for s in sorted(Severity, reverse=True)))
        return [(c, names[c], table[c]) for c in order]

    def by_check(self) -> list[tuple[str, str, int]]:
        """(check id, severity, count) sorted by severity then count."""
        counts = Counter(f.check for f in self.findings)
        sev = {f.check: f.severity for f in self.findings}
        return [
            (c, sev[c].name, n)
            for c, n in sorted(counts.items(), key=lambda kv: (-sev[kv[0]], -kv[1], kv[0]))
        ]

    def worst(self) -> Severity | None:
        """The highest severity found, or None when clean."""
        return max((f.severity for f in self.findings), default=None)


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON-ready data."""
    return {
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
