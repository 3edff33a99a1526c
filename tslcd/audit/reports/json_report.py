"""JSON report: everything, machine-readable, UTF-8 kept as is."""

from __future__ import annotations

import json
from dataclasses import asdict

from tslcd.audit.result import AuditResult, finding_dict


def render(result: AuditResult) -> str:
    """The run (what it covered), its totals (accepted risks left out), devices, findings (each
    with its waiver when one names it) and the comparison with its baseline as one JSON document."""
    doc = {
        "run": result.run_id,
        "started": result.started,
        "kind": result.kind,
        "scope": result.scope,
        "accepted": len(result.accepted),
        "totals": {
            "by_severity": result.by_severity(),
            "by_agency": [
                {"agency_code": c, "agency_name": n, **counts} for c, n, counts in result.by_agency()
            ],
            "by_check": [{"check": c, "severity": s, "count": n} for c, s, n in result.by_check()],
        },
        "devices": [asdict(d) for d in result.devices],
        "findings": [finding_dict(f, result.waiver(f)) for f in result.findings],
    }
    if result.comparison is not None:
        baseline = result.comparison.baseline
        doc["comparison"] = {
            "previous_run": result.comparison.previous_run,
            "baseline": asdict(baseline) if baseline is not None else None,
            "new": [finding_dict(f, result.waiver(f)) for f in result.comparison.new],
            "resolved": [finding_dict(f) for f in result.comparison.resolved],
        }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
