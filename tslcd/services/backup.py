"""`backup`: fetch every selected device's configuration and store what changed, as one git commit.

A host that fails keeps its last good config (only fetched configs are written); the run, every
host's result and the commit are recorded, and the report says which hosts failed and why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from tslcd.config import Config
from tslcd.progress import ProgressCallback
from tslcd.services import devices
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.store.records import HostRecord, RunLog
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.backup import backup_config

TASK_NAME = "backup"


@dataclass(frozen=True)
class HostBackup:
    """One host's result: ``changed``, ``unchanged`` or ``failed`` (with the error class)."""

    host: str
    status: str
    error_class: str | None = None
    message: str = ""
    attempts: int = 1
    duration: float = 0.0
    size: int | None = None
    path: str | None = None


@dataclass
class BackupReport:
    """What a backup run did, for the CLI, the TUI and `--json`."""

    run_id: int
    commit: str | None
    hosts: list[HostBackup] = field(default_factory=list)
    duration: float = 0.0

    def with_status(self, status: str) -> list[HostBackup]:
        """The hosts whose result is ``status``."""
        return [h for h in self.hosts if h.status == status]

    @property
    def failed(self) -> list[HostBackup]:
        """Hosts that could not be backed up this run."""
        return self.with_status("failed")

    def as_dict(self) -> dict[str, Any]:
        """Plain data (the `--json` summary)."""
        return {"run_id": self.run_id, "commit": self.commit, "duration": round(self.duration, 3),
                "total": len(self.hosts),
                "counts": {s: len(self.with_status(s)) for s in ("changed", "unchanged", "failed")},
                "hosts": [asdict(h) for h in self.hosts]}


def _message(run_id: int, report_hosts: list[HostBackup]) -> str:
    counts = {s: [h for h in report_hosts if h.status == s] for s in ("changed", "unchanged", "failed")}
    lines = [f"backup run {run_id}: {len(counts['changed'])} changed, {len(counts['unchanged'])} "
             f"unchanged, {len(counts['failed'])} failed ({len(report_hosts)} hosts)", ""]
    if counts["changed"]:
        lines += ["changed:", *(f"  {h.host}" for h in counts["changed"])]
    if counts["failed"]:
        lines += ["failed (last good config kept):",
                  *(f"  {h.host}: {h.error_class}: {h.message}" for h in counts["failed"])]
    return "\n".join(lines).rstrip() + "\n"


def _host_result(name: str, outcome: Outcome, path: str, changed: set[str]) -> HostBackup:
    if outcome.failure is not None:
        return HostBackup(name, "failed", outcome.failure.error_class.value, outcome.failure.message,
                          outcome.attempts, outcome.duration)
    return HostBackup(name, "changed" if name in changed else "unchanged", None, "", outcome.attempts,
                      outcome.duration, len(outcome.value.encode("utf-8")), path)


def run_backup(config: Config, filters: Sequence[str] | None = None, *, lab: bool = False,
               workers: int | None = None, retries: int | None = None, backoff: float = 1.0,
               progress: ProgressCallback | None = None,
               interactive: bool | None = None, stop: threading.Event | None = None,
               author: str | None = None, reason: str = "", context: str = "") -> BackupReport:
    """Back up the selected hosts in one Nornir run and one commit (none if nothing changed).

    Setting ``stop`` cancels the run: sessions in flight are closed, hosts not yet fetched fail as
    ``cancelled`` (their last good config is kept), what was fetched is stored and committed as
    usual. Each host's whole session, retries included, is bounded by ``timeouts.deadline``.
    ``author`` (who changed the device, as the device reported it) authors the commit, and
    ``reason`` (what triggered the backup) is added to its message; ``context`` heads the message
    (a push names its change, ticket and comment there).
    """
    started = time.monotonic()
    device_run = devices.prepare(config, filters, lab=lab, workers=workers, interactive=interactive)
    store = ConfigStore(config.data_dir)
    runs = RunLog(config.data_dir)
    with store.writer():
        store.prepare()
        run_id = runs.start(TASK_NAME, len(device_run.hosts), lab=lab, filters=device_run.filters)
        outcomes = devices.run(device_run, backup_config, TASK_NAME, progress, stop=stop,
                               deadline=config.timeouts.deadline, cut_on_stop=True,
                               processes=config.processes,
                               retries=config.retries if retries is None else retries, backoff=backoff)
        hosts = device_run.by_name
        paths = {name: layout_path(name, hosts[name].get("agency_type"), hosts[name].get("agency_code"))
                 for name in outcomes}
        changed = set(store.write(StoredConfig(name, paths[name], o.value)
                                  for name, o in outcomes.items() if o.failure is None))
        results = [_host_result(h.name, outcomes[h.name], paths[h.name], changed)
                   for h in device_run.hosts]
        message = context + _message(run_id, results) + (f"\n{reason}\n" if reason else "")
        commit = store.commit(message, author) if changed else None
        runs.finish(run_id, [HostRecord(r.host, r.status, r.error_class, r.message, r.attempts,
                                        r.duration, r.size) for r in results],
                    changed=len(changed), commit_sha=commit)
    return BackupReport(run_id, commit, results, time.monotonic() - started)
