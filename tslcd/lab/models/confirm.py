"""Commit-confirm on lab devices: the IOS archive revert timer and FortiOS revert mode, timers
included, plus the management-access check a change can lock itself out with.

IOS: ``configure terminal revert timer N`` archives the running config and enters configuration
mode; unless ``configure confirm`` comes within N minutes, the device replaces its running config
with that archive by itself (``configure revert now`` does it at once). ``show archive config
rollback timer`` shows the pending timer in the form NAPALM parses (``User:`` must match to
confirm).

FortiOS: with ``config system global`` / ``set cfg-save revert`` changes are no longer saved when
applied; the first unsaved change starts a ``cfg-revert-timeout`` (seconds) timer, and when it
runs out the device goes back to its saved config (a real one reboots to do so). ``execute cfg
save`` saves and stops the timer; ``execute cfg reload`` reverts at once. Leaving revert mode
(``set cfg-save automatic``) saves as automatic mode always does.

Timers run ``time_scale`` times faster (tslcd.yaml ``lab.time_scale``, or the environment
variable TSLCD_LAB_TIME_SCALE, which wins) so tests see a one-minute timer fire in seconds. A timer
fires on the lab's event loop when one runs, and in any case before a device answers anything.
"""

from __future__ import annotations

import asyncio
import copy
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tslcd.lab.models.base import time_scale
from tslcd.lab.models.fortinet_api import FortinetDeviceView
from tslcd.lab.models.ios_api import IosDeviceView

if TYPE_CHECKING:
    from tslcd.lab.models.ios_config import Node

@dataclass
class _Timer:
    deadline: float  # time.monotonic()
    configured: str  # wall-clock time it was set, as IOS shows it
    fire: Callable[[], None]  # what the device does when the time is up
    minutes: int = 0
    user: str = ""


_TIMERS: weakref.WeakKeyDictionary[Any, _Timer] = weakref.WeakKeyDictionary()
_SAVED: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _arm(device: Any, seconds: float, timer: _Timer) -> None:
    _TIMERS[device] = timer
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # offline model (tests without SSH): fires on the next command instead
    loop.call_later(max(0.0, seconds) + 0.01, tick, device)


def tick(device: Any) -> None:
    """Fire the device's timer if it has run out (called before every answer and by the loop)."""
    timer = _TIMERS.get(device)
    if timer is None or time.monotonic() < timer.deadline:
        return
    del _TIMERS[device]
    timer.fire()


def schedule(device: Any, lab_seconds: float, fire: Callable[[], None], minutes: int = 0,
             user: str = "") -> None:
    """Run ``fire`` once ``lab_seconds`` of lab time have passed, unless `cancel` stops it
    first (a device holds one timer; JunOS ``commit confirmed`` arms it)."""
    seconds = lab_seconds / time_scale()
    _arm(device, seconds, _Timer(time.monotonic() + seconds, _now_ios(), fire, minutes, user))


def cancel(device: Any) -> bool:
    """Stop the device's timer; True when one was pending."""
    return _TIMERS.pop(device, None) is not None


def remaining(device: Any) -> float | None:
    """Lab seconds left on the device's timer (None: none pending)."""
    timer = _TIMERS.get(device)
    return None if timer is None else max(0.0, (timer.deadline - time.monotonic()) * time_scale())


def _now_ios() -> str:
    return datetime.now(UTC).strftime("%H:%M:%S UTC %a %b %-d %Y")


# --- IOS --------------------------------------------------------------------------------------
def ios_arm(device: IosDeviceView, user: str, minutes: int) -> str:
    """``configure terminal revert timer N``: '' when armed (configuration mode follows), else
    IOS's refusal."""
    if not device.archive_enabled():
        return "%Please turn config archive on\n"
    if device in _TIMERS:
        return "%Rollback Confirmed Change already pending\n"
    if not 1 <= minutes <= 120:
        return "% Invalid input detected at '^' marker.\n"
    from tslcd.lab.models.ios_config import clone

    archive = clone(device.root)

    def revert() -> None:
        device.replace_running(archive)
        device.changed(user)

    seconds = minutes * 60 / time_scale()
    _arm(device, seconds, _Timer(time.monotonic() + seconds, _now_ios(), revert, minutes, user))
    return ""


