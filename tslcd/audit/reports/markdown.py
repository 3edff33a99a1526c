"""Markdown report: totals, then findings per device, for tickets and wikis."""

from __future__ import annotations

from tslcd.audit.model import Finding
from tslcd.audit.result import AuditResult, by_severity_first


def _cell(text: object) -> str:
    """Text as plain Markdown: a renderer must not take device text for HTML or table syntax."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _findings_table(findings: list[Finding], result: AuditResult) -> list[str]:
    lines = ["| severity | check | list | rule / line | message |", "|---|---|---|---|---|"]
    for f in by_severity_first(findings):
        where = f.rule or (f"line {f.line}" if f.line else "")
        waived = result.waiver(f)
        message = f.message + (f" ({waived.label()})" if waived else "")
        lines.append(
            f"| {f.severity.name} | {_cell(f.check)} | {_cell(f.list_name)} | {_cell(where)} "
            f"| {_cell(message)} |"
        )
    return lines


def render(result: AuditResult) -> str:
    """The whole report as Markdown."""
    out = ["# Firewall audit", ""]
    out += [f"Covered: {_cell(result.covered())}; {len(result.devices)} device(s).", ""]
    if result.accepted:
        out += [f"{len(result.accepted)} accepted risk(s) (waivers) are listed, not counted.", ""]
    out += ["## Totals by severity", "", "| severity | findings |", "|---|---|"]
    out += [f"| {s} | {n} |" for s, n in result.by_severity().items()]
    out += [
        "",
        "## By agency",
        "",
        "| agency | " + " | ".join(result.by_severity()) + " |",
        "|---|" + "---|" * len(result.by_severity()),
    ]
    for code, name, counts in result.by_agency():
        out.append(f"| {_cell(name)} ({_cell(code)}) | " + " | ".join(str(v) for v in counts.values()) + " |")
    out += ["", "## By check", "", "| check | severity | findings |", "|---|---|---|"]
    out += [f"| {c} | {s} | {n} |" for c, s, n in result.by_check()]
    if result.comparison is not None:
        c = result.comparison
        out += [
            "",
            f"## Compared with {_cell(c.label())}",
            "",
            f"{len(c.new)} new, {len(c.resolved)} resolved.",
            "",
        ]
        if c.new:
            out += ["### New", "", *_findings_table(c.new, result), ""]
        if c.resolved:
            out += ["### Resolved", "", *_findings_table(c.resolved, result), ""]
    for d in result.devices:
        mine = [f for f in result.findings if f.host == d.host]
        out += ["", f"## {_cell(d.host)} — {_cell(d.agency_name or d.agency_code or d.platform)}", ""]
        out += _findings_table(mine, result) if mine else ["No findings."]
    return "\n".join(out) + "\n"
