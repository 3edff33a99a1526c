"""The lab's SSH server: one asyncio process, one listener per device address, all on one port.

Everything heavy is shared: one host key, one set of connection options, one server factory. A
listener costs a socket; a device's model is created on its first login. Which device a
connection is for follows from the listener it arrived on and travels as the connection's
``lab_device`` extra info (the shell and the SFTP server read it from there).
"""

from __future__ import annotations

import asyncio
import errno
import functools
import hmac
import logging
import socket
from collections.abc import Callable, Iterable
from typing import Any

import asyncssh

from tslcd.errors import InputError
from tslcd.inventory.credentials import Credentials
from tslcd.lab.devices import LabDevice, check_loopback
from tslcd.lab.faults import FaultTable
from tslcd.lab.models.confirm import tick
from tslcd.lab.session import ShellSession
from tslcd.lab.sftp import FlashSFTPServer

log = logging.getLogger(__name__)


class LabBindError(InputError):
    """A device address could not be bound (port in use, privileged port, ...)."""


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class _LabSSHServer(asyncssh.SSHServer):
    """Per-connection server object: password authentication against the lab credentials."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.lab.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lab.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        device: LabDevice = self.conn.get_extra_info("lab_device")
        if self.lab.faults.active(device.name, "auth-fail"):
            return False
        tick(device.model)  # a revert timer that ran out fires before anyone logs in
        if not device.model.ssh_allowed():
            return False
        creds = self.lab.credentials
        return _same(username, creds.username) & _same(password, creds.password)


class _SlowBanner(asyncio.Protocol):
    """Holds a new connection back for ``delay`` seconds before the SSH server sees it.

    The SSH identification string is the server's first word, so the client waits for it exactly
    as for a slow real device; its own banner stays unread in the socket meanwhile.
    """

    def __init__(self, factory: Callable[[], asyncio.Protocol], delay: float) -> None:
        self._factory = factory
        self._delay = delay
        self._inner: asyncio.Protocol | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.pause_reading()  # type: ignore[attr-defined]
        self._timer = asyncio.get_running_loop().call_later(self._delay, self._start, transport)

    def _start(self, transport: asyncio.Transport) -> None:
        self._inner = self._factory()
        self._inner.connection_made(transport)
        transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)  # type: ignore[union-attr]

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner else None

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer:
            self._timer.cancel()
        if self._inner:
            self._inner.connection_lost(exc)


def _bind(address: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = {errno.EADDRINUSE: " (something already listens there: another lab, or sshd?)",
                errno.EACCES: " (ports below 1024 need root or CAP_NET_BIND_SERVICE; set lab.port)"}
        raise LabBindError(f"cannot listen on {address}:{port}: {exc.strerror}"
                           f"{hint.get(exc.errno, '')}") from None
    sock.setblocking(False)
    return sock


class Lab:
    """Serves ``devices`` over SSH on ``port``, each on its own 127.x address."""

    def __init__(self, devices: Iterable[LabDevice], *, port: int, host_key: asyncssh.SSHKey,
                 credentials: Credentials,
                 faults: dict[str, dict[str, float | None]] | None = None) -> None:
        self.devices = {d.name: d for d in devices}
        check_loopback(self.devices.values())
        self.port = port
        self.credentials = credentials
        self.faults = FaultTable()
        for name, kinds in (faults or {}).items():
            for kind, value in kinds.items():
                self.faults.set(name, kind, value)
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self._servers: dict[str, asyncio.Server] = {}
        self._options = asyncssh.SSHServerConnectionOptions(
            server_factory=functools.partial(_LabSSHServer, self),
            server_host_keys=[host_key],
            process_factory=self._shell,
            sftp_factory=FlashSFTPServer,
            allow_scp=True,
            line_editor=False,
            encoding="utf-8",
            login_timeout=120,
            agent_forwarding=False,
            x11_forwarding=False,
        )

    async def start(self) -> None:
        """Open every device's listener (all or none: a bind failure closes those opened)."""
        try:
            for device in self.devices.values():
                await self._sync_listener(device)
        except BaseException:
            await self.stop()
            raise
        log.info("lab serving %d devices on port %d", len(self.devices), self.port)

    async def stop(self) -> None:
        """Close every listener and every open connection."""
        servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.close()
        connections = list(self.connections)
        for conn in connections:
            conn.close()
        for server in servers:
            await server.wait_closed()
        if connections:
            await asyncio.wait([asyncio.ensure_future(c.wait_closed()) for c in connections],
                               timeout=5)

    def device(self, name: str) -> LabDevice:
        """A served device by name; an unknown name is an input error."""
        try:
            return self.devices[name]
        except KeyError:
            raise InputError(f"the lab serves no device named {name!r}") from None

    async def set_fault(self, name: str, kind: str, value: float | str | None = None) -> float | None:
        """Activate a fault on a device now; returns the value stored (the kind's default if none)."""
        device = self.device(name)
        stored = self.faults.set(name, kind, value)
        log.info("%s: fault %s%s", name, kind, "" if stored is None else f" {stored}")
        await self._sync_listener(device)
        return stored

    async def clear_faults(self, name: str, kind: str | None = None) -> None:
        """Clear one fault kind, or all faults, of a device."""
        device = self.device(name)
        self.faults.clear(name, kind)
        log.info("%s: cleared %s", name, kind or "all faults")
        await self._sync_listener(device)

    def status(self) -> list[dict[str, Any]]:
        """Each device's name, platform, address, port, faults and whether it listens."""
        return [{"name": d.name, "platform": d.platform, "address": d.address, "port": self.port,
                 "faults": self.faults.of(d.name), "listening": d.name in self._servers}
                for d in self.devices.values()]

    async def _sync_listener(self, device: LabDevice) -> None:
        """Listen unless the device refuses connections; stop listening when it does."""
        refusing = self.faults.active(device.name, "refuse")
        server = self._servers.get(device.name)
        if refusing and server:
            del self._servers[device.name]
            server.close()
        elif not refusing and server is None:
            loop = asyncio.get_running_loop()
            sock = _bind(device.address, self.port)
            self._servers[device.name] = await loop.create_server(
                functools.partial(self._protocol, device), sock=sock)

    def _protocol(self, device: LabDevice) -> asyncio.Protocol:
        def connection() -> asyncssh.SSHServerConnection:
            conn = asyncssh.SSHServerConnection(asyncio.get_running_loop(), self._options)
            conn.set_extra_info(lab_device=device)
            return conn

        if self.faults.active(device.name, "slow-banner"):
            return _SlowBanner(connection, self.faults.get(device.name, "slow-banner") or 0)
        return connection()

    async def _shell(self, process: asyncssh.SSHServerProcess) -> None:
        device: LabDevice = process.get_extra_info("lab_device")
        await ShellSession(process, device, self.faults, self.credentials.secret or "").run()