def ios_confirm(device: IosDeviceView) -> str:
    """``configure confirm``: keep the change, stop the timer."""
    if _TIMERS.pop(device, None) is None:
        return "%No Rollback Confirmed Change pending\n"
    return ""


def ios_revert_now(device: IosDeviceView) -> str:
    """``configure revert now``: go back to the archived config at once."""
    timer = _TIMERS.get(device)
    if timer is None:
        return "%No Rollback Confirmed Change pending\n"
    timer.deadline = 0.0
    tick(device)
    return "Rollback Done\n"


def ios_timer_status(device: IosDeviceView) -> str:
    """``show archive config rollback timer``."""
    timer = _TIMERS.get(device)
    if timer is None:
        return "%No Rollback Confirmed Change pending\n"
    left = max(0, round((timer.deadline - time.monotonic()) * time_scale()))
    return (f"Time configured(or Reset): {timer.configured}\nTimer type: Rollback Timer\n"
            f"Timer value: {timer.minutes} min\nTime remaining: {left // 60:02d}:{left % 60:02d}\n"
            f"User: {timer.user}\n")


def ios_ssh_allowed(root: Node) -> bool:
    """Whether the vty lines still take SSH logins (``transport input`` with ssh or all; IOS's
    default when absent)."""
    vtys = [n for n in root.children if n.text.startswith("line vty ")]
    for vty in vtys:
        transport = next((c.text.split()[2:] for c in vty.children
                          if c.text.startswith("transport input ")), ["ssh"])
        if "ssh" in transport or "all" in transport:
            return True
    return not vtys


# --- FortiOS ----------------------------------------------------------------------------------
def _global(tree: Any, name: str, default: str) -> str:
    node = tree.children.get("system global")
    values = node.attrs.get(name) if node is not None else None
    return values[0] if values else default


def _snapshot(device: FortinetDeviceView) -> dict[str, Any]:
    return {"tree": copy.deepcopy(device.tree), "conf_file_ver": device.conf_file_ver,
            "saved_by": device.saved_by}


def fortios_committed(device: FortinetDeviceView, previous: Any) -> bool:
    """A change was applied (``previous`` is the tree before it): True when it is saved now, as
    automatic mode (or leaving it) does; in revert mode the first unsaved change starts the timer."""
    old = _global(previous, "cfg-save", "automatic")
    new = _global(device.tree, "cfg-save", "automatic")
    if new == "automatic" or old == "automatic":
        _SAVED[device] = _snapshot(device)
        _TIMERS.pop(device, None)
        return True
    _SAVED.setdefault(device, {"tree": copy.deepcopy(previous), "conf_file_ver": device.conf_file_ver - 1,
                               "saved_by": device.saved_by})
    if new == "revert" and device not in _TIMERS:
        seconds = int(_global(device.tree, "cfg-revert-timeout", "600")) / time_scale()
        _arm(device, seconds, _Timer(time.monotonic() + seconds, _now_ios(),
                                     lambda: _fortios_reload(device)))
    return False


def fortios_execute(device: FortinetDeviceView, args: list[str]) -> str:
    """``execute cfg save`` / ``execute cfg reload``."""
    if args[:2] == ["cfg", "save"]:
        _TIMERS.pop(device, None)
        _SAVED[device] = _snapshot(device)
        device.persist()
        return ""
    if args[:2] == ["cfg", "reload"]:
        _TIMERS.pop(device, None)
        _fortios_reload(device)
        return "configs reloaded. system will reboot.\n"
    return "command parse error before '" + (args[0] if args else "") + "'\nCommand fail. Return code -61\n"


def _fortios_reload(device: FortinetDeviceView) -> None:
    """Back to the saved config (a real FortiGate reboots to do this)."""
    saved = _SAVED.get(device)
    if saved is None:
        return
    device.restore(copy.deepcopy(saved["tree"]), saved["conf_file_ver"], saved["saved_by"])
