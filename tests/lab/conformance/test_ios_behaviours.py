"""IOS behaviours: paging, exec-timeout, ``?`` and Ctrl-Z over SSH; strict input with IOS's texts,
unknown-but-valid lines kept, ``reload`` confirmation, pipes and ``write memory`` on the model."""

from __future__ import annotations

import time

import pytest
from conftest import RunningLab

from tests.lab.conformance import fidelity_ios
from tests.lab.test_server import _read_until as read_until
from tests.lab.test_server import _shell as shell
from tslcd.lab.models.base import TIME_SCALE_ENV
from tslcd.lab.models.ios_session import IosCliSession

pytestmark = pytest.mark.lab

ROUTER = "stttt-r1"


@pytest.fixture
def router_lab(lab_factory) -> RunningLab:
    return lab_factory(filters=[f"name={ROUTER}"])


def test_output_pages_until_terminal_length_0(router_lab: RunningLab) -> None:
    client, channel = shell(router_lab, ROUTER)
    try:
        read_until(channel, b">")
        channel.send(b"show interfaces\r")
        first = read_until(channel, b"--More--")
        assert first.count(b"\r\n") == 24  # the echoed line, then 23 lines of output
        channel.send(b" ")
        read_until(channel, b"--More--")
        channel.send(b"q")
        read_until(channel, f"{ROUTER}>".encode())
        channel.send(b"terminal length 0\rshow interfaces\r")
        rest = b""
        while rest.count(f"\r\n{ROUTER}>".encode()) < 2:
            rest += read_until(channel, f"\r\n{ROUTER}>".encode())
        assert b"--More--" not in rest and rest.count(b"5 minute output rate") > 2
    finally:
        client.close()


def test_exec_timeout_ends_an_idle_login(router_lab: RunningLab, monkeypatch) -> None:
    # line vty 0 4 has "exec-timeout 10 0": 600 lab seconds, one real second at this scale
    monkeypatch.setenv(TIME_SCALE_ENV, "600")
    client, channel = shell(router_lab, ROUTER)
    try:
        read_until(channel, b">")
        started = time.monotonic()
        while not channel.exit_status_ready() and time.monotonic() < started + 10:
            if channel.recv_ready():
                channel.recv(65536)
            time.sleep(0.05)
        assert channel.exit_status_ready() and time.monotonic() - started > 0.5
    finally:
        client.close()


def test_help_and_ctrl_z_over_ssh(router_lab: RunningLab) -> None:
    client, channel = shell(router_lab, ROUTER)
    try:
        read_until(channel, b">")
        channel.send(b"show ip ?")
        out = read_until(channel, f"{ROUTER}>show ip ".encode())
        assert b"  route" in out and b"  interface" in out
        channel.send(b"\x03")  # Ctrl-C drops the half-typed line
        read_until(channel, f"{ROUTER}>".encode())
        channel.send(b"enable\r")
        read_until(channel, b"Password: ")
        channel.send(router_lab.credentials.secret.encode() + b"\r")
        read_until(channel, f"{ROUTER}#".encode())
        channel.send(b"configure terminal\rinterface Loopback5\r")
        read_until(channel, b"(config-if)#")
        channel.send(b"\x1a")
        assert read_until(channel, f"^Z\r\n{ROUTER}#".encode())
    finally:
        client.close()


# --- the model without SSH --------------------------------------------------------------------

def _session() -> IosCliSession:
    session = fidelity_ios.lab_session(fidelity_ios.ROUTER)
    session.handle("terminal length 0")
    return session


