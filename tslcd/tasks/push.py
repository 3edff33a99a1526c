"""Nornir tasks that plan, apply, verify and undo a template change on one device.

Every device change runs under the device's lock and follows one path: read the running config,
plan, apply (NAPALM merge + commit where the registry says so, Netmiko config lines otherwise),
re-read the config on a fresh session (the device must still let us in) and check that nothing of
the template is missing. Any failure after the first line was sent restores the pre-change
config by itself (NAPALM configure-replace, or the hier_config commands back to it) and checks
that the device is back to exactly that config.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nornir.core.task import Result, Task

from tslcd.platforms import Platform, get_platform
from tslcd.push.diff import Plan, plan, restore_commands
from tslcd.push.locks import DeviceBusyError, device_lock
from tslcd.sanitize import sanitize
from tslcd.tasks.attempts import Outcome, attempt
from tslcd.tasks.failures import ErrorClass, HostFailure, classify
from tslcd.tasks.sessions import close_all, fetch_running_config, napalm_device, netmiko_session


class VerifyError(Exception):
    """The device's config after a change (or rollback) is not what it should be."""


@dataclass(frozen=True)
class DeviceChange:
    """What happened on one device: status, what was sent, how to undo it, configs before/after.

    ``pre_config``/``post_config`` are masked (storable); the raw pre-change text never leaves
    the task.
    """

    status: str  # applied | unchanged | rolled-back | rollback-failed | failed | busy
    commands: tuple[str, ...] = ()
    device_diff: str = ""
    rollback: tuple[str, ...] = ()
    pre_config: str = ""
    post_config: str = ""
    message: str = ""


def _masked(line: str, platform: Platform) -> str:
    """A config line fit for a message or the change log (a refused line may carry a secret)."""
    return sanitize(line, platform).strip()


def _read(task: Task, platform: Platform, fresh: bool = False) -> str:
    """The raw running config; ``fresh`` opens a new session (proves the device still lets us in)."""
    if fresh:
        close_all(task.host)
    return fetch_running_config(task, platform)


def _open_quotes(line: str) -> int:
    """Unescaped double quotes in a line (odd: the line opens or closes a multi-line value)."""
    return len(re.findall(r'(?<!\\)"', line))


def _segments(commands: Sequence[str], unverified: str | None) -> list[tuple[bool, list[str]]]:
    """Runs of lines the device echoes as typed (True), and quoted values spanning lines (False).

    A line of a multi-line value is not echoed back with a prompt, so it cannot be verified;
    everything around it still is.
    """
    opener = re.compile(unverified) if unverified else None
    segments: list[tuple[bool, list[str]]] = []
    inside = False
    for command in commands:
        verify = not inside and not (opener is not None and opener.search(command))
        if not segments or segments[-1][0] != verify:
            segments.append((verify, []))
        segments[-1][1].append(command)
        if not verify and _open_quotes(command) % 2:
            inside = not inside
    return segments


def apply_commands(task: Task, platform: Platform, commands: Sequence[str]) -> str:
    """Send config lines the platform's way and make them persistent; returns the device's diff."""
    if platform.push_method == "napalm":
        device = napalm_device(task, platform)
        device.load_merge_candidate(config="\n".join(commands) + "\n")
        diff = device.compare_config()
        device.commit_config()
        return str(diff or "")
    from netmiko.exceptions import ConfigInvalidException  # drivers load with the first session

    conn = netmiko_session(task)
    segments = _segments(commands, platform.push_unverified_lines)
    try:
        for n, (verify, lines) in enumerate(segments):
            # Netmiko's own bypass (any `banner` line) would stop echo checks for the whole set
            # and wait ~2 s after every line; only a quoted value spanning lines needs that.
            conn.send_config_set(lines, error_pattern=platform.error_pattern, cmd_verify=verify,
                                 bypass_commands="", enter_config_mode=n == 0,
                                 exit_config_mode=n == len(segments) - 1)
    except ConfigInvalidException as exc:
        line = str(exc).split("at command: ", 1)[-1].split(", matched error:", 1)[0]
        raise HostFailure(ErrorClass.COMMAND_REJECTED,
                          f"the device rejected `{_masked(line, platform)}`") from None
    if platform.save_command:
        conn.send_command(platform.save_command)
    return ""


def _restore(task: Task, platform: Platform, pre_raw: str) -> str:
    """Bring the device back to ``pre_raw`` and check it; returns the config read back.

    Raises VerifyError when the device is not back to exactly that config.
    """
    current = _read(task, platform, fresh=True)
    if platform.push_method == "napalm":
        device = napalm_device(task, platform)
        device.load_replace_candidate(config=pre_raw)
        device.commit_config()
    else:
        commands = restore_commands(platform.name, current, pre_raw)
        if commands:
            apply_commands(task, platform, commands)
    after = _read(task, platform, fresh=True)
    left = restore_commands(platform.name, after, pre_raw)
    if left:
        raise VerifyError(f"{len(left)} line(s) still differ from the pre-change config: "
                          f"{_masked(left[0], platform)!r}")
    return after


def _failed(failure: HostFailure, step: str) -> str:
    return f"{step}: {failure.error_class.value}: {failure.message}"


