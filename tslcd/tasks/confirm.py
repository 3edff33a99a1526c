"""Commit-confirm as a dead-man's switch: the device undoes a change by itself unless confirmed.

Three ways, chosen by the platform registry's ``confirm_method`` (data, not platform names):

- ``napalm``: NAPALM ``commit_config(revert_in=...)`` (IOS: ``configure terminal revert timer N``,
  ``copy ... running-config``, nothing saved) then ``confirm_commit()`` (``configure confirm``,
  ``write memory``); a pending timer is cancelled with NAPALM ``rollback()`` (``configure revert
  now``).
- ``revert-mode``: ``confirm_arm`` lines first (FortiOS ``set cfg-save revert``, a timeout), the
  change, then ``confirm_save`` once verified and ``confirm_restore`` with the pre-change values
  of ``confirm_settings``.
- ``save``: no device timer (ASA, VRP V5): the change stays unsaved until verified, so a reload
  brings the saved config back; the change journal and `tslcd changes recover` do the rest.
- ``trial``: a two-stage commit (VRP V8): the change and ``confirm_arm`` (``commit trial N``) go in
  one configuration session, ``confirm_save`` (``commit``) confirms, ``confirm_cancel`` (``abort
  trial``) settles a trial a dead process left; a restore ends with ``confirm_commit``.

A lost session never confirms: confirming is the last step, after the change was verified on a
fresh session.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nornir.core.task import Task

from tslcd.platforms import Platform
from tslcd.push.journal import checkpoint, kill_mid_send, mask_output
from tslcd.tasks.failures import ErrorClass, HostFailure
from tslcd.tasks.sessions import napalm_device, netmiko_session


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


def send_lines(task: Task, platform: Platform, commands: Sequence[str]) -> str:
    """Type config lines over Netmiko, checking every echo; returns what the device answered."""
    from netmiko.exceptions import ConfigInvalidException  # drivers load with the first session

    conn = netmiko_session(task)
    segments = _segments(commands, platform.push.unverified_lines)
    output: list[str] = []
    try:
        for n, (verify, lines) in enumerate(segments):
            # Netmiko's own bypass (any `banner` line) would stop echo checks for the whole set
            # and wait ~2 s after every line; only a quoted value spanning lines needs that.
            output.append(conn.send_config_set(
                lines, error_pattern=platform.error_pattern, cmd_verify=verify, bypass_commands="",
                enter_config_mode=n == 0, exit_config_mode=n == len(segments) - 1))
    except ConfigInvalidException as exc:
        line = str(exc).split("at command: ", 1)[-1].split(", matched error:", 1)[0]
        raise HostFailure(ErrorClass.COMMAND_REJECTED,
                          f"the device rejected `{mask_output(line, platform).strip()}`") from None
    return "\n".join(output)


def save(task: Task, platform: Platform) -> str:
    """Make the running config persistent where the platform needs a command for it (answering
    the device's "are you sure" where it asks one)."""
    if not platform.save_command:
        return ""
    conn = netmiko_session(task)
    question = platform.confirm.save_question
    if question is None:
        return str(conn.send_command(platform.save_command))
    asked = str(conn.send_command(platform.save_command, expect_string=question))
    # An expect_string, so Netmiko types no newline first (which would answer the question).
    return asked + str(conn.send_command("y", expect_string=re.escape(conn.base_prompt)))


def apply_saved(task: Task, platform: Platform, commands: Sequence[str]) -> str:
    """Send lines and save at once (restores, where there is nothing left to confirm)."""
    if platform.push.method == "napalm":
        device = napalm_device(task, platform)
        device.load_merge_candidate(config="\n".join(commands) + "\n")
        diff = str(device.compare_config() or "")
        device.commit_config()
        return diff
    return send_lines(task, platform, [*commands, *platform.confirm.commit]) + save(task, platform)


def _settings(platform: Platform, pre_raw: str) -> list[str]:
    values = []
    for pattern, default in platform.confirm.settings:
        found = re.search(pattern, pre_raw, flags=re.MULTILINE)
        values.append(found.group(1) if found else default)
    return values


def apply_armed(task: Task, platform: Platform, commands: Sequence[str], window_minutes: int) -> str:
    """Arm the device's switch and send the change, unsaved; returns what the device answered."""
    host = task.host.name
    if platform.confirm.method == "napalm":
        device = napalm_device(task, platform)
        device.load_merge_candidate(config="\n".join(commands) + "\n")
        diff = str(device.compare_config() or "")
        device.commit_config(revert_in=window_minutes * 60)
        return diff
    arm = [line.format(seconds=window_minutes * 60, minutes=window_minutes)
           for line in platform.confirm.arm]
    if platform.confirm.method == "trial":  # the switch is armed by the commit ending the change
        if kill_mid_send(host):  # test-only: die before the candidate is committed
            checkpoint("sending", host)
        return send_lines(task, platform, [*commands, *arm])
    answered = send_lines(task, platform, arm) if arm else ""
    if kill_mid_send(host):  # test-only: die half-way through the change
        send_lines(task, platform, commands[: len(commands) // 2])
        checkpoint("sending", host)
    return answered + send_lines(task, platform, commands)


def confirm(task: Task, platform: Platform, pre_raw: str) -> str:
    """Confirm a verified change on the session open now (a fresh one): the timer stops, the
    config is saved, switch settings go back to their pre-change values."""
    if platform.confirm.method == "napalm":
        napalm_device(task, platform).confirm_commit()
        return "configure confirm"
    out = []
    if platform.confirm.method == "trial":
        out.append(send_lines(task, platform, platform.confirm.save))
    if platform.confirm.method == "revert-mode":
        conn = netmiko_session(task)
        out += [str(conn.send_command(line)) for line in platform.confirm.save]
        restore = [line.format(*_settings(platform, pre_raw)) for line in platform.confirm.restore]
        if restore:
            out.append(send_lines(task, platform, restore))
    out.append(save(task, platform))
    return "\n".join(o for o in out if o)


def disarm(task: Task, platform: Platform, running: str) -> bool:
    """Settle a switch a dead process left armed (``running`` is the config now), before anything
    else is done to the device; True when there was one (the config has changed: read it again).

    IOS: ``configure revert now`` (NAPALM ``rollback()``), back to the archived config. VRP V8:
    ``abort trial``, back to the config before the trial. FortiOS:
    revert mode is left for the default settings (the pre-change values are not known here), which
    keeps the config as it is now; the restore or the push that follows takes it where it must go.
    """
    if platform.confirm.method == "napalm":
        device = napalm_device(task, platform)
        if device.has_pending_commit():
            device.rollback()
            return True
        return False
    if platform.confirm.cancel:  # no trace in the config: the device says whether one is pending
        answer = str(netmiko_session(task).send_config_set(list(platform.confirm.cancel)))
        return not re.search(platform.error_pattern, answer, flags=re.MULTILINE)
    if platform.confirm.armed and re.search(platform.confirm.armed, running, flags=re.MULTILINE):
        defaults = [default for _, default in platform.confirm.settings]
        send_lines(task, platform, [line.format(*defaults) for line in platform.confirm.restore])
        return True
    return False
