"""VRP V8's configuration trial run: ``commit trial N`` applies a candidate and rolls it back by
itself after N seconds unless ``commit`` confirms it; ``abort trial`` rolls back at once.

The timer runs at the lab's time scale; it fires on the lab's event loop when one runs, and in
any case before the device answers anything (`tick`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tslcd.lab.models.base import real_seconds

#: Accepted ``commit trial`` durations (seconds), from Huawei's command reference.
TRIAL_RANGE = (60, 65535)
DEFAULT_TRIAL = 600


@dataclass
class Trial:
    """A pending trial: when it ends and what rolling back does."""

    deadline: float  # time.monotonic()
    rollback: Callable[[], None]


_TRIALS: weakref.WeakKeyDictionary[Any, Trial] = weakref.WeakKeyDictionary()


def start(device: Any, seconds: int, rollback: Callable[[], None]) -> None:
    """Arm the device's trial timer (a second trial keeps the first one's rollback point)."""
    wait = real_seconds(seconds)
    previous = _TRIALS.get(device)
    _TRIALS[device] = Trial(time.monotonic() + wait, previous.rollback if previous else rollback)
    with contextlib.suppress(RuntimeError):  # offline model: fires on the next command instead
        asyncio.get_running_loop().call_later(wait + 0.01, tick, device)


def pending(device: Any) -> bool:
    """Whether a trial is running."""
    tick(device)
    return device in _TRIALS


def confirm(device: Any) -> bool:
    """``commit`` during a trial: keep the configuration; False when no trial was running."""
    return _TRIALS.pop(device, None) is not None


def abort(device: Any) -> bool:
    """``abort trial``: roll back now; False when no trial was running."""
    trial = _TRIALS.pop(device, None)
    if trial is None:
        return False
    trial.rollback()
    return True


def tick(device: Any) -> None:
    """Roll back a trial whose time is up."""
    trial = _TRIALS.get(device)
    if trial is not None and time.monotonic() >= trial.deadline:
        del _TRIALS[device]
        trial.rollback()
