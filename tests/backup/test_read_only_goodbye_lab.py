"""Read-only sessions end without probing for config mode, and keep the driver's own restoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler
from nornir.core.inventory import Host

from tslcd.services.backup import run_backup
from tslcd.tasks.sessions import close_all


@dataclass
class _Netmiko:
    """What `close_all` sees of a Netmiko session: a cleanup like Netmiko's own."""

    calls: list[str] = field(default_factory=list)

    def check_config_mode(self, *args: Any, **kwargs: Any) -> bool:
        self.calls.append("probe config mode")
        return False

    def cleanup(self, command: str = "exit") -> None:
        if self.check_config_mode():
            self.calls.append("leave config mode")
        self.calls.append(command)


@dataclass
class _Plugin:
    connection: Any

    def close(self) -> None:
        self.connection.cleanup()


@dataclass
class _Napalm:
    """A NAPALM driver: its Netmiko session is ``device``."""

    device: _Netmiko

    def cleanup(self) -> None:
        self.device.cleanup()


@pytest.mark.parametrize("read_only, expected", [(True, ["exit"]), (False, ["probe config mode", "exit"])])
def test_goodbye_of_a_read_only_session(read_only: bool, expected: list[str]) -> None:
    netmiko, behind_napalm = _Netmiko(), _Netmiko()
    host = Host("r1")
    host.connections["netmiko"] = _Plugin(netmiko)  # type: ignore[assignment]
    host.connections["napalm"] = _Plugin(_Napalm(behind_napalm))  # type: ignore[assignment]
    close_all(host, read_only=read_only)
    assert netmiko.calls == expected and behind_napalm.calls == expected
    assert not host.connections


@pytest.mark.lab
def test_fortigate_paging_is_restored_after_a_backup(fresh_lab: RunningLab) -> None:
    """Netmiko turns FortiOS paging off for its session and back on at goodbye: a read-only
    goodbye must keep that, or every backup would leave `set output standard` on the device."""
    host = next(h for h, p in fresh_lab.platforms.items() if p == "fortinet")
    with ConnectHandler(**fresh_lab.netmiko_args(host)) as conn:
        for line in ("config system console", "set output more", "end"):
            conn.send_command_timing(line)
    device = fresh_lab.lab.devices[host].model
    assert "set output more" in device.running_config()
    report = run_backup(fresh_lab.config, [f"name={host}"], lab=True)
    assert not report.failed
    assert "set output more" in device.running_config()
