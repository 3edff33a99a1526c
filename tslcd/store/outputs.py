"""What ad-hoc read-only commands (`tslcd cmd`) printed, kept with their run in SQLite."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from tslcd.store.db import connect, register_schema, transaction

register_schema("command_outputs", """
CREATE TABLE IF NOT EXISTS command_outputs (
    run_id   INTEGER NOT NULL REFERENCES device_runs(id) ON DELETE CASCADE,
    host     TEXT NOT NULL,
    command  TEXT NOT NULL,
    output   TEXT NOT NULL,
    PRIMARY KEY (run_id, host)
);
""")


def save_outputs(data_dir: Path, run_id: int, command: str, outputs: dict[str, str]) -> None:
    """Keep every host's answer to ``command`` with run ``run_id`` (one transaction)."""
    with closing(connect(data_dir)) as conn, transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO command_outputs (run_id, host, command, output) "
                         "VALUES (?, ?, ?, ?)", [(run_id, h, command, o) for h, o in outputs.items()])


def load_outputs(data_dir: Path, run_id: int) -> tuple[str, dict[str, str]]:
    """The command of run ``run_id`` and each host's answer ("" and {} for an unknown run)."""
    with closing(connect(data_dir)) as conn:
        rows = conn.execute("SELECT host, command, output FROM command_outputs WHERE run_id = ? "
                            "ORDER BY host", (run_id,)).fetchall()
    return (rows[0]["command"] if rows else ""), {row["host"]: row["output"] for row in rows}
