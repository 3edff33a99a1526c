"""History commands on a store built without devices: answers, and clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.store.records import HostRecord, RunLog

from .conftest import ROOT, tslcd


def _project(tmp_path: Path) -> Path:
    config = tmp_path / "tslcd.yaml"
    config.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    store = ConfigStore(tmp_path / "data")
    for text in ("hostname stc-r1\n", "hostname stc-r1\nntp server 10.0.10.5\n"):
        with store.writer():
            store.prepare()
            store.write([StoredConfig("stc-r1", layout_path("stc-r1", "so", "STC"), text)])
            store.commit("backup run: test\n")
    return config


def test_history_commands_and_their_errors(tmp_path: Path) -> None:
    config = _project(tmp_path)
    diff = tslcd(config, "diff", "stc-r1")
    assert diff.returncode == 0 and "+ntp server 10.0.10.5" in diff.stdout
    assert tslcd(config, "show", "stc-r1").stdout == "hostname stc-r1\nntp server 10.0.10.5\n"
    first = tslcd(config, "show", "stc-r1", "--at", "HEAD~1")
    assert first.stdout == "hostname stc-r1\n"
    for args, message in [(("diff", "nobody"), "no stored config for host 'nobody'"),
                          (("diff", "stc-r1", "deadbeef"), "is not a revision"),
                          (("show", "stc-r1", "--at", "1990-01-01"), "no backup at or before"),
                          (("history", "nobody"), "no backup history for host 'nobody'"),
                          (("history",), "give a host name, or --runs"),
                          (("history", "stc-r1", "--runs"), "give a host name, or --runs")]:
        result = tslcd(config, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_history_runs_lists_the_recent_backup_runs(tmp_path: Path) -> None:
    config = _project(tmp_path)
    runs = RunLog(tmp_path / "data")
    run_id = runs.start("backup", 2, lab=False, filters="")
    runs.finish(run_id, [HostRecord("stc-r1", "changed", None, "", 1, 0.5, 120),
                         HostRecord("stc-fw1", "failed", "timeout", "no answer", 3, 9.0, None)],
                changed=1, commit_sha="0123456789abcdef")
    result = tslcd(config, "history", "--runs", "--json")
    assert result.returncode == 0, result.stderr
    [run] = json.loads(result.stdout)["runs"]
    assert (run["id"], run["status"], run["ok"], run["failed"], run["changed"]) == (
        run_id, "partial", 1, 1, 1)
    table = tslcd(config, "history", "--runs")
    assert table.returncode == 0 and "0123456789" in table.stdout and "partial" in table.stdout
