"""What every end-to-end listener test does: a free port, `listen` in a thread, a bounded wait."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tslcd.config import Config
from tslcd.services.listen import Handled, listen


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listener_config(config: Config, port: int, webhook_url: str | None = None) -> Config:
    """``config`` listening on ``port`` with a short debounce (and a webhook receiver, if given)."""
    changes: dict = {"listener": dataclasses.replace(config.listener, port=port, debounce=0.5)}
    if webhook_url is not None:
        changes["notifications"] = dataclasses.replace(
            config.notifications,
            webhook=dataclasses.replace(config.notifications.webhook, enabled=True, url=webhook_url))
    return dataclasses.replace(config, **changes)


@contextmanager
def running_listener(config: Config) -> Iterator[list[Handled]]:
    """`tslcd listen --lab` in a thread, ready before the body runs; yields what it handled."""
    handled: list[Handled] = []
    stop, ready = threading.Event(), threading.Event()
    server = threading.Thread(target=listen, args=(config, stop),
                              kwargs={"lab": True, "on_handled": handled.append,
                                      "on_ready": lambda *_: ready.set()})
    server.start()
    try:
        assert ready.wait(10), "the listener did not start within 10 s"
        yield handled
    finally:
        stop.set()
        server.join(10)


def wait_for(handled: list[Handled], seconds: float = 10) -> None:
    """Wait until the listener handled something (the issue's bound: a backup within 10 s)."""
    deadline = time.monotonic() + seconds
    while not handled and time.monotonic() < deadline:
        time.sleep(0.1)
    assert handled, f"no backup within {seconds:g} s of the change"
