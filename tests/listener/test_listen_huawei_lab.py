"""A lab Huawei AR router with an `info-center loghost` reports a configuration change as
``HWCM/4/CFGCHANGE`` naming the user; `listen` backs it up, authored by that user."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tests.listener.harness import free_udp_port, listener_config, running_listener, wait_for
from tslcd.services.backup import run_backup

pytestmark = pytest.mark.lab
HOST = "ubnd-pt-r1"


def test_a_change_on_a_huawei_router_is_backed_up_with_its_author(fresh_lab: RunningLab) -> None:
    port = free_udp_port()
    config = listener_config(fresh_lab.config, port)
    assert run_backup(config, [HOST], lab=True).commit is not None
    with running_listener(config) as handled:
        with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:
            conn.send_config_set([f"info-center loghost 127.0.0.1 port {port}",
                                  "ntp-service unicast-server 10.9.9.9"])
        wait_for(handled)
    event = handled[-1]
    assert (event.host, event.user) == (HOST, fresh_lab.credentials.username) and event.commit
    assert any("ntp-service unicast-server 10.9.9.9" in line for line in event.lines)
