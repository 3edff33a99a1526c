"""Nornir tasks that plan, apply, verify, confirm and restore a template change on one device.

Every device change runs under the device's lock and follows one path, journaled as it goes:
read the running config and plan (``pending``: masked pre-change config and planned commands are
in the change log before anything is sent), arm the device's commit-confirm switch and send
(``sending``), re-read the config on a fresh session, which proves management still reaches the
device, and check that nothing of the template is missing (``verifying``), then confirm
(``applied``). Any failure once a line was sent restores the pre-change config, computed from what
the device holds now (``rolled-back``); if that fails too the device is ``needs-recovery`` and its
own timer (where it has one) takes it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nornir.core.task import Result, Task

from tslcd.platforms import Platform, get_platform
from tslcd.push.diff import Plan, plan
from tslcd.push.journal import Journal, checkpoint, mask_lines, mask_output
from tslcd.push.locks import DeviceBusyError, device_lock
from tslcd.push.restore import commands_back, differences
from tslcd.sanitize import sanitize
from tslcd.tasks import confirm as switch
from tslcd.tasks.attempts import Outcome, attempt
from tslcd.tasks.failures import ErrorClass, HostFailure, classify
from tslcd.tasks.sessions import close_all, fetch_running_config, napalm_device


class VerifyError(Exception):
    """The device's config after a change (or rollback) is not what it should be."""


@dataclass(frozen=True)
class DeviceChange:
    """What happened on one device; every text is masked (fit for the change log)."""

    status: str  # applied | unchanged | rolled-back | needs-recovery | failed | busy
    commands: str = ""
    device_diff: str = ""
    rollback: str = ""
    pre_config: str = ""
    post_config: str = ""
    message: str = ""
    sent: str = ""
    answered: str = ""


def _masked(line: str, platform: Platform) -> str:
    """A config line fit for a message or the change log (a refused line may carry a secret)."""
    return mask_output(line, platform).strip()


def _read(task: Task, platform: Platform, fresh: bool = False) -> str:
    """The raw running config; ``fresh`` opens a new session (proves the device still lets us in)."""
    if fresh:
        close_all(task.host)
    return fetch_running_config(task, platform)


def _failed(failure: HostFailure, step: str) -> str:
    return f"{step}: {failure.error_class.value}: {failure.message}"


def _failure(exc: BaseException) -> HostFailure:
    if isinstance(exc, VerifyError):
        return HostFailure(ErrorClass.COMMAND_REJECTED, str(exc))
    return classify(exc)


def restore(task: Task, platform: Platform, pre_masked: str) -> tuple[str, str, str]:
    """Bring the device back to its pre-change config, computed from its config now, and check it.

    Returns (commands sent, masked; device answer, masked; config read back, masked). Raises
    VerifyError when the device is not back to exactly that config: running it again is safe.
    """
    close_all(task.host)  # a fresh session: the failed one may be stuck inside a config block
    current = _read(task, platform)
    if switch.disarm(task, platform, current):
        current = _read(task, platform)
    commands, target = commands_back(platform, current, pre_masked)
    answered = ""
    if commands and platform.push.method == "napalm":
        device = napalm_device(task, platform)
        device.load_replace_candidate(config=target.text)
        device.commit_config()
        answered = "configure replace"
    elif commands:
        answered = switch.apply_saved(task, platform, commands)
    after = _read(task, platform, fresh=True)
    left = differences(platform, after, pre_masked)
    if target.unresolved:
        raise VerifyError(f"{len(target.unresolved)} secret line(s) of the pre-change config are not on "
                          f"the device and are never stored; re-enter by hand: {target.unresolved[0]!r}")
    if left:
        raise VerifyError(f"{len(left)} line(s) still differ from the pre-change config: "
                          f"{_masked(left[0], platform)!r}")
    return mask_lines(commands, platform), mask_output(answered, platform), sanitize(after, platform)


def _roll_back(task: Task, platform: Platform, pre: str, base: DeviceChange,
               failure: HostFailure) -> DeviceChange:
    """Undo a failed change by itself and say whether the device is back to its pre-change config."""
    try:
        sent, _answered, post = restore(task, platform, pre)
    except Exception as exc:
        second = _failure(exc)
        return replace(base, status="needs-recovery",
                       message=f"{_failed(failure, 'change failed')}; "
                               f"{_failed(second, 'automatic rollback failed')}; "
                               f"run `tslcd changes recover`")
    return replace(base, status="rolled-back", post_config=post, rollback=sent,
                   message=f"{_failed(failure, 'change failed')}; rolled back to the pre-change config")


