"""The lab PAN-OS firewall model without SSH: candidate and commit, persistence, context editing,
strict input, commit locks, and the config log it sends to syslog on a commit."""

from __future__ import annotations

import socket
from pathlib import Path

from tslcd.lab.models.panos import PanosDevice
from tslcd.lab.models.panos_session import PanosSession
from tslcd.listener.messages import parse

HOST = {"name": "sxd-fw1", "hostname": "127.0.0.1", "agency_code": "SXD", "agency_name": "Sở Xây dựng",
        "lan_prefix": "10.10.11.0/24", "wan_prefix": "10.254.0.44/30"}


def _configure(device: PanosDevice, user: str = "admin") -> PanosSession:
    session = PanosSession(device, user)
    session.handle("set cli config-output-format set")
    assert session.handle("configure") == "Entering configuration mode"
    return session


def test_commit_persists_and_a_restart_boots_the_committed_config(tmp_path: Path) -> None:
    device = PanosDevice("sxd-fw1", HOST, tmp_path)
    cli = _configure(device)
    cli.handle("set address MAY-IN ip-netmask 10.10.11.50/32")
    assert "MAY-IN" not in (tmp_path / "running-config.set").read_text(encoding="utf-8")
    assert cli.handle("commit").endswith("Configuration committed successfully")
    again = PanosDevice("sxd-fw1", HOST, tmp_path)
    assert "set address MAY-IN ip-netmask 10.10.11.50/32" in again.running_config()
    assert again.saved_config() == again.running_config()


def test_edit_context_move_rename_and_strict_errors() -> None:
    device = PanosDevice("sxd-fw1", HOST)
    cli = _configure(device)
    assert cli.handle("edit rulebase security rules MOI") == ""
    assert cli.prompt().startswith("\n[edit rulebase security rules MOI]\n")
    assert cli.handle("set from trust to untrust source any destination any application any "
                      "service service-https action allow") == ""
    assert cli.handle("set action permit") == "Invalid syntax."
    cli.handle("top")
    assert cli.handle("move rulebase security rules MOI top") == ""
    assert cli.handle("rename rulebase security rules MOI to TSLCD-MOI") == ""
    listing = cli.handle("show rulebase security rules").splitlines()
    assert listing[0] == "set rulebase security rules TSLCD-MOI to untrust"
    assert cli.handle("set deviceconfig sytem hostname x") == "Invalid syntax."
    assert cli.handle("set deviceconfig system ip-address 10.0.0.300") == "Invalid syntax."
    assert cli.handle("set service S protocol tcp port 70000") == "Invalid syntax."
    assert cli.handle("sett address A") == "Unknown command: sett"
    cli.handle("exit")
    fresh = PanosSession(device, "admin")
    assert fresh.handle("show config running").startswith("config {")  # the default format: braces
    assert fresh.handle("set cli config-output-format xml") == "Invalid syntax."


def test_commit_lock_of_another_admin_blocks_a_commit() -> None:
    device = PanosDevice("sxd-fw1", HOST)
    other = PanosSession(device, "admin2")
    assert other.handle("request commit-lock add") == "Successfully acquired lock"
    cli = _configure(device)
    cli.handle("set address KHOA ip-netmask 10.10.11.61/32")
    assert "held by admin2" in cli.handle("commit")
    assert other.handle("request commit-lock remove") == "Successfully removed lock"
    assert "committed successfully" in cli.handle("commit")


def test_a_commit_sends_the_config_log_to_syslog() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        device = PanosDevice("sxd-fw1", HOST)
        cli = _configure(device, "netops")
        base = "set shared log-settings syslog LAB server S"
        for line in (f"{base} server 127.0.0.1", f"{base} transport UDP", f"{base} port {port}"):
            assert cli.handle(line) == ""
        cli.handle("commit")
        message = sock.recv(4096).decode("utf-8")
    change = parse(message)
    assert change is not None and change.vendor == "paloalto_panos" and change.user == "netops"
    assert ",CONFIG,0,0," in message and "commit via CLI" in change.what


def test_output_filters_match_and_except() -> None:
    cli = PanosSession(PanosDevice("sxd-fw1", HOST), "admin")
    assert cli.handle("show system info | match model") == "model: PA-VM"
    assert "model:" not in cli.handle("show system info | except model")
    assert cli.handle("show system info | grep model") == "Invalid syntax."
