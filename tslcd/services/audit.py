"""The audit's user actions: audit configurations, compare runs, explain what happens to a packet.

Configurations come in as data (`DeviceConfig`), so the same functions audit the latest backups,
a file outside the inventory, or a test's text. Each run and its findings are kept in SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tslcd.audit.model import Finding, Severity
from tslcd.audit.packets import format_packet, parse_packet
from tslcd.audit.reachability import ListAnalysis
from tslcd.audit.result import AuditResult, Comparison, DeviceInfo
from tslcd.audit.runner import DeviceConfig, audit_device, parse_device
from tslcd.audit.zones import ZonePolicy, default_policy, load_policy
from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import filters as host_filters
from tslcd.inventory import load_inventory
from tslcd.platforms import get_platform
from tslcd.sanitize import mask
from tslcd.store.configs import ConfigStore
from tslcd.store.db import connect, register_schema, transaction

ZONES_FILE = "zones.yaml"
Progress = Callable[[str, int, int], None]  # (host, done, total)

register_schema(
    "audit",
    """
CREATE TABLE IF NOT EXISTS audit_runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    scope     TEXT NOT NULL,     -- "inventory" or "file:<path>": runs are compared within a scope
    hosts     TEXT NOT NULL,     -- JSON list of the hosts audited
    findings  INTEGER NOT NULL
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
CREATE INDEX IF NOT EXISTS audit_findings_by_run ON audit_findings(run_id);
""",
)


def load_zone_policy(config: Config) -> ZonePolicy:
    """The operator's zone policy (``<inventory>/zones.yaml``), or the built-in default when absent."""
    path = Path(config.inventory_dir) / ZONES_FILE
    return load_policy(path) if path.exists() else default_policy()


def backup_devices(config: Config, filters: Sequence[str] | None) -> tuple[list[DeviceConfig], list[str]]:
    """The latest stored configuration of every selected host, and the hosts that have none."""
    inventory = load_inventory(config)
    store = ConfigStore(Path(config.data_dir))
    devices, missing = [], []
    for host in host_filters.select(inventory, list(filters or [])):
        text = store.read(host.name)
        if text is None:
            missing.append(host.name)
            continue
        devices.append(DeviceConfig(host.name, host.platform, text, dict(host.data), f"backups/{host.name}"))
    return devices, missing


def file_device(path: Path, platform: str, host: str | None = None) -> DeviceConfig:
    """A configuration file outside the inventory, parsed as ``platform``."""
    get_platform(platform)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read configuration ({exc})") from None
    # masked as a backup is: findings quote config lines, a raw file's secrets must not show
    return DeviceConfig(host or path.stem, platform, mask(text, platform), {}, str(path))


def audit_configs(
    devices: Sequence[DeviceConfig], policy: ZonePolicy, progress: Progress | None = None
) -> AuditResult:
    """Audit configurations; no storage (see `run_audit`)."""
    findings: list[Finding] = []
    infos = []
    for n, dev in enumerate(devices, start=1):
        findings += audit_device(dev, policy)
        infos.append(DeviceInfo.from_data(dev.host, dev.platform, dev.data, dev.source))
        if progress is not None:
            progress(dev.host, n, len(devices))
    findings.sort(key=lambda f: (f.host, -f.severity, f.check, f.line))
    return AuditResult(
        devices=infos, findings=findings, started=datetime.now(UTC).isoformat(timespec="seconds")
    )


def record_run(data_dir: Path, result: AuditResult, scope: str) -> int:
    """Store a run and its findings; sets and returns ``result.run_id``."""
    with closing(connect(data_dir)) as conn, transaction(conn):
        cur = conn.execute(
            "INSERT INTO audit_runs (started, scope, hosts, findings) VALUES (?, ?, ?, ?)",
            (result.started, scope, json.dumps([d.host for d in result.devices]), len(result.findings)),
        )
        run_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO audit_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    f.host,
                    f.platform,
                    f.check,
                    f.severity.name,
                    f.list_name,
                    f.rule,
                    f.line,
                    f.text,
                    f.message,
                    f.remediation,
                    json.dumps(f.details, ensure_ascii=False),
                    f.fingerprint,
                )
                for f in result.findings
            ],
        )
    result.run_id = run_id
    return run_id


def _row_finding(row: sqlite3.Row) -> Finding:
    return Finding(
        check=row["check_id"],
        severity=Severity[row["severity"]],
        host=row["host"],
        platform=row["platform"],
        message=row["message"],
        remediation=row["remediation"],
        list_name=row["list_name"],
        rule=row["rule"],
        line=row["line"],
        text=row["text"],
        details=json.loads(row["details"]),
    )


def run_findings(data_dir: Path, run_id: int) -> list[Finding]:
    """The findings stored for one run."""
    with closing(connect(data_dir)) as conn:
        rows = conn.execute(
            "SELECT * FROM audit_findings WHERE run_id = ? ORDER BY rowid", (run_id,)
        ).fetchall()
    return [_row_finding(r) for r in rows]


def _latest_row(data_dir: Path, scope: str) -> sqlite3.Row | None:
    with closing(connect(data_dir)) as conn:
        row: sqlite3.Row | None = conn.execute(
            "SELECT id, started, hosts FROM audit_runs WHERE scope = ? ORDER BY id DESC LIMIT 1", (scope,)
        ).fetchone()
    return row


