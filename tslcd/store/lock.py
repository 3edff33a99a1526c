"""One writer at a time in the data folder.

Holding it is what makes recovery safe: any git lock file or "running" record found while the
lock is held was left by a process that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.errors import TslcdError
from tslcd.locks import exclusive


class StoreBusyError(TslcdError):
    """Another tslcd process is writing to the same data folder."""

    exit_code = 1


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock file ``path`` for the block, or fail at once if another holds it."""
    def busy(holder: dict) -> StoreBusyError:
        return StoreBusyError(f"another tslcd run (pid {holder.get('pid', '?')}) is writing to "
                              f"{path.parent}; wait for it to finish")

    with exclusive(path, "backup store writer", busy):
        yield
