"""The lab SRX model without SSH: modes, strict input, the commit model, persistence, syslog, and
push plans (hier_config JUNIPER_JUNOS) typed into it."""

from __future__ import annotations

import re
import socket
from pathlib import Path

from tests.push.helpers import CHANGE_VARS, TEMPLATES, model, sample
from tslcd.audit.parsers.junos import parse as parse_config
from tslcd.lab.export import containerlab_topology
from tslcd.lab.models.junos import JunosDevice
from tslcd.listener.messages import parse as parse_syslog
from tslcd.platforms import get_platform
from tslcd.push.diff import plan
from tslcd.push.render import Renderer, load_vars
from tslcd.readonly import refusal

HOST = {"name": "sgtvt-fw1", "hostname": "127.0.0.1", "platform": "juniper_junos", "agency_code": "SGTVT",
        "agency_name": "So Giao thong van tai", "role": "firewall", "lan_prefix": "10.10.10.0/24",
        "wan_prefix": "10.254.0.40/30"}


def _cli(device: JunosDevice | None = None, user: str = "admin"):  # type: ignore[no-untyped-def]
    return (device or JunosDevice(HOST["name"], HOST)).new_session(user, "")


def test_prompts_and_netmiko_session_setup() -> None:
    cli = _cli()
    assert cli.prompt() == "\r\nadmin@sgtvt-fw1> "
    assert cli.handle("set cli screen-width 511") == "Screen width set to 511\n"
    assert cli.handle("set cli complete-on-space off") == "Disabling complete-on-space\n"
    assert cli.handle("set cli screen-length 0") == "Screen length set to 0\n"
    assert cli.handle("configure") == "Entering configuration mode\n"
    assert cli.prompt() == "\r\n[edit]\r\nadmin@sgtvt-fw1# "
    cli.handle("edit security zones")
    assert "[edit security zones]" in cli.prompt()
    cli.handle("exit")
    assert cli.handle("exit configuration-mode") == "Exiting configuration mode\n"


def test_strict_input_with_junos_error_texts() -> None:
    cli = _cli()
    assert cli.handle("shw version").endswith("^\nunknown command.\n")
    assert cli.handle("show versionn").endswith("syntax error.\n")
    cli.handle("configure")
    refused = cli.handle("set systemm host-name x")
    assert refused == " " * len("admin@sgtvt-fw1# set ") + "^\nsyntax error.\n"
    address = "set interfaces ge-0/0/3 unit 0 family inet address"
    assert "invalid ip address" in cli.handle(f"{address} 10.1.1.300/24")
    assert "invalid prefix length" in cli.handle(f"{address} 10.1.1.1/33")
    assert "not within range" in cli.handle("set applications application A destination-port 70000")
    assert cli.handle("delete system no-such-thing") == "warning: statement not found\n"
    assert cli.handle("show | compare") == ""  # nothing was taken


def test_candidate_commit_check_rollback_and_history() -> None:
    device = JunosDevice(HOST["name"], HOST)
    cli = _cli(device)
    cli.handle("configure")
    cli.handle("set security policies from-zone trust to-zone untrust policy X match source-address KHONG-CO")
    assert cli.handle("commit check").endswith("error: configuration check-out failed\n")
    assert "configuration check-out failed" in cli.handle("commit")
    assert cli.handle("rollback 0") == "load complete\n"
    cli.handle("set system host-name moi-fw1")
    assert "+   host-name moi-fw1;" in cli.handle("show | compare")
    assert cli.handle("commit") == "commit complete\n"
    assert device.hostname == "moi-fw1" and cli.prompt().endswith("admin@moi-fw1# ")
    cli.handle("rollback 1")
    cli.handle("commit and-quit")
    assert not cli.in_config_mode and device.hostname == "sgtvt-fw1"
    history = cli.handle("show system commit").splitlines()
    assert len(history) == 3 and all(" by admin via cli" in line for line in history[:2])
    assert cli.handle("rollback 7").endswith("^\nunknown command.\n")  # not in operational mode


def test_deactivated_policy_is_listed_with_its_deactivate_line() -> None:
    cli = _cli()
    cli.handle("configure")
    cli.handle("deactivate security policies from-zone trust to-zone untrust policy LAN-LGSP")
    cli.handle("commit")
    listing = cli.handle("run show configuration security policies | display set")
    assert "deactivate security policies from-zone trust to-zone untrust policy LAN-LGSP" in listing
    assert "inactive: policy LAN-LGSP {" in cli.handle("run show configuration security policies")


def test_uncommitted_changes_survive_exit_and_are_shared(tmp_path: Path) -> None:
    device = JunosDevice(HOST["name"], HOST, tmp_path)
    one = _cli(device)
    one.handle("configure")
    one.handle("set system domain-name moi.gov.vn")
    assert one.handle("exit").startswith("The configuration has been changed but not committed")
    assert one.handle("yes") == "Exiting configuration mode\n"
    other = _cli(device, "netops")
    assert "has been changed but not committed" in other.handle("configure")
    assert "domain-name moi.gov.vn" in other.handle("show | compare")
    other.handle("commit")
    reloaded = JunosDevice(HOST["name"], HOST, tmp_path)  # a restart boots the saved config
    assert "set system domain-name moi.gov.vn" in reloaded.running_config()


