"""Audit runs, their findings and the per-device result cache in SQLite.

Each run records its *kind* (``full``: the whole inventory; ``scoped``: a ``--filter``; ``file``: a
file outside the inventory; ``export``: a report written to a file) and a readable *scope*. Only a
``full`` run is the inventory's baseline for new and resolved findings, so a scoped run or an
export never makes the next run report everything as new. A file is compared with the previous
audit of the same file. Only the parent process writes (SQLite has one writer).
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from tslcd.audit.model import Finding, Severity
from tslcd.audit.result import RunInfo
from tslcd.store.db import connect, register_schema, transaction

FULL, SCOPED, FILE, EXPORT = "full", "scoped", "file", "export"
KINDS = (FULL, SCOPED, FILE, EXPORT)
_SEVERITY = {s.name: s for s in Severity}  # Severity[name] costs microseconds: 100,000s of rows
INVENTORY = "inventory"  # the stored scope key of every run over inventory backups


def _current(fingerprint: str) -> bool:
    """A stored fingerprint made as Finding.fingerprint makes them now (16 hex digits), not in the
    older "host|check|list|..." form; a change to how they are made must change their form too."""
    return "|" not in fingerprint

register_schema(
    "audit",
    """
CREATE TABLE IF NOT EXISTS audit_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started     TEXT NOT NULL,
    scope       TEXT NOT NULL,     -- "inventory" or "file:<path>": what a run can be compared with
    hosts       TEXT NOT NULL,     -- JSON list of the hosts audited
    findings    INTEGER NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'full',  -- full | scoped | file | export
    description TEXT NOT NULL DEFAULT ''       -- what the run covered, for people
);
CREATE TABLE IF NOT EXISTS audit_findings (
    run_id      INTEGER NOT NULL REFERENCES audit_runs(id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    platform    TEXT NOT NULL,
    check_id    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    list_name   TEXT NOT NULL,
    rule        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    text        TEXT NOT NULL,
    message     TEXT NOT NULL,
    remediation TEXT NOT NULL,
    details     TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_findings_by_run_host ON audit_findings(run_id, host);
CREATE TABLE IF NOT EXISTS audit_run_reuse (  -- unchanged hosts: their rows stay with an earlier run
    run_id INTEGER NOT NULL REFERENCES audit_runs(id) ON DELETE CASCADE,
    host   TEXT NOT NULL,
    source INTEGER NOT NULL REFERENCES audit_runs(id),  -- deleting a run still referred to fails
    PRIMARY KEY (run_id, host)
);
CREATE TABLE IF NOT EXISTS audit_cache (
    host     TEXT PRIMARY KEY,
    key      TEXT NOT NULL,        -- hash of everything the device's findings depend on
    findings TEXT NOT NULL,        -- JSON rows, see _cache_row
    run_id   INTEGER               -- the run whose own rows for this host are exactly these
);
""",
)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building 100,000s of findings makes the cyclic garbage collector rescan them over and over
    (they hold no cycles): pause it meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _connect(data_dir: Path) -> Iterator[sqlite3.Connection]:
    with closing(connect(Path(data_dir))) as conn:
        _migrate(conn)
        yield conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Add ``kind`` and ``description`` to a database made before runs recorded their scope.

    An old inventory run is taken as a full run when it covered as many hosts as the largest old
    inventory run (a filtered run covers fewer); the others become ``scoped``, so no old partial
    run can serve as a baseline.
    """
    if "kind" in {row["name"] for row in conn.execute("PRAGMA table_info(audit_runs)")}:
        return
    with transaction(conn):
        if "kind" in {row["name"] for row in conn.execute("PRAGMA table_info(audit_runs)")}:
            return  # another process migrated while this one waited for the lock
        conn.execute("ALTER TABLE audit_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'full'")
        conn.execute("ALTER TABLE audit_runs ADD COLUMN description TEXT NOT NULL DEFAULT ''")
        conn.execute("DROP INDEX IF EXISTS audit_findings_by_run")  # (run_id, host) serves it
        rows = conn.execute("SELECT id, scope, hosts FROM audit_runs").fetchall()
        widest = max((len(json.loads(r["hosts"])) for r in rows if r["scope"] == INVENTORY), default=0)
        for r in rows:
            count = len(json.loads(r["hosts"]))
            if r["scope"] != INVENTORY:
                kind, text = FILE, r["scope"].removeprefix("file:")
            elif count == widest:
                kind, text = FULL, f"whole inventory, {count} hosts (recorded before scopes were)"
            else:
                kind, text = SCOPED, f"{count} hosts (recorded before scopes were)"
            conn.execute("UPDATE audit_runs SET kind = ?, description = ? WHERE id = ?",
                         (kind, text, r["id"]))


def record_run(data_dir: Path, started: str, scope: str, kind: str, description: str,
               hosts: list[str], findings: list[Finding], copies: dict[str, int] | None = None,
               keys: dict[str, str] | None = None) -> int:
    """Store a run and its findings; its id.

    ``copies`` maps an unchanged host to an earlier run holding exactly its findings: the run
    refers to those rows instead of storing them again (500 unchanged devices are 100,000s of
    rows). ``keys`` are the cache keys the findings were made under: the cache remembers this run
    as holding the rows it stored.
    """
    with _connect(data_dir) as conn, transaction(conn):
        cur = conn.execute(
            "INSERT INTO audit_runs (started, scope, hosts, findings, kind, description) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (started, scope, json.dumps(hosts), len(findings), kind, description),
        )
        run_id = int(cur.lastrowid or 0)
        reused = _reuse_rows(conn, run_id, copies or {}, findings)
        conn.executemany(
            "INSERT INTO audit_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, f.host, f.platform, f.check, f.severity.name, f.list_name, f.rule, f.line, f.text,
              f.message, f.remediation, _dumps(f.details), f.fingerprint)
             for f in findings if f.host not in reused],
        )
        conn.executemany("UPDATE audit_cache SET run_id = ? WHERE host = ? AND key = ?",
                         [(run_id, host, key) for host, key in (keys or {}).items() if host not in reused])
    return run_id


