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


def attempt(task: Task, work: Callable[[Task], Any], retries: int, backoff: float) -> Result:
    """Run ``work(task)`` up to ``retries + 1`` times; the Result carries an `Outcome`."""
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
            close_all(task.host)
        if failure is None:
            return Result(host=task.host, result=Outcome(value, tries, time.monotonic() - started))
        if not failure.transient or tries > retries:
            outcome = Outcome(None, tries, time.monotonic() - started, failure)
            return Result(host=task.host, result=outcome, failed=True, exception=failure)
        time.sleep(backoff * 2 ** (tries - 1))