def test_commit_announces_ui_commit_to_the_syslog_host() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        cli = _cli()
        cli.handle("configure")
        cli.handle(f"set system syslog host 127.0.0.1 port {port}")
        cli.handle("commit")
        message = sock.recv(4096).decode()
    change = parse_syslog(message)
    assert change is not None and (change.vendor, change.user) == ("juniper_junos", "admin")
    assert re.search(r"sgtvt-fw1 mgd\[\d+\]: UI_COMMIT: User 'admin' requested 'commit' operation", message)


def test_a_policy_inserted_in_the_template_lands_where_the_template_puts_it() -> None:
    _config, inventory = sample()
    host = inventory.hosts["sgtvt-fw1"]
    device = model(host)
    change = Renderer(TEMPLATES, "firewall-policy", inventory, load_vars(CHANGE_VARS)).render(host).text

    def apply(commands: tuple[str, ...]) -> None:
        cli = device.new_session("tester", "")
        cli.handle("configure")
        assert [c for c in commands if cli.handle(c)] == []
        assert cli.handle("commit") == "commit complete\n"

    apply(plan(host.name, host.platform, device.running_config(), change).commands)
    lines = change.splitlines()
    at = next(i for i, line in enumerate(lines) if "to-zone untrust policy TSLCD-DENY-LOG" in line)
    new = "set security policies from-zone trust to-zone untrust policy TSLCD-LAN-SSH"
    inserted = [f"{new} match source-address any", f"{new} match destination-address TSLCD-LGSP",
                f"{new} match application junos-ssh", f"{new} then permit"]
    reordered = "\n".join([*lines[:at], *inserted, *lines[at:]]) + "\n"
    apply(plan(host.name, host.platform, device.running_config(), reordered).commands)
    names = re.findall(r"^set security policies from-zone trust to-zone untrust policy (\S+) ",
                       device.running_config(), re.M)
    assert list(dict.fromkeys(names)) == ["TSLCD-LAN-LGSP", "TSLCD-LAN-CONG-DVC", "TSLCD-LAN-SSH",
                                          "TSLCD-DENY-LOG"]
    assert plan(host.name, host.platform, device.running_config(), reordered).empty


def test_ad_hoc_commands_that_only_read() -> None:
    junos = get_platform("juniper_junos")
    for command in ("show configuration | display set", "show security policies | match TSLCD",
                    "show system uptime", "show interfaces terse | count", "ping 10.0.10.10 count 3"):
        assert refusal(command, junos) is None, command
    for command in ("request system reboot", "clear security flow session all", "configure",
                    "show log messages | save /var/tmp/x", "file delete /var/tmp/x", "start shell"):
        assert refusal(command, junos) is not None, command


def test_containerlab_export_gives_the_srxs_the_vsrx_kind() -> None:
    _config, inventory = sample()
    hosts = [inventory.hosts[name] for name in ("sgtvt-r1", "sgtvt-fw1") if name in inventory.hosts]
    topology = containerlab_topology(hosts)
    assert topology["topology"]["nodes"]["sgtvt-fw1"]["kind"] == "juniper_vsrx"
    assert topology["topology"]["kinds"]["juniper_vsrx"]["image"].startswith("vrnetlab/juniper_vsrx:")


def test_the_audit_reads_both_listings_of_the_lab_srx_alike() -> None:
    """``show configuration`` (braces) and ``| display set`` of the same device give the audit
    the same rules."""
    device = JunosDevice(HOST["name"], HOST, None, ("disabled-rule", "shadowed-rule"))
    cli = _cli(device)
    braces = "\n".join(line for line in cli.handle("show configuration").splitlines()
                       if not line.startswith("##"))
    as_set = cli.handle("show configuration | display set")

    def rules(text: str) -> list[tuple[str, str, str, bool]]:
        parsed = parse_config(text)
        return [(rule_list.name, rule.key, rule.action, rule.enabled)
                for rule_list in parsed.lists for rule in rule_list.rules]

    assert rules(as_set) and rules(braces) == rules(as_set)


def test_operational_views_of_interfaces_and_policies() -> None:
    cli = _cli(JunosDevice(HOST["name"], HOST, None, ("disabled-rule",)))
    terse = cli.handle("show interfaces terse").splitlines()
    assert "ge-0/0/1.0              up    up   inet     10.10.10.1/24" in terse
    policies = cli.handle("show security policies")
    assert "From zone: trust, To zone: untrust" in policies
    assert "Policy: LAN-LGSP, State: enabled" in policies and "LAN-LGSP-8443" not in policies  # inactive
    assert cli.handle("show security policies | count").startswith("Count: ")


def test_question_mark_lists_possible_completions() -> None:
    cli = _cli()
    assert cli.help("sh").splitlines() == ["Possible completions:",
                                           "  show                 Show system information"]
    assert "  version              Show software process revision levels" in cli.help("show ")
    cli.handle("configure")
    assert "  commit               Commit current set of changes" in cli.help("")
    assert "  security             Configuration hierarchy" in cli.help("set sec")
