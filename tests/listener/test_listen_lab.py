"""End to end over 127.0.0.1: a lab router with a `logging host` sends its config-change message
when a user leaves config mode; `listen` backs it up within 10 s, the commit authored by that
user, and the notice says who changed what."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

from tests.listener.harness import free_udp_port, listener_config, running_listener, wait_for
from tests.schedule.receivers import http_receiver
from tslcd.services.backup import run_backup
from tslcd.services.listen import ChangeListener

pytestmark = pytest.mark.lab
HOST = "stttt-r1"


def test_a_change_on_a_lab_router_is_backed_up_with_its_author(fresh_lab: RunningLab) -> None:
    port = free_udp_port()
    with http_receiver() as (url, received):
        config = listener_config(fresh_lab.config, port, url)
        assert run_backup(config, [HOST], lab=True).commit is not None  # the device as it was
        with running_listener(config) as handled:
            with ConnectHandler(**fresh_lab.netmiko_args(HOST)) as conn:
                conn.enable()
                conn.send_config_set([f"logging host 127.0.0.1 transport udp port {port}",
                                      "ntp server 10.9.9.9"])
            wait_for(handled)
    [event] = handled
    user = fresh_lab.credentials.username
    assert (event.host, event.user) == (HOST, user) and event.commit is not None
    assert "+ntp server 10.9.9.9" in event.lines
    repo = fresh_lab.data_dir / "backups"
    author = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%an|%B"],
                            capture_output=True, text=True, check=True).stdout
    assert author.startswith(f"{user}|") and f"reported by {HOST} (syslog)" in author
    [notice] = received[0]["json"]["notices"]
    assert notice["host"] == HOST and f"{user} changed {HOST}" in notice["summary"]
    assert "+ntp server 10.9.9.9" in notice["details"]


def test_messages_from_unknown_senders_and_other_messages_are_ignored(fresh_lab: RunningLab) -> None:
    listener = ChangeListener(fresh_lab.config, lab=True)
    address = fresh_lab.addresses[HOST]
    listener.message("127.99.99.99", "<189>%SYS-5-CONFIG_I: Configured from console by eve on vty0")
    listener.message(address, "<189>%LINK-3-UPDOWN: Interface Gi0/1, changed state to up")
    assert listener._pending == {}
    listener.message(address, "<189>%SYS-5-CONFIG_I: Configured from console by bob on vty0")
    listener.message(address, "<189>%SYS-5-CONFIG_I: Configured from console by bob on vty0")
    assert list(listener._pending) == [HOST]  # debounced: one pending backup per device


def test_the_bind_address_must_be_allowed(fresh_lab: RunningLab) -> None:
    from tslcd.errors import InputError
    from tslcd.services.listen import check_bind_address

    config = dataclasses.replace(fresh_lab.config,
                                 listener=dataclasses.replace(fresh_lab.config.listener, address="0.0.0.0"))
    with pytest.raises(InputError, match=r"outside safety\.allowed_networks"):
        check_bind_address(config)
