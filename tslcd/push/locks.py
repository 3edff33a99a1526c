"""One push at a time per device, across processes: an advisory lock file per host.

The kernel drops a `flock` when its holder dies, so a killed push never leaves a device locked.
Locks are per open file, so two threads of one process exclude each other too.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.errors import TslcdError

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
    path = lock_path(data_dir, host)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise DeviceBusyError(f"{host} is being changed by another push (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
