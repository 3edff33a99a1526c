"""The Nornir task running one read-only command on a device (`tslcd cmd`)."""

from __future__ import annotations

from nornir.core.task import Result, Task

from tslcd.platforms import get_platform
from tslcd.tasks.attempts import attempt
from tslcd.tasks.sessions import netmiko_session, run_show


def _answer(task: Task, command: str) -> str:
    conn = netmiko_session(task)
    if not conn.check_enable_mode():  # most show commands worth asking need privileged EXEC
        conn.enable()
    return run_show(task, get_platform(task.host.platform), command)


def run_command(task: Task, command: str, retries: int = 2, backoff: float = 1.0) -> Result:
    """Run ``command`` (already checked read-only for this platform); `Outcome.value` is the output
    as the device printed it (rejections are failures)."""
    return attempt(task, lambda t: _answer(t, command), retries, backoff, read_only=True)
