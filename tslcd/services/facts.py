"""`facts`: collect each device's model, serial, OS version and uptime, and read them back."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tslcd.config import Config
from tslcd.progress import ProgressCallback
from tslcd.services import devices
from tslcd.store.facts import load_facts, save_facts
from tslcd.store.lock import writer_lock
from tslcd.store.records import HostRecord, RunLog
from tslcd.tasks.facts import collect_facts

TASK_NAME = "facts"
LOCK_NAME = "facts.lock"


@dataclass
class FactsReport:
    """Facts per host that answered, failures per host that did not."""

    run_id: int
    facts: dict[str, dict[str, Any]]
    failed: dict[str, tuple[str, str]]  # host -> (error class, message)
    duration: float

    def as_dict(self) -> dict[str, Any]:
        """Plain data (the `--json` output)."""
        return {"run_id": self.run_id, "duration": round(self.duration, 3), "facts": self.facts,
                "failed": {h: {"error_class": c, "message": m} for h, (c, m) in self.failed.items()}}


def run_facts(config: Config, filters: Sequence[str] | None = None, *, lab: bool = False,
              workers: int | None = None, retries: int | None = None, backoff: float = 1.0,
              progress: ProgressCallback | None = None) -> FactsReport:
    """Collect facts from the selected hosts in one Nornir run and store them."""
    started = time.monotonic()
    device_run = devices.prepare(config, filters, lab=lab, workers=workers)
    runs = RunLog(config.data_dir)
    with writer_lock(config.data_dir / LOCK_NAME):
        run_id = runs.start(TASK_NAME, len(device_run.hosts), lab=lab, filters=device_run.filters)
        outcomes = devices.run(device_run, collect_facts, TASK_NAME, progress,
                               deadline=config.timeouts.deadline,
                               retries=config.retries if retries is None else retries, backoff=backoff)
        facts = {h: o.value for h, o in outcomes.items() if o.failure is None}
        failed = {h: (o.failure.error_class.value, o.failure.message)
                  for h, o in outcomes.items() if o.failure is not None}
        save_facts(config.data_dir, run_id, facts)
        runs.finish(run_id, [
            HostRecord(h, "failed" if o.failure else "ok", o.failure.error_class.value if o.failure else None,
                       o.failure.message if o.failure else "", o.attempts, o.duration, None)
            for h, o in outcomes.items()], changed=None, commit_sha=None)
    return FactsReport(run_id, facts, failed, time.monotonic() - started)


def latest_facts(config: Config) -> dict[str, dict[str, Any]]:
    """Every host's last collected facts: model, serial, os_version, uptime_seconds, collected_at."""
    return load_facts(config.data_dir)
