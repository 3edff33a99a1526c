"""`tslcd run backup|audit|backup+audit`: the unattended run a scheduler starts.

One run at a time (a flock that survives nothing but its process), never a prompt, a report per
run in the data folder, out-of-band changes flagged line by line, notifications sent. The exit
code tells the scheduler what happened: 0 all good, 1 some hosts failed or a notification could
not be delivered, 2 bad input or missing credentials, 3 another run was still going.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tslcd.audit.model import Finding
from tslcd.audit.result import by_severity_first
from tslcd.compliance.report import render_html
from tslcd.config import Config
from tslcd.errors import EXIT_OK, EXIT_PARTIAL
from tslcd.inventory import HostInfo, load_inventory
from tslcd.inventory.filters import select
from tslcd.notify import Notice, dispatch
from tslcd.progress import HostDone, ProgressEvent
from tslcd.push.changelog import ChangeLog
from tslcd.push.journal import needing_recovery
from tslcd.runreport.model import FailedHost, OutOfBand, RunReport, StaleHost
from tslcd.runreport.write import load_reports, write_report
from tslcd.schedule.lock import RunLock, StoreHeld
from tslcd.schedule.outofband import unexplained
from tslcd.schedule.units import check_action
from tslcd.services import impact as impact_service
from tslcd.services.audit import run_audit
from tslcd.services.backup import BackupReport, run_backup
from tslcd.services.compliance import available_packs, run_compliance
from tslcd.store.configs import ConfigStore
from tslcd.store.lock import StoreBusyError
from tslcd.store.records import RunLog
from tslcd.textsafe import neutralised

log = logging.getLogger("tslcd.run")
LOCK_NAME = "run.lock"


@dataclass
class ScheduledRun:
    """The run's report, where it was written, and the exit code for the scheduler."""

    report: RunReport
    json_path: Path
    html_path: Path

    @property
    def exit_code(self) -> int:
        """0, or 1 when a host failed or a notification was not delivered."""
        return self.report.exit_code


def _log_progress(event: ProgressEvent) -> None:
    if isinstance(event, HostDone):
        if event.failed:
            log.warning("%s FAILED %s: %s: %s", event.task, event.host, event.error_class, event.message)
        else:
            log.info("%s ok %s (%.1f s)", event.task, event.host, event.duration)


def _previous_run(config: Config) -> RunReport | None:
    """The latest earlier run that recorded where the backups stood."""
    return next((r for r in reversed(load_reports(config.data_dir)) if r.store_head), None)


def _out_of_band(config: Config, store: ConfigStore, previous: RunReport | None,
                 hosts: dict[str, HostInfo]) -> list[OutOfBand]:
    """Every selected host whose config changed since the previous run, less what tslcd changed.

    Comparing with the previous *run* (not the previous commit) also catches a manual change that a
    push's pre-change backup, or a backup by hand, committed in between.
    """
    head = store.resolve("HEAD")
    if previous is None or head is None or store.resolve(previous.store_head or "") is None:
        return []  # the first run: nothing to compare with yet
    changes = ChangeLog(config.data_dir).list(limit=500)
    since = datetime.fromisoformat(previous.finished)
    found = []
    for name in store.changed_between(previous.store_head or "", head):
        if name not in hosts:
            continue
        old, new = store.read(name, previous.store_head or ""), store.read(name, head)
        if old is None or new is None:
            continue
        lines = unexplained(old, new, name, changes, since)
        if lines:
            found.append(OutOfBand(name, str(hosts[name].get("agency_name", "")), lines.listing(),
                                   impact_service.traffic_summary(hosts[name], old, new),
                                   store.device_authors(name, previous.store_head or "", head)))
    return found


