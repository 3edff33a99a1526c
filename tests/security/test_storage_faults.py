"""Storage faults end with one clear line and exit 2; a damaged database is set aside and rebuilt
while the git history and backups keep working; a run that finds the store held exits 3."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from pathlib import Path

import pytest
from netmiko import ConnectHandler
from typer.testing import CliRunner

from tslcd.cli import app
from tslcd.cli.register import load_commands
from tslcd.errors import StorageError
from tslcd.services.backup import run_backup
from tslcd.store import db
from tslcd.store.configs import ConfigStore
from tslcd.store.gitrepo import GitRepo
from tslcd.store.lock import writer_lock
from tslcd.store.records import RunLog

from .conftest import Project

load_commands([])  # every sub-command attached to the app CliRunner drives


def _one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def _damage(path: Path, garbage: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@pytest.mark.parametrize("garbage", [b"not a database at all\n" * 400,
                                     b"SQLite format 3\x00" + b"\xab" * 8192],
                         ids=["not-sqlite", "bad-header"])
def test_damaged_database_is_set_aside_and_rebuilt(project: Project, garbage: bytes) -> None:
    _damage(project.data / db.DB_NAME, garbage)
    result = project.tslcd("changes")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    aside = list(project.data.glob("tslcd.sqlite.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage  # kept for a post-mortem
    with sqlite3.connect(project.data / db.DB_NAME) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"device_runs", "device_results"} <= tables


def test_page_damage_inside_a_valid_database_is_found(project: Project) -> None:
    runs = RunLog(project.data)
    for _ in range(200):
        runs.start("backup", 1, lab=True, filters="x" * 500)
    path = project.data / db.DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    raw[4096:3 * 4096] = b"\xab" * (2 * 4096)
    _damage(path, bytes(raw))
    db._CHECKED.clear()
    RunLog(project.data).start("backup", 1, lab=True, filters="")
    assert list(project.data.glob("tslcd.sqlite.damaged-*"))


def test_backups_keep_working_after_damage(fresh_lab) -> None:
    config = fresh_lab.config
    first = run_backup(config, ["stc-r1"], lab=True, workers=1)
    assert first.commit
    _damage(config.data_dir / db.DB_NAME, b"garbage" * 2000)
    db._CHECKED.clear()
    with ConnectHandler(**fresh_lab.netmiko_args("stc-r1")) as conn:  # a change to back up
        conn.enable()
        conn.send_config_set(["ntp server 10.0.10.99"])
    second = run_backup(config, ["stc-r1"], lab=True, workers=1)
    assert [h.status for h in second.hosts] == ["changed"] and second.commit
    store = ConfigStore(config.data_dir)
    assert [r.sha for r in store.history("stc-r1")] == [second.commit, first.commit]
    assert list(config.data_dir.glob("tslcd.sqlite.damaged-*"))
    runs = RunLog(config.data_dir).runs()  # the first run's record came back from git
    assert [(r.id, r.commit_sha) for r in runs] == [(second.run_id, second.commit),
                                                     (first.run_id, first.commit)]
    assert second.run_id > first.run_id  # run numbers in commit messages are never reused
    attempts = RunLog(config.data_dir).host_attempts("stc-r1")
    assert [(a.run_id, a.record.status) for a in attempts] == [(second.run_id, "changed"),
                                                               (first.run_id, "changed")]


@pytest.mark.parametrize(("error", "words"), [
    (sqlite3.OperationalError("attempt to write a readonly database"), "readonly database"),
    (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    (sqlite3.OperationalError("unable to open database file"), "unable to open"),
])
def test_database_that_cannot_be_written(project: Project, monkeypatch: pytest.MonkeyPatch,
                                         error: Exception, words: str) -> None:
    def refuse(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(db.sqlite3, "connect", refuse)
    line = _one_line_error(project.tslcd("history", "stc-r1"))
    assert words in line and "tslcd.sqlite" in line


@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EROFS])
def test_data_folder_full_or_read_only_during_a_run(project: Project, monkeypatch: pytest.MonkeyPatch,
                                                    number: int) -> None:
    import tslcd.logsetup as logsetup

    class Refusing:
        def __init__(self, *args, **kwargs) -> None:
            raise OSError(number, __import__("os").strerror(number), str(project.data / "logs"))

    monkeypatch.setattr(logsetup.logging.handlers, "RotatingFileHandler", Refusing)
    line = _one_line_error(project.tslcd("run", "audit"))
    assert str(project.data / "logs") in line and "read-only or full" in line


def test_git_out_of_space_is_a_storage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self, args, stdin=None):
        return subprocess.CompletedProcess(args, 128, b"", b"error: unable to create temporary "
                                           b"file: No space left on device\nfatal: failed to write")

    monkeypatch.setattr(GitRepo, "_run", full)
    with pytest.raises(StorageError, match="No space left on device") as caught:
        ConfigStore(tmp_path).prepare()
    assert caught.value.exit_code == 2


def test_run_refused_because_the_store_is_held_exits_3(fresh_lab) -> None:
    runner = CliRunner()
    with writer_lock(fresh_lab.config.data_dir / "backups.lock"):
        result = runner.invoke(app, ["--config", str(fresh_lab.config_path), "run", "backup", "--lab",
                                     "-f", "stc-r1"])
    assert result.exit_code == 3, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr and "is writing to" in result.stderr
