"""The change log in SQLite, written ahead: what a change will do is stored before it is done.

A change row is written (``running``) before any device is touched, holding the process's lock
token; each device's row is written (``pending``) with its masked pre-change config and planned
commands before the first command reaches it, then moves ``sending -> verifying -> applied``, or
``rolled-back`` / ``needs-recovery``. A process that dies leaves rows that say how far each device
got; whoever opens the log next sees the change's lock is free (`tslcd.push.journal`) and marks it
``needs-recovery``. Nothing stored here holds a secret: configs, commands, answers and variables
are masked like a backup.
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tslcd.errors import InputError
from tslcd.sanitize import MASK
from tslcd.store.db import connect, register_schema, transaction
from tslcd.store.records import now

register_schema("push_changes", """
CREATE TABLE IF NOT EXISTS push_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,              -- push | rollback | recover
    user        TEXT NOT NULL,
    started_at  TEXT NOT NULL,              -- UTC, ISO 8601
    finished_at TEXT,
    template    TEXT NOT NULL,
    variables   TEXT NOT NULL DEFAULT '{}', -- JSON, secrets masked
    filters     TEXT NOT NULL DEFAULT '',
    lab         INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,              -- running | done | halted | failed | interrupted
                                            -- | needs-recovery | recovered
    message     TEXT NOT NULL DEFAULT '',
    rolls_back  INTEGER REFERENCES push_changes(id)
);
CREATE TABLE IF NOT EXISTS push_change_hosts (
    change_id   INTEGER NOT NULL REFERENCES push_changes(id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    platform    TEXT NOT NULL,
    batch       INTEGER NOT NULL,
    status      TEXT NOT NULL,  -- pending | sending | verifying | applied | unchanged | rolled-back
                                -- | needs-recovery | failed | busy
    error_class TEXT,
    message     TEXT NOT NULL DEFAULT '',
    commands    TEXT NOT NULL DEFAULT '',
    device_diff TEXT NOT NULL DEFAULT '',
    rollback    TEXT NOT NULL DEFAULT '',
    pre_config  TEXT NOT NULL DEFAULT '',
    post_config TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL,  -- when the row last changed
    PRIMARY KEY (change_id, host)
);
CREATE INDEX IF NOT EXISTS push_change_hosts_by_host ON push_change_hosts(host, change_id);
""")

# Columns added by the write-ahead journal; older databases get them on first open.
_ADDED = {
    "push_changes": (("pid", "INTEGER"), ("lock_token", "TEXT NOT NULL DEFAULT ''"),
                     ("ticket", "TEXT NOT NULL DEFAULT ''"), ("comment", "TEXT NOT NULL DEFAULT ''"),
                     ("accepted_risk", "TEXT NOT NULL DEFAULT ''")),
    "push_change_hosts": (("sent", "TEXT NOT NULL DEFAULT ''"), ("answered", "TEXT NOT NULL DEFAULT ''")),
}

_MIGRATED: set[Path] = set()  # data folders whose database this process has brought up to date

#: Device states that mean the change was under way on it (what recovery looks at).
UNDER_WAY = ("pending", "sending", "verifying", "needs-recovery")
#: Device states whose pre-change config a rollback restores.
ROLLBACK_FROM = ("applied", "needs-recovery", "sending", "verifying", "pending", "rolled-back")

_SECRET_KEY = re.compile(r"(?i)pass|secret|key|community|psk|token|hash|credential")
_SECRET_VALUE = re.compile(r"^\$\d+\$|^ENC |^\$[0-9a-z]+\$|^[0-9]{1,2} [0-9A-Za-z./$]{16,}$")


def mask_variables(value: Any, key: str = "") -> Any:
    """Change variables fit for the log: values under secret-sounding keys or shaped like a hash
    are masked, recursively."""
    if isinstance(value, dict):
        return {k: mask_variables(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_variables(v, key) for v in value]
    if value is not None and (_SECRET_KEY.search(key) or _SECRET_VALUE.search(str(value))):
        return MASK
    return value


@dataclass(frozen=True)
class HostChange:
    """What a push (or rollback) did to one device; every text in it is masked."""

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
    sent: str = ""
    answered: str = ""


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
    pid: int | None = None
    ticket: str = ""
    comment: str = ""
    lock_token: str = ""
    accepted_risk: str = ""  # forbidden flows the operator accepted, and under which ticket

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


_HOST_COLUMNS = ("platform", "batch", "status", "error_class", "message", "commands", "device_diff",
                 "rollback", "pre_config", "post_config", "sent", "answered")


class ChangeLog:
    """The change tables in the data folder's database."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(connect(self.data_dir)) as conn:
            if self.data_dir not in _MIGRATED:
                _migrate(conn)
                _MIGRATED.add(self.data_dir)
            yield conn

    def start(self, kind: str, template: str, variables: dict[str, Any], filters: str, *,
              lab: bool, rolls_back: int | None = None, ticket: str = "", comment: str = "",
              lock_token: str = "", pid: int | None = None, accepted_risk: str = "") -> int:
        """Record a change as running, before any device is touched; returns its id."""
        with self._db() as conn, transaction(conn):
            cursor = conn.execute(
                "INSERT INTO push_changes (kind, user, started_at, template, variables, filters, lab,"
                " status, rolls_back, pid, lock_token, ticket, comment, accepted_risk)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                (kind, current_user(), now(),
                 template, json.dumps(mask_variables(variables), ensure_ascii=False, default=str),
                 filters, int(lab), rolls_back, pid, lock_token, ticket, comment, accepted_risk))
            return int(cursor.lastrowid or 0)

    def record_hosts(self, change_id: int, hosts: Sequence[HostChange]) -> None:
        """Store (or overwrite) whole device rows."""
        with self._db() as conn, transaction(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO push_change_hosts (change_id, host, platform, batch, status,"
                " error_class, message, commands, device_diff, rollback, pre_config, post_config,"
                " sent, answered, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(change_id, h.host, h.platform, h.batch, h.status, h.error_class, h.message,
                  h.commands, h.device_diff, h.rollback, h.pre_config, h.post_config, h.sent,
                  h.answered, now()) for h in hosts])

    def update_host(self, change_id: int, host: str, **values: Any) -> None:
        """Change some columns of one device's row (its state as the change goes on)."""
        unknown = set(values) - set(_HOST_COLUMNS)
        if unknown:
            raise ValueError(f"unknown change-log columns: {sorted(unknown)}")
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._db() as conn, transaction(conn):
            conn.execute(f"UPDATE push_change_hosts SET {columns}, finished_at = ? "
                         "WHERE change_id = ? AND host = ?", (*values.values(), now(), change_id, host))

    def finish(self, change_id: int, status: str, message: str = "") -> None:
        """Close a change with its final status (done, halted, failed)."""
        with self._db() as conn, transaction(conn):
            conn.execute("UPDATE push_changes SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                         (status, message, now(), change_id))

    def running(self) -> list[ChangeRecord]:
        """Changes still marked running (their process may be alive or gone), without hosts."""
        with self._db() as conn:
            rows = conn.execute("SELECT * FROM push_changes WHERE status = 'running' ORDER BY id").fetchall()
        return [_record(r) for r in rows]

    def mark_needs_recovery(self, change_id: int, message: str) -> bool:
        """Mark a running change whose process is gone, and its devices under way; False when
        another process marked (or finished) it first."""
        with self._db() as conn, transaction(conn):
            done = conn.execute("UPDATE push_changes SET status = 'needs-recovery', message = ?, "
                                "finished_at = ? WHERE id = ? AND status = 'running'",
                                (message, now(), change_id)).rowcount
            if done:
                conn.execute("UPDATE push_change_hosts SET status = 'needs-recovery', message = ? "
                             "WHERE change_id = ? AND status IN ('pending', 'sending', 'verifying')",
                             (message, change_id))
        return bool(done)

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

    def list(self, limit: int = 50, status: str | None = None) -> list[ChangeRecord]:
        """The latest changes (of one status, if given), newest first, with their hosts."""
        where = "WHERE status = ? " if status else ""
        with self._db() as conn:
            rows = conn.execute(f"SELECT * FROM push_changes {where}ORDER BY id DESC LIMIT ?",
                                (*([status] if status else []), limit)).fetchall()
            hosts = conn.execute(
                "SELECT * FROM push_change_hosts WHERE change_id IN "
                f"({','.join('?' * len(rows))}) ORDER BY batch, host", [r["id"] for r in rows]
            ).fetchall() if rows else []
        records = {r["id"]: _record(r) for r in rows}
        for h in hosts:
            records[h["change_id"]].hosts.append(_host(h))
        return list(records.values())


def _migrate(conn: sqlite3.Connection) -> None:
    """Add the journal's columns to a database made by an older tslcd."""
    for table, columns in _ADDED.items():
        have = {row["name"] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, ddl in columns:
            if name not in have:
                try:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")
                except sqlite3.OperationalError as exc:  # another process added it meanwhile
                    if "duplicate column" not in str(exc):
                        raise


def _record(row: sqlite3.Row) -> ChangeRecord:
    return ChangeRecord(row["id"], row["kind"], row["user"], row["started_at"], row["finished_at"],
                        row["template"], json.loads(row["variables"] or "{}"), row["filters"],
                        bool(row["lab"]), row["status"], row["message"], row["rolls_back"],
                        pid=row["pid"], ticket=row["ticket"], comment=row["comment"],
                        lock_token=row["lock_token"], accepted_risk=row["accepted_risk"])


def _host(row: sqlite3.Row) -> HostChange:
    return HostChange(row["host"], row["platform"], row["status"], row["batch"], row["error_class"],
                      row["message"], row["commands"], row["device_diff"], row["rollback"],
                      row["pre_config"], row["post_config"], row["sent"], row["answered"])