def _stale(config: Config, hosts: list[HostInfo], now: datetime) -> list[StaleHost]:
    days = config.notifications.stale_days
    last = RunLog(config.data_dir).last_good("backup")
    stale = []
    for host in hosts:
        when = last.get(host.name)
        age = (now - datetime.fromisoformat(when)) if when else None
        if age is None or age > timedelta(days=days):
            stale.append(StaleHost(host.name, str(host.get("agency_name", "")), when,
                                   round(age.total_seconds() / 86400, 2) if age else None))
    return stale


def _backup_part(config: Config, report: RunReport, filters: Sequence[str] | None, lab: bool,
                 hosts: dict[str, HostInfo]) -> BackupReport:
    store = ConfigStore(config.data_dir)
    previous = _previous_run(config)
    backup = run_backup(config, filters, lab=lab, progress=_log_progress, interactive=False)
    report.backed_up = len(backup.hosts) - len(backup.failed)
    report.changed = [h.host for h in backup.with_status("changed")]
    report.failed = [FailedHost(h.host, str(hosts[h.host].get("agency_name", "")), h.error_class or "",
                                h.message) for h in backup.failed]
    report.out_of_band = _out_of_band(config, store, previous, hosts)
    report.store_head = store.resolve("HEAD")
    log.info("backup: %d backed up, %d changed, %d failed, %d out-of-band", report.backed_up,
             len(report.changed), len(report.failed), len(report.out_of_band))
    return backup


def _finding_row(f: Finding) -> dict[str, object]:
    return {"host": f.host, "check": f.check, "severity": f.severity.name, "message": f.message,
            "rule": f.rule, "line": f.line, "text": f.text}


def _audit_part(config: Config, report: RunReport, filters: Sequence[str] | None) -> bool:
    """Audit the backups; True when this was the first audit (no earlier run to compare with)."""
    result, missing = run_audit(config, filters, compare=True)
    counts: dict[str, int] = {}
    for finding in result.active:  # accepted risks are not counted
        counts[finding.severity.name] = counts.get(finding.severity.name, 0) + 1
    report.findings_by_severity = counts
    report.audit_scope = result.covered()
    report.accepted_findings = len(result.accepted)
    report.expired_waivers = [{**_finding_row(f), "waiver": w.label()} for f in result.expired
                              if (w := result.waiver(f)) is not None]
    comparison = result.comparison
    if comparison is not None:
        report.audit_baseline = comparison.label()
        report.new_findings = [_finding_row(f) for f in by_severity_first(comparison.new)]
        report.resolved_findings = [_finding_row(f) for f in by_severity_first(comparison.resolved)]
    log.info("audit: %d findings (%s), %d new, %d resolved, %d hosts without backup",
             len(result.findings), counts, len(report.new_findings), len(report.resolved_findings),
             len(missing))
    return comparison is None or comparison.previous_run is None


def _compliance_part(config: Config, report: RunReport, filters: Sequence[str] | None, run_id: str) -> None:
    """Check every compliance pack; each gets its printable report next to the run's."""
    folder = config.data_dir / "reports" / "compliance"
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(available_packs(config)):
        result = run_compliance(config, name, None, filters)
        path = folder / f"{run_id}-{name}.html"
        path.write_text(render_html(result, "vi", config.compliance.province), encoding="utf-8")
        counts = {status.value: n for status, n in result.counts().items()}
        report.compliance.append({"pack": name, "version": result.pack.version, "run_id": result.run_id,
                                  "counts": counts, "report": str(path)})
        log.info("compliance %s %s: %s; report %s", name, result.pack.version, counts, path)


