"""Template push user actions: render, dry run, commit (canary, batches, halting), rollback,
recovery, log.

Rendering always comes first and covers every selected host, so a template error stops the run
before any device is touched. A commit is a dry run, a confirmation, then batches: before a
batch its devices are backed up (the backup service), after the rollout the touched devices are
backed up again (the commit message names the change, its ticket and comment), so the
configuration history shows every change. The change log is written ahead (`tslcd.push.journal`):
each device's pre-change config and plan are stored before anything is sent, and its state moves
as the change goes on, so a killed process leaves devices that `recover` brings back.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tslcd.audit.intent import Intent
from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import HostInfo
from tslcd.platforms import PLATFORMS
from tslcd.progress import ProgressCallback
from tslcd.push.changelog import ROLLBACK_FROM, UNDER_WAY, ChangeLog, ChangeRecord, HostChange
from tslcd.push.diff import Plan, plan
from tslcd.push.grouping import ChangeGroup, group_plans
from tslcd.push.journal import Journal, holding, needing_recovery
from tslcd.push.render import Rendered, Renderer, available, load_vars
from tslcd.push.rollout import RolloutPolicy, batches, halt_reason
from tslcd.services import devices
from tslcd.services.audit import load_zone_policy
from tslcd.services.backup import run_backup
from tslcd.services.change_impact import ChangeImpact, gate, impacts
from tslcd.services.inventory import load_selection
from tslcd.store.configs import ConfigStore
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.push import DeviceChange, plan_change, plan_restore, push_change, restore_change

OK_STATUSES = frozenset({"applied", "unchanged", "rolled-back"})


@dataclass
class RenderResult:
    """Every selected host's rendered change, and the variables it was rendered with."""

    template: str
    rendered: list[Rendered]
    variables: dict[str, object]
    hosts: dict[str, HostInfo] = field(default_factory=dict)

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
    return RenderResult(renderer.name, renderer.render_all(selection.hosts), change_vars.as_record(),
                        {h.name: h for h in selection.hosts})


@dataclass
class DryRun:
    """What a push would change: one plan per reachable host, grouped; failures per host; what
    each plan does to traffic and which of it the zone policy forbids."""

    rendered: RenderResult
    plans: list[Plan]
    failures: dict[str, str]
    duration: float
    impact: ChangeImpact = field(default_factory=ChangeImpact)

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
    impact = impacts(rendered.hosts, plans, load_zone_policy(config))
    return DryRun(rendered, plans, failures, time.monotonic() - started, impact)


def plan_offline(config: Config, template: str, filters: Sequence[str] | None,
                 vars_path: Path | None = None, intents: Sequence[Intent] = ()) -> DryRun:
    """The push planned against each selected device's latest backup instead of its running
    config, with its impact: what the change would do, answered without contacting any device."""
    started = time.monotonic()
    rendered = render(config, template, filters, vars_path)
    texts = {r.host: r.text for r in rendered.applicable}
    stored = ConfigStore(Path(config.data_dir)).read_many(list(texts)) if texts else {}
    plans = [plan(host, rendered.hosts[host].platform, stored[host], text)
             for host, text in texts.items() if host in stored]
    failures = {host: "no backup stored (run 'tslcd backup' first)" for host in texts if host not in stored}
    impact = impacts(rendered.hosts, plans, load_zone_policy(config), intents)
    return DryRun(rendered, plans, failures, time.monotonic() - started, impact)


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
    return HostChange(name, platform, change.status, batch, error, change.message, change.commands,
                      change.device_diff, change.rollback, change.pre_config, change.post_config,
                      change.sent, change.answered)


def _backed_up(config: Config, hosts: Sequence[str], lab: bool, workers: int | None,
               progress: ProgressCallback | None, interactive: bool | None = None,
               context: str = "") -> dict[str, str]:
    """Back the hosts up now; returns the hosts whose backup failed, with the reason."""
    report = run_backup(config, _by_name(hosts), lab=lab, workers=workers, progress=progress,
                        interactive=interactive, context=context)
    return {h.host: f"no fresh backup ({h.error_class}: {h.message})" for h in report.failed}


