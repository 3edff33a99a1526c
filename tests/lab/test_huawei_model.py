"""The lab VRP models without SSH: views and prompts, VRP's refusals with the caret under the bad
word, undo, save and its question, the saved config across a restart, V8's candidate, commit
trial and its rollback, and the HWCM/4/CFGCHANGE message to a loghost."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tslcd.lab.models import base
from tslcd.lab.models.huawei import HuaweiDevice, HuaweiV8Device
from tslcd.lab.models.huawei_session import HuaweiSession
from tslcd.listener.messages import parse

HOST = {"name": "ubnd-pt-r1", "hostname": "127.0.0.1", "platform": "huawei", "agency_code": "UBND-PT",
        "role": "router", "lan_prefix": "10.11.6.0/24", "wan_prefix": "10.254.1.168/30",
        "circuit_id": "TSLCD-AGG-0106", "bandwidth_mbps": 50}


def _cli(device: HuaweiDevice) -> HuaweiSession:
    cli = device.new_session("netops", "")
    assert isinstance(cli, HuaweiSession)
    return cli


def test_views_prompts_and_errors_with_the_caret_under_the_bad_word() -> None:
    cli = _cli(HuaweiDevice("ubnd-pt-r1", HOST))
    assert cli.prompt() == "<ubnd-pt-r1>" and cli.page_length
    cli.handle("screen-length 0 temporary")
    assert cli.page_length == 0
    assert cli.handle("system-view") == "Enter system view, return user view with Ctrl+Z."
    cli.handle("interface gigabitethernet 0/0/2")
    assert cli.prompt() == "[ubnd-pt-r1-GigabitEthernet0/0/2]"
    prompt = cli.prompt()
    answer = cli.handle("ip address 10.1.1.300 255.255.255.0")
    wrong = "Error: Wrong parameter found at '^' position."
    assert answer == " " * (len(prompt) + len("ip address ")) + "^\n" + wrong
    assert cli.handle("sysnme X").endswith("Error: Unrecognized command found at '^' position.")
    assert cli.handle("ip address").endswith("Error: Incomplete command found at '^' position.")
    cli.handle("description Phong hop")
    cli.handle("acl number 3001")  # a system-view command leaves the interface view
    assert cli.prompt() == "[ubnd-pt-r1-acl-adv-3001]"
    cli.handle("rule permit tcp destination-port eq 443")
    cli.handle("rule permit tcp destination-port eq 22")
    cli.handle("quit")
    cli.handle("undo info-center loghost 10.0.10.6")
    cli.handle("return")
    running = cli.device.running_config()
    assert "interface GigabitEthernet0/0/2\n description Phong hop\n shutdown" in running
    assert "acl number 3001\n rule 5 permit tcp destination-port eq 443\n rule 10 permit tcp" in running
    assert "info-center loghost" not in running
    assert cli.handle("display current-configuration interface GigabitEthernet0/0/2") == \
        "#\ninterface GigabitEthernet0/0/2\n description Phong hop\n shutdown\n#\nreturn"
    cli.handle("system-view")
    assert cli.handle("interface GigabitEthernet0/0/9").endswith(wrong)  # no such port on an AR


def test_save_asks_and_the_saved_config_survives_a_restart(tmp_path: Path) -> None:
    device = HuaweiDevice("ubnd-pt-r1", HOST, tmp_path)
    cli = _cli(device)
    cli.handle("system-view")
    cli.handle("sysname AR-MOI")
    assert cli.prompt() == "[AR-MOI]"
    cli.handle("return")
    assert cli.handle("save") == "The current configuration will be written to the device."
    assert cli.prompt() == "Are you sure to continue?[Y/N]"
    assert "successfully" in cli.handle("y")
    restarted = HuaweiDevice("ubnd-pt-r1", HOST, tmp_path)
    assert restarted.hostname == "AR-MOI"
    assert "sysname AR-MOI" in _cli(restarted).handle("display saved-configuration")


def test_v8_candidate_commit_and_leaving_with_uncommitted_lines() -> None:
    device = HuaweiV8Device("ubnd-ts-r1", {**HOST, "name": "ubnd-ts-r1"})
    cli = _cli(device)
    cli.handle("system-view")
    assert cli.prompt() == "[~ubnd-ts-r1]"
    cli.handle("interface LoopBack0")
    cli.handle("ip address 10.255.0.1 32")
    assert cli.prompt() == "[*ubnd-ts-r1-LoopBack0]"
    assert "LoopBack0" not in device.running_config()
    assert "+interface LoopBack0" in cli.handle("display configuration candidate changes")
    cli.handle("commit")
    assert "interface LoopBack0" in device.running_config() and cli.prompt() == "[~ubnd-ts-r1-LoopBack0]"
    cli.handle("description Loopback quan tri")
    cli.handle("return")
    assert "Uncommitted configurations found" in cli.prompt()
    cli.handle("n")
    assert cli.prompt() == "<ubnd-ts-r1>" and "Loopback quan tri" not in device.running_config()
    assert "1000000001" in cli.handle("display configuration commit list")
    assert cli.handle("rollback configuration to commit-id 1000000001").startswith("Info:")
    assert "LoopBack0" not in device.running_config()


def test_v8_unconfirmed_trial_rolls_back_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(base.TIME_SCALE_ENV, "600")
    device = HuaweiV8Device("ubnd-ts-r1", {**HOST, "name": "ubnd-ts-r1"})
    cli = _cli(device)
    cli.handle("system-view")
    cli.handle("sysname TRIAL")
    assert "not confirmed in 60 seconds" in cli.handle("commit trial 60")
    assert device.hostname == "TRIAL"
    time.sleep(0.2)
    assert cli.prompt() == "[~ubnd-ts-r1]"
    assert "updated at" in device.running_config() and "by SYSTEM" in device.running_config()


def test_a_change_tells_the_loghost_who_made_it() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        port = receiver.getsockname()[1]
        cli = _cli(HuaweiDevice("ubnd-pt-r1", HOST))
        cli.handle("system-view")
        cli.handle(f"info-center loghost 127.0.0.1 port {port}")
        message = receiver.recv(4096).decode()
    assert "%%01HWCM/4/CFGCHANGE" in message
    change = parse(message)
    assert change is not None and change.user == "netops"


def test_a_change_can_lock_ssh_out() -> None:
    device = HuaweiDevice("ubnd-pt-r1", HOST)
    assert device.ssh_allowed()
    cli = _cli(device)
    cli.handle("system-view")
    cli.handle("user-interface vty 0 4")
    cli.handle("protocol inbound telnet")
    assert not device.ssh_allowed()
    cli.handle("protocol inbound all")
    assert device.ssh_allowed()
    cli.handle("undo stelnet server enable")
    assert not device.ssh_allowed()
