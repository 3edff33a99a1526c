"""The change log in SQLite: who pushed what, when, to which hosts, and what happened on each.

A change row is written (``running``) before any device is touched and each host's row as soon as
its batch ends, so a killed push still says which devices it changed. Per host it keeps the
commands sent, the device's own diff where it gives one, the commands that undo the change
(computed from the real post-change config) and the masked pre- and post-change configs, which
`tslcd rollback` verifies against.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tslcd.errors import InputError
from tslcd.store.db import connect, register_schema, transaction
from tslcd.store.records import now

register_schema("push_changes", """
CREATE TABLE IF NOT EXISTS push_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,              -- push | rollback
    user        TEXT NOT NULL,
    started_at  TEXT NOT NULL,              -- UTC, ISO 8601
    finished_at TEXT,
    template    TEXT NOT NULL,
    variables   TEXT NOT NULL DEFAULT '{}', -- JSON
    filters     TEXT NOT NULL DEFAULT '',
    lab         INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,              -- running | done | halted | failed | interrupted
    message     TEXT NOT NULL DEFAULT '',
    rolls_back  INTEGER REFERENCES push_changes(id)
);
CREATE TABLE IF NOT EXISTS push_change_hosts (
    change_id   INTEGER NOT NULL REFERENCES push_changes(id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    platform    TEXT NOT NULL,
    batch       INTEGER NOT NULL,
    status      TEXT NOT NULL,  -- applied | unchanged | rolled-back | rollback-failed | failed | skipped
    error_class TEXT,
    message     TEXT NOT NULL DEFAULT '',
    commands    TEXT NOT NULL DEFAULT '',
    device_diff TEXT NOT NULL DEFAULT '',
    rollback    TEXT NOT NULL DEFAULT '',
    pre_config  TEXT NOT NULL DEFAULT '',
    post_config TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL,
    PRIMARY KEY (change_id, host)
);
CREATE INDEX IF NOT EXISTS push_change_hosts_by_host ON push_change_hosts(host, change_id);
""")


@dataclass(frozen=True)
class HostChange:
    """What a push (or rollback) did to one device."""

    host: str
    platform: str
    status: str
    batch: int = 0
    error_class: str | None = None
    message: str = ""
    commands: str = ""
    device_diff: str = ""
    rollback: str = ""
    pre_config: str = ""
    post_config: str = ""


@dataclass
class ChangeRecord:
    """One change with its hosts, as read back from the log."""

    id: int
    kind: str
    user: str
    started_at: str
    finished_at: str | None
    template: str
    variables: dict[str, Any]
    filters: str
    lab: bool
    status: str
    message: str
    rolls_back: int | None
    hosts: list[HostChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many hosts ended in each status."""
        out: dict[str, int] = {}
        for host in self.hosts:
            out[host.status] = out.get(host.status, 0) + 1
        return out


def current_user() -> str:
    """Who is pushing: the OS login (the jump host's accounts are personal)."""
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"


class ChangeLog:
    """The change tables in the data folder's database."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(connect(self.data_dir)) as conn:
            yield conn

    def start(self, kind: str, template: str, variables: dict[str, Any], filters: str, *,
              lab: bool, rolls_back: int | None = None) -> int:
        """Record a change as running, before any device is touched; returns its id."""
        with self._db() as conn, transaction(conn):
            cursor = conn.execute(
                "INSERT INTO push_changes (kind, user, started_at, template, variables, filters, lab,"
                " status, rolls_back) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (kind, current_user(), now(), template, json.dumps(variables, ensure_ascii=False,
                                                                   default=str),
                 filters, int(lab), rolls_back))
            return int(cursor.lastrowid or 0)

    def record_hosts(self, change_id: int, hosts: Sequence[HostChange]) -> None:
        """Store the results of hosts that finished (one batch at a time)."""
        with self._db() as conn, transaction(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO push_change_hosts (change_id, host, platform, batch, status,"
                " error_class, message, commands, device_diff, rollback, pre_config, post_config,"
                " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(change_id, h.host, h.platform, h.batch, h.status, h.error_class, h.message,
                  h.commands, h.device_diff, h.rollback, h.pre_config, h.post_config, now())
                 for h in hosts])

    def finish(self, change_id: int, status: str, message: str = "") -> None:
        """Close a change with its final status (done, halted, failed)."""
        with self._db() as conn, transaction(conn):
            conn.execute("UPDATE push_changes SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                         (status, message, now(), change_id))

    def get(self, change_id: int) -> ChangeRecord:
        """One change and its hosts; an unknown id is an input error."""
        with self._db() as conn:
            row = conn.execute("SELECT * FROM push_changes WHERE id = ?", (change_id,)).fetchone()
            if row is None:
                raise InputError(f"no change {change_id} in the change log (see `tslcd changes`)")
            hosts = conn.execute("SELECT * FROM push_change_hosts WHERE change_id = ? "
                                 "ORDER BY batch, host", (change_id,)).fetchall()
        record = _record(row)
        record.hosts = [_host(h) for h in hosts]
        return record

    def list(self, limit: int = 50) -> list[ChangeRecord]:
        """The latest changes, newest first, with their hosts."""
        with self._db() as conn:
            rows = conn.execute("SELECT * FROM push_changes ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            hosts = conn.execute(
                "SELECT * FROM push_change_hosts WHERE change_id IN "
                f"({','.join('?' * len(rows))}) ORDER BY batch, host", [r["id"] for r in rows]
            ).fetchall() if rows else []
        records = {r["id"]: _record(r) for r in rows}
        for h in hosts:
            records[h["change_id"]].hosts.append(_host(h))
        return list(records.values())


def _record(row: sqlite3.Row) -> ChangeRecord:
    return ChangeRecord(row["id"], row["kind"], row["user"], row["started_at"], row["finished_at"],
                        row["template"], json.loads(row["variables"] or "{}"), row["filters"],
                        bool(row["lab"]), row["status"], row["message"], row["rolls_back"])


def _host(row: sqlite3.Row) -> HostChange:
    return HostChange(row["host"], row["platform"], row["status"], row["batch"], row["error_class"],
                      row["message"], row["commands"], row["device_diff"], row["rollback"],
                      row["pre_config"], row["post_config"])
