"""Bounded device sessions: a per-device deadline and a cancel that cuts sessions in flight.

A `SessionWatch` follows the hosts a run is contacting. A watchdog thread cuts a host's session
when its deadline passes (whatever the retries) or at once when the operator cancels: from the
watchdog's thread it closes the SSH transports running on the sockets the session was opened on,
and the sockets, so a worker blocked on a hung device (even inside Netmiko's login, before any
connection object exists) returns within a fraction of a second. The worker then reports why
its session was cut (`timeout` or `cancelled`), never retried.

Sessions find the watch of their host through the worker thread (`current`): tasks need no
extra parameter, and a session opened outside a watched run behaves as before.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from tslcd.tasks.failures import ErrorClass, HostFailure

TICK = 0.1  # seconds between two looks of the watchdog: a cancel is acted on this fast
CANCELLED_IN_FLIGHT = "cancelled by the operator while the device was being contacted"


@dataclass
class _InFlight:
    started: float
    sockets: list[socket.socket] = field(default_factory=list)
    cut: HostFailure | None = None


class SessionWatch:
    """The in-flight sessions of one run, their deadline, and the means to cut them."""

    def __init__(self, deadline: float | None = None, stop: threading.Event | None = None) -> None:
        self.deadline = deadline
        self.stop = stop or threading.Event()
        self._lock = threading.Lock()
        self._hosts: dict[str, _InFlight] = {}
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the run's side ----------------------------------------------------------------------
    def __enter__(self) -> SessionWatch:
        _running.add(self)
        self._thread = threading.Thread(target=self._watch, name="tslcd-session-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _running.discard(self)
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _after_fork(self) -> None:
        """In a forked worker process: a lock of its own, no host yet, and its own watchdog
        (threads are not inherited), so deadlines and cancel hold there too."""
        self._lock = threading.Lock()
        self._hosts = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="tslcd-session-watch", daemon=True)
        self._thread.start()

    def pending(self) -> dict[str, float]:
        """Hosts being contacted now and for how many seconds (the progress display's list)."""
        now = time.monotonic()
        with self._lock:
            return {name: now - f.started for name, f in self._hosts.items()}

    def _watch(self) -> None:
        while not self._done.wait(TICK):
            if self.stop.is_set():
                self._cut_all(HostFailure(ErrorClass.CANCELLED, CANCELLED_IN_FLIGHT))
            elif self.deadline is not None:
                for name, seconds in self.pending().items():
                    if seconds >= self.deadline:
                        self._cut(name, deadline_failure(self.deadline))

    def _cut_all(self, failure: HostFailure) -> None:
        with self._lock:
            names = list(self._hosts)
        for name in names:
            self._cut(name, failure)

    def _cut(self, name: str, failure: HostFailure) -> None:
        with self._lock:
            flight = self._hosts.get(name)
            if flight is None or flight.cut is not None:
                return
            flight.cut = failure
            sockets = list(flight.sockets)
        for sock in sockets:
            _cut_socket(sock)

    # -- the worker's side -------------------------------------------------------------------
    @contextmanager
    def session(self, name: str) -> Iterator[None]:
        """Watch host ``name`` while the block runs in this worker thread (all its attempts)."""
        with self._lock:
            self._hosts[name] = _InFlight(time.monotonic())
        _local.watch = self
        try:
            yield
        finally:
            _local.watch = None
            with self._lock:
                flight = self._hosts.pop(name, None)
            for sock in flight.sockets if flight else ():
                _close_socket(sock)

    def cut_reason(self, name: str) -> HostFailure | None:
        """Why the watch cut ``name``'s session (None: it did not)."""
        with self._lock:
            flight = self._hosts.get(name)
            return flight.cut if flight else None

    def remaining(self, name: str) -> float | None:
        """Seconds left before ``name``'s deadline (None: no deadline)."""
        if self.deadline is None:
            return None
        with self._lock:
            flight = self._hosts.get(name)
            started = flight.started if flight else time.monotonic()
        return self.deadline - (time.monotonic() - started)

    def open_socket(self, name: str, address: str, port: int, timeout: float) -> socket.socket:
        """A TCP connection to the device that the watch can close from its own thread."""
        with self._lock:
            flight = self._hosts.get(name)
            if flight is not None and flight.cut is not None:
                raise flight.cut
        sock = socket.create_connection((address, port), timeout=timeout)
        with self._lock:
            flight = self._hosts.get(name)
            if flight is None:
                return sock
            flight.sockets.append(sock)
            cut = flight.cut
        if cut is not None:  # cut while connecting: do not hand out a socket the watch missed
            _close_socket(sock)
            raise cut
        return sock


_local = threading.local()
_running: weakref.WeakSet[SessionWatch] = weakref.WeakSet()


def _restart_after_fork() -> None:
    for watch in list(_running):
        watch._after_fork()


os.register_at_fork(after_in_child=_restart_after_fork)


def current() -> SessionWatch | None:
    """The watch of the session this worker thread is running, if any."""
    return getattr(_local, "watch", None)


def deadline_failure(seconds: float) -> HostFailure:
    """The failure of a device whose whole session outlived the deadline."""
    return HostFailure(ErrorClass.TIMEOUT,
                       f"no complete answer within the {seconds:g} s per-device deadline "
                       "(timeouts.deadline)")


def _cut_socket(sock: socket.socket) -> None:
    """End the SSH sessions running on ``sock``, and close it.

    Netmiko reads in a loop that only asks whether data is ready, until its read timeout; a
    closed channel never is. Each channel of the transport is therefore made to report "ready",
    so Netmiko's next read meets the end of the stream and raises at once.
    """
    import paramiko  # loaded already: a session was opened on this socket

    for thread in threading.enumerate():
        if isinstance(thread, paramiko.Transport) and thread.sock is sock:
            channels = list(thread._channels.values())
            for channel in channels:
                channel.recv_ready = _ready
            thread.close()
    _close_socket(sock)


def _ready() -> bool:
    return True


def _close_socket(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def watched_extras(host: Any, connection: str) -> dict[str, Any] | None:
    """Connection extras opening ``connection`` on a socket the watch can close (None: no watch,
    the host's own extras apply)."""
    watch = current()
    if watch is None:
        return None
    params = host.get_connection_parameters(connection)
    extras = dict(params.extras or {})
    options = dict(extras.get("optional_args") or {})
    timeout = float(extras.get("conn_timeout") or options.get("conn_timeout") or 15)
    sock = watch.open_socket(host.name, params.hostname, int(params.port or 22), timeout)
    if connection == "napalm":  # the driver hands its optional_args to its Netmiko session
        extras["optional_args"] = {**options, "sock": sock}
    else:
        extras["sock"] = sock
    return extras


def release_socket(connection: Any) -> None:
    """Forget the given socket once connected, so a second connection (NAPALM's SCP transfer, a
    reconnect) opens its own instead of reusing the first session's."""
    netmiko = getattr(connection, "device", connection)
    if hasattr(netmiko, "sock"):
        netmiko.sock = None
    extra = getattr(connection, "netmiko_optional_args", None)
    if isinstance(extra, dict):
        extra.pop("sock", None)
