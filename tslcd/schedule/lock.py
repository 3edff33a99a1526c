"""One unattended run at a time (see tslcd.locks): a second run is refused naming the first."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tslcd.errors import TslcdError
from tslcd.locks import exclusive


class AlreadyRunning(TslcdError):
    """Another tslcd run holds the lock; exit code 3 tells a scheduler to simply skip this one."""

    exit_code = 3

    def __init__(self, path: Path, holder: dict) -> None:
        super().__init__(
            f"already running: pid {holder.get('pid', '?')} ({holder.get('command', '?')}, "
            f"started {holder.get('started', '?')}) holds {path}"
        )
        self.holder = holder


class StoreHeld(TslcdError):
    """Another tslcd command (a backup, a push) holds the data folder this run needs: exit 3 too,
    so a scheduler skips this run instead of reporting a failure."""

    exit_code = 3


@dataclass
class LockInfo:
    """What the lock file said when we took it (a dead run's record, reported then replaced)."""

    stale_holder: dict | None


class RunLock:
    """Context manager: ``with RunLock(path, "run backup"): ...`` or raise AlreadyRunning."""

    def __init__(self, path: Path, command: str) -> None:
        self.path = path
        self.command = command
        self.info = LockInfo(stale_holder=None)
        self._stack = ExitStack()

    def acquire(self) -> LockInfo:
        """Take the lock without waiting; raise AlreadyRunning naming the holder's pid."""
        stale = self._stack.enter_context(
            exclusive(self.path, self.command, lambda holder: AlreadyRunning(self.path, holder)))
        self.info = LockInfo(stale_holder=stale or None)
        return self.info

    def release(self) -> None:
        """Let the next run in."""
        self._stack.close()

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
