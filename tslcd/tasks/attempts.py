"""Running one unit of device work with retries, timing and classification (shared by tasks).

Only transient failures (timeouts, refused or dropped connections) are retried, with exponential
backoff; an authentication failure or a rejected command fails at once. Whatever happens, the
host's connections are closed, so a retry starts with a fresh session and a run leaves nothing open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nornir.core.task import Result, Task

from tslcd.tasks.failures import HostFailure, classify, masked
from tslcd.tasks.sessions import close_all
from tslcd.tasks.watch import current, deadline_failure


@dataclass(frozen=True)
class Outcome:
    """What a task reports for one host: its product or its failure, attempts and time taken."""

    value: Any
    attempts: int
    duration: float
    failure: HostFailure | None = None


def _credentials(task: Task) -> tuple[str | None, ...]:
    extras = task.host.get_connection_parameters("netmiko").extras or {}
    return task.host.password, extras.get("secret")


def attempt(task: Task, work: Callable[[Task], Any], retries: int, backoff: float, *,
            read_only: bool = False) -> Result:
    """Run ``work(task)`` up to ``retries + 1`` times; the Result carries an `Outcome`.

    ``read_only``: ``work`` runs show commands only, so its sessions are closed without the
    config-mode check and exit command (`close_all`).

    In a watched run (`tslcd.tasks.watch`) the whole, retries included, ends by the per-device
    deadline, and a session the watch cut (deadline, cancel) is reported as such, never retried.
    """
    watch = current()
    name = task.host.name
    started = time.monotonic()
    tries = 0
    while True:
        tries += 1
        failure: HostFailure | None = None
        try:
            value = work(task)
        except Exception as exc:
            failure = masked(classify(exc, _credentials(task)), task.host.platform)
        finally:
            close_all(task.host, read_only=read_only)
        if failure is None:
            return Result(host=task.host, result=Outcome(value, tries, time.monotonic() - started))
        cut = watch.cut_reason(name) if watch else None
        delay = backoff * 2 ** (tries - 1)
        left = watch.remaining(name) if watch else None
        if cut is None and failure.transient and tries <= retries and left is not None and left <= delay:
            cut = deadline_failure(watch.deadline or 0.0)  # no time left for another try
        if cut is not None or not failure.transient or tries > retries:
            outcome = Outcome(None, tries, time.monotonic() - started, cut or failure)
            return Result(host=task.host, result=outcome, failed=True, exception=cut or failure)
        if watch is not None:
            watch.stop.wait(delay)  # a cancel during the pause is noticed by the next try
        else:
            time.sleep(delay)
