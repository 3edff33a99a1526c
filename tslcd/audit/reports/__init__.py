"""Report formats. Each module renders an `AuditResult` to text; `render` picks one by name.

Every format gets the result neutralised (`tslcd.textsafe`): no control byte from a device or the
inventory reaches a file a terminal or a browser shows.
"""

from __future__ import annotations

from tslcd.audit.reports import html, json_report, markdown, sarif
from tslcd.audit.result import AuditResult
from tslcd.textsafe import neutralised

FORMATS = {
    "json": json_report.render,
    "markdown": markdown.render,
    "html": html.render,
    "sarif": sarif.render,
}


def render(result: AuditResult, fmt: str) -> str:
    """The report in one of `FORMATS` (the table format belongs to the command line)."""
    return FORMATS[fmt](neutralised(result))
