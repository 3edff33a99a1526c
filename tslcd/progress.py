"""Run progress as plain events, from one Nornir Processor every front end reuses.

The CLI's progress bar, its plain log lines and the TUI all consume the same `ProgressEvent`s, so
none of them knows Nornir. Events are delivered on Nornir's worker threads: the callback must be
thread-safe (Rich's Progress is; in Textual, `post_message`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tslcd.tasks.failures import HostFailure, masked
from tslcd.textsafe import neutralise

if TYPE_CHECKING:  # the events are plain: a front end that only shows them does not load Nornir
    from nornir.core.inventory import Host
    from nornir.core.task import AggregatedResult, MultiResult, Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunStarted:
    """A task is about to run on ``hosts``."""

    task: str
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class HostStarted:
    """A worker began on one host."""

    task: str
    host: str


@dataclass(frozen=True)
class HostDone:
    """One host finished; ``error_class`` and ``message`` are set when it failed."""

    task: str
    host: str
    failed: bool
    error_class: str | None
    message: str
    attempts: int
    duration: float


@dataclass(frozen=True)
class RunDone:
    """Every host finished."""

    task: str
    ok: int
    failed: int
    duration: float


ProgressEvent = RunStarted | HostStarted | HostDone | RunDone
ProgressCallback = Callable[[ProgressEvent], None]


def _host_done(task: str, host: str, result: MultiResult, platform: str | None = None) -> HostDone:
    from tslcd.tasks.attempts import Outcome  # loaded by then: the host's task ran

    outcome = result[0].result if result else None
    if isinstance(outcome, Outcome):
        failure = masked(outcome.failure, platform) if outcome.failure else None
        return HostDone(task, host, failure is not None,
                        failure.error_class.value if failure else None,
                        neutralise(failure.message) if failure else "", outcome.attempts, outcome.duration)
    exc = result[0].exception if result else None
    if isinstance(exc, HostFailure):
        exc = masked(exc, platform)
        return HostDone(task, host, True, exc.error_class.value, neutralise(exc.message), 1, 0.0)
    if exc is not None:  # a task outside `attempt`: name the exception, never echo its text
        return HostDone(task, host, True, "internal", f"unexpected {type(exc).__name__}", 1, 0.0)
    return HostDone(task, host, result.failed, None, "", 1, 0.0)


class ProgressProcessor:
    """A Nornir Processor turning task and host start/complete events into `ProgressEvent`s."""

    def __init__(self, callback: ProgressCallback) -> None:
        self._callback = callback
        self._started = 0.0

    def _emit(self, event: ProgressEvent) -> None:
        try:
            self._callback(event)
        except Exception:  # a display problem must never stop a run against the network
            log.exception("progress callback failed on %s", type(event).__name__)

    def task_started(self, task: Task) -> None:
        """Nornir hook: the run begins."""
        self._started = time.monotonic()
        self._emit(RunStarted(task.name, tuple(task.nornir.inventory.hosts)))

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Nornir hook: every host is done."""
        failed = len(result.failed_hosts)
        self._emit(RunDone(task.name, len(result) - failed, failed, time.monotonic() - self._started))

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: a worker picked up ``host``."""
        self._emit(HostStarted(task.name, host.name))

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: ``host`` is done."""
        self._emit(_host_done(task.name, host.name, result, host.platform))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: sub-tasks are internal steps, not progress."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: sub-tasks are internal steps, not progress."""
