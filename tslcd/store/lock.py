"""One writer at a time in the data folder: an advisory lock the kernel drops when a process dies.

Holding it is what makes recovery safe: any git lock file or "running" record found while the
lock is held was left by a process that no longer exists.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.errors import TslcdError


class StoreBusyError(TslcdError):
    """Another tslcd process is writing to the same data folder."""

    exit_code = 1


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock file ``path`` for the block, or fail at once if another holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise StoreBusyError(f"another tslcd run (pid {holder}) is writing to {path.parent}; "
                                 "wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
