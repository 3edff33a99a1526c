"""Template push user actions: render, dry run, commit (canary, batches, halting), rollback, log.

Rendering always comes first and covers every selected host, so a template error stops the run
before any device is touched. A commit is a dry run, a confirmation, then batches: before a
batch its devices are backed up (the backup service), after the rollout the touched devices are
backed up again, so the configuration history shows every change; the change log records each
device's result as its batch ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.progress import ProgressCallback
from tslcd.push.changelog import ChangeLog, ChangeRecord, HostChange
from tslcd.push.diff import Plan
from tslcd.push.grouping import ChangeGroup, group_plans
from tslcd.push.render import Rendered, Renderer, available, load_vars
from tslcd.push.rollout import RolloutPolicy, batches, halt_reason
from tslcd.services import devices
from tslcd.services.backup import run_backup
from tslcd.services.inventory import load_selection
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.push import DeviceChange, plan_change, push_change, undo_change

OK_STATUSES = frozenset({"applied", "unchanged", "rolled-back"})


@dataclass
class RenderResult:
    """Every selected host's rendered change, and the variables it was rendered with."""

    template: str
    rendered: list[Rendered]
    variables: dict[str, object]

    @property
    def applicable(self) -> list[Rendered]:
        """Hosts the template applies to."""
        return [r for r in self.rendered if not r.skipped]

    @property
    def skipped(self) -> list[Rendered]:
        """Hosts the template does not apply to (platform or applies-to line)."""
        return [r for r in self.rendered if r.skipped]


def templates(config: Config) -> dict[str, list[str]]:
    """The change templates of the project: each name and the platforms it exists for."""
    return available(config.templates_dir)


def render(config: Config, template: str, filters: Sequence[str] | None,
           vars_path: Path | None = None) -> RenderResult:
    """Render the template for every selected host; any error names host, template, line, variable."""
    selection = load_selection(config, filters)
    if not selection.hosts:
        raise InputError(f"no host matches {' '.join(filters or [])!r}")
    change_vars = load_vars(vars_path)
    renderer = Renderer(config.templates_dir, template, selection.inventory, change_vars)
    return RenderResult(renderer.name, renderer.render_all(selection.hosts), change_vars.as_record())


@dataclass
class DryRun:
    """What a push would change: one plan per reachable host, grouped; failures per host."""

    rendered: RenderResult
    plans: list[Plan]
    failures: dict[str, str]
    duration: float

    @property
    def groups(self) -> list[ChangeGroup]:
        """Distinct changes with their hosts, largest first."""
        return group_plans(self.plans)

    @property
    def unchanged(self) -> list[str]:
        """Hosts that already have every line of the template."""
        return [p.host for p in self.plans if p.empty]

    @property
    def to_change(self) -> list[str]:
        """Hosts the change would touch, in inventory order."""
        return [p.host for p in self.plans if not p.empty]


def _by_name(hosts: Sequence[str]) -> list[str]:
    return [f"name={'|'.join(hosts)}"]


def _device_run(config: Config, hosts: Sequence[str], lab: bool, workers: int | None,
                interactive: bool | None = None) -> devices.DeviceRun:
    return devices.prepare(config, _by_name(hosts), lab=lab, workers=workers, interactive=interactive)


def _subset(run: devices.DeviceRun, names: set[str]) -> devices.DeviceRun:
    """The part of a prepared run that covers ``names`` (one batch)."""
    return devices.DeviceRun([h for h in run.hosts if h.name in names],
                             run.nornir.filter(filter_func=lambda h: h.name in names), run.filters)


def _message(outcome: Outcome) -> str:
    return f"{outcome.failure.error_class.value}: {outcome.failure.message}" if outcome.failure else ""


