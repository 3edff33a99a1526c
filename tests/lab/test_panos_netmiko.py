"""The lab PAN-OS firewall through the real Netmiko driver (``paloalto_panos``): session set-up,
set-format listing, candidate and commit, validation at commit, revert."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConfigInvalidException, ConnectHandler

pytestmark = pytest.mark.lab

PA = "sxd-fw1"
ERRORS = r"Invalid syntax\.|Unknown command: |Validation Error:|Commit failed"


def test_panos_session_listing_commit_and_errors(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(PA)) as conn:
        assert conn.find_prompt() == f"{fresh_lab.credentials.username}@{PA}>"
        assert conn.send_command("set cli config-output-format set") == ""
        running = conn.send_command("show config running")
        assert running.startswith(f"set deviceconfig system hostname {PA}")
        assert "set address LAN-SXD description \"Mạng LAN Sở Xây dựng - Thành phố Long Xuyên\"" in running
        new = ["set address MAY-IN-TANG-2 ip-netmask 10.10.11.50/32",
               'set address MAY-IN-TANG-2 description "Máy in tầng 2"']
        conn.send_config_set(new, error_pattern=ERRORS)
        assert conn.check_config_mode() is False
        assert "MAY-IN-TANG-2" not in conn.send_command("show config running")
        assert "+set address MAY-IN-TANG-2 ip-netmask 10.10.11.50/32" in conn.send_command("show config diff")
        out = conn.commit()
        assert "Configuration committed successfully" in out
        running = conn.send_command("show config running")
        assert "set address MAY-IN-TANG-2 ip-netmask 10.10.11.50/32" in running
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(["set address X ip-netmask 10.10.11.256/32"], error_pattern=ERRORS)
        conn.exit_config_mode()
        conn.send_config_set(["set rulebase security rules SAI from khong-co-zone"], error_pattern=ERRORS)
        with pytest.raises(ValueError, match="not a valid reference"):
            conn.commit()
        conn.send_config_set(["revert config"], error_pattern=ERRORS)
        assert conn.send_command("show config diff").strip() == ""
        assert conn.find_prompt() == f"{fresh_lab.credentials.username}@{PA}>"
