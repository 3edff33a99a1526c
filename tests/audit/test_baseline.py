"""Baselines: only a full audit of the whole inventory is what later runs are compared with."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from tests.audit.audit_project import BACKUPS, FIXTURES, make_project, store_backups
from tslcd.services import audit as service
from tslcd.store.db import DB_NAME

PLANTED = "access-list OUTSIDE_IN extended permit tcp any object LAN-STC eq 23 log\n"


def _plant(config) -> None:
    """A new telnet permit on stc-fw1, above the deny-all of OUTSIDE_IN."""
    text = BACKUPS["stc-fw1"].read_text(encoding="utf-8")
    anchor = "access-list OUTSIDE_IN extended permit ip any any log\n"
    store_backups(config, {"stc-fw1": text.replace(anchor, PLANTED + anchor)})


def test_scoped_run_then_full_run_reports_new_only_against_the_previous_full_run(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    full, _ = service.run_audit(config, compare=True)
    assert full.kind == "full" and full.comparison is not None and full.comparison.baseline is None
    _plant(config)

    scoped, _ = service.run_audit(config, ["stc-fw1"], compare=True)
    assert scoped.kind == "scoped" and scoped.scope == "filter stc-fw1, 1 host"
    assert scoped.comparison is not None and scoped.comparison.previous_run == full.run_id
    planted = {f.fingerprint for f in scoped.comparison.new}
    assert planted and all("eq 23" in f.text for f in scoped.comparison.new)

    again, _ = service.run_audit(config, compare=True)
    assert again.comparison is not None and again.comparison.previous_run == full.run_id  # not the scoped run
    assert {f.fingerprint for f in again.comparison.new} == planted  # no storm: other hosts are not new
    assert again.comparison.resolved == []

    # the full run is now the baseline of the next one
    last, _ = service.run_audit(config, compare=True)
    assert last.comparison is not None and last.comparison.previous_run == again.run_id
    assert last.comparison.new == []


def test_file_audits_and_exports_never_become_the_inventory_baseline(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    full, _ = service.run_audit(config)
    asa = FIXTURES / "cisco_asa" / "acl_objects.cfg"
    first_file, _ = service.run_audit(config, file=asa, platform="cisco_asa", compare=True)
    assert first_file.kind == "file" and str(asa.resolve()) in first_file.scope
    export, _ = service.run_audit(config, export="report.html", compare=True)
    assert export.kind == "export" and "exported to report.html" in export.scope
    assert export.comparison is not None and export.comparison.previous_run == full.run_id
    after, _ = service.run_audit(config, compare=True)
    assert after.comparison is not None and after.comparison.previous_run == full.run_id
    # a file is compared with the previous audit of the same file
    second_file, _ = service.run_audit(config, file=asa, platform="cisco_asa", compare=True)
    assert second_file.comparison is not None and second_file.comparison.previous_run == first_file.run_id


def test_compare_names_the_baseline_run_in_every_format(tmp_path: Path, monkeypatch) -> None:
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands(["audit"])  # attaches the audit command CliRunner drives

    config = make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["audit"], terminal_width=200)
    assert first.exit_code == 0, first.output
    assert "Covered: run 1, " in first.output and "full: whole inventory, 3 hosts" in first.output
    runner.invoke(app, ["audit", "-f", "stc-fw1"])
    res = runner.invoke(app, ["audit", "--compare"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Baseline: run 1 (" in res.output and "full: whole inventory" in res.output
    res = runner.invoke(app, ["audit", "-f", "stc-fw1", "--compare", "--format", "json"])
    doc = json.loads(res.output)
    assert doc["kind"] == "scoped" and doc["scope"].startswith("filter stc-fw1")
    assert doc["comparison"]["baseline"]["id"] == 3 and doc["comparison"]["baseline"]["kind"] == "full"
    res = runner.invoke(app, ["audit", "--compare", "--format", "markdown"])
    assert "## Compared with run 3 (" in res.output and "export" not in res.output
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["audit", "--compare", "--format", "html", "-o", str(out)])
    assert res.exit_code == 0 and "export: whole inventory" in res.output
    assert "Compared with run 5 (" in out.read_text(encoding="utf-8")
    assert service.latest_full_run(config.data_dir).id == 5  # type: ignore[union-attr]


def test_old_databases_are_migrated_and_their_full_runs_stay_baselines(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    data = Path(config.data_dir)
    data.mkdir(exist_ok=True)
    with sqlite3.connect(data / DB_NAME) as conn:  # the schema before runs recorded their scope
        conn.executescript("""
            CREATE TABLE audit_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,
                scope TEXT NOT NULL, hosts TEXT NOT NULL, findings INTEGER NOT NULL);
            CREATE TABLE audit_findings (run_id INTEGER NOT NULL, host TEXT NOT NULL,
                platform TEXT NOT NULL, check_id TEXT NOT NULL, severity TEXT NOT NULL,
                list_name TEXT NOT NULL, rule TEXT NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL,
                message TEXT NOT NULL, remediation TEXT NOT NULL, details TEXT NOT NULL,
                fingerprint TEXT NOT NULL);""")
        hosts = sorted(BACKUPS)
        conn.execute("INSERT INTO audit_runs VALUES (1, 't1', 'inventory', ?, 0)", (json.dumps(hosts),))
        conn.execute("INSERT INTO audit_runs VALUES (2, 't2', 'inventory', ?, 0)", (json.dumps(hosts[:1]),))
        conn.execute("INSERT INTO audit_runs VALUES (3, 't3', 'file:/x.cfg', '[\"x\"]', 0)")
    result, _ = service.run_audit(config, compare=True)
    assert result.comparison is not None and result.comparison.baseline is not None
    assert result.comparison.baseline.id == 1 and result.comparison.baseline.kind == "full"
    with sqlite3.connect(data / DB_NAME) as conn:
        kinds = conn.execute("SELECT id, kind FROM audit_runs ORDER BY id").fetchall()
    assert kinds == [(1, "full"), (2, "scoped"), (3, "file"), (4, "full")]