def dry_run(config: Config, template: str, filters: Sequence[str] | None, vars_path: Path | None = None,
            *, lab: bool = False, workers: int | None = None,
            progress: ProgressCallback | None = None, interactive: bool | None = None) -> DryRun:
    """Plan the change on every applicable host against its running config; nothing is sent."""
    started = time.monotonic()
    rendered = render(config, template, filters, vars_path)
    texts = {r.host: r.text for r in rendered.applicable}
    if not texts:
        return DryRun(rendered, [], {}, time.monotonic() - started)
    run = _device_run(config, list(texts), lab, workers, interactive)
    outcomes = devices.run(run, plan_change, "push-dry-run", progress, changes=texts,
                           retries=config.retries)
    plans = [outcomes[h.name].value for h in run.hosts if outcomes[h.name].failure is None]
    failures = {name: _message(o) for name, o in outcomes.items() if o.failure is not None}
    return DryRun(rendered, plans, failures, time.monotonic() - started)


@dataclass
class CommitReport:
    """What a commit did: the change id, each device's result, and why it stopped if it did."""

    change_id: int | None
    dry_run: DryRun
    hosts: list[HostChange] = field(default_factory=list)
    halted: str | None = None
    not_reached: list[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def failed(self) -> list[HostChange]:
        """Devices that did not end with the change applied (or already present)."""
        return [h for h in self.hosts if h.status not in OK_STATUSES or h.error_class]


def _host_change(name: str, platform: str, batch: int, outcome: Outcome) -> HostChange:
    change: DeviceChange = outcome.value
    error = outcome.failure.error_class.value if outcome.failure else None
    return HostChange(name, platform, change.status, batch, error, change.message,
                      "\n".join(change.commands), change.device_diff, "\n".join(change.rollback),
                      change.pre_config, change.post_config)


def _backed_up(config: Config, hosts: Sequence[str], lab: bool, workers: int | None,
               progress: ProgressCallback | None, interactive: bool | None = None) -> dict[str, str]:
    """Back the hosts up now; returns the hosts whose backup failed, with the reason."""
    report = run_backup(config, _by_name(hosts), lab=lab, workers=workers, progress=progress,
                        interactive=interactive)
    return {h.host: f"no fresh backup ({h.error_class}: {h.message})" for h in report.failed}


def _run_batch(config: Config, run: devices.DeviceRun, batch: list[str], index: int,
               texts: dict[str, str], lab: bool, workers: int | None,
               progress: ProgressCallback | None, interactive: bool | None = None) -> list[HostChange]:
    platforms = {h.name: h.platform for h in run.hosts}
    no_backup = _backed_up(config, batch, lab, workers, progress, interactive)
    results = [HostChange(name, platforms[name], "failed", index, "backup", reason)
               for name, reason in no_backup.items()]
    ready = [name for name in batch if name not in no_backup]
    if ready:
        outcomes = devices.run(_subset(run, set(ready)), push_change, "push", progress, changes=texts,
                               data_dir=config.data_dir)
        results += [_host_change(name, platforms[name], index, outcomes[name]) for name in ready]
    return results


def commit(config: Config, template: str, filters: Sequence[str] | None, vars_path: Path | None = None,
           *, lab: bool = False, policy: RolloutPolicy | None = None, workers: int | None = None,
           confirm: Callable[[DryRun], bool] | None = None,
           progress: ProgressCallback | None = None, interactive: bool | None = None,
           stop: threading.Event | None = None) -> CommitReport:
    """Dry run, confirm, then apply batch by batch (canary first), halting on too many failures.

    ``stop`` set (the operator cancelled) lets the batch under way finish and starts no other.
    """
    started = time.monotonic()
    policy = policy or RolloutPolicy()
    planned = dry_run(config, template, filters, vars_path, lab=lab, workers=workers, progress=progress,
                      interactive=interactive)
    report = CommitReport(None, planned)
    if not planned.to_change or (confirm is not None and not confirm(planned)):
        report.duration = time.monotonic() - started
        return report
    texts = {r.host: r.text for r in planned.rendered.applicable if r.host in planned.to_change}
    log = ChangeLog(config.data_dir)
    report.change_id = log.start("push", planned.rendered.template, planned.rendered.variables,
                                 ",".join(filters or []), lab=lab)
    run = _device_run(config, planned.to_change, lab, workers, interactive)
    failures = 0
    order = batches(planned.to_change, policy)
    try:
        for index, batch in enumerate(order):
            if stop is not None and stop.is_set():
                report.halted = "cancelled by the operator"
                report.not_reached = [h for later in order[index:] for h in later]
                break
            results = _run_batch(config, run, batch, index, texts, lab, workers, progress, interactive)
            log.record_hosts(report.change_id, results)
            report.hosts += results
            batch_failures = sum(1 for r in results if r.status not in ("applied", "unchanged"))
            failures += batch_failures
            report.halted = halt_reason(policy, index, batch_failures, failures)
            if report.halted:
                report.not_reached = [h for later in order[index + 1:] for h in later]
                break
        touched = [h.host for h in report.hosts if h.status not in ("unchanged", "busy")
                   and h.error_class != "backup"]
        if touched:
            _backed_up(config, touched, lab, workers, progress, interactive)
    except BaseException:
        log.finish(report.change_id, "interrupted", "the run stopped before every batch finished")
        raise
    status = "halted" if report.halted else ("failed" if report.failed else "done")
    log.finish(report.change_id, status, report.halted or "")
    report.duration = time.monotonic() - started
    return report


@dataclass
class RollbackReport:
    """What a rollback did per device, and the change id it was logged under."""

    change_id: int
    rolls_back: int
    hosts: list[HostChange]
    duration: float

    @property
    def failed(self) -> list[HostChange]:
        """Devices that are not back to their pre-change config."""
        return [h for h in self.hosts if h.status != "rolled-back"]


def rollback(config: Config, change_id: int, filters: Sequence[str] | None = None, *, lab: bool = False,
             workers: int | None = None, progress: ProgressCallback | None = None,
             interactive: bool | None = None) -> RollbackReport:
    """Restore the pre-change config of every device a change applied to (or the filtered ones)."""
    started = time.monotonic()
    log = ChangeLog(config.data_dir)
    record = log.get(change_id)
    if record.kind != "push":
        raise InputError(f"change {change_id} is a {record.kind}, not a push")
    wanted = {h.name for h in load_selection(config, filters).hosts} if filters else None
    undoable = [h for h in record.hosts if h.status == "applied" and h.rollback
                and (wanted is None or h.host in wanted)]
    if not undoable:
        raise InputError(f"change {change_id} has no applied device to roll back"
                         + (" among the selected hosts" if filters else ""))
    new_id = log.start("rollback", record.template, {"rolls_back": change_id},
                       ",".join(filters or []), lab=lab, rolls_back=change_id)
    names = [h.host for h in undoable]
    run = _device_run(config, names, lab, workers, interactive)
    try:
        no_backup = _backed_up(config, names, lab, workers, progress, interactive)
        results = [HostChange(h.host, h.platform, "failed", 0, "backup", no_backup[h.host])
                   for h in undoable if h.host in no_backup]
        ready = [h for h in undoable if h.host not in no_backup]
        if ready:
            ready_names = {h.host for h in ready}
            outcomes = devices.run(_subset(run, ready_names), undo_change, "rollback", progress,
                                   commands={h.host: h.rollback.splitlines() for h in ready},
                                   expected={h.host: h.pre_config for h in ready}, data_dir=config.data_dir)
            results += [_host_change(h.host, h.platform, 0, outcomes[h.host]) for h in ready]
            _backed_up(config, sorted(ready_names), lab, workers, progress, interactive)
        log.record_hosts(new_id, results)
    except BaseException:
        log.finish(new_id, "interrupted", "the run stopped before every device finished")
        raise
    failed = [r for r in results if r.status != "rolled-back"]
    log.finish(new_id, "failed" if failed else "done")
    return RollbackReport(new_id, change_id, results, time.monotonic() - started)


def changes(config: Config, limit: int = 50) -> list[ChangeRecord]:
    """The latest changes from the change log, newest first."""
    return ChangeLog(config.data_dir).list(limit)


def change(config: Config, change_id: int) -> ChangeRecord:
    """One change with every device's diff and result."""
    return ChangeLog(config.data_dir).get(change_id)

