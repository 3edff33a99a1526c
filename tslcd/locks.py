"""Exclusive advisory locks on files: one run, one writer, one push per device at a time.

The kernel releases an ``flock`` when its process dies, however it dies (SIGKILL included), so a
lock file left behind by a killed process is recognised as free the moment the next one takes it:
no pid guessing, no age threshold. The file names its holder (pid, what, since when) so a refused
caller can say who is in the way. Locks are per open file: two threads of one process exclude
each other too.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _read(fd: int) -> dict:
    size = os.fstat(fd).st_size
    raw = os.pread(fd, size, 0) if size else b""
    try:
        found = json.loads(raw) if raw.strip() else {}
    except ValueError:
        found = None
    return found if isinstance(found, dict) else {"pid": raw[:32].decode(errors="replace").strip()}


@contextmanager
def exclusive(path: Path, what: str, busy: Callable[[dict], Exception]) -> Iterator[dict]:
    """Hold ``path`` for the block or raise ``busy(holder)`` at once; yields the stale record.

    The yielded dict is empty when the lock was released cleanly, and otherwise tells which dead
    process left it behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy(_read(fd)) from None
        stale = _read(fd)
        record = {"pid": os.getpid(), "command": what, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        try:
            yield stale
        finally:
            os.ftruncate(fd, 0)  # released cleanly: the next holder finds no stale record
    finally:
        os.close(fd)
