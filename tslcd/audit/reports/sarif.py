"""SARIF 2.1.0 report, so code-scanning tools can show findings against the stored configs."""

from __future__ import annotations

import json
from typing import Any

from tslcd import __version__
from tslcd.audit.checks.registry import CHECKS
from tslcd.audit.model import Finding, Severity
from tslcd.audit.result import AuditResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
    Severity.info: "note",
}


def _suppression(result: AuditResult, f: Finding) -> dict[str, Any]:
    """An accepted risk is an external, accepted suppression; an expired waiver is none."""
    waived = result.waiver(f)
    if waived is None or waived.expired:
        return {}
    w = waived.waiver
    return {"suppressions": [{"kind": "external", "status": "accepted",
                              "justification": f"{w.reason} ({w.ticket}, {w.who}, until {w.expires})"}]}


def render(result: AuditResult) -> str:
    """One SARIF run: every check as a reporting descriptor, every finding as a result."""
    ids = sorted(CHECKS)
    rules = [
        {
            "id": c.id,
            "name": c.id,
            "shortDescription": {"text": c.title},
            "help": {"text": c.remediation},
            "defaultConfiguration": {"level": _LEVEL[c.severity]},
            "properties": {"severity": c.severity.name, "platforms": sorted(c.platforms)},
        }
        for c in (CHECKS[i] for i in ids)
    ]
    results: list[dict[str, Any]] = []
    for f in result.findings:
        device = result.device(f.host)
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": device.source or f.host}}
        }
        if f.line > 0:
            location["physicalLocation"]["region"] = {"startLine": f.line, "snippet": {"text": f.text}}
        location["logicalLocations"] = [
            {"name": "/".join(p for p in (f.host, f.list_name, f.rule) if p), "kind": "member"}
        ]
        results.append(
            {
                **_suppression(result, f),
                "ruleId": f.check,
                "ruleIndex": ids.index(f.check),
                "level": _LEVEL[f.severity],
                "message": {"text": f"{f.host}: {f.message}"},
                "locations": [location],
                "partialFingerprints": {"tslcdFinding/v1": f.fingerprint},
                "properties": {"severity": f.severity.name, "agency": device.agency_name},
            }
        )
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "tslcd", "version": __version__, "rules": rules}},
                "results": results,
                "properties": {"run": result.run_id, "kind": result.kind, "scope": result.scope},
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