def _reuse_rows(conn: sqlite3.Connection, run_id: int, copies: dict[str, int],
                findings: list[Finding]) -> set[str]:
    """Point the run at the rows earlier runs hold for unchanged hosts; the hosts so covered. A
    host whose rows are not all there is left to be stored from its findings."""
    expected = Counter(f.host for f in findings if f.host in copies)
    by_source: dict[int, list[str]] = {}
    for host, source in copies.items():
        by_source.setdefault(source, []).append(host)
    ok: list[tuple[int, str, int]] = []
    for source, hosts in by_source.items():
        held = dict(conn.execute(
            "SELECT host, COUNT(*) FROM audit_findings WHERE run_id = ? "
            "AND host IN (SELECT value FROM json_each(?)) GROUP BY host",
            (source, json.dumps(hosts))).fetchall())
        ok += [(run_id, h, source) for h in hosts if held.get(h, 0) == expected.get(h, 0)]
    conn.executemany("INSERT INTO audit_run_reuse (run_id, host, source) VALUES (?, ?, ?)", ok)
    return {h for _, h, _ in ok}


# A run's findings: its own rows and the rows of earlier runs it reuses for unchanged hosts.
_RUN_ROWS = (
    "(SELECT f.rowid AS pos, f.* FROM audit_findings f WHERE f.run_id = :run "
    "UNION ALL SELECT f.rowid AS pos, f.* FROM audit_run_reuse r JOIN audit_findings f "
    "ON f.run_id = r.source AND f.host = r.host WHERE r.run_id = :run)"
)


def _dumps(details: dict[str, object]) -> str:
    return json.dumps(details, ensure_ascii=False) if details else "{}"


def _row_finding(row: sqlite3.Row) -> Finding:
    details = row["details"]
    f = Finding(
        check=row["check_id"], severity=_SEVERITY[row["severity"]], host=row["host"],
        platform=row["platform"], message=row["message"], remediation=row["remediation"],
        list_name=row["list_name"], rule=row["rule"], line=row["line"], text=row["text"],
        details=json.loads(details) if details != "{}" else {},
    )
    if _current(row["fingerprint"]):  # older forms are recomputed
        f.__dict__["fingerprint"] = row["fingerprint"]  # Finding.fingerprint is a cached_property
    return f


