"""The embedded SQLite database in the data folder (runs, per-host results, changes, findings).

Each concern (backup, audit, push, scheduler) declares its own tables with `register_schema`;
`connect` creates whatever is missing. WAL mode lets the TUI read while a run writes.

The database holds records, not the configurations (those are in git): a damaged file is moved
aside (``tslcd.sqlite.damaged-<time>``) and a new one created and refilled by each concern's
`register_rebuild` from what git holds, so backups keep working. A data folder that is read-only
or full is a StorageError naming the file, never a traceback.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.errors import StorageError

DB_NAME = "tslcd.sqlite"
_SCHEMAS: dict[str, str] = {}
_REBUILDERS: dict[str, Callable[[sqlite3.Connection, Path], None]] = {}
_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_CHECKED: set[Path] = set()  # databases this process has verified page by page once
log = logging.getLogger(__name__)


def register_schema(name: str, ddl: str) -> None:
    """Declare the tables of one concern (idempotent DDL: CREATE TABLE IF NOT EXISTS ...)."""
    _SCHEMAS[name] = ddl


def register_rebuild(name: str, rebuild: Callable[[sqlite3.Connection, Path], None]) -> None:
    """Declare how a concern refills its tables in a recreated database from what else the data
    folder holds (``rebuild(conn, data_dir)``, run once in a transaction after a damaged file was
    set aside)."""
    _REBUILDERS[name] = rebuild


def _rebuild(conn: sqlite3.Connection, data_dir: Path) -> None:
    for name, rebuild in _REBUILDERS.items():
        try:
            with transaction(conn):
                rebuild(conn, data_dir)
        except Exception as exc:  # a partial rebuild must not stop the command that found the damage
            log.warning("could not rebuild %s records after the damage: %s", name, exc)


def storage_error(path: Path, exc: BaseException) -> StorageError:
    """One line an operator can act on for a failed read or write of ``path``."""
    reason = getattr(exc, "strerror", None) or str(exc)
    return StorageError(f"cannot use {path}: {reason} (is the data folder read-only or full?)")


def damaged(exc: sqlite3.Error) -> bool:
    """True when SQLite says the file is not a database or is corrupt."""
    return getattr(exc, "sqlite_errorname", "") in _DAMAGED


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        if path not in _CHECKED:
            found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if found != "ok":
                error = sqlite3.DatabaseError("database disk image is malformed: " + " ".join(found.split()))
                error.sqlite_errorname = "SQLITE_CORRUPT"
                raise error
            _CHECKED.add(path)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        for ddl in _SCHEMAS.values():
            conn.executescript(ddl)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_waiting(path: Path, seconds: float = 30.0) -> sqlite3.Connection:
    """`_open`, waiting while another connection holds the lock: switching a new database to WAL
    answers "database is locked" at once, without SQLite's busy timeout, when two threads (a TUI
    starting its workers) open it together."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return _open(path)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) aside; returns where it went."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    path.replace(target)
    return target


def connect(data_dir: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database in ``data_dir`` with every registered schema."""
    path = data_dir / DB_NAME
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            return _open_waiting(path)
        except sqlite3.DatabaseError as exc:
            if not damaged(exc):
                raise
            moved = set_aside(path)
            log.warning("%s was damaged (%s): moved to %s and recreated from what git holds; the "
                        "configuration history in git is untouched", path, exc, moved.name)
            conn = _open(path)
            _rebuild(conn, data_dir)
            return conn
    except (OSError, sqlite3.Error) as exc:
        raise storage_error(path, exc) from None


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic unit of writes: committed whole or not at all."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
