"""HTML report: one self-contained file a manager can open and read (no scripts, no external files).

Rendered by Jinja2 with autoescape on, so every device, inventory and finding text is escaped
(a `<removed>` mask shows as text, device markup is never interpreted).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader

from tslcd.audit.result import AuditResult, by_severity_first

_env = Environment(loader=PackageLoader("tslcd.audit.reports", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True)


def render(result: AuditResult) -> str:
    """The whole report as one HTML document."""
    return _env.get_template("audit.html.j2").render(r=result, by_severity=result.by_severity(),
                                                     ordered=by_severity_first)
