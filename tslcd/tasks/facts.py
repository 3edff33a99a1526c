"""The Nornir task that collects a device's identity: model, serial, OS version, uptime."""

from __future__ import annotations

import re
from typing import Any

from nornir.core.task import Result, Task

from tslcd.platforms import Platform, get_platform
from tslcd.tasks.attempts import attempt
from tslcd.tasks.failures import ErrorClass, HostFailure
from tslcd.tasks.sessions import napalm_device, run_show
from tslcd.textsafe import neutralised

FACTS = ("model", "serial", "os_version", "uptime_seconds")


_UNITS = {"y": 365 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UPTIME_PART = re.compile(r"(\d+)\s*(years?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?)\b")


def _seconds(uptime: str | None) -> int | None:
    """Uptime text ("1 year, 2 weeks, 3 days, 4 hours", ASA's "12 days 3 hours") in seconds."""
    parts = _UPTIME_PART.findall(uptime or "")
    return sum(int(n) * _UNITS[unit[0]] for n, unit in parts) if parts else None


def parse_facts(output: str, platform: Platform) -> dict[str, Any]:
    """Facts from the facts command's output, by the registry's per-fact patterns."""
    found: dict[str, str | None] = {}
    for fact, pattern in platform.facts_patterns.items():
        match = re.search(pattern, output, flags=re.MULTILINE)
        found[fact] = match.group(1).strip() if match else None
    if not any(found.values()):
        raise HostFailure(ErrorClass.PARSE, f"`{platform.facts_command}` printed nothing recognisable")
    return {"model": found.get("model"), "serial": found.get("serial"),
            "os_version": found.get("os_version"), "uptime_seconds": _seconds(found.get("uptime"))}


def _facts(task: Task) -> dict[str, Any]:
    """Device text, neutralised where it enters: facts are shown in tables and the TUI as stored."""
    return neutralised(_device_facts(task))


def _device_facts(task: Task) -> dict[str, Any]:
    platform = get_platform(task.host.platform)
    if platform.napalm_driver is None:
        commands = (platform.facts_command, *platform.facts_extra)
        return parse_facts("\n".join(run_show(task, platform, c) for c in commands), platform)
    facts = napalm_device(task, platform).get_facts()
    uptime = facts.get("uptime")
    os_version = facts.get("os_version") or None  # IOS: "... Software (...), Version 17.6.5, ..."
    version = re.search(r"\bVersion ([^\s,]+)", os_version or "")
    return {"model": facts.get("model") or None, "serial": facts.get("serial_number") or None,
            "os_version": version.group(1) if version else os_version,
            "uptime_seconds": int(uptime) if uptime is not None and uptime >= 0 else None}


def collect_facts(task: Task, retries: int = 2, backoff: float = 1.0) -> Result:
    """`Outcome.value` is a dict with the keys in FACTS (None where the device does not say)."""
    return attempt(task, _facts, retries, backoff, read_only=True)
