"""The lab VRP devices through the real Netmiko drivers (``huawei``, ``huawei_vrpv8``)."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConfigInvalidException, ConnectHandler

pytestmark = pytest.mark.lab

AR, USG, NE = "ubnd-pt-r1", "ubnd-ct-fw1", "ubnd-ts-r1"
ERROR = r"Error: "


def test_ar_backup_push_save_and_error(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(AR)) as conn:
        assert conn.find_prompt() == f"<{AR}>"
        running = conn.send_command("display current-configuration")
        assert running.startswith("!Software Version V300R019") and running.rstrip().endswith("return")
        assert f"sysname {AR}" in running and "acl number 3000" in running
        conn.send_config_set(["interface GigabitEthernet0/0/2", "description Phong hop", "quit",
                              "acl number 3000", "rule 20 permit tcp destination-port eq 443"],
                             error_pattern=ERROR)
        assert conn.find_prompt() == f"<{AR}>"
        after = conn.send_command("display current-configuration interface GigabitEthernet0/0/2")
        full = conn.send_command("display current-configuration")
        assert "description Phong hop" in full and " rule 20 permit tcp destination-port eq 443" in full
        assert after  # VRP prints something for every display
        assert "description Phong hop" not in conn.send_command("display saved-configuration")
        assert "successfully" in conn.save_config()
        assert "description Phong hop" in conn.send_command("display saved-configuration")
        with pytest.raises(ConfigInvalidException) as error:
            conn.send_config_set(["interface GigabitEthernet0/0/2", "ip address 10.1.1.300 255.255.255.0"],
                                 error_pattern=ERROR)
        assert "10.1.1.300" in str(error.value)
        conn.exit_config_mode()
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(["sysnme X"], error_pattern=ERROR)
        conn.exit_config_mode()
        assert conn.find_prompt() == f"<{AR}>"


def test_usg_security_policy(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(USG)) as conn:
        running = conn.send_command("display current-configuration")
        assert "security-policy" in running and "firewall zone trust" in running
        conn.send_config_set(["security-policy", "rule name TEST-HTTPS", "source-zone trust",
                              "destination-zone untrust", "service HTTPS", "action permit"],
                             error_pattern=ERROR)
        policy = conn.send_command("display current-configuration | begin security-policy")
        assert " rule name TEST-HTTPS\n  source-zone trust" in policy


def test_ne_two_stage_commit(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(NE)) as conn:
        assert conn.find_prompt() == f"<{NE}>"
        conn.send_config_set(["interface LoopBack0", "description Quan tri", "ip address 10.255.0.1 32"],
                             error_pattern=ERROR)
        assert conn.find_prompt() == f"[*{NE}-LoopBack0]"
        assert "+interface LoopBack0" in conn.send_command("display configuration candidate changes")
        assert "LoopBack0" not in conn.send_command("display current-configuration")
        conn.commit()
        assert conn.find_prompt() == f"<{NE}>"
        assert "interface LoopBack0" in conn.send_command("display current-configuration")
        assert "1000000001" in conn.send_command("display configuration commit list")
        assert "successfully" in conn.save_config()
        version = conn.send_command("display version")
        assert "NE40E-M2K V800R012" in version
