"""Each lab fault, as real clients (Netmiko, Paramiko) experience it, and its clean recovery."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import paramiko
import pytest
from conftest import RunningLab, ToyDevice
from netmiko import (
    ConfigInvalidException,
    ConnectHandler,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)

from tslcd.errors import InputError
from tslcd.lab.faults import FAULT_KINDS, FaultTable, check_fault
from tslcd.lab.topology import load_topology

pytestmark = pytest.mark.lab


@pytest.fixture
def toy(toy_lab: RunningLab) -> RunningLab:
    """The toy lab, with every fault a test set cleared afterwards."""
    yield toy_lab
    toy_lab.clear_all()


def _transport(lab: RunningLab, host: str, banner_timeout: float = 5) -> paramiko.Transport:
    transport = paramiko.Transport((lab.addresses[host], lab.port))
    transport.banner_timeout = banner_timeout
    return transport


def _login_shell(lab: RunningLab, host: str) -> tuple[paramiko.Transport, paramiko.Channel]:
    transport = _transport(lab, host)
    transport.connect(username=lab.credentials.username, password=lab.credentials.password)
    channel = transport.open_session()
    channel.get_pty(width=511)
    channel.invoke_shell()
    channel.settimeout(1)
    return transport, channel


def _netmiko_works(lab: RunningLab, host: str) -> None:
    with ConnectHandler(**lab.netmiko_args(host)) as conn:
        conn.enable()
        assert f"hostname {host}" in conn.send_command("show running-config")


def test_latency_delays_every_answer(toy: RunningLab) -> None:
    with ConnectHandler(**toy.netmiko_args("stttt-r1")) as conn:
        conn.enable()
        toy.fault("stttt-r1", "latency", 0.4)
        began = time.perf_counter()
        assert "hostname stttt-r1" in conn.send_command("show running-config", expect_string="#")
        assert time.perf_counter() - began >= 0.4
        with pytest.raises(ReadTimeout):
            conn.send_command("show running-config", expect_string="#", read_timeout=0.2)
        toy.clear("stttt-r1")


def test_auth_fail_refuses_new_logins_only(toy: RunningLab) -> None:
    with ConnectHandler(**toy.netmiko_args("stc-r1")) as open_session:
        toy.fault("stc-r1", "auth-fail")
        with pytest.raises(NetmikoAuthenticationException):
            ConnectHandler(**toy.netmiko_args("stc-r1"))
        transport = _transport(toy, "stc-r1")
        with pytest.raises(paramiko.AuthenticationException):
            transport.connect(username=toy.credentials.username, password=toy.credentials.password)
        transport.close()
        assert open_session.find_prompt() == "stc-r1>"  # logged in before: still works
    toy.clear("stc-r1")
    _netmiko_works(toy, "stc-r1")


def test_refuse_closes_the_port_until_cleared(toy: RunningLab) -> None:
    with ConnectHandler(**toy.netmiko_args("skhdt-r1")) as open_session:
        toy.fault("skhdt-r1", "refuse")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((toy.addresses["skhdt-r1"], toy.port), timeout=2).close()
        with pytest.raises(NetmikoTimeoutException, match="TCP connection to device failed"):
            ConnectHandler(**toy.netmiko_args("skhdt-r1"))
        assert open_session.find_prompt() == "skhdt-r1>"
    toy.clear("skhdt-r1", "refuse")
    _netmiko_works(toy, "skhdt-r1")


def test_drop_cuts_the_session_mid_output(toy: RunningLab) -> None:
    transport, channel = _login_shell(toy, "syt-r1")
    try:
        channel.send(b"enable\n")
        time.sleep(0.2)
        channel.send(toy.credentials.secret.encode() + b"\n")
        time.sleep(0.2)
        channel.recv(65536)
        toy.fault("syt-r1", "drop")
        channel.send(b"show running-config\n")
        received = b""
        while chunk := channel.recv(65536):  # b"" is EOF: the device went away
            received += chunk
        assert b"hostname syt-r1" in received
        assert not received.rstrip().endswith(b"end")  # cut before the end of the output
        time.sleep(0.2)
        assert not transport.is_active()
    finally:
        transport.close()
    with ConnectHandler(**toy.netmiko_args("syt-r1")) as conn:
        conn.enable()
        with pytest.raises(ReadTimeout):
            conn.send_command("show running-config", read_timeout=1)
        assert not conn.is_alive()
    toy.clear("syt-r1")
    _netmiko_works(toy, "syt-r1")


def test_hang_gives_no_prompt(toy: RunningLab) -> None:
    with ConnectHandler(**toy.netmiko_args("vpubnd-r1")) as open_session:
        toy.fault("vpubnd-r1", "hang")
        with pytest.raises(ReadTimeout):  # (netmiko's own echo and prompt searches wait longer)
            open_session.send_command("show running-config", expect_string="#", read_timeout=1,
                                      cmd_verify=False)
        transport, channel = _login_shell(toy, "vpubnd-r1")
        try:
            channel.send(b"\n")
            with pytest.raises(TimeoutError):
                channel.recv(65536)  # no banner, no echo, no prompt
        finally:
            transport.close()
        toy.clear("vpubnd-r1")
    _netmiko_works(toy, "vpubnd-r1")


def test_hang_at_login_times_netmiko_out(toy: RunningLab) -> None:
    toy.fault("snv-r1", "hang")
    began = time.perf_counter()
    with pytest.raises(ReadTimeout):
        ConnectHandler(**toy.netmiko_args("snv-r1", read_timeout_override=1))
    assert time.perf_counter() - began < 15


def test_reject_after_n_configuration_lines(toy: RunningLab) -> None:
    toy.fault("stp-r1", "reject-after", 2)
    lines = ["ntp server 10.0.10.5", "logging host 10.0.10.6", "snmp-server location X", "ip domain name x"]
    with ConnectHandler(**toy.netmiko_args("stp-r1")) as conn:
        conn.enable()
        with pytest.raises(ConfigInvalidException, match="snmp-server location X"):
            conn.send_config_set(lines, error_pattern=r"% Invalid input")
        conn.send_command("end", expect_string=r"#")
        config = conn.send_command("show running-config")
    assert "ntp server 10.0.10.5\nlogging host 10.0.10.6\nend" in config
    assert "snmp-server" not in config


def test_slow_banner(toy: RunningLab) -> None:
    toy.fault("sct-r1", "slow-banner", 1.5)
    with pytest.raises(NetmikoTimeoutException):
        ConnectHandler(**toy.netmiko_args("sct-r1", banner_timeout=0.5))
    transport = _transport(toy, "sct-r1", banner_timeout=0.5)
    with pytest.raises(paramiko.SSHException, match="Error reading SSH protocol banner"):
        transport.start_client(timeout=5)
    transport.close()
    began = time.perf_counter()
    with ConnectHandler(**toy.netmiko_args("sct-r1", banner_timeout=5)) as conn:
        assert conn.find_prompt() == "sct-r1>"
    assert time.perf_counter() - began >= 1.5


def test_topology_faults_are_active_from_start(lab_factory, tmp_path: Path) -> None:
    topology = tmp_path / "topology.yaml"
    topology.write_text("hosts:\n  stc-r1: {faults: {refuse: null}}\n"
                        "  stc-fw1: {problems: [no-logging], faults: {latency: 0.25}}\n")
    running = lab_factory(topology=topology, model_for=lambda _p: ToyDevice)
    status = {d["name"]: d for d in running.lab.status()}
    assert status["stc-r1"]["faults"] == {"refuse": None}
    assert not status["stc-r1"]["listening"]
    assert status["stc-fw1"]["faults"] == {"latency": 0.25}
    assert running.lab.devices["stc-fw1"].problems == ("no-logging",)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((running.addresses["stc-r1"], running.port), timeout=2).close()


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("bogus", None, "unknown fault kind 'bogus'"),
    ("hang", "3", "takes no value"),
    ("latency", "soon", "needs a number"),
    ("latency", "-1", "needs a number >= 0"),
    ("reject-after", "2.5", "needs a whole number"),
])
def test_bad_faults_are_input_errors(kind: str, value: str | None, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_fault(kind, value)


def test_fault_values_and_defaults() -> None:
    table = FaultTable()
    assert table.set("a", "latency") == FAULT_KINDS["latency"].default
    assert table.set("a", "slow-banner", 1) == 1.0  # 1 is a number here, not True
    assert table.set("a", "reject-after", "4") == 4
    assert table.set("a", "hang", True) is None
    table.clear("a", "hang")
    assert table.of("a") == {"latency": 2.0, "slow-banner": 1.0, "reject-after": 4}
    table.clear("a")
    assert table.of("a") == {}


def test_topology_errors_name_file_and_host(tmp_path: Path) -> None:
    path = tmp_path / "topology.yaml"
    path.write_text("hosts:\n  ghost-r1: {}\n  stc-r1: {problems: [no-such], faults: {latency: x}}\n")
    with pytest.raises(InputError) as caught:
        load_topology(path, ["stc-r1"])
    text = str(caught.value)
    assert "host 'ghost-r1': not in the inventory" in text
    assert "host 'stc-r1': unknown problem 'no-such'" in text
    assert "fault 'latency' needs a number" in text
