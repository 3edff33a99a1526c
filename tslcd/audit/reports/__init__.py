"""Report formats. Each module renders an `AuditResult` to text; `render` picks one by name.

Every format gets the result neutralised (`tslcd.textsafe`): no control byte from a device or the
inventory reaches a file a terminal or a browser shows.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from tslcd.textsafe import neutralised

if TYPE_CHECKING:
    from tslcd.audit.result import AuditResult

#: Format name -> the module under `tslcd.audit.reports` whose ``render`` writes it. Loaded when
#: used: the HTML one pulls in Jinja2, which a command that only shows a table does not need.
FORMATS = {"json": "json_report", "markdown": "markdown", "html": "html", "sarif": "sarif"}


def render(result: AuditResult, fmt: str) -> str:
    """The report in one of `FORMATS` (the table format belongs to the command line)."""
    module = importlib.import_module(f"tslcd.audit.reports.{FORMATS[fmt]}")
    return module.render(neutralised(result))
