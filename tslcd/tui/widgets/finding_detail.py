"""The finding detail pane: rule text with its line, blocking rules, evidence and the remediation hint."""

from __future__ import annotations

from typing import Any

from rich.console import Group as RichGroup
from rich.text import Text
from textual.widgets import Static

from tslcd.audit.model import Finding, Severity
from tslcd.textsafe import neutralised

# severity -> style; the name is always written out, so 16 colours or none lose nothing
SEVERITY_STYLES = {Severity.critical: "bold white on red", Severity.high: "bold red",
                   Severity.medium: "yellow", Severity.low: "cyan", Severity.info: "dim"}
DETAIL_LABELS = {"related": "related rules", "after": "rules after it", "flows": "zone flows",
                 "example": "example packet", "flow": "required flow", "services": "services"}


def severity_text(severity: Severity) -> Text:
    """A severity name in its colour."""
    return Text(severity.name, style=SEVERITY_STYLES[severity])


def _value(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


class FindingDetail(Static):
    """Redrawn from one `Finding`; plain text only (config lines may contain brackets)."""

    def show(self, finding: Finding, change: str = "", agency: str = "") -> None:
        """One finding; ``change`` is "new" or "resolved" against the previous run."""
        finding, agency = neutralised((finding, agency))
        head = Text.assemble(severity_text(finding.severity), " ", (finding.check, "bold"), " on ",
                             (finding.host, "bold"))
        if agency:
            head.append(f" ({agency})")
        if change:
            head.append(f"  [{change} since the previous run]", style="bold")
        parts: list[Text] = [head, Text(finding.message)]
        if finding.list_name or finding.rule:
            where = " ".join(p for p in (finding.list_name, finding.rule) if p)
            parts.append(Text.assemble(("rule ", "bold"), where, f" (line {finding.line})"))
        elif finding.line:
            parts.append(Text.assemble(("line ", "bold"), str(finding.line)))
        if finding.text:
            parts.append(Text(f"  {finding.line}: {finding.text}", style="italic"))
        blocking = finding.details.get("blocking") or []
        if blocking:
            together = " together" if finding.details.get("multiple") else ""
            parts.append(Text(f"blocked{together} by:", style="bold"))
            parts += [Text(f"  {b['line']}: {b['text']}  ({b['rule']}, {b['action']})") for b in blocking]
        for key, label in DETAIL_LABELS.items():
            if key in finding.details:
                parts.append(Text.assemble((f"{label}: ", "bold"), _value(finding.details[key])))
        if finding.remediation:
            parts.append(Text.assemble(("remediation: ", "bold green"), finding.remediation))
        self.update(RichGroup(*parts))
