"""One push at a time per device, across processes: a lock file per host (see tslcd.locks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.errors import TslcdError
from tslcd.locks import exclusive

LOCK_DIR = "locks/devices"


class DeviceBusyError(TslcdError):
    """Another push (or rollback) is working on this device right now."""

    exit_code = 1


def lock_path(data_dir: Path, host: str) -> Path:
    """The lock file of one device."""
    return data_dir / LOCK_DIR / (re.sub(r"[^\w.-]+", "-", host) + ".lock")


@contextmanager
def device_lock(data_dir: Path, host: str) -> Iterator[None]:
    """Hold the device's lock for the block; fail at once (naming the holder) if another has it."""
    def busy(holder: dict) -> DeviceBusyError:
        return DeviceBusyError(f"{host} is being changed by another push (pid {holder.get('pid', '?')})")

    with exclusive(lock_path(data_dir, host), f"push {host}", busy):
        yield
