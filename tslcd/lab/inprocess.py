"""Runs a lab on its own event loop in a background thread: for tests and benchmarks.

The caller's thread stays free for blocking clients (Netmiko, NAPALM, Paramiko) while the lab
answers them; calls into the lab are passed to its loop so its state is only touched there.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tslcd.lab.server import Lab

T = TypeVar("T")


class LabThread:
    """A started lab in a daemon thread; `stop` closes every listener and connection."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="tslcd-lab", daemon=True)

    def start(self, timeout: float = 30) -> LabThread:
        """Start the loop and the lab's listeners; raises what `Lab.start` raised."""
        self._thread.start()
        try:
            self.call(self.lab.start, timeout=timeout)
        except BaseException:
            self._halt()
            raise
        return self

    def call(self, func: Callable[..., Awaitable[T]], *args: Any, timeout: float = 30) -> T:
        """Run ``await func(*args)`` on the lab's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(func(*args), self.loop).result(timeout)

    def stop(self) -> None:
        """Stop the lab and its thread (a second call does nothing)."""
        if self.loop.is_closed():
            return
        try:
            self.call(self.lab.stop)
        finally:
            self._halt()

    def _halt(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