def confirm_window(config: Config) -> int:
    """The commit-confirm window in minutes (tslcd.yaml push.confirm_minutes), checked against
    what every platform's timer accepts."""
    minutes = config.push.confirm_minutes
    longest = min(p.confirm.max_minutes for p in PLATFORMS.values())
    if not 1 <= minutes <= longest:
        raise InputError(f"tslcd.yaml push.confirm_minutes: {minutes} is outside 1..{longest}")
    return minutes


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def change_context(ticket: str, comment: str) -> tuple[str, str]:
    """A change's ticket and comment, checked: one line each, no control characters."""
    for name, value, longest in (("--ticket", ticket, 64), ("--comment", comment, 500)):
        if _CONTROL.search(value):
            raise InputError(f"{name} must be one line of text without control characters")
        if len(value) > longest:
            raise InputError(f"{name} is longer than {longest} characters")
    return ticket.strip(), comment.strip()


def _commit_context(change_id: int, kind: str, template: str, ticket: str, comment: str) -> str:
    """The head of the post-change backup's commit message."""
    lines = [f"after {kind} change {change_id} ({template})"]
    lines += [f"ticket: {ticket}"] if ticket else []
    lines += [f"comment: {comment}"] if comment else []
    return "\n".join(lines) + "\n\n"


def _run_batch(config: Config, run: devices.DeviceRun, batch: list[str], journal: Journal,
               texts: dict[str, str], lab: bool, workers: int | None,
               progress: ProgressCallback | None, interactive: bool | None = None) -> list[HostChange]:
    platforms = {h.name: h.platform for h in run.hosts}
    no_backup = _backed_up(config, batch, lab, workers, progress, interactive)
    results = [HostChange(name, platforms[name], "failed", journal.batch, "backup", reason)
               for name, reason in no_backup.items()]
    ready = [name for name in batch if name not in no_backup]
    if ready:
        outcomes = devices.run(_subset(run, set(ready)), push_change, "push", progress, changes=texts,
                               journal=journal, window=confirm_window(config))
        results += [_host_change(name, platforms[name], journal.batch, outcomes[name]) for name in ready]
    return results


@dataclass
class _Rollout:
    """One journaled application of rendered texts to hosts, batch by batch."""

    kind: str
    template: str
    variables: dict[str, object]
    filters: str
    texts: dict[str, str]
    order: list[list[str]]
    ticket: str = ""
    comment: str = ""
    rolls_back: int | None = None
    accepted_risk: str = ""


def _roll_out(config: Config, rollout: _Rollout, report: CommitReport, policy: RolloutPolicy, *,
              lab: bool, workers: int | None, progress: ProgressCallback | None,
              interactive: bool | None, stop: threading.Event | None) -> None:
    """Apply a rollout under a change lock, journaled; fills ``report``."""
    log = ChangeLog(config.data_dir)
    with holding(config.data_dir) as token:
        report.change_id = log.start(rollout.kind, rollout.template, rollout.variables, rollout.filters,
                                     lab=lab, rolls_back=rollout.rolls_back, ticket=rollout.ticket,
                                     comment=rollout.comment, lock_token=token, pid=os.getpid(),
                                     accepted_risk=rollout.accepted_risk)
        run = _device_run(config, [h for batch in rollout.order for h in batch], lab, workers, interactive)
        failures = 0
        try:
            for index, batch in enumerate(rollout.order):
                if stop is not None and stop.is_set():
                    report.halted = "cancelled by the operator"
                    report.not_reached = [h for later in rollout.order[index:] for h in later]
                    break
                journal = Journal(config.data_dir, report.change_id, index)
                results = _run_batch(config, run, batch, journal, rollout.texts, lab, workers, progress,
                                     interactive)
                log.record_hosts(report.change_id, results)
                report.hosts += results
                batch_failures = sum(1 for r in results if r.status not in ("applied", "unchanged"))
                failures += batch_failures
                report.halted = halt_reason(policy, index, batch_failures, failures)
                if report.halted:
                    report.not_reached = [h for later in rollout.order[index + 1:] for h in later]
                    break
            touched = [h.host for h in report.hosts if h.status not in ("unchanged", "busy")
                       and h.error_class != "backup"]
            if touched:
                _backed_up(config, touched, lab, workers, progress, interactive,
                           _commit_context(report.change_id, rollout.kind, rollout.template,
                                           rollout.ticket, rollout.comment))
        except BaseException:
            log.finish(report.change_id, "interrupted", "the run stopped before every batch finished")
            raise
        stuck = any(h.status == "needs-recovery" for h in report.hosts)
        status = ("needs-recovery" if stuck else "halted" if report.halted
                  else "failed" if report.failed else "done")
        log.finish(report.change_id, status, report.halted or "")


