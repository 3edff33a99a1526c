"""Readable output: filters, severity order, info folded, --fail-on with --new-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.audit.audit_project import BACKUPS, make_project, store_backups
from tslcd.audit.model import Severity
from tslcd.services import audit as service

SEVERITIES = [s.name for s in sorted(Severity, reverse=True)]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands([])  # attaches every command CliRunner drives

    config = make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "300")
    runner = CliRunner()
    return config, lambda *args: runner.invoke(app, ["audit", *args])


def _table_severities(output: str) -> list[str]:
    """The severity column of the findings table (piped: TSV rows of eight cells)."""
    rows = [line.split("\t") for line in output.splitlines()]
    return [row[0] for row in rows if len(row) == 8 and row[0] in SEVERITIES]


def test_filters_narrow_what_is_shown(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    result, _ = service.run_audit(config)
    high = result.filtered(Severity.high)
    assert high.findings and all(f.severity >= Severity.high for f in high.findings)
    one = result.filtered(checks=["permit-no-log"], hosts=["stc-*"])
    assert one.findings and {(f.check, f.host[:4]) for f in one.findings} == {("permit-no-log", "stc-")}
    no_info = [f for f in result.findings if f.severity > Severity.info]
    assert result.filtered(show_info=False).findings == no_info
    assert len(result.findings) > len(high.findings)  # the stored run is whole: filters only show less


def test_table_is_sorted_by_severity_and_folds_info(cli) -> None:
    _, audit = cli
    res = audit()
    assert res.exit_code == 0, res.output
    shown = _table_severities(res.stdout)
    assert shown == sorted(shown, key=SEVERITIES.index) and "info" not in shown
    assert "2 info finding(s) folded: --show-info lists them" in res.output
    res = audit("--show-info")
    shown = _table_severities(res.stdout)
    assert shown.count("info") == 2 and shown[-2:] == ["info", "info"] and "folded" not in res.output

    res = audit("--min-severity", "high", "--host", "stc-*", "--check", "any-any-permit", "--check",
                "dangerous-service", "--format", "json")
    doc = json.loads(res.stdout)
    assert {(f["host"], f["check"]) for f in doc["findings"]} == {
        ("stc-fw1", "any-any-permit"), ("stc-fw1", "dangerous-service")}
    assert audit("--check", "no-such-check").exit_code == 2
    assert audit("--min-severity", "severe").exit_code == 2


def test_fail_on_counts_only_new_findings_with_new_only(cli) -> None:
    config, audit = cli
    assert audit("--fail-on", "high").exit_code == 1  # the baseline: high findings exist
    assert audit("--new-only", "--fail-on", "low").exit_code == 0  # ... but nothing is new
    text = BACKUPS["stc-r1"].read_text(encoding="utf-8")
    store_backups(config, {"stc-r1": text + "line vty 5 15\n transport input telnet\n"})
    out = Path("new.json")
    assert audit("--new-only", "--format", "json", "-o", str(out)).exit_code == 0  # an export
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {f["host"] for f in doc["findings"]} == {"stc-r1"}  # the new vty lines' findings only
    assert "mgmt-telnet" in {f["check"] for f in doc["findings"]}
    res = audit("--new-only", "--fail-on", "high")  # still new: the export was no baseline
    assert res.exit_code == 1, res.output
    assert "New: " in res.output and "mgmt-telnet" in res.output and "Resolved:" not in res.output
    # that was a full run: the next one compares with it, and nothing is new any more
    assert audit("--new-only", "--fail-on", "low").exit_code == 0


def test_run_report_shows_scope_and_baseline_and_folds_info(tmp_path: Path) -> None:
    from tslcd.runreport.model import RunReport
    from tslcd.runreport.write import write_report

    row = {"host": "stc-fw1", "check": "x", "severity": "high", "message": "m", "rule": "", "line": 1,
           "text": ""}
    report = RunReport(
        run_id="r1", action="audit", started="s", finished="f", exit_code=0,
        findings_by_severity={"high": 1, "info": 2},
        new_findings=[row, {**row, "severity": "info", "check": "generalised-rule"},
                      {**row, "severity": "info", "check": "generalised-rule"}],
        audit_scope="run 7, t, full: whole inventory, 3 hosts",
        audit_baseline="run 5 (t, full: whole inventory)",
        accepted_findings=4,
        expired_waivers=[{**row, "waiver": "waiver 'w' expired 2020-01-01 (T): counts again"}])
    _, html_path = write_report(tmp_path, report)
    html = html_path.read_text(encoding="utf-8")
    assert "Covered: run 7, t, full: whole inventory, 3 hosts." in html
    assert "Baseline: run 5 (t, full: whole inventory)." in html and "4 accepted risk(s)" in html
    assert "waiver &#39;w&#39; expired 2020-01-01" in html or "waiver 'w' expired 2020-01-01" in html
    folded = html.split("<details>", 1)[1]
    assert "2 info finding(s)" in folded and folded.count("generalised-rule") == 2
    assert "generalised-rule" not in html.split("<details>", 1)[0]
