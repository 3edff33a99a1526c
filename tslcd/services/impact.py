"""`tslcd impact`: what a change between two versions of one device's configuration does to traffic.

The versions come from the backup store (two revisions of a host) or from two files; every list
the device holds is compared exactly (`tslcd.audit.impact`) and each intent is checked against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from tslcd.audit.impact import DEFAULT_BUDGET, compare_configs
from tslcd.audit.impact_report import region_line
from tslcd.audit.intent import ImpactReport, Intent, check_intent, parse_intent
from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.runner import DeviceConfig, parse_device
from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import HostInfo, load_inventory
from tslcd.services.audit import file_device
from tslcd.store.configs import ConfigStore


def load_intents(texts: Sequence[str], path: Path | None) -> list[Intent]:
    """Intents given on the command line and in an intent file (a YAML list of intent lines)."""
    lines = list(texts)
    if path is not None:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"{path}: cannot read the intents ({exc})") from None
        items = raw.get("intents") if isinstance(raw, dict) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise InputError(f"{path}: an intent file is a list of intent lines (or 'intents: [...]')")
        lines += items
    return [parse_intent(line) for line in lines]


def _parse(dev: DeviceConfig) -> ParsedConfig:
    try:
        return parse_device(dev)
    except ParseProblem as exc:
        raise InputError(str(exc)) from None


def compare(before: DeviceConfig, after: DeviceConfig, intents: Sequence[Intent] = (),
            list_name: str | None = None, budget: int = DEFAULT_BUDGET) -> ImpactReport:
    """The impact of going from ``before`` to ``after`` (same device, same platform)."""
    old, new = _parse(before), _parse(after)
    lists = compare_configs(old, new, budget, list_name)
    if list_name is not None and not lists:
        raise InputError(f"no list {list_name!r} in either version")
    report = ImpactReport(after.host, after.platform, before.source, after.source, lists)
    rules_old = {lst.name: lst.rules for lst in old.lists}
    rules_new = {lst.name: lst.rules for lst in new.lists}
    targets = report.changed or lists
    for intent in intents:
        for impact in targets:
            report.intents.append(check_intent(intent, impact, rules_old.get(impact.name, []),
                                               rules_new.get(impact.name, [])))
    return report


def revisions(config: Config, host: str, old: str | None = None, new: str | None = None
              ) -> tuple[DeviceConfig, DeviceConfig]:
    """Two stored versions of ``host``: ``old``..``new`` (default: its previous version..latest);
    a revision is a commit or a date, as `tslcd diff` and `tslcd show --at` take them."""
    info = load_inventory(config).hosts.get(host)
    if info is None:
        raise InputError(f"unknown host {host!r} (see 'tslcd inventory list')")
    store = ConfigStore(Path(config.data_dir))
    if old is None:
        history = store.history(host)
        if len(history) < 2:
            raise InputError(f"{host}: fewer than two stored versions (give REV, or --before/--after)")
        old, new = history[1].sha, history[0].sha
    new = new or "HEAD"
    devices = []
    for rev in (old, new):
        sha = store.resolve(rev) or store.commit_before(rev)
        text = store.read(host, sha) if sha else None
        if text is None:
            raise InputError(f"{host}: no stored configuration at {rev!r}")
        devices.append(DeviceConfig(host, info.platform, text, dict(info.data), f"{host}@{rev[:12]}"))
    return devices[0], devices[1]


def files(before: Path, after: Path, platform: str) -> tuple[DeviceConfig, DeviceConfig]:
    """Two configuration files of one device."""
    return file_device(before, platform, after.stem), file_device(after, platform, after.stem)


def summary_lines(report: ImpactReport) -> list[str]:
    """One line per changed rectangle of packets: "now permits tcp any -> 10.20.1.0/24 port 3389
    (wan1 -> lan)", then the notes that qualify them (inexact summaries, added lists)."""
    out = []
    for impact in report.changed:
        out += [f"now {'permits' if r.newly == 'permitted' else 'denies'} {region_line(r)} ({impact.name})"
                for r in impact.regions]
        out += [f"{impact.name}: {note}" for note in impact.notes]
    return out


def traffic_summary(host: HostInfo, old: str, new: str) -> list[str]:
    """What the change from ``old`` to ``new`` (two versions of ``host``'s config) does to traffic;
    a configuration the audit cannot read says so instead."""
    before = DeviceConfig(host.name, host.platform, old, dict(host.data), f"{host.name} before")
    after = DeviceConfig(host.name, host.platform, new, dict(host.data), f"{host.name} after")
    try:
        return summary_lines(compare(before, after))
    except InputError as exc:
        return [f"traffic impact not analysed: {exc}"]