def _change(task: Task, platform: Platform, change_text: str) -> tuple[DeviceChange, HostFailure | None]:
    """Plan, apply, verify; once a line has been sent, any failure ends in an automatic rollback."""
    pre_raw = _read(task, platform)
    pre = sanitize(pre_raw, platform)
    wanted: Plan = plan(task.host.name, platform.name, pre_raw, change_text)
    if wanted.empty:
        return DeviceChange("unchanged", pre_config=pre, post_config=pre,
                            message="already has every line of the template"), None
    base = DeviceChange("applied", wanted.commands, pre_config=pre)
    try:
        diff = apply_commands(task, platform, wanted.commands)
        post_raw = _read(task, platform, fresh=True)
        missing = plan(task.host.name, platform.name, post_raw, change_text).commands
        if missing:
            raise VerifyError(f"after the change {len(missing)} line(s) are still missing: "
                              f"{_masked(missing[0], platform)!r}")
        rollback = tuple(restore_commands(platform.name, post_raw, pre_raw))
    except Exception as exc:  # whatever went wrong once lines were sent, the device goes back
        failure = _verify_failure(exc) or classify(exc)
        return _roll_back(task, platform, pre_raw, base, failure), failure
    return replace(base, device_diff=diff, rollback=rollback,
                   post_config=sanitize(post_raw, platform)), None


def _verify_failure(exc: BaseException) -> HostFailure | None:
    if isinstance(exc, VerifyError):
        return HostFailure(ErrorClass.COMMAND_REJECTED, str(exc))
    return None


def _roll_back(task: Task, platform: Platform, pre_raw: str, base: DeviceChange,
               failure: HostFailure) -> DeviceChange:
    """Undo a failed change by itself and say whether the device is back to its pre-change config."""
    try:
        post = sanitize(_restore(task, platform, pre_raw), platform)
    except Exception as exc:
        second = _verify_failure(exc) or classify(exc)
        return replace(base, status="rollback-failed",
                       message=f"{_failed(failure, 'change failed')}; "
                               f"{_failed(second, 'automatic rollback failed')}")
    return replace(base, status="rolled-back", post_config=post,
                   message=f"{_failed(failure, 'change failed')}; rolled back to the pre-change config")


def _locked(task: Task, data_dir: Path, work: Callable[[], tuple[DeviceChange, HostFailure | None]]
            ) -> Result:
    """Run ``work`` under the device's lock; the Result carries an `Outcome` of a `DeviceChange`."""
    started = time.monotonic()
    try:
        with device_lock(data_dir, task.host.name):
            change, failure = work()
    except DeviceBusyError as exc:
        change = DeviceChange("busy", message=str(exc))
        failure = HostFailure(ErrorClass.INTERNAL, str(exc))
    except Exception as exc:  # reading the config failed: nothing was sent
        failure = classify(exc)
        change = DeviceChange("failed", message=_failed(failure, "before any change"))
    finally:
        close_all(task.host)
    if failure is not None and not change.message:
        change = replace(change, message=failure.message)
    outcome = Outcome(change, 1, time.monotonic() - started, failure)
    return Result(host=task.host, result=outcome, failed=failure is not None, exception=failure)


def push_change(task: Task, changes: Mapping[str, str], data_dir: Path) -> Result:
    """Apply this host's rendered change (``changes[host]``), verify it, roll back on failure."""
    platform = get_platform(task.host.platform)
    return _locked(task, data_dir, lambda: _change(task, platform, changes[task.host.name]))


def _undo(task: Task, platform: Platform, commands: Sequence[str], expected: str
          ) -> tuple[DeviceChange, HostFailure | None]:
    before = sanitize(_read(task, platform), platform)
    base = DeviceChange("rolled-back", tuple(commands), pre_config=before)
    try:
        if commands:
            apply_commands(task, platform, commands)
        now = sanitize(_read(task, platform, fresh=True), platform)
        left = restore_commands(platform.name, now, expected)
        if left:
            raise VerifyError(f"{len(left)} line(s) differ from the pre-change config: "
                              f"{_masked(left[0], platform)!r}")
    except Exception as exc:
        failure = _verify_failure(exc) or classify(exc)
        return replace(base, status="rollback-failed", message=_failed(failure, "rollback")), failure
    return replace(base, post_config=now, message="back to the pre-change config"), None


def undo_change(task: Task, commands: Mapping[str, Sequence[str]], expected: Mapping[str, str],
                data_dir: Path) -> Result:
    """Send a logged change's undo commands and check the device matches its pre-change backup."""
    platform = get_platform(task.host.platform)
    name = task.host.name
    return _locked(task, data_dir, lambda: _undo(task, platform, commands[name], expected[name]))


def device_diff(task: Task, platform: Platform, commands: Sequence[str]) -> str:
    """The device's own diff of a merge (NAPALM compare_config), the candidate discarded after."""
    device = napalm_device(task, platform)
    device.load_merge_candidate(config="\n".join(commands) + "\n")
    try:
        return str(device.compare_config() or "")
    finally:
        device.discard_config()


def plan_change(task: Task, changes: Mapping[str, str], retries: int = 2, backoff: float = 1.0) -> Result:
    """Dry run: plan the change against the running config; where NAPALM can, the device diffs it.

    Nothing reaches the running config: a NAPALM candidate is compared, then discarded.
    """
    platform = get_platform(task.host.platform)

    def work(t: Task) -> Any:
        wanted = plan(t.host.name, platform.name, fetch_running_config(t, platform), changes[t.host.name])
        if wanted.empty or platform.push_method != "napalm":
            return wanted
        return replace(wanted, device_diff=device_diff(t, platform, wanted.commands))

    return attempt(task, work, retries, backoff)
