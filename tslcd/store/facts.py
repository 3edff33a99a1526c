"""The latest facts (model, serial, OS version, uptime) per device, in SQLite."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

from tslcd.store.db import connect, register_schema, transaction
from tslcd.store.records import now

FACT_COLUMNS = ("model", "serial", "os_version", "uptime_seconds")

register_schema("device_facts", """
CREATE TABLE IF NOT EXISTS device_facts (
    host           TEXT PRIMARY KEY,
    collected_at   TEXT NOT NULL,           -- UTC, ISO 8601
    run_id         INTEGER,
    model          TEXT,
    serial         TEXT,
    os_version     TEXT,
    uptime_seconds INTEGER
);
""")


def save_facts(data_dir: Path, run_id: int, facts: dict[str, dict[str, Any]]) -> None:
    """Replace the stored facts of the hosts in ``facts`` (host -> FACT_COLUMNS values)."""
    stamp = now()
    rows = [(host, stamp, run_id, *(values.get(c) for c in FACT_COLUMNS)) for host, values in facts.items()]
    with closing(connect(data_dir)) as conn, transaction(conn):
        conn.executemany(
            "INSERT OR REPLACE INTO device_facts (host, collected_at, run_id, model, serial, os_version, "
            "uptime_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def load_facts(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Every host's latest facts, with when they were collected."""
    with closing(connect(data_dir)) as conn:
        rows = conn.execute("SELECT * FROM device_facts ORDER BY host").fetchall()
    return {row["host"]: {"collected_at": row["collected_at"], **{c: row[c] for c in FACT_COLUMNS}}
            for row in rows}