def latest_run(data_dir: Path, scope: str = "inventory") -> tuple[int, list[Finding]] | None:
    """The latest stored run of ``scope`` (by default the inventory's, from the CLI, the TUI or the
    scheduler) and its findings; ``None`` before the first run."""
    row = _latest_row(Path(data_dir), scope)
    return None if row is None else (int(row["id"]), run_findings(Path(data_dir), int(row["id"])))


def latest_result(config: Config) -> AuditResult | None:
    """Why: show the findings of earlier runs without re-running the audit. The latest inventory run
    as a result (devices audited, findings, new and resolved against the run before it)."""
    data_dir = Path(config.data_dir)
    row = _latest_row(data_dir, "inventory")
    if row is None:
        return None
    known = {h.name: h for h in load_inventory(config).hosts.values()}
    devices = [DeviceInfo.from_data(h, known[h].platform or "", dict(known[h].data))
               if h in known else DeviceInfo(h, "") for h in json.loads(row["hosts"])]
    result = AuditResult(devices=devices, findings=run_findings(data_dir, int(row["id"])),
                         started=row["started"], run_id=int(row["id"]))
    result.comparison = compare_runs(data_dir, result, "inventory")
    return result


def compare_runs(data_dir: Path, result: AuditResult, scope: str) -> Comparison:
    """New and resolved findings against the latest earlier run of the same scope.

    Only hosts audited in both runs count, so a run on a few hosts does not "resolve" the others.
    """
    with closing(connect(data_dir)) as conn:
        row = conn.execute(
            "SELECT id, hosts FROM audit_runs WHERE scope = ? AND id < ? ORDER BY id DESC LIMIT 1",
            (scope, result.run_id if result.run_id is not None else 2**62),
        ).fetchone()
    if row is None:
        return Comparison(previous_run=None, new=list(result.findings))
    both = set(json.loads(row["hosts"])) & {d.host for d in result.devices}
    before = [f for f in run_findings(data_dir, row["id"]) if f.host in both]
    old = {f.fingerprint for f in before}
    now = {f.fingerprint for f in result.findings}
    return Comparison(
        previous_run=row["id"],
        new=[f for f in result.findings if f.fingerprint not in old],
        resolved=[f for f in before if f.fingerprint not in now],
    )


def run_audit(
    config: Config,
    filters: Sequence[str] | None = None,
    file: Path | None = None,
    platform: str | None = None,
    compare: bool = False,
    progress: Progress | None = None,
) -> tuple[AuditResult, list[str]]:
    """The ``tslcd audit`` action: audit backups (or one file), store the run, optionally compare.

    Returns the result and the selected hosts that had no stored configuration.
    """
    if file is not None:
        if not platform:
            raise InputError("--file needs --platform (cisco_ios, cisco_asa or fortinet)")
        devices, missing, scope = [file_device(file, platform)], [], f"file:{file.resolve()}"
    else:
        devices, missing = backup_devices(config, filters)
        scope = "inventory"
        if not devices:
            raise InputError(
                "no stored configurations for the selected hosts: run 'tslcd backup' first"
                if missing
                else "no hosts selected"
            )
    result = audit_configs(devices, load_zone_policy(config), progress)
    data_dir = Path(config.data_dir)
    record_run(data_dir, result, scope)
    if compare:
        result.comparison = compare_runs(data_dir, result, scope)
    return result, missing


@dataclass
class Explanation:
    """What one list does with a packet: the rule that takes it (None: the implicit deny)."""

    host: str
    list_name: str
    action: str
    rule: str
    line: int
    text: str
    exact: bool = True  # False: the matching rule has conditions the model ignores


def explain_packet(
    dev: DeviceConfig, packet_text: str, list_name: str | None = None
) -> tuple[str, list[Explanation]]:
    """Like Batfish testFilters: for each list (or the one named), which rule takes the packet."""
    packet = parse_packet(packet_text)
    parsed = parse_device(dev)
    lists = [lst for lst in parsed.lists if list_name in (None, lst.name)]
    if list_name is not None and not lists:
        raise InputError(
            f"{dev.source or dev.host}: no list named {list_name!r} "
            f"(lists: {', '.join(lst.name for lst in parsed.lists) or 'none'})"
        )
    out = []
    for lst in lists:
        i = ListAnalysis(lst.rules).first_match(packet)
        if i is None:
            out.append(Explanation(dev.host, lst.name, "deny", "implicit deny", 0, "(no rule matches)"))
        else:
            r = lst.rules[i]
            out.append(Explanation(dev.host, lst.name, r.action, r.key, r.line, r.text, r.exact))
    return format_packet(packet), out


def host_device(config: Config, host: str) -> DeviceConfig:
    """The latest stored configuration of one inventory host."""
    inventory = load_inventory(config)
    info = inventory.hosts.get(host)
    if info is None:
        raise InputError(f"unknown host {host!r} (see 'tslcd inventory list')")
    text = ConfigStore(Path(config.data_dir)).read(host)
    if text is None:
        raise InputError(f"{host}: no stored configuration (run 'tslcd backup' first)")
    return DeviceConfig(host, info.platform, text, dict(info.data), f"backups/{host}")