def commit(config: Config, template: str, filters: Sequence[str] | None, vars_path: Path | None = None,
           *, lab: bool = False, policy: RolloutPolicy | None = None, workers: int | None = None,
           confirm: Callable[[DryRun], bool] | None = None,
           progress: ProgressCallback | None = None, interactive: bool | None = None,
           stop: threading.Event | None = None, ticket: str = "", comment: str = "",
           accept_risk: bool = False) -> CommitReport:
    """Dry run, confirm, then apply batch by batch (canary first), halting on too many failures.

    ``stop`` set (the operator cancelled) lets the batch under way finish and starts no other.
    ``ticket`` and ``comment`` go into the change log and the post-change backup's commit.
    A change that newly permits flows the zone policy forbids is refused (`ForbiddenChange`, before
    the confirmation) unless ``accept_risk`` is given with a ticket; the acceptance is logged.
    """
    started = time.monotonic()
    policy = policy or RolloutPolicy()
    ticket, comment = change_context(ticket, comment)
    confirm_window(config)
    planned = dry_run(config, template, filters, vars_path, lab=lab, workers=workers, progress=progress,
                      interactive=interactive)
    report = CommitReport(None, planned)
    # the ticket the TUI's confirmation asks for comes from the change variables
    ticket, comment = change_context(ticket or str(planned.rendered.variables.get("ticket") or ""), comment)
    accepted_risk = gate(planned.impact, accept_risk, ticket)
    if not planned.to_change or (confirm is not None and not confirm(planned)):
        report.duration = time.monotonic() - started
        return report
    texts = {r.host: r.text for r in planned.rendered.applicable if r.host in planned.to_change}
    rollout = _Rollout("push", planned.rendered.template, planned.rendered.variables,
                       ",".join(filters or []), texts, batches(planned.to_change, policy), ticket, comment,
                       accepted_risk=accepted_risk)
    _roll_out(config, rollout, report, policy, lab=lab, workers=workers, progress=progress,
              interactive=interactive, stop=stop)
    report.duration = time.monotonic() - started
    return report


@dataclass
class RollbackReport:
    """What a rollback (or a recovery) did per device, and the change id it was logged under."""

    change_id: int
    rolls_back: int
    hosts: list[HostChange]
    duration: float
    kind: str = "rollback"

    @property
    def failed(self) -> list[HostChange]:
        """Devices that did not end where they were meant to."""
        return [h for h in self.hosts if h.status not in ("rolled-back", "applied", "unchanged")]


@dataclass
class RestorePlan:
    """What a rollback would send to each device, computed from its config now."""

    record: ChangeRecord
    plans: list[Plan]
    failures: dict[str, str]

    @property
    def groups(self) -> list[ChangeGroup]:
        """Distinct restores with their hosts, largest first."""
        return group_plans(self.plans)


def _targets(log: ChangeLog, record: ChangeRecord, states: Sequence[str]) -> list[HostChange]:
    """The device rows whose pre-change config is the way back. For a rollback or recovery that
    was itself cut short, the way back is the original change's pre-change config."""
    origin = log.get(record.rolls_back) if record.kind != "push" and record.rolls_back else record
    pre = {h.host: h for h in origin.hosts if h.pre_config}
    return [pre[h.host] for h in record.hosts if h.status in states and h.host in pre]


def _undoable(config: Config, change_id: int, filters: Sequence[str] | None,
              states: Sequence[str]) -> tuple[ChangeRecord, list[HostChange]]:
    log = ChangeLog(config.data_dir)
    record = log.get(change_id)
    wanted = {h.name for h in load_selection(config, filters).hosts} if filters else None
    rows = [h for h in _targets(log, record, states) if wanted is None or h.host in wanted]
    if not rows:
        raise InputError(f"change {change_id} has no device to bring back"
                         + (" among the selected hosts" if filters else ""))
    return record, rows


