"""What one unattended run did, as plain data: written as JSON, rendered as HTML."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FailedHost:
    """A device the run could not back up."""

    host: str
    agency: str
    error_class: str
    message: str


@dataclass
class OutOfBand:
    """A configuration change no recorded tslcd change explains."""

    host: str
    agency: str
    lines: list[str]  # "+ line" / "- line"
    # what the change does to traffic: "now permits tcp any -> 10.20.1.0/24 port 3389 (wan1 -> lan)"
    impact: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)  # who the device said changed it (via `listen`)


@dataclass
class StaleHost:
    """A device whose last good backup is older than the configured number of days."""

    host: str
    agency: str
    last_backup: str | None  # ISO time, None when never backed up
    days: float | None


@dataclass
class RunReport:
    """One run of `tslcd run ...`."""

    run_id: str  # e.g. 20261125T020000Z-backup+audit
    action: str
    started: str
    finished: str
    exit_code: int
    hosts: int = 0
    backed_up: int = 0
    changed: list[str] = field(default_factory=list)
    failed: list[FailedHost] = field(default_factory=list)
    out_of_band: list[OutOfBand] = field(default_factory=list)
    stale: list[StaleHost] = field(default_factory=list)
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    new_findings: list[dict[str, Any]] = field(default_factory=list)
    resolved_findings: list[dict[str, Any]] = field(default_factory=list)
    audit_scope: str = ""  # what the audit covered: "run 12, ..., full: whole inventory, 60 hosts"
    audit_baseline: str = ""  # the run new/resolved are counted against
    accepted_findings: int = 0  # waived (inventory/waivers.yaml): listed in the audit, not counted
    expired_waivers: list[dict[str, Any]] = field(default_factory=list)  # findings that count again
    # one entry per compliance pack checked: pack, version, run_id, counts by status, report path
    compliance: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    log: str = ""
    store_head: str | None = None  # the backup commit this run ended at (next run diffs from here)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RunReport:
        """Read back a JSON report (older reports may lack newer keys)."""
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in raw.items() if k in known}
        data["failed"] = [FailedHost(**f) for f in raw.get("failed", [])]
        data["out_of_band"] = [OutOfBand(**o) for o in raw.get("out_of_band", [])]
        data["stale"] = [StaleHost(**s) for s in raw.get("stale", [])]
        return cls(**data)
