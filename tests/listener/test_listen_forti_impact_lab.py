"""End to end over 127.0.0.1: a user opens RDP from anywhere on a lab FortiGate over SSH; the
FortiGate's syslog (event 0100044547, ``user=``) reaches `listen`, which backs the device up and
sends an out-of-band notice naming the user and the newly permitted flow."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tests.listener.test_listen_lab import _free_udp_port
from tests.schedule.receivers import http_receiver
from tslcd.services.backup import run_backup
from tslcd.services.listen import Handled, listen

pytestmark = pytest.mark.lab
HOST = "skhcn-fw1"  # LAN 10.10.16.0/24 behind "lan"; policy 9 denies the rest from wan1
RDP_FIRST = ["config firewall policy", "edit 99", 'set name "RDP-TAM"', 'set srcintf "wan1"',
             'set dstintf "lan"', "set action accept", 'set srcaddr "all"', 'set dstaddr "LAN-SKHCN"',
             'set schedule "always"', 'set service "RDP"', "next", "move 99 before 1", "end"]


def test_an_out_of_band_fortigate_policy_change_is_named_with_its_flow_and_user(
        fresh_lab: RunningLab) -> None:
    port = _free_udp_port()
    with http_receiver() as (url, received):
        notifications = dataclasses.replace(
            fresh_lab.config.notifications,
            webhook=dataclasses.replace(fresh_lab.config.notifications.webhook, enabled=True, url=url))
        config = dataclasses.replace(
            fresh_lab.config, notifications=notifications,
            listener=dataclasses.replace(fresh_lab.config.listener, port=port, debounce=0.5))
        with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:  # the device logs to listen
            conn.send_config_set(["config log syslogd setting", "set status enable",
                                  'set server "127.0.0.1"', f"set port {port}", "end"])
        assert run_backup(config, [f"name={HOST}"], lab=True).commit is not None  # the device as it was
        handled: list[Handled] = []
        stop, ready = threading.Event(), threading.Event()
        server = threading.Thread(target=listen, args=(config, stop),
                                  kwargs={"lab": True, "on_handled": handled.append,
                                          "on_ready": lambda *_: ready.set()})
        server.start()
        try:
            assert ready.wait(10)
            with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:
                conn.send_config_set(RDP_FIRST)
                changed_at = time.monotonic()
            while not handled and time.monotonic() - changed_at < 10:
                time.sleep(0.1)
        finally:
            stop.set()
            server.join(10)
    assert handled, "no backup within 10 s of the change"
    [event] = handled
    user = fresh_lab.credentials.username
    flow = "now permits tcp any -> 10.10.16.0/24 port 3389 (wan1 -> lan)"
    assert (event.host, event.user) == (HOST, user) and event.commit is not None
    assert event.impact == (flow,)
    [notice] = received[0]["json"]["notices"]
    assert notice["host"] == HOST and notice["event"] == "out-of-band-change"
    assert notice["summary"].startswith(f"{user} changed {HOST} (Edit firewall.policy")
    assert notice["summary"].endswith(f"; {flow}")
    assert notice["details"][0] == flow