def _change(task: Task, platform: Platform, change_text: str, journal: Journal,
            window: int) -> tuple[DeviceChange, HostFailure | None]:
    """Journal, arm, send, verify on a fresh session, confirm; once a line is sent, any failure
    ends in an automatic rollback."""
    host = task.host.name
    pre_raw = _read(task, platform)
    if switch.disarm(task, platform, pre_raw):  # we hold the device's lock: an orphan's switch
        pre_raw = _read(task, platform)
    pre = sanitize(pre_raw, platform)
    wanted: Plan = plan(host, platform.name, pre_raw, change_text)
    if wanted.empty:
        return DeviceChange("unchanged", pre_config=pre, post_config=pre,
                            message="already has every line of the template"), None
    commands = mask_lines(wanted.commands, platform)
    journal.begin(host, platform.name, pre, commands)
    checkpoint("pending", host)
    base = DeviceChange("applied", commands, pre_config=pre)
    try:
        journal.update(host, status="sending")
        answered = mask_output(switch.apply_armed(task, platform, wanted.commands, window), platform)
        base = replace(base, sent=commands, answered=answered)
        journal.update(host, status="verifying", sent=commands, answered=answered)
        checkpoint("sent", host)
        post_raw = _read(task, platform, fresh=True)  # a fresh login: management still reaches it
        missing = plan(host, platform.name, post_raw, change_text).commands
        if missing:
            raise VerifyError(f"after the change {len(missing)} line(s) are still missing: "
                              f"{_masked(missing[0], platform)!r}")
        checkpoint("verified", host)
        confirmed = mask_output(switch.confirm(task, platform, pre_raw), platform)
        checkpoint("confirmed", host)
    except Exception as exc:  # whatever went wrong once lines were sent, the device goes back
        failure = _failure(exc)
        return _roll_back(task, platform, pre, base, failure), failure
    rollback = mask_lines(commands_back(platform, post_raw, pre)[0], platform)
    return replace(base, device_diff=answered if platform.push.method == "napalm" else "",
                   rollback=rollback, post_config=sanitize(post_raw, platform),
                   answered="\n".join(a for a in (answered, confirmed) if a)), None


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


def push_change(task: Task, changes: Mapping[str, str], journal: Journal, window: int) -> Result:
    """Apply this host's rendered change (``changes[host]``) with a ``window``-minute confirm."""
    platform = get_platform(task.host.platform)
    return _locked(task, journal.data_dir,
                   lambda: _change(task, platform, changes[task.host.name], journal, window))


def _restore_work(task: Task, platform: Platform, pre: str) -> tuple[DeviceChange, HostFailure | None]:
    before = sanitize(_read(task, platform), platform)
    base = DeviceChange("rolled-back", pre_config=before)
    try:
        sent, answered, post = restore(task, platform, pre)
    except Exception as exc:
        failure = _failure(exc)
        return replace(base, status="needs-recovery",
                       message=_failed(failure, "restore") + "; run it again once the cause is fixed"
                       ), failure
    return replace(base, commands=sent, sent=sent, answered=answered, post_config=post,
                   message="back to the pre-change config"), None


def restore_change(task: Task, expected: Mapping[str, str], data_dir: Path) -> Result:
    """Bring the device back to ``expected[host]`` (its masked pre-change config) and check it."""
    platform = get_platform(task.host.platform)
    return _locked(task, data_dir, lambda: _restore_work(task, platform, expected[task.host.name]))


def plan_restore(task: Task, expected: Mapping[str, str], retries: int = 2, backoff: float = 1.0
                 ) -> Result:
    """What a restore would send (masked), read from the device's config now; nothing is sent."""
    platform = get_platform(task.host.platform)

    def work(t: Task) -> Any:
        commands, _ = commands_back(platform, fetch_running_config(t, platform),
                                    expected[t.host.name])
        return Plan(t.host.name, platform.name, tuple(mask_lines(commands, platform).splitlines()))

    return attempt(task, work, retries, backoff)


def device_diff(task: Task, platform: Platform, commands: tuple[str, ...]) -> str:
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
        if wanted.empty or platform.push.method != "napalm":
            return wanted
        return replace(wanted, device_diff=device_diff(t, platform, wanted.commands))

    return attempt(task, work, retries, backoff)
