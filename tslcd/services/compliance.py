"""Compliance: evaluate a pack's controls on the latest backups, keep each run, show the trend.

The evidence is what the backups hold now (file:line in the git store) and what the audit finds in
them, so a compliance report and an audit of the same backups never disagree. Each run is stored in
SQLite so the report can show how the province's figures move from one inspection to the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from tslcd.audit.result import DeviceInfo
from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.waivers import match
from tslcd.compliance.evaluate import DeviceText, evaluate
from tslcd.compliance.packs import LEVELS, Pack, load_packs
from tslcd.compliance.result import ComplianceResult, DeviceCompliance, TrendPoint
from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import filters as host_filters
from tslcd.inventory import load_inventory
from tslcd.services.audit import load_waiver_file, load_zone_policy
from tslcd.store.configs import ConfigStore
from tslcd.store.db import connect, register_schema, transaction

LEVEL_KEY = "security_level"
Progress = Callable[[str, int, int], None]

register_schema(
    "compliance",
    """
CREATE TABLE IF NOT EXISTS compliance_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started      TEXT NOT NULL,
    pack         TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    scope        TEXT NOT NULL,   -- "inventory", or the filters of a scoped run
    counts       TEXT NOT NULL    -- JSON {status: count}
);
CREATE TABLE IF NOT EXISTS compliance_results (
    run_id   INTEGER NOT NULL REFERENCES compliance_runs(id) ON DELETE CASCADE,
    host     TEXT NOT NULL,
    control  TEXT NOT NULL,
    status   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS compliance_results_by_run ON compliance_results(run_id);
""",
)


def packs_dir(config: Config) -> Path:
    """The folder of compliance packs (``compliance/`` next to tslcd.yaml unless configured)."""
    return config.compliance_dir


def available_packs(config: Config) -> dict[str, Pack]:
    """Every pack of the project, validated."""
    return load_packs(packs_dir(config))


def choose_pack(config: Config, name: str | None) -> Pack:
    """The pack named ``name`` (or the only/first pack when no name is given)."""
    packs = available_packs(config)
    if not packs:
        raise InputError(f"no compliance pack in {packs_dir(config)} (see compliance/README.md)")
    if name is None:
        return packs[sorted(packs)[0]]
    if name not in packs:
        raise InputError(f"no compliance pack {name!r} (available: {', '.join(sorted(packs))})")
    return packs[name]


def host_level(data: dict[str, object], host: str) -> int | None:
    """A host's security level from its (inherited) inventory data; None when not set."""
    value = data.get(LEVEL_KEY)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise InputError(f"host {host!r}: {LEVEL_KEY} must be a level from 1 to 5, got {value!r}")
    return value


def run_compliance(config: Config, pack_name: str | None = None, level: int | None = None,
                   filters: Sequence[str] | None = None, *, record: bool = True,
                   progress: Progress | None = None) -> ComplianceResult:
    """Evaluate a pack on the latest backup of every selected host; store the run when ``record``."""
    if level is not None and level not in LEVELS:
        raise InputError(f"--level must be from 1 to 5, got {level}")
    pack = choose_pack(config, pack_name)
    inventory = load_inventory(config)
    hosts = host_filters.select(inventory, list(filters or []))
    store = ConfigStore(Path(config.data_dir))
    policy = load_zone_policy(config)
    waivers = load_waiver_file(config)
    today = datetime.now(UTC).date()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    devices: list[DeviceCompliance] = []
    for n, host in enumerate(hosts, start=1):
        data = dict(host.data)
        device_level = level if level is not None else host_level(data, host.name)
        text = store.read(host.name)
        located = store.locate(host.name) if text is not None else None
        source = f"backups/{located}" if located else ""
        findings = audit_device(DeviceConfig(host.name, host.platform, text, data, source), policy) \
            if text is not None else []
        device = DeviceText(host.name, host.platform, device_level, text, source)
        waived = match(findings, waivers, today)
        verdicts = [evaluate(control, device, findings, waived) for control in pack.controls]
        devices.append(DeviceCompliance(DeviceInfo.from_data(host.name, host.platform, data, source),
                                        device_level, source, verdicts))
        if progress is not None:
            progress(host.name, n, len(hosts))
    scope = ",".join(filters) if filters else "inventory"
    result = ComplianceResult(pack, devices, started, scope, level)
    if record:
        result.run_id = _record(Path(config.data_dir), result)
    result.trend = trend(Path(config.data_dir), pack.name)
    return result


def _record(data_dir: Path, result: ComplianceResult) -> int:
    counts = {status.value: n for status, n in result.counts().items()}
    with closing(connect(data_dir)) as conn, transaction(conn):
        cur = conn.execute(
            "INSERT INTO compliance_runs (started, pack, pack_version, scope, counts) VALUES (?, ?, ?, ?, ?)",
            (result.started, result.pack.name, result.pack.version, result.scope, json.dumps(counts)))
        run_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO compliance_results VALUES (?, ?, ?, ?)",
            [(run_id, v.host, v.control.id, v.status.value) for d in result.devices for v in d.verdicts])
    return run_id


def trend(data_dir: Path, pack: str, limit: int = 12) -> list[TrendPoint]:
    """The latest runs of ``pack``, oldest first (the report's trend table)."""
    with closing(connect(data_dir)) as conn:
        rows = conn.execute(
            "SELECT id, started, scope, counts FROM compliance_runs WHERE pack = ? ORDER BY id DESC LIMIT ?",
            (pack, limit)).fetchall()
    return [TrendPoint(int(r["id"]), r["started"], r["scope"], json.loads(r["counts"]))
            for r in reversed(rows)]
