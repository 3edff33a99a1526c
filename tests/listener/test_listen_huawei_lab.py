"""A lab Huawei AR router with an `info-center loghost` reports a configuration change as
``HWCM/4/CFGCHANGE`` naming the user; `listen` backs it up, authored by that user."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tslcd.services.backup import run_backup
from tslcd.services.listen import Handled, listen

pytestmark = pytest.mark.lab
HOST = "ubnd-pt-r1"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_change_on_a_huawei_router_is_backed_up_with_its_author(fresh_lab: RunningLab) -> None:
    port = _free_udp_port()
    config = dataclasses.replace(
        fresh_lab.config, listener=dataclasses.replace(fresh_lab.config.listener, port=port, debounce=0.5))
    assert run_backup(config, [HOST], lab=True).commit is not None
    handled: list[Handled] = []
    stop, ready = threading.Event(), threading.Event()
    server = threading.Thread(target=listen, args=(config, stop),
                              kwargs={"lab": True, "on_handled": handled.append,
                                      "on_ready": lambda *_: ready.set()})
    server.start()
    try:
        assert ready.wait(10)
        with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:
            conn.send_config_set([f"info-center loghost 127.0.0.1 port {port}",
                                  "ntp-service unicast-server 10.9.9.9"])
            changed_at = time.monotonic()
        while not handled and time.monotonic() - changed_at < 10:
            time.sleep(0.1)
    finally:
        stop.set()
        server.join(10)
    assert handled, "no backup within 10 s of the change"
    event = handled[-1]
    assert (event.host, event.user) == (HOST, fresh_lab.credentials.username) and event.commit
    assert any("ntp-service unicast-server 10.9.9.9" in line for line in event.lines)
