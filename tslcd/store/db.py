"""The embedded SQLite database in the data folder (runs, per-host results, changes, findings).

Each concern (backup, audit, push, scheduler) declares its own tables with `register_schema`;
`connect` creates whatever is missing. WAL mode lets the TUI read while a run writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "tslcd.sqlite"
_SCHEMAS: dict[str, str] = {}


def register_schema(name: str, ddl: str) -> None:
    """Declare the tables of one concern (idempotent DDL: CREATE TABLE IF NOT EXISTS ...)."""
    _SCHEMAS[name] = ddl


def connect(data_dir: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database in ``data_dir`` with every registered schema."""
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(data_dir / DB_NAME, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    for ddl in _SCHEMAS.values():
        conn.executescript(ddl)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic unit of writes: committed whole or not at all."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