def rollback_plan(config: Config, change_id: int, filters: Sequence[str] | None = None, *,
                  lab: bool = False, workers: int | None = None,
                  progress: ProgressCallback | None = None, interactive: bool | None = None,
                  states: Sequence[str] = ROLLBACK_FROM) -> RestorePlan:
    """What rolling a change back would send to each device now (nothing is sent)."""
    record, rows = _undoable(config, change_id, filters, states)
    run = _device_run(config, [h.host for h in rows], lab, workers, interactive)
    outcomes = devices.run(run, plan_restore, "rollback-plan", progress,
                           expected={h.host: h.pre_config for h in rows}, retries=config.retries)
    plans = [o.value for o in outcomes.values() if o.failure is None]
    failures = {name: _message(o) for name, o in outcomes.items() if o.failure is not None}
    return RestorePlan(record, plans, failures)


def _restore(config: Config, kind: str, record: ChangeRecord, rows: list[HostChange], filters: str, *,
             lab: bool, workers: int | None, progress: ProgressCallback | None,
             interactive: bool | None) -> RollbackReport:
    """Bring ``rows``' devices back to their pre-change configs, as one journaled change."""
    started = time.monotonic()
    log = ChangeLog(config.data_dir)
    names = [h.host for h in rows]
    with holding(config.data_dir) as token:
        new_id = log.start(kind, record.template, {"rolls_back": record.id}, filters, lab=lab,
                           rolls_back=record.id, ticket=record.ticket, lock_token=token, pid=os.getpid())
        log.record_hosts(new_id, [HostChange(h.host, h.platform, "pending", pre_config=h.pre_config)
                                  for h in rows])
        run = _device_run(config, names, lab, workers, interactive)
        try:
            no_backup = _backed_up(config, names, lab, workers, progress, interactive)
            results = [HostChange(h.host, h.platform, "needs-recovery", 0, "backup", no_backup[h.host],
                                  pre_config=h.pre_config) for h in rows if h.host in no_backup]
            ready = [h for h in rows if h.host not in no_backup]
            if ready:
                outcomes = devices.run(_subset(run, {h.host for h in ready}), restore_change, kind,
                                       progress, expected={h.host: h.pre_config for h in ready},
                                       data_dir=config.data_dir)
                results += [replace(_host_change(h.host, h.platform, 0, outcomes[h.host]),
                                    pre_config=h.pre_config) for h in ready]
                _backed_up(config, sorted(h.host for h in ready), lab, workers, progress, interactive,
                           _commit_context(new_id, kind, record.template, record.ticket, ""))
            log.record_hosts(new_id, results)
        except BaseException:
            log.finish(new_id, "interrupted", "the run stopped before every device finished")
            raise
        failed = [r for r in results if r.status != "rolled-back"]
        log.finish(new_id, "needs-recovery" if failed else "done")
    report = RollbackReport(new_id, record.id, results, time.monotonic() - started, kind)
    if not failed:
        for earlier in log.list(limit=100, status="needs-recovery"):  # an earlier, cut-short restore
            if earlier.rolls_back == record.id and earlier.kind != "push":
                log.finish(earlier.id, "recovered", f"superseded by change {new_id}")
    return report


def rollback(config: Config, change_id: int, filters: Sequence[str] | None = None, *, lab: bool = False,
             workers: int | None = None, progress: ProgressCallback | None = None,
             interactive: bool | None = None,
             confirm: Callable[[RestorePlan], bool] | None = None) -> RollbackReport | None:
    """Restore the pre-change config of every device a change reached (or the filtered ones),
    computed from each device's config now, so it can simply be run again after any interruption.

    ``confirm`` is shown what would be sent first; None (declined) sends nothing.
    """
    record, rows = _undoable(config, change_id, filters, ROLLBACK_FROM)
    if confirm is not None:
        shown = rollback_plan(config, change_id, filters, lab=lab, workers=workers, progress=progress,
                              interactive=interactive)
        if not confirm(shown):
            return None
    report = _restore(config, "rollback", record, rows, ",".join(filters or []), lab=lab,
                      workers=workers, progress=progress, interactive=interactive)
    if record.status == "needs-recovery":
        _close(ChangeLog(config.data_dir), record, report, "back to the pre-change config", "rolled-back")
    return report


