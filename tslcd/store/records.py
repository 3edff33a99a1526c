"""Device runs (backup, facts) and their per-host results in SQLite, so status survives restarts.

A run is inserted as ``running`` before any device is contacted and finished with its results in
one transaction; a run still ``running`` when the next run of its kind takes the lock was killed
and is marked ``interrupted``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tslcd.store.db import connect, register_rebuild, register_schema, transaction
from tslcd.store.gitrepo import GitRepo

register_schema("device_runs", """
CREATE TABLE IF NOT EXISTS device_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,              -- backup | facts
    started_at  TEXT NOT NULL,              -- UTC, ISO 8601
    finished_at TEXT,
    status      TEXT NOT NULL,              -- running | ok | partial | interrupted
    hosts       INTEGER NOT NULL,
    ok          INTEGER,
    failed      INTEGER,
    changed     INTEGER,
    commit_sha  TEXT,
    lab         INTEGER NOT NULL DEFAULT 0,
    filters     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS device_results (
    run_id      INTEGER NOT NULL REFERENCES device_runs(id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    status      TEXT NOT NULL,              -- changed | unchanged | ok | failed
    error_class TEXT,
    message     TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL,
    duration    REAL NOT NULL,
    size        INTEGER,
    PRIMARY KEY (run_id, host)
);
CREATE INDEX IF NOT EXISTS device_results_by_host ON device_results(host, run_id);
""")


def now() -> str:
    """The current UTC time as stored (second precision)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class HostRecord:
    """One host's result in one run."""

    host: str
    status: str
    error_class: str | None
    message: str
    attempts: int
    duration: float
    size: int | None


@dataclass(frozen=True)
class HostAttempt:
    """A host's result joined with its run (for history and status views)."""

    run_id: int
    kind: str
    started_at: str
    commit_sha: str | None
    record: HostRecord


@dataclass(frozen=True)
class RunRecord:
    """One run of a kind: when, how it ended and its counts (``None`` while still running)."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    hosts: int
    ok: int | None
    failed: int | None
    changed: int | None
    commit_sha: str | None


class RunLog:
    """The runs and results tables of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(connect(self.data_dir)) as conn:
            yield conn

    def start(self, kind: str, hosts: int, *, lab: bool, filters: str) -> int:
        """Record a run as running; its id. Call under the kind's writer lock: earlier runs of the
        kind still marked running were killed, and are marked interrupted."""
        with self._connect() as conn, transaction(conn):
            conn.execute("UPDATE device_runs SET status='interrupted' WHERE status='running' AND kind=?",
                         (kind,))
            cur = conn.execute(
                "INSERT INTO device_runs (kind, started_at, status, hosts, lab, filters) "
                "VALUES (?, ?, 'running', ?, ?, ?)", (kind, now(), hosts, int(lab), filters))
            return int(cur.lastrowid or 0)

    def finish(self, run_id: int, records: list[HostRecord], *, changed: int | None,
               commit_sha: str | None) -> None:
        """Store every host's result and close the run, atomically."""
        failed = sum(r.status == "failed" for r in records)
        with self._connect() as conn, transaction(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO device_results (run_id, host, status, error_class, message, "
                "attempts, duration, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, r.host, r.status, r.error_class, r.message, r.attempts, r.duration, r.size)
                 for r in records])
            conn.execute(
                "UPDATE device_runs SET finished_at=?, status=?, ok=?, failed=?, changed=?, commit_sha=? "
                "WHERE id=?", (now(), "partial" if failed else "ok", len(records) - failed, failed,
                               changed, commit_sha, run_id))

    def runs(self, kind: str = "backup", limit: int = 50) -> list[RunRecord]:
        """The runs of ``kind``, newest first."""
        sql = ("SELECT id, started_at, finished_at, status, hosts, ok, failed, changed, commit_sha "
               "FROM device_runs WHERE kind = ? ORDER BY id DESC LIMIT ?")
        with self._connect() as conn:
            rows = conn.execute(sql, (kind, limit)).fetchall()
        return [RunRecord(row["id"], row["started_at"], row["finished_at"], row["status"], row["hosts"],
                          row["ok"], row["failed"], row["changed"], row["commit_sha"]) for row in rows]

    def host_attempts(self, host: str, kind: str | None = None, limit: int = 50) -> list[HostAttempt]:
        """The host's results, newest first."""
        sql = ("SELECT r.id, r.kind, r.started_at, r.commit_sha, d.* FROM device_results d "
               "JOIN device_runs r ON r.id = d.run_id WHERE d.host = ? "
               + ("AND r.kind = ? " if kind else "") + "ORDER BY r.id DESC LIMIT ?")
        params: tuple[object, ...] = (host, kind, limit) if kind else (host, limit)
        with self._connect() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [HostAttempt(row["id"], row["kind"], row["started_at"], row["commit_sha"],
                            HostRecord(row["host"], row["status"], row["error_class"], row["message"],
                                       row["attempts"], row["duration"], row["size"]))
                for row in rows]

    def last_good(self, kind: str = "backup") -> dict[str, str]:
        """Each host's last successful result time of ``kind`` (UTC ISO), for stale-backup checks."""
        sql = ("SELECT d.host, MAX(COALESCE(r.finished_at, r.started_at)) AS at FROM device_results d "
               "JOIN device_runs r ON r.id = d.run_id WHERE r.kind = ? AND d.status != 'failed' "
               "GROUP BY d.host")
        with self._connect() as conn:
            return {row["host"]: row["at"] for row in conn.execute(sql, (kind,))}


#: The subject of a backup commit (tslcd.services.backup writes it): what a rebuild reads back.
_BACKUP_SUBJECT = re.compile(r"^backup run (\d+): (\d+) changed, (\d+) unchanged, (\d+) failed "
                             r"\((\d+) hosts\)$")
_FAILED_LINE = re.compile(r"^  (?P<host>[^:\s]+): (?P<cls>[^:]+): (?P<message>.*)$")


def _rebuild_from_git(conn: sqlite3.Connection, data_dir: Path) -> None:
    """Backup runs that committed something, and their changed and failed hosts, from the commit
    messages of the backup repository (runs that changed nothing left no commit)."""
    repo = GitRepo(data_dir / "backups")
    if not repo.exists or repo.head() is None:
        return
    for entry in repo.git("log", "--reverse", "--format=%H%x1f%cI%x1f%B%x1e").split("\x1e"):
        parts = entry.strip("\n").split("\x1f", 2)
        if len(parts) != 3:
            continue
        sha, date, body = parts
        lines = body.splitlines()
        match = _BACKUP_SUBJECT.match(lines[0]) if lines else None
        if match is None:
            continue
        run_id, changed, unchanged, failed, hosts = (int(g) for g in match.groups())
        when = datetime.fromisoformat(date).astimezone(UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT OR IGNORE INTO device_runs (id, kind, started_at, finished_at, status, hosts, ok, "
            "failed, changed, commit_sha) VALUES (?, 'backup', ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, when, when, "partial" if failed else "ok", hosts, changed + unchanged, failed,
             changed, sha))
        section = ""
        for line in lines[1:]:
            if not line.startswith("  "):
                section = line
                continue
            found = _FAILED_LINE.match(line)
            if section.startswith("failed") and found:
                row = (run_id, found["host"], "failed", found["cls"], found["message"])
            elif section.startswith("changed"):
                row = (run_id, line.strip(), "changed", None, "")
            else:
                continue
            conn.execute("INSERT OR IGNORE INTO device_results (run_id, host, status, error_class, "
                         "message, attempts, duration) VALUES (?, ?, ?, ?, ?, 0, 0)", row)

register_rebuild("device_runs", _rebuild_from_git)
