"""The IOS lab model through the real drivers: NAPALM ``ios`` (SCP, archive, replace) and Netmiko.

Each test starts a lab of two IOS devices (an agency CPE router and the server-farm switch) on
127.x addresses with fresh state, so changes made here never leak into other tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from conftest import RunningLab
from napalm import get_network_driver
from napalm.base.exceptions import MergeConfigException
from netmiko import ConfigInvalidException, ConnectHandler

pytestmark = pytest.mark.lab

ROUTER, SWITCH = "stttt-r1", "ttdl-sf-sw1"
ERRORS = r"% Invalid|% Incomplete|% Ambiguous"
LOOPBACK = "interface Loopback99\n description Phòng họp trực tuyến\n ip address 10.99.99.1 255.255.255.255\n"


def body(config: str) -> list[str]:
    """Configuration lines from ``version`` on, without the line NAPALM toggles around commits."""
    lines = config.splitlines()
    return [x for x in lines[lines.index("version 17.6"):] if x != "file prompt quiet"]


@pytest.fixture
def ios_lab(lab_factory: Callable[..., RunningLab]) -> RunningLab:
    return lab_factory(filters=[f"name={ROUTER}|{SWITCH}"])


@contextmanager
def napalm_ios(lab: RunningLab, host: str) -> Iterator[Any]:
    args = lab.netmiko_args(host)
    driver = get_network_driver("ios")(
        args["host"], args["username"], args["password"], timeout=20,
        optional_args={"port": args["port"], "secret": args["secret"], "dest_file_system": "flash:"})
    driver.open()
    try:
        yield driver
    finally:
        driver.close()


def test_napalm_facts_and_config(ios_lab: RunningLab) -> None:
    with napalm_ios(ios_lab, ROUTER) as dev:
        facts = dev.get_facts()
        assert facts["hostname"] == ROUTER and facts["fqdn"] == f"{ROUTER}.tslcd.gov.vn"
        assert facts["vendor"] == "Cisco" and facts["model"] == "ISR4331/K9"
        assert facts["serial_number"].startswith("FDO") and "Version 17.6.5" in facts["os_version"]
        assert facts["uptime"] > 86_400
        assert {"Loopback0", "GigabitEthernet0/0/0", "GigabitEthernet0/0/1"} <= set(facts["interface_list"])
        config = dev.get_config()
        assert f"hostname {ROUTER}" in config["running"]
        assert "Sở Thông tin và Truyền thông" in config["running"]
        assert config["running"].endswith("end") and "version 17.6" in config["startup"]
        assert "Building configuration" not in config["running"]
        interfaces = dev.get_interfaces()
        assert interfaces["GigabitEthernet0/0/1"]["description"].startswith("LAN - Sở")
        assert interfaces["GigabitEthernet0/0/2"]["is_enabled"] is False


def test_napalm_merge_compare_commit_and_rollback(ios_lab: RunningLab) -> None:
    with napalm_ios(ios_lab, ROUTER) as dev:
        original = dev.get_config()["running"]
        dev.load_merge_candidate(config=LOOPBACK + "end\n")
        assert dev.compare_config() == ("+interface Loopback99\n+ description Phòng họp trực tuyến\n"
                                        "+ ip address 10.99.99.1 255.255.255.255")
        dev.commit_config()
        config = dev.get_config()
        assert LOOPBACK in config["running"] and LOOPBACK in config["startup"]  # committed and saved
        dev.load_merge_candidate(config=LOOPBACK)
        assert dev.compare_config() == ""  # already there: nothing to merge
        dev.rollback()
        config = dev.get_config()
        assert "Loopback99" not in config["running"] and "Loopback99" not in config["startup"]
        # NAPALM keeps "file prompt quiet" configured until it closes (as on a real router)
        assert body(config["running"]) == body(original)


def test_napalm_replace_discard_and_rollback(ios_lab: RunningLab) -> None:
    with napalm_ios(ios_lab, ROUTER) as dev:
        running = dev.get_config()["running"]
        candidate = running.replace("ntp server 10.250.0.2\n", "ntp server 10.250.0.3\n")
        dev.load_replace_candidate(config=candidate)
        assert dev.compare_config() == "+ntp server 10.250.0.3\n-ntp server 10.250.0.2"
        dev.discard_config()
        assert dev.compare_config() == ""
        dev.load_replace_candidate(config=candidate)
        dev.commit_config()
        assert "ntp server 10.250.0.3" in dev.get_config()["running"]
        assert "ntp server 10.250.0.2" not in dev.get_config()["startup"]
        dev.rollback()
        after = dev.get_config()["running"]
        assert "ntp server 10.250.0.2" in after and "ntp server 10.250.0.3" not in after


def test_napalm_merge_with_an_invalid_line_is_rolled_back(ios_lab: RunningLab) -> None:
    with napalm_ios(ios_lab, ROUTER) as dev:
        dev.load_merge_candidate(config="interface Loopback98\n ip adress 10.98.0.1 255.255.255.255\nend\n")
        with pytest.raises(MergeConfigException, match="Invalid input detected"):
            dev.commit_config()
        assert "Loopback98" not in dev.get_config()["running"]


def test_netmiko_show_push_and_errors(ios_lab: RunningLab) -> None:
    with ConnectHandler(**ios_lab.netmiko_args(ROUTER)) as conn:
        conn.enable()
        assert conn.find_prompt() == f"{ROUTER}#"
        running = conn.send_command("show running-config")
        assert running.startswith("Building configuration...") and running.rstrip().endswith("end")
        conn.send_config_set(LOOPBACK.splitlines(), error_pattern=ERRORS)
        assert conn.send_command("show running-config | section Loopback99") == LOOPBACK.rstrip("\n")
        with pytest.raises(ConfigInvalidException, match="ip adress"):
            conn.send_config_set(["interface Loopback98", "ip adress 10.98.0.1 255.255.255.255"],
                                 error_pattern=ERRORS)
        conn.exit_config_mode()
        conn.send_config_set(["banner motd ^", "Hệ thống đang bảo trì", "^"])
        assert conn.send_command("show running-config | section banner motd") == (
            "banner motd ^C\nHệ thống đang bảo trì\n^C")
        assert "[OK]" in conn.save_config()
        assert "Loopback99" in conn.send_command("show startup-config")


def test_netmiko_on_the_server_farm_switch(ios_lab: RunningLab) -> None:
    with ConnectHandler(**ios_lab.netmiko_args(SWITCH)) as conn:
        conn.enable()
        brief = conn.send_command("show ip interface brief")
        assert "Vlan100" in brief and "GigabitEthernet1/0/24" in brief
        assert "cisco C9300-24T" in conn.send_command("show version")
        vlan = conn.send_command("show running-config | section interface Vlan100")
        assert "Trung tâm Tích hợp dữ liệu tỉnh" in vlan
