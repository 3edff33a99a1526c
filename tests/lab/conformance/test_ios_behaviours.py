"""IOS session behaviours over real SSH: paging until ``terminal length 0``, exec-timeout."""

from __future__ import annotations

import time

import paramiko
import pytest
from conftest import RunningLab

from tslcd.lab.models.base import TIME_SCALE_ENV

pytestmark = pytest.mark.lab

ROUTER = "stttt-r1"


def _shell(lab: RunningLab) -> tuple[paramiko.SSHClient, paramiko.Channel]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(lab.addresses[ROUTER], port=lab.port, username=lab.credentials.username,
                   password=lab.credentials.password, look_for_keys=False, allow_agent=False,
                   timeout=10)
    channel = client.invoke_shell(width=511)
    channel.settimeout(5)
    return client, channel


def _until(channel: paramiko.Channel, marker: bytes, timeout: float = 5) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data:
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} not seen; got {data[-300:]!r}")
        data += channel.recv(65536)
    return data


@pytest.fixture
def router_lab(lab_factory) -> RunningLab:
    return lab_factory(filters=[f"name={ROUTER}"])


def test_output_pages_until_terminal_length_0(router_lab: RunningLab) -> None:
    client, channel = _shell(router_lab)
    try:
        _until(channel, b">")
        channel.send(b"show interfaces\r")
        first = _until(channel, b"--More--")
        assert first.count(b"\r\n") == 24  # the echoed line, then 23 lines of output
        channel.send(b" ")
        _until(channel, b"--More--")
        channel.send(b"q")
        _until(channel, f"{ROUTER}>".encode())
        channel.send(b"terminal length 0\rshow interfaces\r")
        rest = b""
        while rest.count(f"\r\n{ROUTER}>".encode()) < 2:
            rest += _until(channel, f"\r\n{ROUTER}>".encode())
        assert b"--More--" not in rest and rest.count(b"5 minute output rate") > 2
    finally:
        client.close()


def test_exec_timeout_ends_an_idle_login(router_lab: RunningLab, monkeypatch) -> None:
    # line vty 0 4 has "exec-timeout 10 0": 600 lab seconds, 0.3 real seconds at this scale
    monkeypatch.setenv(TIME_SCALE_ENV, "2000")
    client, channel = _shell(router_lab)
    try:
        _until(channel, b">")
        channel.send(b"show clock\r")
        _until(channel, b"UTC")
        deadline = time.monotonic() + 5
        while not channel.exit_status_ready() and time.monotonic() < deadline:
            if channel.recv_ready():
                channel.recv(65536)
            time.sleep(0.05)
        assert channel.exit_status_ready()
    finally:
        client.close()
