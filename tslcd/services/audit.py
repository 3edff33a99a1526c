"""The audit's user actions: audit configurations, compare runs, explain what happens to a packet.

Configurations come in as data (`DeviceConfig`), so the same functions audit the latest backups,
a file outside the inventory, or a test's text. Each run, what it covered and its findings are kept
in SQLite (`tslcd.store.audits`); only a full run of the inventory is a baseline for new/resolved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from tslcd.audit.checks.registry import CHECKS
from tslcd.audit.model import Finding
from tslcd.audit.packets import format_packet, parse_packet
from tslcd.audit.parsers.common import check_text, decode_config
from tslcd.audit.reachability import ListAnalysis
from tslcd.audit.result import AuditResult, Comparison, DeviceInfo, RunInfo, StoredAs
from tslcd.audit.runner import DeviceConfig, audit_devices, parse_device, result_key
from tslcd.audit.waivers import WAIVERS_FILE, Waiver, load_waivers, match
from tslcd.audit.zones import ZonePolicy, default_policy, load_policy
from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import filters as host_filters
from tslcd.inventory import load_inventory
from tslcd.platforms import get_platform
from tslcd.sanitize import mask
from tslcd.store import audits
from tslcd.store.audits import EXPORT, FILE, FULL, INVENTORY, KINDS, SCOPED
from tslcd.store.configs import ConfigStore

ZONES_FILE = "zones.yaml"
Progress = Callable[[str, int, int], None]  # (host, done, total)


def load_zone_policy(config: Config) -> ZonePolicy:
    """The operator's zone policy (``<inventory>/zones.yaml``), or the built-in default when absent."""
    path = Path(config.inventory_dir) / ZONES_FILE
    return load_policy(path) if path.exists() else default_policy()


def zone_policy_key(config: Config) -> str:
    """What the zone policy's findings depend on (the file's bytes), for the result cache."""
    path = Path(config.inventory_dir) / ZONES_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "default"


def load_waiver_file(config: Config) -> list[Waiver]:
    """The accepted risks in ``<inventory>/waivers.yaml`` (none when absent); exit 2 on a bad file."""
    return load_waivers(Path(config.inventory_dir) / WAIVERS_FILE, set(CHECKS))


def backup_devices(config: Config, filters: Sequence[str] | None) -> tuple[list[DeviceConfig], list[str]]:
    """The latest stored configuration of every selected host, and the hosts that have none."""
    inventory = load_inventory(config)
    selected = host_filters.select(inventory, list(filters or []))
    texts = ConfigStore(Path(config.data_dir)).read_many([h.name for h in selected])
    devices, missing = [], []
    for host in selected:
        text = texts.get(host.name)
        if text is None:
            missing.append(host.name)
            continue
        text, decoding = check_text(text)
        devices.append(
            DeviceConfig(host.name, host.platform, text, dict(host.data), f"backups/{host.name}", decoding)
        )
    return devices, missing


