"""HTML report: one self-contained file a manager can open and read (no scripts, no external files)."""

from __future__ import annotations

from html import escape

from tslcd.audit.model import Finding
from tslcd.audit.result import AuditResult, by_severity_first

_CSS = """
body{font-family:"Segoe UI",Roboto,Arial,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6em 0;width:100%} th,td{border:1px solid #ddd;padding:4px 8px;
text-align:left;vertical-align:top} th{background:#f4f4f4} td.n{text-align:right}
.sev{font-weight:bold;border-radius:3px;padding:1px 6px;color:#fff}
.critical{background:#7b1fa2}.high{background:#c62828}.medium{background:#ef6c00}.low{background:#1565c0}
.info{background:#757575} .cards{display:flex;gap:1em;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1.2em;min-width:7em;text-align:center}
.card b{font-size:1.8em;display:block}
code{font-family:Consolas,monospace;font-size:.9em;white-space:pre-wrap}
details{margin:.4em 0} summary{cursor:pointer;font-weight:bold}
"""


def _sev(name: str) -> str:
    return f'<span class="sev {name}">{name}</span>'


def _rows(findings: list[Finding], result: AuditResult) -> str:
    rows = []
    for f in by_severity_first(findings):
        where = f.rule or (f"line {f.line}" if f.line else "")
        example = f.details.get("example", "")
        waived = result.waiver(f)
        rows.append(
            f"<tr><td>{_sev(f.severity.name)}</td><td>{escape(f.check)}</td><td>{escape(f.list_name)}</td>"
            f"<td>{escape(where)}</td><td>{escape(f.message)}"
            + (f"<br><small>ví dụ / example: <code>{escape(example)}</code></small>" if example else "")
            + (f"<br><small>chấp nhận / {escape(waived.label())}</small>" if waived else "")
            + f"</td><td><code>{escape(f.text)}</code></td><td>{escape(f.remediation)}</td></tr>"
        )
    head = (
        "<tr><th>severity</th><th>check</th><th>list</th><th>rule / line</th><th>finding</th>"
        "<th>configuration</th><th>remediation</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def render(result: AuditResult) -> str:
    """The whole report as one HTML document."""
    sev = result.by_severity()
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
        "<title>Báo cáo kiểm tra tường lửa / Firewall audit</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Báo cáo kiểm tra tường lửa — Firewall audit</h1>",
        f"<p>{len(result.devices)} thiết bị / devices · {escape(result.covered())}"
        + (f" · {len(result.accepted)} rủi ro được chấp nhận / accepted risks (not counted)"
           if result.accepted else "")
        + "</p>",
        '<div class="cards">',
    ]
    parts += [f'<div class="card"><b>{n}</b>{_sev(s)}</div>' for s, n in sev.items()]
    parts.append("</div>")
    if result.comparison is not None:
        c = result.comparison
        parts.append(
            f"<h2>So với lần trước / Compared with {escape(c.label())}</h2>"
            f"<p>{len(c.new)} mới / new, {len(c.resolved)} đã khắc phục / resolved</p>"
        )
        if c.new:
            parts += ["<h3>Mới / New</h3>", _rows(c.new, result)]
        if c.resolved:
            parts += ["<h3>Đã khắc phục / Resolved</h3>", _rows(c.resolved, result)]
    parts.append(
        "<h2>Theo cơ quan / By agency</h2><table><tr><th>cơ quan / agency</th>"
        + "".join(f"<th>{s}</th>" for s in sev)
        + "</tr>"
    )
    for code, name, counts in result.by_agency():
        parts.append(
            f"<tr><td>{escape(name)} ({escape(code)})</td>"
            + "".join(f'<td class="n">{v}</td>' for v in counts.values())
            + "</tr>"
        )
    parts.append(
        "</table><h2>Theo kiểm tra / By check</h2><table><tr><th>check</th><th>severity</th>"
        "<th>findings</th></tr>"
    )
    parts += [
        f'<tr><td>{escape(c)}</td><td>{_sev(s)}</td><td class="n">{n}</td></tr>'
        for c, s, n in result.by_check()
    ]
    parts.append("</table><h2>Chi tiết theo thiết bị / Per device</h2>")
    for d in result.devices:
        mine = [f for f in result.findings if f.host == d.host]
        title = f"{d.host} — {d.agency_name or d.agency_code or ''} ({d.platform}) · {len(mine)}"
        parts.append(
            f"<details{' open' if mine and len(result.devices) == 1 else ''}>"
            f"<summary>{escape(title)}</summary>"
        )
        parts.append(_rows(mine, result) if mine else "<p>Không có phát hiện / no findings.</p>")
        parts.append("</details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
