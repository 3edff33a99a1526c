"""End to end over 127.0.0.1: a user opens RDP from anywhere on a lab FortiGate over SSH; the
FortiGate's syslog (event 0100044547, ``user=``) reaches `listen`, which backs the device up and
sends an out-of-band notice naming the user and the newly permitted flow."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tests.listener.harness import free_udp_port, listener_config, running_listener, wait_for
from tests.schedule.receivers import http_receiver
from tslcd.services.backup import run_backup

pytestmark = pytest.mark.lab
HOST = "skhcn-fw1"  # LAN 10.10.16.0/24 behind "lan"; policy 9 denies the rest from wan1
RDP_FIRST = ["config firewall policy", "edit 99", 'set name "RDP-TAM"', 'set srcintf "wan1"',
             'set dstintf "lan"', "set action accept", 'set srcaddr "all"', 'set dstaddr "LAN-SKHCN"',
             'set schedule "always"', 'set service "RDP"', "next", "move 99 before 1", "end"]


def test_an_out_of_band_fortigate_policy_change_is_named_with_its_flow_and_user(
        fresh_lab: RunningLab) -> None:
    port = free_udp_port()
    with http_receiver() as (url, received):
        config = listener_config(fresh_lab.config, port, url)
        with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:  # the device logs to listen
            conn.send_config_set(["config log syslogd setting", "set status enable",
                                  'set server "127.0.0.1"', f"set port {port}", "end"])
        assert run_backup(config, [f"name={HOST}"], lab=True).commit is not None  # the device as it was
        with running_listener(config) as handled:
            with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:
                conn.send_config_set(RDP_FIRST)
            wait_for(handled)
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