def pending_recovery(config: Config) -> list[ChangeRecord]:
    """Changes that left devices half-changed (their process died), oldest first; running changes
    whose process is gone are marked first. Nothing is created where no change log exists yet."""
    return sorted(needing_recovery(config.data_dir), key=lambda r: r.id)


def recover(config: Config, change_id: int | None = None, *, forward: bool = False,
            vars_path: Path | None = None, lab: bool = False, workers: int | None = None,
            progress: ProgressCallback | None = None,
            interactive: bool | None = None) -> list[RollbackReport]:
    """Bring every device of an interrupted change (or of every one) back to its pre-change config,
    or, with ``forward``, on to the full intended config (the change's variables file is needed
    again: variables may carry secrets, which the change log never holds).
    """
    waiting = pending_recovery(config)
    log = ChangeLog(config.data_dir)
    if change_id is not None:
        record = log.get(change_id)
        if record.status == "running":
            raise InputError(f"change {change_id} is still running (pid {record.pid or '?'}); "
                             "recover it once its process has ended")
        if not any(h.status in UNDER_WAY for h in record.hosts):
            raise InputError(f"change {change_id} has no device left half-changed")
        waiting = [record]
    reports = []
    for record in waiting:
        if forward:
            reports.append(_forward(config, record, vars_path, lab=lab, workers=workers,
                                    progress=progress, interactive=interactive))
            continue
        rows = _targets(log, record, UNDER_WAY)
        report = _restore(config, "recover", record, rows, record.filters, lab=lab, workers=workers,
                          progress=progress, interactive=interactive)
        _close(log, record, report, "back to the pre-change config", "rolled-back")
        reports.append(report)
    return reports


def _forward(config: Config, record: ChangeRecord, vars_path: Path | None, *, lab: bool,
             workers: int | None, progress: ProgressCallback | None,
             interactive: bool | None) -> RollbackReport:
    """Finish an interrupted push on its devices under way: the full intended config, confirmed."""
    if record.kind != "push":
        raise InputError(f"change {record.id} is a {record.kind}: only a push can be recovered forward")
    started = time.monotonic()
    names = [h.host for h in record.hosts if h.status in UNDER_WAY]
    rendered = render(config, record.template, _by_name(names), vars_path)
    texts = {r.host: r.text for r in rendered.applicable}
    report = CommitReport(None, DryRun(rendered, [], {}, 0.0))
    rollout = _Rollout("recover", record.template, rendered.variables, record.filters, texts,
                       [sorted(texts)], record.ticket, record.comment, rolls_back=record.id)
    _roll_out(config, rollout, report, RolloutPolicy(0, max(1, len(texts)), len(texts)), lab=lab,
              workers=workers, progress=progress, interactive=interactive, stop=None)
    result = RollbackReport(report.change_id or 0, record.id, report.hosts, time.monotonic() - started,
                            "recover")
    _close(ChangeLog(config.data_dir), record, result, "forward to the full intended config", "applied")
    return result


def _close(log: ChangeLog, record: ChangeRecord, report: RollbackReport, where: str, ended: str) -> None:
    """Say in the interrupted change's own rows where each device ended (``ended``: rolled-back,
    or applied: a device found already fully changed ends applied too)."""
    for host in report.hosts:
        if host.status in ("rolled-back", "applied", "unchanged"):
            log.update_host(record.id, host.host, status=ended,
                            message=f"recovered by change {report.change_id}: {where}")
    if not report.failed:
        log.finish(record.id, "recovered", f"recovered by change {report.change_id}: {where}")
        for earlier in log.list(limit=100, status="needs-recovery"):  # restores this one finished
            if earlier.rolls_back == record.id and earlier.id != report.change_id:
                log.finish(earlier.id, "recovered", f"superseded by change {report.change_id}")


def changes(config: Config, limit: int = 50) -> list[ChangeRecord]:
    """The latest changes from the change log, newest first."""
    return ChangeLog(config.data_dir).list(limit)


def change(config: Config, change_id: int) -> ChangeRecord:
    """One change with every device's diff and result."""
    return ChangeLog(config.data_dir).get(change_id)
