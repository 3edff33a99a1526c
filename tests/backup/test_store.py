"""The git config store and the SQLite run log, without devices."""

from __future__ import annotations

import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.store.db import connect
from tslcd.store.lock import StoreBusyError
from tslcd.store.records import HostRecord, RunLog


def _cfg(host: str, text: str, agency: str = "SO-A") -> StoredConfig:
    return StoredConfig(host, layout_path(host, "so", agency), text)


def _run(store: ConfigStore, configs: list[StoredConfig],
         message: str = "run") -> tuple[list[str], str | None]:
    with store.writer():
        store.prepare()
        changed = store.write(configs)
        return changed, store.commit(message)


def _fsck(store: ConfigStore) -> None:
    subprocess.run(["git", "-C", str(store.repo.path), "fsck", "--full", "--strict"], check=True,
                   capture_output=True)


def test_one_commit_per_run_and_none_when_nothing_changed(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    changed, first = _run(store, [_cfg("a-r1", "hostname a-r1\n"), _cfg("b-r1", "hostname b-r1\n")])
    assert sorted(changed) == ["a-r1", "b-r1"] and first
    assert (store.repo.path / "so" / "SO-A" / "a-r1.cfg").read_text() == "hostname a-r1\n"
    assert _run(store, [_cfg("a-r1", "hostname a-r1\n"), _cfg("b-r1", "hostname b-r1\n")]) == ([], None)
    changed, third = _run(store, [_cfg("a-r1", "hostname a-r1\nntp server 1.1.1.1\n")])
    assert changed == ["a-r1"] and third
    assert [r.sha for r in store.history("a-r1")] == [third, first]
    assert [r.sha for r in store.history("b-r1")] == [first]
    assert "+ntp server 1.1.1.1" in store.diff("a-r1", first, third)
    assert store.read("a-r1", first) == "hostname a-r1\n"
    assert store.read("nobody") is None
    assert store.hosts() == ["a-r1", "b-r1"]
    _fsck(store)


def test_a_host_that_changes_agency_moves_with_its_history(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    _run(store, [_cfg("a-r1", "hostname a-r1\n")])
    changed, _ = _run(store, [_cfg("a-r1", "hostname a-r1\n", agency="SO-B")])
    assert changed == ["a-r1"]
    assert store.locate("a-r1") == "so/SO-B/a-r1.cfg"
    assert not (store.repo.path / "so" / "SO-A").exists()
    assert len(store.history("a-r1")) == 2
    assert list(store.changed_since("1970-01-01")) == ["a-r1"]


def test_recovery_after_a_killed_writer(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    _, first = _run(store, [_cfg("a-r1", "hostname a-r1\n")])
    # what SIGKILL can leave: a stale index lock, a staged half-run, a temporary file
    (store.repo.path / ".git" / "index.lock").write_text("")
    (store.repo.path / "so" / "SO-A" / "a-r1.cfg").write_text("hostname half-written")
    (store.repo.path / "so" / "SO-A" / ".a-r1.cfg.999.tmp").write_text("hostn")
    changed, second = _run(store, [_cfg("a-r1", "hostname a-r1\n")])
    assert (changed, second) == ([], None)
    assert sorted(p.name for p in (store.repo.path / "so" / "SO-A").iterdir()) == ["a-r1.cfg"]
    assert store.read("a-r1") == "hostname a-r1\n"
    assert store.repo.head() == first
    _fsck(store)


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    with store.writer(), pytest.raises(StoreBusyError, match="another tslcd run"), store.writer():
        pass


def test_run_log_keeps_results_and_marks_killed_runs(tmp_path: Path) -> None:
    runs = RunLog(tmp_path)
    killed = runs.start("backup", 2, lab=True, filters="")
    run_id = runs.start("backup", 2, lab=True, filters="role=router")
    runs.finish(run_id, [HostRecord("a-r1", "changed", None, "", 1, 0.5, 120),
                         HostRecord("b-r1", "failed", "timeout", "no answer", 3, 9.0, None)],
                changed=1, commit_sha="abc")
    attempts = runs.host_attempts("b-r1")
    assert [(a.run_id, a.record.status, a.record.error_class) for a in attempts] == [
        (run_id, "failed", "timeout")]
    with closing(connect(tmp_path)) as conn:
        statuses = dict(conn.execute("SELECT id, status FROM device_runs").fetchall())
    assert statuses == {killed: "interrupted", run_id: "partial"}


def test_run_log_lists_the_runs_of_a_kind_newest_first(tmp_path: Path) -> None:
    runs = RunLog(tmp_path)
    first = runs.start("backup", 2, lab=True, filters="")
    runs.finish(first, [HostRecord("a-r1", "changed", None, "", 1, 0.5, 120),
                        HostRecord("b-r1", "failed", "timeout", "no answer", 3, 9.0, None)],
                changed=1, commit_sha="abc")
    runs.start("facts", 1, lab=True, filters="")
    second = runs.start("backup", 1, lab=True, filters="")
    listed = runs.runs("backup")
    assert [r.id for r in listed] == [second, first]
    assert (listed[0].status, listed[0].finished_at, listed[0].ok) == ("running", None, None)
    done = listed[1]
    assert (done.status, done.hosts, done.ok, done.failed, done.changed, done.commit_sha) == (
        "partial", 2, 1, 1, 1, "abc")
    assert done.finished_at is not None and done.started_at <= done.finished_at
    assert [r.id for r in runs.runs("backup", limit=1)] == [second]
    assert len(runs.runs("facts")) == 1