def run_findings(data_dir: Path, run_id: int) -> list[Finding]:
    """The findings stored for one run."""
    with _connect(data_dir) as conn, _no_gc():
        rows = conn.execute(f"SELECT * FROM {_RUN_ROWS} ORDER BY host, pos", {"run": run_id}).fetchall()
        return [_row_finding(r) for r in rows]


def run_prints(data_dir: Path, run_id: int) -> list[tuple[str, str]] | None:
    """(host, fingerprint) of each finding of a run, without reading the findings; None when some
    were stored in an older fingerprint format (read them whole then)."""
    with _connect(data_dir) as conn, _no_gc():
        prints = conn.execute(f"SELECT host, fingerprint FROM {_RUN_ROWS}", {"run": run_id}).fetchall()
        return [(h, fp) for h, fp in prints] if all(_current(fp) for _, fp in prints) else None


def findings_with_prints(data_dir: Path, run_id: int, prints: set[str]) -> list[Finding]:
    """The findings of a run that have one of these fingerprints (e.g. the resolved ones)."""
    with _connect(data_dir) as conn:
        rows = conn.execute(
            f"SELECT * FROM {_RUN_ROWS} WHERE fingerprint IN (SELECT value FROM json_each(:prints)) "
            "ORDER BY host, pos", {"run": run_id, "prints": json.dumps(sorted(prints))}).fetchall()
        return [_row_finding(r) for r in rows]


def _info(row: sqlite3.Row) -> RunInfo:
    return RunInfo(int(row["id"]), row["started"], row["kind"], row["description"])


def run_hosts(data_dir: Path, run_id: int) -> tuple[RunInfo, list[str]] | None:
    """A run's record and the hosts it audited."""
    with _connect(data_dir) as conn:
        row = conn.execute("SELECT * FROM audit_runs WHERE id = ?", (run_id,)).fetchone()
    return None if row is None else (_info(row), json.loads(row["hosts"]))


def latest(data_dir: Path, scope: str, kinds: Iterable[str], before: int | None = None) -> RunInfo | None:
    """The newest run of ``scope`` whose kind is one of ``kinds`` (older than run ``before``)."""
    kinds = list(kinds)
    sql = (f"SELECT * FROM audit_runs WHERE scope = ? AND kind IN ({','.join('?' * len(kinds))}) "
           "AND id < ? ORDER BY id DESC LIMIT 1")
    with _connect(data_dir) as conn:
        row = conn.execute(sql, (scope, *kinds, before if before is not None else 2**62)).fetchone()
    return None if row is None else _info(row)


def _cache_row(f: Finding) -> list[object]:
    return [f.check, f.severity.name, f.platform, f.message, f.remediation, f.list_name, f.rule, f.line,
            f.text, f.details, f.fingerprint]


def _cached_finding(host: str, row: list[Any]) -> Finding:
    c, s, p, m, r, ln, ru, li, t, d, fp = row
    f = Finding(c, _SEVERITY[s], host, p, m, r, ln, ru, li, t, d)  # positional: 100,000s of them
    f.__dict__["fingerprint"] = fp  # same engine version (the cache key), so the same fingerprint
    return f


def cached(data_dir: Path, keys: dict[str, str]) -> dict[str, tuple[list[Finding], int | None]]:
    """host -> (its remembered findings, a run holding exactly them) for every host whose cache key
    is still ``keys[host]``."""
    out: dict[str, tuple[list[Finding], int | None]] = {}
    with _connect(data_dir) as conn, _no_gc():
        for row in conn.execute("SELECT host, key, findings, run_id FROM audit_cache"):
            host = row["host"]
            if keys.get(host) == row["key"]:
                out[host] = ([_cached_finding(host, r) for r in json.loads(row["findings"])], row["run_id"])
    return out


def store_cache(data_dir: Path, entries: dict[str, tuple[str, list[Finding]]]) -> None:
    """Remember each host's findings under its key (host -> (key, findings)), one entry per host."""
    if not entries:
        return
    with _connect(data_dir) as conn, transaction(conn):
        conn.executemany(
            "INSERT OR REPLACE INTO audit_cache (host, key, findings, run_id) VALUES (?, ?, ?, NULL)",
            [(host, key, json.dumps([_cache_row(f) for f in found], ensure_ascii=False))
             for host, (key, found) in entries.items()],
        )