def test_strict_input_with_ios_texts() -> None:
    s = _session()
    s.handle("configure terminal")
    assert "% Invalid input detected" in s.handle("interface GigabitEthernet0/0/9")
    assert s.prompt().endswith("(config)#")
    s.handle("interface GigabitEthernet0/0/2")
    assert s.handle("ip address 10.9.9.0 255.255.255.0") == "% Bad mask /24 for address 10.9.9.0\n"
    assert s.handle("ip address 10.9.9.1 255.0.255.0").startswith("Bad mask 0xFF00FF00")
    assert s.handle("ip address 10.9.9.1") == "% Incomplete command.\n"
    s.handle("exit")
    assert "% Invalid input" in s.handle("line vty 0 4") + s.handle("exec-timeout 99999 0")
    s.handle("exit")
    assert s.handle("ip route 10.1.1.1 255.255.255.0 10.254.0.6") == "% Inconsistent address and mask\n"
    s.handle("router bgp 65010")
    s.handle("exit")
    assert s.handle("router bgp 65011") == "% BGP is already running; AS is 65010\n"
    s.handle("end")
    running = s.handle("show running-config")
    assert "10.9.9." not in running and "router bgp 65011" not in running
    assert "GigabitEthernet0/0/9" not in s.handle("show ip interface brief")


def test_unknown_but_valid_lines_are_kept_verbatim() -> None:
    s = _session()
    s.handle("configure terminal")
    for line in ("ip community-list expanded AS1 permit _1:", "crypto pki trustpoint TP-self-signed-1",
                 " enrollment selfsigned", " revocation-check none", "no ipv6 cef"):
        assert s.handle(line) == "", line
    assert "% Invalid input" in s.handle("ip comunity-list expanded AS1 permit _1:")
    assert "% Invalid input" in s.handle("hostnamq r1")
    s.handle("end")
    running = s.handle("show running-config")
    assert ("ip community-list expanded AS1 permit _1:" in running
            and "crypto pki trustpoint TP-self-signed-1\n enrollment selfsigned\n revocation-check none"
            in running and "\nno ipv6 cef\n" in running and "comunity" not in running)
    assert " 60 deny   ip any any log" in running  # IOS-XE pads deny in access lists


def test_reload_asks_and_reloads_only_when_confirmed() -> None:
    s = _session()
    s.handle("configure terminal")
    s.handle("hostname unsaved")
    s.handle("end")
    assert s.handle("reload") == ""
    assert s.prompt() == "System configuration has been modified. Save? [yes/no]: "
    s.handle("no")
    assert s.prompt() == "Proceed with reload? [confirm]"
    s.handle("n")  # refused: nothing happens
    assert s.prompt() == "unsaved#" and not s.closed
    s.handle("reload")
    s.handle("no")
    s.handle("")  # confirmed: the device boots its saved configuration
    assert s.closed and s.device.hostname == "stttt-r1"


def test_pipes_and_write_memory() -> None:
    s = _session()
    assert s.handle("show running-config | include ^hostname") == "hostname stttt-r1\n"
    section = s.handle("show running-config | section line vty")
    assert section.startswith("line vty 0 4\n") and " exec-timeout 10 0" in section
    assert s.handle("show running-config | begin ^end") == "end\n"
    assert s.handle("write memory") == "Building configuration...\n[OK]\n"


def test_verbatim_sections_merge_once_and_nest_by_indentation() -> None:
    s = _session()
    device = s.device
    assert device.flash_dir is not None
    (device.flash_dir / "pki.txt").write_text(
        "crypto pki certificate chain TP1\n certificate self-signed 01\n  30820330 30820218\n"
        "  \tquit\nip community-list expanded AS1 permit _1:\nend\n", encoding="utf-8")
    first = s.handle("show archive config incremental-diffs flash:pki.txt ignorecase")
    assert "crypto pki certificate chain TP1\n certificate self-signed 01\n  30820330 30820218\n" in first
    s.handle("configure terminal")
    s.handle("file prompt quiet")
    s.handle("end")
    s.handle("copy flash:pki.txt running-config")
    assert "  \tquit\n" in s.handle("show running-config | section crypto pki")
    again = s.handle("show archive config incremental-diffs flash:pki.txt ignorecase")
    assert again == "!List of Commands:\nend\n!No changes were found\n"
