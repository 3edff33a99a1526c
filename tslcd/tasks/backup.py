"""The Nornir task that fetches one device's configuration, ready to store (masked, stable)."""

from __future__ import annotations

import re

from nornir.core.task import Result, Task

from tslcd.platforms import get_platform
from tslcd.sanitize import sanitize
from tslcd.tasks.attempts import attempt
from tslcd.tasks.failures import ErrorClass, HostFailure
from tslcd.tasks.sessions import fetch_running_config


def _storable_config(task: Task) -> str:
    platform = get_platform(task.host.platform)
    text = sanitize(fetch_running_config(task, platform), platform)
    if not re.search(platform.config_marker, text, flags=re.MULTILINE):
        raise HostFailure(ErrorClass.PARSE,
                          f"`{platform.config_command}` did not print a configuration "
                          f"({len(text.splitlines())} lines, no hostname)")
    return text


def backup_config(task: Task, retries: int = 2, backoff: float = 1.0) -> Result:
    """Fetch, mask and check the running config; `Outcome.value` is the text to store.

    Masking happens here, in the worker, so the secret-bearing text never leaves the task.
    """
    return attempt(task, _storable_config, retries, backoff, read_only=True)
