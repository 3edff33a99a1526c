"""`cmd`: one read-only command on the selected devices; answers grouped, optionally parsed.

The command is checked against each selected platform's read-only list before any device is
contacted; a refused command names the platform and the reason. Answers are neutralised (no
control character reaches a terminal: tslcd.textsafe), kept with the run in SQLite, and grouped: identical
answers are shown once with the hosts that gave them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.platforms import get_platform
from tslcd.progress import ProgressCallback
from tslcd.readonly import refusal
from tslcd.services import devices
from tslcd.services.inventory import load_selection
from tslcd.store.lock import writer_lock
from tslcd.store.outputs import save_outputs
from tslcd.store.records import HostRecord, RunLog
from tslcd.tasks.command import run_command as command_task
from tslcd.textsafe import neutralise

TASK_NAME = "cmd"
LOCK_NAME = "cmd.lock"


@dataclass(frozen=True)
class Answer:
    """One distinct answer and the hosts that gave it."""

    hosts: tuple[str, ...]
    output: str


@dataclass
class CommandReport:
    """What `cmd` got back: per-host output or failure, and parsed records when asked."""

    run_id: int
    command: str
    outputs: dict[str, str] = field(default_factory=dict)
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)  # host -> (class, message)
    parsed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    parse_errors: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0

    def answers(self) -> list[Answer]:
        """Identical outputs grouped, the most common first (then by first host name)."""
        by_output: dict[str, list[str]] = {}
        for host in sorted(self.outputs):
            by_output.setdefault(self.outputs[host], []).append(host)
        groups = [Answer(tuple(hosts), output) for output, hosts in by_output.items()]
        return sorted(groups, key=lambda a: (-len(a.hosts), a.hosts[0]))

    def as_dict(self) -> dict[str, Any]:
        """Plain data (``--json``)."""
        return {"run_id": self.run_id, "command": self.command, "duration": round(self.duration, 3),
                "answers": [{"hosts": list(a.hosts), "output": a.output} for a in self.answers()],
                "failed": {h: {"error_class": c, "message": m} for h, (c, m) in self.failed.items()},
                **({"parsed": self.parsed, "parse_errors": self.parse_errors}
                   if self.parsed or self.parse_errors else {})}


def check_command(config: Config, command: str, filters: Sequence[str] | None) -> list[str]:
    """The selected hosts, once ``command`` is known to only read on every selected platform."""
    hosts = load_selection(config, list(filters or [])).hosts
    if not hosts:
        raise InputError(f"no host matches {' '.join(filters or [])!r}")
    reasons = {p: refusal(command, get_platform(p)) for p in sorted({h.platform for h in hosts})}
    refused = [f"{platform}: {why}" for platform, why in reasons.items() if why]
    if refused:
        raise InputError(f"refused `{neutralise(command)}`, read-only commands only: " + "; ".join(refused))
    return [h.name for h in hosts]


def _parse(report: CommandReport, platforms: dict[str, str], ttp_template: str | None) -> None:
    """Structured records per host: TTP with the given template, else ntc-templates (TextFSM)."""
    if ttp_template is None and "|" in report.command:
        report.parse_errors = dict.fromkeys(report.outputs, "a filtered output (`|`) has no template: "
                                                            "parse the command without the filter")
        return
    for host, output in report.outputs.items():
        try:
            if ttp_template is not None:
                from ttp import ttp

                parser = ttp(data=output, template=ttp_template)
                parser.parse()
                report.parsed[host] = parser.result(structure="flat_list")
            else:
                from ntc_templates.parse import parse_output

                report.parsed[host] = parse_output(platform=platforms[host], command=report.command,
                                                   data=output)
        except Exception as exc:  # a template problem is this host's parse error, never a crash
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            report.parse_errors[host] = first[:200]


def run_command(config: Config, command: str, filters: Sequence[str] | None = None, *,
                lab: bool = False, workers: int | None = None, retries: int | None = None,
                backoff: float = 1.0, parse: bool = False, ttp_template: Path | None = None,
                progress: ProgressCallback | None = None, interactive: bool | None = None,
                stop: threading.Event | None = None) -> CommandReport:
    """Run one read-only ``command`` on the selected hosts; refused before any contact otherwise."""
    started = time.monotonic()
    check_command(config, command, filters)
    template = None
    if ttp_template is not None:
        try:
            template = ttp_template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{ttp_template}: cannot read the TTP template ({exc})") from None
    device_run = devices.prepare(config, filters, lab=lab, workers=workers, interactive=interactive)
    runs = RunLog(config.data_dir)
    with writer_lock(config.data_dir / LOCK_NAME):
        run_id = runs.start(TASK_NAME, len(device_run.hosts), lab=lab, filters=device_run.filters)
        outcomes = devices.run(device_run, command_task, TASK_NAME, progress, stop=stop,
                               deadline=config.timeouts.deadline, cut_on_stop=True, command=command,
                               retries=config.retries if retries is None else retries, backoff=backoff)
        report = CommandReport(run_id, command)
        records = []
        for host in device_run.hosts:
            outcome = outcomes[host.name]
            if outcome.failure is None:
                report.outputs[host.name] = neutralise(outcome.value.replace("\r\n", "\n"))
                status, error, message = "ok", None, ""
            else:
                error, message = outcome.failure.error_class.value, outcome.failure.message
                report.failed[host.name] = (error, message)
                status = "failed"
            records.append(HostRecord(host.name, status, error, message, outcome.attempts,
                                      outcome.duration, len(report.outputs.get(host.name, ""))))
        save_outputs(config.data_dir, run_id, command, report.outputs)
        runs.finish(run_id, records, changed=None, commit_sha=None)
    if parse or template is not None:
        _parse(report, {h.name: h.platform for h in device_run.hosts}, template)
    report.duration = time.monotonic() - started
    return report
