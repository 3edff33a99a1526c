"""The lab SRX through the real Netmiko ``juniper_junos`` driver: login, read, commit confirmed."""

from __future__ import annotations

import pytest
from conftest import RunningLab
from netmiko import ConnectHandler

pytestmark = pytest.mark.lab

SRX = "sgtvt-fw1"


def test_login_read_and_prompts(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
        user = fresh_lab.credentials.username
        assert conn.find_prompt() == f"{user}@{SRX}>"
        config = conn.send_command("show configuration | display set")
        assert config.startswith("set version ") and f"set system host-name {SRX}" in config
        assert "set security policies from-zone trust to-zone untrust policy LAN-LGSP then permit" in config
        assert "Model: srx1500" in conn.send_command("show version")
        assert "unknown command." in conn.send_command("shw version")


def test_commit_confirmed_then_commit(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
        conn.send_config_set(["set system login message \"Thu nghiem\""], exit_config_mode=False)
        out = conn.commit(confirm=True, confirm_delay=5)
        assert "commit confirmed will be automatically rolled back in 5 minutes" in out
        assert conn.check_config_mode()
        assert "commit complete" in conn.commit()
        conn.exit_config_mode()
        assert conn.find_prompt().endswith(">")
        history = conn.send_command("show system commit")
        assert history.splitlines()[1].endswith("commit confirmed, rollback in 5mins")
        assert "Thu nghiem" in conn.send_command("show configuration system login | display set")


def test_uncommitted_exit_and_syntax_error(fresh_lab: RunningLab) -> None:
    with ConnectHandler(**fresh_lab.netmiko_args(SRX)) as conn:
        out = conn.send_config_set(["set system domain-name khac.gov.vn"])
        assert "Exit with uncommitted changes" in out
        assert conn.find_prompt().endswith(">")
        assert "khac.gov.vn" not in conn.send_command("show configuration | display set")
        conn.config_mode()
        assert "domain-name khac.gov.vn" in conn.send_command("show | compare")
        conn.send_command("rollback 0", expect_string=r"#")
        conn.exit_config_mode()
        out = conn.send_config_set(["set systemzz x"])
        assert "syntax error." in out
