"""The lab Cisco ASA model through its CLI session, without SSH."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.lab.models.asa import AsaDevice, AsaSession, planted_findings
from tslcd.lab.models.base import PROBLEM_KINDS

HOST = {
    "name": "stc-fw1", "hostname": "127.21.2.2", "platform": "cisco_asa", "agency_code": "STC",
    "agency_name": "Sở Tài chính", "agency_type": "so", "district": "long-xuyen",
    "district_name": "Thành phố Long Xuyên", "role": "firewall", "lan_prefix": "10.10.2.0/24",
    "wan_prefix": "10.254.0.8/30", "circuit_id": "TSLCD-AGG-0002", "bandwidth_mbps": 100,
    "domain": "angiang.gov.vn",
}
SECRET = "bi-mat-enable"
INVALID = "ERROR: % Invalid input detected at '^' marker."
ACE = "access-list INSIDE_IN extended permit tcp object LAN-STC object QLVB-SRV eq 8443 log"


def device(tmp_path: Path | None = None, problems: tuple[str, ...] = ()) -> AsaDevice:
    return AsaDevice(HOST["name"], HOST, tmp_path, problems)


def run(session: AsaSession, *lines: str) -> str:
    """Feed lines one by one; the output of the last one."""
    output = ""
    for line in lines:
        output = session.handle(line)
    return output


def configure(asa: AsaDevice) -> AsaSession:
    cli = asa.new_session("admin", SECRET)
    assert isinstance(cli, AsaSession)
    run(cli, "enable", SECRET, "configure terminal")
    return cli


def acl(cli: AsaSession, name: str = "INSIDE_IN") -> list[str]:
    return run(cli, f"show running-config access-list {name}").splitlines()


@pytest.fixture
def asa(tmp_path: Path) -> AsaDevice:
    return device(tmp_path)


def test_netmiko_session_preparation(asa: AsaDevice) -> None:
    cli = asa.new_session("admin", SECRET)
    assert cli.prompt() == "stc-fw1> "
    assert "Current privilege level : 1" in run(cli, "show curpriv")
    assert run(cli, "enable") == "" and cli.prompt() == "Password: " and cli.echo is False
    assert run(cli, "sai-mat-khau") == "Invalid password" and cli.prompt() == "Password: "
    run(cli, SECRET)
    assert cli.echo is True and cli.prompt() == "stc-fw1# "
    assert "Current Mode/s : P_PRIV" in run(cli, "show curpriv")
    assert run(cli, "terminal pager 0") == ""
    run(cli, "conf t")
    assert cli.prompt() == "stc-fw1(config)# " and cli.in_config_mode
    assert run(cli, "terminal width 511") == ""
    run(cli, "end")
    assert cli.prompt() == "stc-fw1# "
    assert "\nstc-fw1 up " in run(cli, "show version")


def test_unprivileged_cannot_read_config_and_three_bad_passwords_deny(asa: AsaDevice) -> None:
    cli = asa.new_session("admin", SECRET)
    assert run(cli, "show running-config").endswith(INVALID)
    assert run(cli, "enable", "a", "b", "c") == "Access denied."
    assert cli.prompt() == "stc-fw1> "


def test_show_running_config_layout(asa: AsaDevice) -> None:
    cli = configure(asa)
    text = run(cli, "show running-config")
    lines = text.splitlines()
    assert lines[0] == ": Saved" and lines[-1] == ": end" and lines[-2].startswith("Cryptochecksum:")
    assert "ASA Version 9.16(4) " in lines and "hostname stc-fw1" in lines
    assert lines.index("hostname stc-fw1") < lines.index("interface GigabitEthernet1/1")
    assert lines.index("object network LGSP-SRV") < lines.index(acl(cli)[0])
    assert lines.index(acl(cli)[-1]) < lines.index("access-group INSIDE_IN in interface inside")
    assert text == run(cli, "show running-config") == asa.running_config().rstrip("\n")
    assert "snmp-server community *****" in text


def test_access_list_insert_remove_and_duplicates(asa: AsaDevice) -> None:
    cli = configure(asa)
    before = acl(cli)
    assert run(cli, ACE.replace("INSIDE_IN", "INSIDE_IN line 3")) == ""
    after = acl(cli)
    assert after[2] == ACE and after[:2] == before[:2] and after[3:] == before[2:]
    assert "duplicate" in run(cli, ACE)
    run(cli, f"no {ACE}")
    assert acl(cli) == before
    assert run(cli, f"no {ACE}") == "ERROR: Specified access-list entry does not exist"
    run(cli, "access-list INSIDE_IN remark Ghi chú mới",
        "access-list INSIDE_IN extended deny ip any host 10.9.9.9")
    assert acl(cli)[-2:] == ["access-list INSIDE_IN remark Ghi chú mới",
                             "access-list INSIDE_IN extended deny ip any host 10.9.9.9"]


def test_ace_is_stored_the_way_the_asa_prints_it(asa: AsaDevice) -> None:
    cli = configure(asa)
    run(cli, "access-list T extended permit tcp 10.1.1.1 255.255.255.255 0.0.0.0 0.0.0.0 eq 80 "
             "log informational interval 300")
    run(cli, "access-list T extended permit 6 any object LGSP-SRV eq 443 inactive")
    run(cli, "access-list T extended permit udp any any eq 53 log 4 interval 60")
    assert acl(cli, "T") == [
        "access-list T extended permit tcp host 10.1.1.1 any4 eq www log",
        "access-list T extended permit tcp any object LGSP-SRV eq https inactive",
        "access-list T extended permit udp any any eq domain log 4 interval 60",
    ]


def test_errors_look_like_the_asa(asa: AsaDevice) -> None:
    cli = configure(asa)
    prompt = cli.prompt()
    assert run(cli, "acess-list X") == " " * len(prompt) + "^\n" + INVALID
    bad_port = "access-list T extended permit tcp any any eq nope"
    assert run(cli, bad_port) == " " * (len(prompt) + bad_port.index("nope")) + "^\n" + INVALID
    assert run(cli, "access-list T extended permit tcp object KHONG-CO any") == \
        "ERROR: object (KHONG-CO) does not exist."
    assert run(cli, "access-list T extended permit ip 10.0.0.1 255.0.0.0 any") == \
        "ERROR: IP address,mask <10.0.0.1,255.0.0.0> doesn't pair"
    assert run(cli, "access-list T extended permit") == "ERROR: % Incomplete command"
    assert run(cli, "access-group KHONG-CO in interface inside") == \
        "ERROR: access-list <KHONG-CO> does not exist"
    assert run(cli, "no object network LGSP-SRV").startswith("ERROR: unable to delete object (LGSP-SRV)")
    assert cli.rejected("logging host inside 1.2.3.4") == " " * len(prompt) + "^\n" + INVALID


def test_objects_groups_and_access_group(asa: AsaDevice) -> None:
    cli = configure(asa)
    run(cli, "object network WEB-SRV", "host 10.0.10.80", "description Máy chủ web")
    assert cli.prompt() == "stc-fw1(config-network-object)# "
    run(cli, "object service HTTPS-8443", "service tcp destination eq 8443")
    run(cli, "object-group network WEB-GROUP")
    assert cli.prompt() == "stc-fw1(config-network-object-group)# "
    run(cli, "network-object object WEB-SRV", "network-object 10.0.20.0 255.255.255.0",
        "network-object 10.0.30.7 255.255.255.255", "group-object DC-PUBLIC")
    run(cli, "object-group service WEB-PORTS tcp", "port-object eq 80", "port-object range 8000 8010")
    assert cli.prompt() == "stc-fw1(config-service-object-group)# "
    run(cli, "access-list WEB extended permit tcp any object-group WEB-GROUP object-group WEB-PORTS log")
    assert cli.prompt() == "stc-fw1(config)# "  # a global command leaves the sub-mode
    run(cli, "access-list WEB extended permit object HTTPS-8443 any object WEB-SRV")
    run(cli, "access-group WEB out interface inside")
    assert run(cli, "show running-config object-group").splitlines()[-8:] == [
        "object-group network WEB-GROUP", " network-object object WEB-SRV",
        " network-object 10.0.20.0 255.255.255.0", " network-object host 10.0.30.7",
        " group-object DC-PUBLIC", "object-group service WEB-PORTS tcp", " port-object eq www",
        " port-object range 8000 8010"]
    assert "object network WEB-SRV\n host 10.0.10.80\n description Máy chủ web" in \
        run(cli, "show running-config object network")
    assert "access-group WEB out interface inside" in run(cli, "show running-config access-group")
    assert run(cli, "no object-group network WEB-GROUP").startswith("ERROR: unable to delete")
    run(cli, "clear configure access-list WEB")
    assert "access-group WEB" not in run(cli, "show running-config access-group")
    assert run(cli, "no object-group network WEB-GROUP") == ""
    assert run(cli, "no object network WEB-SRV") == ""


def test_interfaces_and_global_commands(asa: AsaDevice) -> None:
    cli = configure(asa)
    run(cli, "interface GigabitEthernet1/3")
    assert cli.prompt() == "stc-fw1(config-if)# "
    assert run(cli, "nameif dmz") == 'INFO: Security level for "dmz" set to 0 by default.'
    run(cli, "ip address 172.16.5.1 255.255.255.0", "no shutdown", "exit")
    run(cli, "ssh 10.0.99.0 255.255.255.0 dmz", "http server enable", "ntp server 10.0.10.9",
        "snmp-server community moi-cong-dong", "hostname FW-STC", "crypto ikev1 policy 30",
        "encryption aes-256", "hash sha", "group 14", "exit",
        "username vanhanh password Matkhau@123 privilege 15")
    assert cli.prompt() == "FW-STC(config)# "
    more = run(cli, "more system:running-config")
    dmz = "interface GigabitEthernet1/3\n nameif dmz\n security-level 0\n ip address 172.16.5.1 255.255.255.0"
    assert dmz in more
    for line in ("ssh 10.0.99.0 255.255.255.0 dmz", "http server enable", "ntp server 10.0.10.9",
                 "snmp-server community moi-cong-dong", " encryption aes-256", " group 14"):
        assert line in more
    assert "Matkhau@123" not in more and "username vanhanh password $sha512$" in more
    assert "snmp-server community *****" in run(cli, "show running-config snmp-server")
    run(cli, "no ssh 10.0.99.0 255.255.255.0 dmz", "no crypto ikev1 policy 30")
    assert "dmz" not in run(cli, "show running-config ssh")
    assert "crypto ikev1 policy 30" not in run(cli, "show running-config")


def test_output_filters(asa: AsaDevice) -> None:
    cli = configure(asa)
    run(cli, "end")
    assert run(cli, "show running-config | include ^access-group").splitlines() == [
        "access-group INSIDE_IN in interface inside", "access-group OUTSIDE_IN in interface outside"]
    begin = run(cli, "sh run | begin ^ntp server").splitlines()
    assert begin[0] == "ntp server 10.0.10.5" and begin[-1] == ": end"
    assert "hostname" not in run(cli, "show running-config | exclude hostname")
    assert run(cli, "show version | grep ^Serial Number") == f"Serial Number: {asa.serial}"
    assert run(cli, "show version | bogus x").endswith(INVALID)


def test_write_memory_and_persistence(tmp_path: Path) -> None:
    asa = device(tmp_path)
    cli = configure(asa)
    run(cli, ACE)
    assert ACE in asa.running_config() and ACE not in asa.saved_config()
    assert ACE not in run(cli, "show startup-config")
    assert AsaDevice(HOST["name"], HOST, tmp_path).running_config() != asa.running_config()
    written = run(cli, "write memory")
    assert written.startswith("Building configuration...\nCryptochecksum: ") and written.endswith("[OK]")
    assert asa.saved_config() == asa.running_config()
    reloaded = AsaDevice(HOST["name"], HOST, tmp_path)
    assert reloaded.running_config() == asa.running_config()
    run(cli, "end", "copy running-config startup-config")
    assert cli.prompt() == "Source filename [running-config]? "
    assert run(cli, "").endswith("[OK]") and cli.prompt() == "stc-fw1# "


def test_initial_config_is_deterministic_and_vietnamese() -> None:
    text = AsaDevice.initial_config(HOST, PROBLEM_KINDS)
    assert text == AsaDevice.initial_config(HOST, PROBLEM_KINDS)
    assert "access-list INSIDE_IN remark LAN-LGSP: Sở Tài chính truy cập LGSP" in text
    assert " description Mạng LAN Sở Tài chính - Thành phố Long Xuyên" in text
    assert "domain-name angiang.gov.vn" in text and " ip address 10.254.0.10 255.255.255.252 " in text
    clean = AsaDevice.initial_config(HOST)
    aces = [line for line in clean.splitlines() if " extended " in line]
    assert 8 <= len(aces) <= 15 and "forward-reference enable" not in clean
    assert AsaDevice.initial_config({"name": "fw-x"}, PROBLEM_KINDS).count("hostname fw-x") == 1


def test_planted_findings_are_in_the_config() -> None:
    problems = tuple(PROBLEM_KINDS)
    asa = device(None, problems)
    shown, unmasked = asa.running_config(), run(configure(asa), "more system:running-config")
    findings = planted_findings(HOST, problems)
    assert {f["kind"] for f in findings} == AsaDevice.supported_problems()
    for finding in findings:
        assert finding["host"] == "stc-fw1" and finding["platform"] == "cisco_asa"
        assert finding["line"] in unmasked, finding
        if finding["kind"] != "snmp-public":  # show running-config masks communities
            assert finding["line"] in shown, finding
        if finding["rule"]:
            assert finding["rule"].startswith(f"access-list {finding['acl']} ")
    assert "forward-reference enable" in shown  # how a real ASA comes to hold undefined references
    assert "plaintext-password" not in AsaDevice.supported_problems()


def test_banners_and_exec_authorization_as_the_asa_lists_them(tmp_path: Path) -> None:
    asa = device(tmp_path)
    cli = configure(asa)
    login = ["CẢNH BÁO: Thiết bị thuộc mạng truyền số liệu chuyên dùng.",
             "Mọi truy cập  đều được ghi nhật ký."]
    assert run(cli, *(f"banner login {text}" for text in login)) == ""
    assert run(cli, "banner motd Bảo trì lúc 22h", "banner exec Phiên làm việc được ghi lại") == ""
    assert run(cli, "aaa authorization exec LOCAL auto-enable") == ""
    assert run(cli, "banner login").endswith("ERROR: % Incomplete command")
    assert run(cli, "banner welcome x").endswith(INVALID)
    lines = asa.running_config().splitlines()
    banners = [line for line in lines if line.startswith("banner ")]
    assert banners == ["banner exec Phiên làm việc được ghi lại", *(f"banner login {t}" for t in login),
                       "banner motd Bảo trì lúc 22h"]
    assert lines.index(banners[-1]) + 1 == lines.index("ftp mode passive")  # right after interfaces
    aaa = run(cli, "show running-config aaa").splitlines()
    assert aaa[-1] == "aaa authorization exec LOCAL auto-enable"
    assert run(cli, "show running-config banner motd") == "banner motd Bảo trì lúc 22h"
    assert asa.new_session("admin", SECRET).banner() == "Bảo trì lúc 22h\nPhiên làm việc được ghi lại"
    run(cli, "write memory")
    assert AsaDevice(HOST["name"], HOST, tmp_path).running_config() == asa.running_config()
    assert run(cli, f"no banner login {login[1]}", "no banner motd") == ""  # the text is ignored
    assert [line for line in asa.running_config().splitlines() if line.startswith("banner ")] == banners[:1]


def test_pager_until_terminal_pager_0_and_reload_needs_confirmation(asa: AsaDevice) -> None:
    cli = asa.new_session("admin", SECRET)
    assert cli.page_length == 24 and cli.more_prompt == "<--- More --->"
    run(cli, "enable", SECRET, "terminal pager 0")
    assert cli.page_length == 0
    run(cli, "configure terminal", "hostname doi-ten", "end")
    assert run(cli, "reload") == "" and cli.prompt() == "System config has been modified. Save? [Y]es/[N]o: "
    assert run(cli, "N") == "" and cli.prompt() == "Proceed with reload? [confirm]"
    assert run(cli, "n") == "" and not cli.closed and asa.running.hostname == "doi-ten"
    run(cli, "reload", "N")
    assert "START GRACEFUL SHUTDOWN" in run(cli, "") and cli.closed
    assert asa.running.hostname == "stc-fw1"  # the unsaved change is gone


def test_real_operational_listings_parse_with_ntc_templates(asa: AsaDevice) -> None:
    from ntc_templates.parse import parse_output

    cli = configure(asa)
    run(cli, "failover lan unit primary", "failover lan interface FOVER GigabitEthernet1/8", "failover",
        "end")
    routes = parse_output(platform="cisco_asa", command="show route", data=run(cli, "show route"))
    assert {"S", "C", "L"} <= {r["protocol"] for r in routes}
    brief = parse_output(platform="cisco_asa", command="show interface ip brief",
                         data=run(cli, "show interface ip brief"))
    assert {r["interface"] for r in brief} >= {"GigabitEthernet1/1", "Management1/1"}
    failover = parse_output(platform="cisco_asa", command="show failover", data=run(cli, "show failover"))
    assert failover[0]["state"] == "On" and failover[0]["lan_intf"] == "GigabitEthernet1/8"
    assert "Configuration last modified by admin" in run(cli, "show version")


def test_question_mark_help_and_ctrl_z(asa: AsaDevice) -> None:
    cli = asa.new_session("admin", SECRET)
    assert "  enable" in cli.help("") and "  configure" not in cli.help("")
    run(cli, "enable", SECRET)
    assert cli.help("sh") == "  show\n"
    assert "  running-config" in cli.help("show ")
    assert cli.help("zz") == "ERROR: % Unrecognized command\n"
    assert cli.ctrl_z() is None
    run(cli, "configure terminal", "object network WEB")
    assert "  host" in cli.help("") and "  access-list" in cli.help("")
    assert cli.ctrl_z() == "" and cli.prompt() == "stc-fw1# "


def test_idle_timeout_follows_ssh_timeout(asa: AsaDevice) -> None:
    cli = configure(asa)
    assert cli.idle_timeout() == 15 * 60  # the lab ASA's generated "ssh timeout 15"
    run(cli, "ssh timeout 30")
    assert asa.new_session("admin", SECRET).idle_timeout() == 30 * 60