def _notices(report: RunReport, hosts: dict[str, HostInfo], link: str,
             first_audit: bool) -> list[Notice]:
    def agency(name: str) -> str:
        host = hosts.get(name)
        return str(host.get("agency_name", "")) if host else ""

    notices = [Notice("out-of-band-change", o.host, o.agency,
                      f"configuration changed with no recorded tslcd change ({len(o.lines)} lines)"
                      + (f", changed by {', '.join(o.users)}" if o.users else "")
                      + (f"; {o.impact[0]}" if o.impact else ""),
                      [*o.impact, *o.lines], "high", link) for o in report.out_of_band]
    notices += [Notice("backup-failure", f.host, f.agency, f"backup failed: {f.error_class}: {f.message}",
                       [], "medium", link) for f in report.failed]
    if not first_audit:  # the first audit's findings are all "new": that is the baseline, not news
        notices += [Notice("new-finding", f["host"], agency(f["host"]), f"{f['check']}: {f['message']}",
                           [f"{f['text']} (line {f['line']})"] if f["text"] else [], f["severity"], link)
                    for f in report.new_findings]
    notices += [Notice("stale-backup", s.host, s.agency,
                       f"no good backup for {s.days} days" if s.days is not None else "never backed up",
                       [], "medium", link) for s in report.stale]
    return neutralised(notices)  # read in mail clients and chat tools: no control byte from a device


def _recovery_notices(config: Config, hosts: dict[str, HostInfo], link: str) -> list[Notice]:
    """A change whose process died leaves devices half-changed until `tslcd changes recover`."""
    notices = []
    for change in needing_recovery(config.data_dir):
        log.warning("change %d needs recovery: %s", change.id, change.message)
        for h in change.hosts:
            if h.status == "needs-recovery":
                host = hosts.get(h.host)
                notices.append(Notice(
                    "change-needs-recovery", h.host, str(host.get("agency_name", "")) if host else "",
                    f"change {change.id} ({change.template}) was interrupted: "
                    f"run `tslcd changes recover {change.id}`", [h.message], "high", link))
    return notices


def run_scheduled(config: Config, action: str, filters: Sequence[str] | None = None, *,
                  lab: bool = False) -> ScheduledRun:
    """Run ``action`` unattended under the run lock; write the report; send notifications."""
    check_action(action)
    with RunLock(config.data_dir / LOCK_NAME, f"run {action}") as lock:
        if lock.info.stale_holder:
            log.warning("recovered the lock of a run that died: %s", lock.info.stale_holder)
        started = datetime.now(UTC)
        run_id = f"{started:%Y%m%dT%H%M%SZ}-{action.replace('+', '-')}"
        inventory = load_inventory(config)
        selected = select(inventory, filters)
        hosts = {h.name: h for h in selected}
        report = RunReport(run_id=run_id, action=action, started=started.isoformat(timespec="seconds"),
                           finished="", exit_code=EXIT_OK, hosts=len(selected),
                           log=str(config.data_dir / "logs" / "tslcd.log"))
        if "backup" in action:
            try:
                _backup_part(config, report, filters, lab, hosts)
            except StoreBusyError as exc:
                raise StoreHeld(str(exc)) from None
        first_audit = "audit" in action and _audit_part(config, report, filters)
        if "compliance" in action:
            _compliance_part(config, report, filters, run_id)
        report.stale = _stale(config, selected, datetime.now(UTC))
        link = _report_link(config, run_id)
        deliveries = dispatch(config, _notices(report, hosts, link, first_audit)
                              + _recovery_notices(config, hosts, link))
        report.notifications = [asdict(d) for d in deliveries]
        for delivery in deliveries:
            (log.info if delivery.ok else log.error)("notification %s: %s %s", delivery.channel,
                                                     "sent" if delivery.ok else "FAILED", delivery.error)
        report.exit_code = EXIT_PARTIAL if report.failed or any(not d.ok for d in deliveries) else EXIT_OK
        report.finished = datetime.now(UTC).isoformat(timespec="seconds")
        json_path, html_path = write_report(config.data_dir, report)
        log.info("run %s finished with exit code %d; report %s", run_id, report.exit_code, html_path)
        return ScheduledRun(report, json_path, html_path)


def _report_link(config: Config, run_id: int | str) -> str:
    base = config.notifications.report_base_url.rstrip("/")
    relative = f"reports/runs/{run_id}.html"
    return f"{base}/{relative}" if base else str(config.data_dir / relative)
