"""One run at a time: an flock-held lock file that names its holder.

The kernel releases an flock when its process dies, however it dies (SIGKILL included), so a lock
file left behind by a killed run is recognised as stale the moment the next run takes it: no pid
guessing, no age threshold, no race between two runs starting together.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tslcd.errors import TslcdError


class AlreadyRunning(TslcdError):
    """Another tslcd run holds the lock; exit code 3 tells a scheduler to simply skip this one."""

    exit_code = 3

    def __init__(self, path: Path, holder: dict) -> None:
        started = holder.get("started", "?")
        super().__init__(
            f"already running: pid {holder.get('pid', '?')} ({holder.get('command', '?')}, "
            f"started {started}) holds {path}"
        )
        self.holder = holder


@dataclass
class LockInfo:
    """What the lock file said when we took it (a stale holder is reported, then replaced)."""

    stale_holder: dict | None


class RunLock:
    """Context manager: ``with RunLock(path, "backup"): ...`` or raise AlreadyRunning."""

    def __init__(self, path: Path, command: str) -> None:
        self.path = path
        self.command = command
        self._fd: int | None = None
        self.info = LockInfo(stale_holder=None)

    def acquire(self) -> LockInfo:
        """Take the lock without waiting; raise AlreadyRunning naming the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise AlreadyRunning(self.path, holder) from None
        previous = _read(fd)
        self.info = LockInfo(stale_holder=previous or None)
        record = {"pid": os.getpid(), "command": self.command,
                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self.info

    def release(self) -> None:
        """Empty the file (nobody holds it) and drop the flock."""
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _read(fd: int) -> dict:
    size = os.fstat(fd).st_size
    raw = os.pread(fd, size, 0) if size else b""
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {"pid": "?", "command": raw[:80].decode(errors="replace")}
