"""The lab FortiGate and ASA through the real Netmiko drivers (``fortinet``, ``cisco_asa``)."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConfigInvalidException, ConnectHandler

pytestmark = pytest.mark.lab

FORTI, ASA = "skhdt-fw1", "stc-fw1"


def test_fortinet_backup_push_and_error(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(FORTI)) as conn:
        assert conn.find_prompt() == f"{FORTI} #"
        full = conn.send_command("show full-configuration")
        assert full.startswith("#config-version=FG100F-7.02.08-FW-build1639")
        assert "set schedule \"always\"" in full and "set logtraffic-start disable" in full
        assert "Sở Kế hoạch và Đầu tư" in full
        before = conn.send_command("show firewall address")
        conn.send_config_set(["config firewall address", 'edit "MAY-IN-TANG-2"',
                              "set subnet 10.10.3.50/32", 'set comment "Máy in tầng 2"', "next", "end"])
        after = conn.send_command("show firewall address")
        assert "MAY-IN-TANG-2" not in before
        assert 'edit "MAY-IN-TANG-2"' in after and "set subnet 10.10.3.50 255.255.255.255" in after
        with pytest.raises(ConfigInvalidException) as error:
            conn.send_config_set(["config firewall policy", "edit 1", "set srcaddr KHONG-CO", "end"],
                                 error_pattern=r"Command fail")
        assert "set srcaddr KHONG-CO" in str(error.value)
        assert conn.find_prompt() == f"{FORTI} (1) #"  # netmiko stops where the error came
        conn.send_command("abort", expect_string=rf"{FORTI} #")
        assert "KHONG-CO" not in conn.send_command("show firewall policy 1")


def test_asa_backup_push_save_and_error(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(ASA)) as conn:
        assert conn.find_prompt() == f"{ASA}#"
        running = conn.send_command("show running-config")
        assert running.startswith(": Saved") and running.rstrip().endswith(": end")
        assert f"hostname {ASA}" in running and "Sở Tài chính" in running
        entry = "extended permit tcp object LAN-STC object QLVB-SRV eq 8443 log"
        conn.send_config_set([f"access-list INSIDE_IN line 1 {entry}"])
        acl = conn.send_command("show running-config access-list INSIDE_IN").splitlines()
        assert acl[0] == f"access-list INSIDE_IN {entry}"
        assert entry not in conn.send_command("show startup-config")
        assert "[OK]" in conn.save_config()
        assert f"access-list INSIDE_IN {entry}" in conn.send_command("show startup-config")
        with pytest.raises(ConfigInvalidException) as error:
            conn.send_config_set(["access-list INSIDE_IN extended permit tcp object KHONG-CO any eq www"],
                                 error_pattern=r"ERROR: object \(KHONG-CO\) does not exist")
        assert "KHONG-CO" in str(error.value)
        conn.exit_config_mode()
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(["acess-list X"], error_pattern=r"Invalid input detected")
        conn.exit_config_mode()
        assert conn.find_prompt() == f"{ASA}#"
