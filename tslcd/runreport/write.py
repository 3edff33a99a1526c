"""Writes a run's JSON and HTML report and rebuilds the index page from every JSON report.

Templates are autoescaped (their names end in .j2, so Jinja2's select_autoescape would not switch
it on) and get neutralised text (`tslcd.textsafe`): device and inventory text is shown, never run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jinja2 import Environment, PackageLoader

from tslcd.runreport.model import RunReport
from tslcd.textsafe import neutralised

SEVERITIES = ("critical", "high", "medium", "low", "info")
_env = Environment(loader=PackageLoader("tslcd.runreport", "templates"),
                   autoescape=True, trim_blocks=True, lstrip_blocks=True)


def reports_dir(data_dir: Path) -> Path:
    """Where run reports live in the data folder."""
    return data_dir / "reports" / "runs"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def load_reports(data_dir: Path) -> list[RunReport]:
    """Every run report, oldest first (unreadable files are skipped, not fatal)."""
    reports = []
    for path in sorted(reports_dir(data_dir).glob("*.json")):
        try:
            reports.append(RunReport.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, TypeError, KeyError):
            continue
    return sorted(reports, key=lambda r: r.started)


def _bars(values: list[int], width: int = 240, height: int = 40) -> list[dict[str, float]]:
    """Bar geometry for a small inline SVG chart (no JavaScript, no external files)."""
    if not values:
        return []
    peak = max(values) or 1
    step = width / len(values)
    return [{"x": round(i * step, 1), "w": round(max(step - 1, 1), 1),
             "h": round(v / peak * height, 1), "y": round(height - v / peak * height, 1), "v": v}
            for i, v in enumerate(values)]


def write_report(data_dir: Path, report: RunReport) -> tuple[Path, Path]:
    """Write ``<run_id>.json`` and ``<run_id>.html``, then refresh ``index.html``."""
    report = neutralised(report)
    folder = reports_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{report.run_id}.json"
    html_path = folder / f"{report.run_id}.html"
    _atomic_write(json_path, json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    _atomic_write(html_path, _env.get_template("run.html.j2").render(r=report, severities=SEVERITIES))
    write_index(data_dir)
    return json_path, html_path


def write_index(data_dir: Path, last: int = 60) -> Path:
    """The index page: every run, newest first, with trends over the last ``last`` runs."""
    reports = neutralised(load_reports(data_dir))
    recent = reports[-last:]
    trends = {
        "findings": {s: _bars([r.findings_by_severity.get(s, 0) for r in recent]) for s in SEVERITIES},
        "changed": _bars([len(r.changed) for r in recent]),
        "failed": _bars([len(r.failed) for r in recent]),
        "stale": _bars([len(r.stale) for r in recent]),
        "out_of_band": _bars([len(r.out_of_band) for r in recent]),
    }
    path = data_dir / "reports" / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, _env.get_template("index.html.j2").render(
        reports=list(reversed(reports)), trends=trends, severities=SEVERITIES,
        latest=reports[-1] if reports else None))
    return path
