"""Device sessions as the platform registry says to open them: NAPALM where a driver exists,
Netmiko otherwise. Connections are Nornir's (its connection plugins and options)."""

from __future__ import annotations

import re
from typing import Any

from netmiko.channel import SSHChannel
from netmiko.exceptions import ReadException, ReadTimeout
from netmiko.netmiko_globals import MAX_BUFFER
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.task import Task

from tslcd.platforms import Platform, get_platform
from tslcd.tasks.failures import ErrorClass, HostFailure
from tslcd.tasks.watch import release_socket, watched_extras
from tslcd.textsafe import incremental_decoder


def register_connection_plugins() -> None:
    """Make Nornir's napalm/netmiko connection plugins known (idempotent; a Nornir built without
    InitNornir has an empty plugin register)."""
    ConnectionPluginRegister.auto_register()


class VisibleBytesChannel(SSHChannel):
    """Netmiko's SSH channel, except that device bytes which are not UTF-8 stay visible as ``\\xff``
    escapes (Netmiko drops them) and a character split between two reads is joined, not lost."""

    def __init__(self, conn: Any, encoding: str) -> None:
        super().__init__(conn, encoding)
        self._decoder = incremental_decoder()

    def read_buffer(self) -> str:
        """One read of what the device has sent, decoded."""
        if self.remote_conn is None:
            raise ReadException("Attempt to read, but there is no active channel.")
        if not self.remote_conn.recv_ready():
            return ""
        data = self.remote_conn.recv(MAX_BUFFER)
        if not data:
            raise ReadException("Channel stream closed by remote device.")
        return str(self._decoder.decode(data))


def _visible_bytes(netmiko_conn: Any) -> Any:
    """Give an open Netmiko connection the `VisibleBytesChannel` (once)."""
    channel = getattr(netmiko_conn, "channel", None)
    if type(channel) is SSHChannel:
        netmiko_conn.channel = VisibleBytesChannel(channel.remote_conn, channel.encoding)
    return netmiko_conn


def napalm_device(task: Task, platform: Platform) -> Any:
    """The host's open NAPALM driver (the inventory's platform is the Netmiko name, so the
    driver name comes from the registry)."""
    device = _open(task, "napalm", platform=platform.napalm_driver)
    _visible_bytes(getattr(device, "device", None))
    return device


def netmiko_session(task: Task) -> Any:
    """The host's open Netmiko session (a new one gets the platform's session commands first)."""
    fresh = "netmiko" not in task.host.connections
    conn = _visible_bytes(_open(task, "netmiko"))
    if fresh and task.host.platform:
        for command in get_platform(task.host.platform).session_commands:
            check_output(str(conn.send_command(command)), get_platform(task.host.platform), command)
    return conn


def _open(task: Task, name: str, **params: Any) -> Any:
    """The host's open ``name`` connection; in a watched run, on a socket the watch can cut."""
    host = task.host
    if name not in host.connections:
        host.open_connection(name, task.nornir.config, extras=watched_extras(host, name), **params)
        release_socket(host.connections[name].connection)
    return host.connections[name].connection


def _closed(netmiko_conn: Any) -> bool:
    channel = getattr(netmiko_conn, "remote_conn", None)
    return channel is not None and bool(channel.closed or channel.eof_received)


def check_output(output: str, platform: Platform, command: str) -> str:
    """Raise COMMAND_REJECTED when the device answered ``command`` with its error text."""
    if re.search(platform.error_pattern, output, flags=re.MULTILINE):
        raise HostFailure(ErrorClass.COMMAND_REJECTED, f"the device rejected `{command}`")
    return output


def run_show(task: Task, platform: Platform, command: str) -> str:
    """Run one show command over Netmiko and return its output (rejections raised)."""
    conn = netmiko_session(task)
    try:
        output = conn.send_command(command)
    except ReadTimeout:
        if _closed(conn):
            raise HostFailure(ErrorClass.DISCONNECTED,
                              f"the device closed the session during `{command}`") from None
        raise
    return check_output(output, platform, command)


def fetch_running_config(task: Task, platform: Platform) -> str:
    """The running configuration as the device prints it (raw: secrets still in it)."""
    if platform.napalm_driver is None:
        return run_show(task, platform, platform.config_command)
    device = napalm_device(task, platform)
    try:
        output = device.get_config(retrieve="running")["running"]
    except ReadTimeout:
        if _closed(device.device):
            raise HostFailure(ErrorClass.DISCONNECTED,
                              f"the device closed the session during `{platform.config_command}`") from None
        raise
    return check_output(output, platform, platform.config_command)


def close_all(host: Host, *, read_only: bool = False) -> None:
    """Close every connection of ``host``; a connection that dies while closing is just dropped.

    ``read_only`` (the session only ran show commands): Netmiko's goodbye skips its probe for
    config mode, which costs a round trip and, on VRP and PAN-OS, two seconds waiting for the
    device to stay silent; a session that never entered config mode need not ask. The rest of the
    goodbye stays: the driver's own restoring (FortiOS paging) and the exit command.
    """
    for name in list(host.connections):
        if read_only:
            _known_not_in_config_mode(host.connections[name].connection)
        try:
            host.close_connection(name)
        except Exception:  # the session is gone either way
            host.connections.pop(name, None)


def _not_in_config_mode(*args: Any, **kwargs: Any) -> bool:
    """Netmiko's ``check_config_mode`` for a session that only ran show commands."""
    return False


def _known_not_in_config_mode(connection: Any) -> None:
    netmiko_conn = getattr(connection, "device", connection)  # NAPALM drivers hold it as .device
    if hasattr(netmiko_conn, "check_config_mode"):
        netmiko_conn.check_config_mode = _not_in_config_mode