def file_device(path: Path, platform: str, host: str | None = None) -> DeviceConfig:
    """A configuration file outside the inventory, parsed as ``platform``."""
    get_platform(platform)
    try:
        text, decoding = decode_config(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read configuration ({exc})") from None
    # masked as a backup is: findings quote config lines, a raw file's secrets must not show
    return DeviceConfig(host or path.stem, platform, mask(text, platform), {}, str(path), decoding)


def audit_configs(
    devices: Sequence[DeviceConfig],
    policy: ZonePolicy,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    cache_dir: Path | None = None,
    policy_key: str = "",
) -> AuditResult:
    """Audit configurations (no run is stored, see `run_audit`). With ``cache_dir``, a device
    whose configuration, inventory data, zone policy and engine are unchanged reuses its stored
    findings; the others are audited (over every core when large) and remembered."""
    keys = {d.host: result_key(d, policy_key) for d in devices} if cache_dir is not None else {}
    remembered = audits.cached(cache_dir, keys) if cache_dir is not None else {}
    found = {host: findings for host, (findings, _) in remembered.items()}
    done = 0
    for host in found:
        done += 1
        if progress is not None:
            progress(host, done, len(devices))
    fresh: dict[str, tuple[str, list[Finding]]] = {}
    for dev, findings in audit_devices([d for d in devices if d.host not in found], policy, workers):
        findings.sort(key=lambda f: (-f.severity, f.check, f.line))  # remembered ones come sorted
        found[dev.host] = findings
        fresh[dev.host] = (keys.get(dev.host, ""), findings)
        done += 1
        if progress is not None:
            progress(dev.host, done, len(devices))
    if cache_dir is not None:
        audits.store_cache(cache_dir, fresh)
    all_findings = [f for host in sorted(found) for f in found[host]]
    return AuditResult(
        devices=[DeviceInfo.from_data(d.host, d.platform, d.data, d.source) for d in devices],
        findings=all_findings,
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        stored_as=StoredAs(keys, {h: run for h, (_, run) in remembered.items() if run is not None}),
    )


def record_run(data_dir: Path, result: AuditResult, scope: str) -> int:
    """Store a run (its kind and scope from ``result``) and its findings; sets ``result.run_id``.

    ``scope`` is what runs are compared within: ``inventory`` or ``file:<path>``.
    """
    stored = result.stored_as
    result.run_id = audits.record_run(Path(data_dir), result.started, scope, result.kind, result.scope,
                                      [d.host for d in result.devices], result.findings,
                                      stored.copies if stored else None, stored.keys if stored else None)
    return result.run_id


def run_findings(data_dir: Path, run_id: int) -> list[Finding]:
    """The findings stored for one run."""
    return audits.run_findings(Path(data_dir), run_id)


def latest_run(data_dir: Path, scope: str = INVENTORY) -> tuple[int, list[Finding]] | None:
    """The latest stored run of ``scope`` (any kind) and its findings; ``None`` before the first."""
    info = audits.latest(Path(data_dir), scope, KINDS)
    return None if info is None else (info.id, run_findings(Path(data_dir), info.id))


def latest_full_run(data_dir: Path) -> RunInfo | None:
    """The latest full run of the inventory (the current baseline), None before the first."""
    return audits.latest(Path(data_dir), INVENTORY, [FULL])


def stored_result(config: Config, run_id: int, today: date | None = None) -> AuditResult:
    """A stored run as a result: devices, findings, today's waivers, and the comparison with its
    baseline. Why: show earlier findings without re-running the audit."""
    data_dir = Path(config.data_dir)
    found = audits.run_hosts(data_dir, run_id)
    if found is None:
        raise InputError(f"no audit run {run_id}")
    info, hosts = found
    known = {h.name: h for h in load_inventory(config).hosts.values()}
    devices = [DeviceInfo.from_data(h, known[h].platform or "", dict(known[h].data))
               if h in known else DeviceInfo(h, "") for h in hosts]
    result = AuditResult(devices=devices, findings=run_findings(data_dir, run_id), started=info.started,
                         run_id=run_id, kind=info.kind, scope=info.description)
    apply_waivers(result, load_waiver_file(config), today)
    result.comparison = compare_runs(data_dir, result, INVENTORY)
    return result


def latest_result(config: Config) -> AuditResult | None:
    """The latest full inventory run (the whole picture), else the latest inventory run of any kind;
    None before the first audit."""
    data_dir = Path(config.data_dir)
    info = audits.latest(data_dir, INVENTORY, [FULL]) or audits.latest(data_dir, INVENTORY, KINDS)
    return None if info is None else stored_result(config, info.id)


def apply_waivers(result: AuditResult, waivers: list[Waiver], today: date | None = None) -> None:
    """Mark the findings the waivers name (accepted, or back because the waiver expired)."""
    result.waived = match(result.findings, waivers, today or datetime.now(UTC).date())


def compare_runs(data_dir: Path, result: AuditResult, scope: str) -> Comparison:
    """New and resolved findings against the baseline: the latest earlier *full* run of the
    inventory (a scoped run or an export never is one), or the previous audit of the same file.

    Only hosts audited in both runs count, so a run on a few hosts does not "resolve" the others;
    accepted findings are never new.
    """
    kinds = [FULL] if scope == INVENTORY else [FILE]
    baseline = audits.latest(Path(data_dir), scope, kinds, before=result.run_id)
    if baseline is None:
        return Comparison(baseline=None, new=[f for f in result.findings if not result.is_accepted(f)])
    found = audits.run_hosts(Path(data_dir), baseline.id)
    both = set(found[1] if found else []) & {d.host for d in result.devices}
    now = {f.fingerprint for f in result.findings}
    prints = audits.run_prints(Path(data_dir), baseline.id)
    if prints is None:  # stored before fingerprints had their current form: read the run whole
        before = [f for f in run_findings(data_dir, baseline.id) if f.host in both]
        old, resolved = {f.fingerprint for f in before}, [f for f in before if f.fingerprint not in now]
    else:
        old = {fp for host, fp in prints if host in both}
        resolved = [f for f in audits.findings_with_prints(Path(data_dir), baseline.id, old - now)
                    if f.host in both]
    return Comparison(
        baseline=baseline,
        new=[f for f in result.findings if f.fingerprint not in old and not result.is_accepted(f)],
        resolved=resolved,
    )


def run_audit(
    config: Config,
    filters: Sequence[str] | None = None,
    file: Path | None = None,
    platform: str | None = None,
    compare: bool = False,
    progress: Progress | None = None,
    export: str | None = None,
    today: date | None = None,
) -> tuple[AuditResult, list[str]]:
    """The ``tslcd audit`` action: audit backups (or one file), apply the waivers, store the run,
    optionally compare with the baseline.

    Without filters the run covers the whole inventory and becomes the next baseline, unless it is
    an ``export`` (a report written to that file). Returns the result and the selected hosts that
    had no stored configuration.
    """
    waivers = load_waiver_file(config)
    data_dir = Path(config.data_dir)
    if file is not None:
        if not platform:
            raise InputError("--file needs --platform (cisco_ios, cisco_asa or fortinet)")
        devices, missing, scope = [file_device(file, platform)], [], f"file:{file.resolve()}"
        kind, covered = FILE, f"file {file.resolve()}"
        cache_dir = None
    else:
        devices, missing = backup_devices(config, filters)
        scope, cache_dir = INVENTORY, data_dir
        if not devices:
            raise InputError(
                "no stored configurations for the selected hosts: run 'tslcd backup' first"
                if missing
                else "no hosts selected"
            )
        kind = SCOPED if filters else FULL
        covered = f"filter {' '.join(filters)}, " if filters else "whole inventory, "
        covered += f"{len(devices)} host{'' if len(devices) == 1 else 's'}"
        if missing:
            covered += f" ({len(missing)} without a backup)"
    if export is not None:
        covered += f"; exported to {export}"
        kind = EXPORT if kind != FILE else kind
    result = audit_configs(devices, load_zone_policy(config), progress, cache_dir=cache_dir,
                           policy_key=zone_policy_key(config))
    result.kind, result.scope = kind, covered
    apply_waivers(result, waivers, today)
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
