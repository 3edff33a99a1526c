"""The IOS lab model without SSH: CLI behaviour, configuration state, archive, persistence.

Transcripts under ``ios_transcripts/`` are replayed line by line: every line starting with the
session's prompt is typed, and the whole transcript (prompts, echoes, outputs) must come back
byte for byte. They pin the exact IOS texts (carets, prompts, diffs) Netmiko and NAPALM rely on.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.lab.models.base import PROBLEM_KINDS
from tslcd.lab.models.ios import IosCliSession, IosDevice, planted_findings

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
TRANSCRIPTS = sorted((HERE / "ios_transcripts").glob("*.txt"))
SECRET = "Bí-mật-enable"
HOST = {
    "name": "stp-r1", "hostname": "127.21.7.1", "platform": "cisco_ios", "agency_code": "STP",
    "agency_name": "Sở Tư pháp", "agency_type": "so", "district": "long-xuyen", "role": "router",
    "lan_prefix": "10.10.7.0/24", "wan_prefix": "10.254.0.24/30", "circuit_id": "TSLCD-AGG-0007",
    "bandwidth_mbps": 100,
}


def device(state_dir: Path | None = None, problems: tuple[str, ...] = (), **host: object) -> IosDevice:
    return IosDevice(str(host.get("name", HOST["name"])), {**HOST, **host}, state_dir, problems)


def enabled(dev: IosDevice) -> IosCliSession:
    session = dev.new_session("admin", SECRET)
    session.handle("enable")
    session.handle(SECRET)
    assert session.prompt().endswith("#")
    return session


def run(session: IosCliSession, *lines: str) -> list[str]:
    return [session.handle(line) for line in lines]


def body(config: str) -> list[str]:
    """Configuration lines after the volatile header (what a backup keeps)."""
    lines = config.splitlines()
    return lines[lines.index("version 17.6"):]


# --- transcripts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(path: Path) -> None:
    # The transcripts were recorded with this host and secret "lab"; only the input lines are
    # taken from the file, everything else must be produced again.
    expected = path.read_text(encoding="utf-8")
    dev = device()
    session = dev.new_session("admin", "lab")
    run(session, "enable", "lab")
    actual, pos = "", 0
    while pos < len(expected):
        prompt = session.prompt()
        assert expected.startswith(prompt, pos), f"expected prompt {prompt!r} at: {expected[pos:pos + 80]!r}"
        end = expected.index("\n", pos)
        command = expected[pos + len(prompt):end]
        chunk = prompt + command + "\n" + session.handle(command)
        actual += chunk
        pos += len(chunk)
        assert actual == expected[:len(actual)], f"after {command!r}"
    assert actual == expected


def test_transcripts_exist() -> None:
    assert {p.stem for p in TRANSCRIPTS} >= {"errors", "modes", "archive"}


# --- login, modes, prompts -----------------------------------------------------------------------

def test_enable_asks_for_secret_without_echo_and_disable_returns() -> None:
    session = device().new_session("admin", SECRET)
    assert session.banner().startswith("CẢNH BÁO")
    assert session.prompt() == "stp-r1>"
    assert session.handle("terminal width 511") == ""
    assert session.handle("terminal length 0") == ""
    assert session.handle("enable") == ""
    assert session.prompt() == "Password: " and session.echo is False
    assert session.handle("wrong") == "% Access denied\n"
    assert session.echo is True and session.prompt() == "stp-r1>"
    session.handle("enable")
    assert session.handle(SECRET) == ""
    assert session.prompt() == "stp-r1#"
    session.handle("disable")
    assert session.prompt() == "stp-r1>"
    session.handle("exit")
    assert session.closed


def test_user_mode_refuses_privileged_commands() -> None:
    session = device().new_session("admin", SECRET)
    out = session.handle("show running-config")
    assert out == " " * len("stp-r1>show ") + "^\n% Invalid input detected at '^' marker.\n"


def test_nested_mode_prompts_and_exits() -> None:
    session = enabled(device())
    expected = [
        ("configure terminal", "stp-r1(config)#"),
        ("interface Gi0/0/0.100", "stp-r1(config-subif)#"),
        ("vrf definition A", "stp-r1(config-vrf)#"),
        ("address-family ipv4", "stp-r1(config-vrf-af)#"),
        ("exit-address-family", "stp-r1(config-vrf)#"),
        ("router ospf 1", "stp-r1(config-router)#"),
        ("router bgp 65007", "stp-r1(config-router)#"),
        ("address-family ipv4 vrf A", "stp-r1(config-router-af)#"),
        ("ip access-list standard S", "stp-r1(config-std-nacl)#"),
        ("ip access-list extended E", "stp-r1(config-ext-nacl)#"),
        ("object-group service WEB", "stp-r1(config-service-group)#"),
        ("tcp eq 443", "stp-r1(config-service-group)#"),
        ("line con 0", "stp-r1(config-line)#"),
        ("crypto isakmp policy 5", "stp-r1(config-isakmp)#"),
        ("ip vrf OLD", "stp-r1(config-vrf)#"),
        ("archive", "stp-r1(config-archive)#"),
        ("exit", "stp-r1(config)#"),
        ("exit", "stp-r1#"),
    ]
    for line, prompt in expected:
        assert session.handle(line) in ("", "Enter configuration commands, one per line.  End with CNTL/Z.\n")
        assert session.prompt() == prompt, line
    assert not session.in_config_mode


def test_config_lines_land_in_sections_in_ios_order() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "conf t", "interface Loopback5", "shutdown", "ip address 10.5.5.5 255.255.255.255",
        "description Thử", "end")
    text = dev.running_config()
    section = "\ninterface Loopback5\n description Thử\n ip address 10.5.5.5 255.255.255.255\n shutdown\n!\n"
    assert section in text
    # interfaces print in IOS order: Loopback5 right after Loopback0
    assert text.index("interface Loopback0") < text.index("interface Loopback5") < text.index(
        "interface GigabitEthernet")


def test_single_valued_settings_replace_and_no_forms_remove() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "conf t", "interface GigabitEthernet0/0/1", "ip address 10.10.8.1 255.255.255.0",
        "description Mới", "ip access-group OTHER in", "no ip access-group OTHER in",
        "ip access-group LAN-IN in", "exit", "hostname stp-r9", "no ip http server",
        "line vty 0 4", "transport input ssh telnet", "no exec-timeout", "end")
    lan = dev.running_config().split("interface GigabitEthernet0/0/1\n")[1].split("!")[0]
    assert lan == " description Mới\n ip address 10.10.8.1 255.255.255.0\n ip access-group LAN-IN in\n" \
                  " negotiation auto\n"
    text = dev.running_config()
    assert "\nhostname stp-r9\n" in text and "hostname stp-r1" not in text
    assert text.count("no ip http server") == 1
    assert " transport input ssh telnet\n" in text
    vty = text.split("line vty 0 4\n")[1].split("line vty 5 15")[0]
    assert "exec-timeout" not in vty


def test_no_forms_remove_whole_sections_and_sequence_numbers() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "conf t", "ip access-list extended T", "permit tcp any any eq 443", "permit udp any any",
        "deny ip any any log", "25 permit icmp any any echo", "no 20", "end")
    assert session.handle("show ip access-lists T") == (
        "Extended IP access list T\n    10 permit tcp any any eq 443\n    25 permit icmp any any echo\n"
        "    30 deny ip any any log\n")
    run(session, "conf t", "no ip access-list extended T", "no interface Loopback0",
        "no crypto isakmp policy 10", "end")
    text = dev.running_config()
    assert "ip access-list extended T\n" not in text
    assert "interface Loopback0" not in text and "crypto isakmp policy 10" not in text
    # physical interfaces cannot be deleted: "no interface" resets them
    run(session, "conf t", "no interface GigabitEthernet0/0/1", "end")
    assert "interface GigabitEthernet0/0/1\n no ip address\n!" in dev.running_config()


def test_vrf_forwarding_removes_the_address_as_ios_does() -> None:
    session = enabled(device())
    out = run(session, "conf t", "interface GigabitEthernet0/0/2", "ip address 10.1.1.1 255.255.255.0",
              "vrf forwarding X")
    assert out[-1] == ("% Interface GigabitEthernet0/0/2 IPv4 disabled and address(es) removed due to "
                       "enabling VRF X\n")


def test_interface_number_as_separate_word_and_show_run_interface() -> None:
    session = enabled(device())
    run(session, "configure terminal", "interface Loopback 7", "description Bảy")
    assert session.prompt() == "stp-r1(config-if)#"
    session.handle("end")
    out = session.handle("show running-config interface Lo7")
    assert out.endswith("!\ninterface Loopback7\n description Bảy\nend\n")
    assert out.startswith("Building configuration...\n\nCurrent configuration : 45 bytes\n")
    assert session.handle("show running-config interface Loopback8") == (
        " " * len("stp-r1#show running-config interface ") + "^\n% Invalid input detected at '^' marker.\n")


def test_do_runs_exec_commands_in_config_mode() -> None:
    session = enabled(device())
    session.handle("configure terminal")
    assert session.handle("do show running-config | include ^hostname") == "hostname stp-r1\n"
    out = session.handle("do show foo")
    assert out == " " * len("stp-r1(config)#do show ") + "^\n% Invalid input detected at '^' marker.\n"
    assert session.prompt() == "stp-r1(config)#"


def test_multiline_banner_with_vietnamese_text() -> None:
    dev = device()
    session = enabled(dev)
    session.handle("configure terminal")
    assert session.handle("banner login ^") == "Enter TEXT message.  End with the character '^'.\n"
    assert session.prompt() == ""
    run(session, "Đăng nhập trái phép sẽ bị xử lý", "theo quy định.^", "end")
    assert "banner login ^C\nĐăng nhập trái phép sẽ bị xử lý\ntheo quy định.^C\n" in dev.running_config()
    assert session.handle("show running-config | section banner login") == (
        "banner login ^C\nĐăng nhập trái phép sẽ bị xử lý\ntheo quy định.^C\n")


def test_no_banner_and_default_forms() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "configure terminal", "no banner motd", "interface GigabitEthernet0/0/2",
        "default shutdown", "exit", "no ip domain lookup", "default ip domain lookup", "end")
    text = dev.running_config()
    assert "banner motd" not in text and session.banner() == ""
    assert "interface GigabitEthernet0/0/2\n no ip address\n negotiation auto\n!" in text
    assert "ip domain lookup" not in text


def test_service_password_encryption_hides_clear_passwords() -> None:
    dev = device(problems=("plaintext-password",))
    session = enabled(dev)
    assert "username support privilege 15 password 0 Tslcd@2024" in dev.running_config()
    run(session, "configure terminal", "service password-encryption", "line con 0", "password Bí-mật",
        "end")
    text = dev.running_config()
    assert "Tslcd@2024" not in text and "Bí-mật" not in text
    assert re.search(r"^username support privilege 15 password 7 [0-9A-F]{2,}$", text, re.M)
    assert re.search(r"^ password 7 [0-9A-F]+$", text, re.M)


def test_rejected_text_puts_the_caret_under_the_first_word() -> None:
    session = enabled(device())
    session.handle("configure terminal")
    assert session.rejected("  ntp server 10.1.1.1") == (
        " " * len("stp-r1(config)#  ") + "^\n% Invalid input detected at '^' marker.\n")


def test_pipes_and_their_abbreviations() -> None:
    session = enabled(device())
    assert session.handle("show running-config | inc ip scp server enable") == "ip scp server enable\n"
    assert session.handle("show running-config | i ^ip ssh") == "ip ssh version 2\n"
    assert session.handle("show run | sec crypto isakmp") == (
        "crypto isakmp policy 10\n encryption aes 256\n hash sha256\n authentication pre-share\n group 14\n")
    assert session.handle("show run | count ^interface") == "Number of lines which match regexp = 5\n"
    assert session.handle("show run | begin ^line con").startswith("line con 0\n")
    assert "interface" not in session.handle("show ip interface brief | exclude Gigabit|Loop")


# --- show commands read by NAPALM --------------------------------------------------------------

def test_show_running_config_is_stable_until_something_changes() -> None:
    dev = device()
    session = enabled(dev)
    first = session.handle("show running-config")
    assert first == session.handle("show running-config") == dev.running_config()
    assert first.startswith("Building configuration...\n\nCurrent configuration : ")
    size = int(re.search(r"Current configuration : (\d+) bytes", first).group(1))
    assert size == len(first.split(" bytes\n", 1)[1].encode())
    assert "Last configuration change" not in first and first.endswith("!\nend\n")
    run(session, "conf t", "ntp server 10.250.0.3", "end")
    changed = session.handle("show running-config")
    assert re.search(r"^! Last configuration change at \d\d:\d\d:\d\d UTC .* by admin$", changed, re.M)


def test_show_version_parses_like_napalm_does() -> None:
    out = enabled(device()).handle("show version")
    assert re.search(r"^stp-r1 uptime is (\d+ \w+, )*\d+ minutes?$", out, re.M)
    assert "Cisco IOS XE Software, Version 17.06.05" in out
    assert re.search(r"Cisco (.+?) .+bytes of", out, re.I).group(1) == "ISR4331/K9"
    serial = re.search(r"Processor board ID (\S+)", out).group(1)
    assert serial.startswith("FDO") and serial == re.search(
        r"Processor board ID (\S+)", enabled(device()).handle("show version")).group(1)
    assert re.search(r"^Cisco IOS Software \[Bengaluru\], .*Version 17\.6\.5", out, re.M)


def test_show_hosts_interfaces_and_brief() -> None:
    session = enabled(device())
    assert session.handle("show hosts").startswith("Default domain is tslcd.gov.vn\n")
    brief = session.handle("show ip interface brief").splitlines()
    assert brief[0].startswith("Interface              IP-Address      OK? Method Status")
    assert any(re.match(r"GigabitEthernet0/0/0\s+10\.254\.0\.25\s+YES NVRAM\s+up\s+up", x) for x in brief)
    assert any(re.match(r"GigabitEthernet0/0/2\s+unassigned\s+YES unset\s+administratively down\s+down", x)
               for x in brief)
    show_if = session.handle("show interfaces GigabitEthernet0/0/1")
    assert show_if.startswith("GigabitEthernet0/0/1 is up, line protocol is up")
    assert "  Description: LAN - Sở Tư pháp\n" in show_if
    assert "  Internet address is 10.10.7.1/24\n" in show_if


# --- flash, copy, write --------------------------------------------------------------------------

def test_dir_verify_delete_on_flash() -> None:
    dev = device()
    session = enabled(dev)
    assert dev.flash_dir is not None
    (dev.flash_dir / "merge_config.txt").write_text("hostname x\n", encoding="utf-8")
    listing = session.handle("dir")
    assert listing.startswith("Directory of flash:/\n")
    assert re.search(r"^\d+ bytes total \(\d+ bytes free\)$", listing, re.M)
    one = session.handle("dir flash:/merge_config.txt")
    assert one.startswith("Directory of flash:/merge_config.txt\n")
    size_line = next(x for x in one.splitlines() if x.endswith("merge_config.txt") and "Directory" not in x)
    assert size_line.split()[2] == "11"
    digest = hashlib.md5(b"hostname x\n").hexdigest()
    assert session.handle("verify /md5 flash:/merge_config.txt").endswith(
        f"verify /md5 (flash:/merge_config.txt) = {digest}\n")
    assert session.handle("dir flash:/nope.txt") == (
        "%Error opening flash:/nope.txt (No such file or directory)\n")
    session.handle("delete flash:/merge_config.txt")
    assert session.prompt() == "Delete filename [merge_config.txt]? "
    session.handle("")
    assert session.prompt() == "Delete flash:/merge_config.txt? [confirm]"
    session.handle("")
    assert not (dev.flash_dir / "merge_config.txt").exists()
    assert session.handle("delete /force flash:/merge_config.txt") == (
        "%Error deleting flash:/merge_config.txt (No such file or directory)\n")


def test_write_memory_forms_and_copy_run_start() -> None:
    dev = device()
    session = enabled(dev)
    for save in ("write memory", "write mem", "wr", "write"):
        run(session, "conf t", f"ntp server 10.9.9.{len(save)}", "end")
        assert body(dev.saved_config()) != body(dev.running_config())
        assert session.handle(save) == "Building configuration...\n[OK]\n"
        assert body(dev.saved_config()) == body(dev.running_config())
    run(session, "conf t", "ntp server 10.9.9.99", "end")
    session.handle("copy running-config startup-config")
    assert session.prompt() == "Destination filename [startup-config]? "
    assert session.handle("") == "Building configuration...\n[OK]\n"
    assert "ntp server 10.9.9.99" in dev.saved_config()
    assert re.search(r"^! NVRAM config last updated at .* by admin$", dev.saved_config(), re.M)


def test_file_prompt_quiet_silences_copy_and_merge_applies_the_file() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "configure terminal", "file prompt quiet", "end")
    assert dev.flash_dir is not None
    (dev.flash_dir / "merge_config.txt").write_text(
        "interface Loopback9\n description Hợp nhất\n ip address 10.9.9.9 255.255.255.255\n"
        "ip route 10.99.0.0 255.255.0.0 10.254.0.26\nend\n", encoding="utf-8")
    out = session.handle("copy flash:/merge_config.txt running-config")
    assert re.fullmatch(r"\d+ bytes copied in [\d.]+ secs \(\d+ bytes/sec\)\n", out)
    text = dev.running_config()
    assert "interface Loopback9\n description Hợp nhất\n" in text
    assert "ip route 10.99.0.0 255.255.0.0 10.254.0.26\n" in text
    (dev.flash_dir / "bad.txt").write_text("interface Loopback8\n ip adress 1.1.1.1 255.255.255.255\n",
                                           encoding="utf-8")
    out = session.handle("copy flash:/bad.txt running-config")
    assert "ip adress 1.1.1.1 255.255.255.255\n   ^\n% Invalid input detected at '^' marker.\n" in out
    run(session, "configure terminal", "no file prompt quiet", "end")
    session.handle("copy running-config flash:/backup.cfg")
    assert session.prompt() == "Destination filename [backup.cfg]? "


# --- archive and configure replace ------------------------------------------------------------

def test_configure_replace_with_own_running_config_changes_nothing() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "configure terminal", "file prompt quiet", "end", "copy running-config flash:/same.cfg")
    before = body(dev.running_config())
    run(session, "configure terminal", "hostname other", "interface Loopback1", "end")
    out = session.handle("configure replace flash:/same.cfg force")
    assert out == "Total number of passes: 1\nRollback Done\n"
    assert body(dev.running_config()) == before
    assert session.prompt() == "stp-r1#"


def test_configure_replace_reverts_on_error_and_asks_without_force() -> None:
    dev = device()
    session = enabled(dev)
    assert dev.flash_dir is not None
    good = "\n".join(body(dev.running_config())).replace("hostname stp-r1", "hostname stp-r2")
    (dev.flash_dir / "candidate_config.txt").write_text(good, encoding="utf-8")
    (dev.flash_dir / "broken.txt").write_text(good.replace("ntp server 10.250.0.2", "ntp servr 1"),
                                              encoding="utf-8")
    out = session.handle("configure replace flash:/broken.txt force revert trigger error")
    assert "The original configuration has been successfully restored." in out
    assert dev.hostname == "stp-r1"
    session.handle("configure replace flash:/candidate_config.txt")
    assert session.prompt().endswith("? [no]: ")
    assert session.handle("yes").endswith("Rollback Done\n")
    assert session.prompt() == "stp-r2#"


def test_archive_differences_with_parent_context() -> None:
    dev = device()
    session = enabled(dev)
    run(session, "configure terminal", "file prompt quiet", "end", "copy running-config flash:/a.cfg",
        "configure terminal", "interface GigabitEthernet0/0/1", "description Đổi mô tả", "end",
        "copy running-config flash:/b.cfg")
    diff = session.handle("show archive config differences flash:/a.cfg flash:/b.cfg")
    assert diff == ("!Contextual Config Diffs:\ninterface GigabitEthernet0/0/1\n +description Đổi mô tả\n"
                    " -description LAN - Sở Tư pháp\n")
    assert session.handle("show archive config differences flash:/b.cfg system:running-config") == (
        "!Contextual Config Diffs:\n!No changes were found\n")
    assert session.handle("show archive config incremental-diffs flash:/a.cfg ignorecase") == (
        "!List of Commands:\ninterface GigabitEthernet0/0/1\n description LAN - Sở Tư pháp\nend\n")


def test_archive_feature_follows_the_configuration() -> None:
    session = enabled(device())
    assert session.handle("show archive").startswith("The maximum archive configurations allowed is 10.")
    run(session, "configure terminal", "no archive", "end")
    assert session.handle("show archive") == "Archive feature not enabled\n"


# --- state ------------------------------------------------------------------------------------

def test_saved_config_and_flash_persist_across_restarts(tmp_path: Path) -> None:
    dev = device(tmp_path / "stp-r1")
    assert dev.flash_dir == tmp_path / "stp-r1" / "flash"
    assert (tmp_path / "stp-r1" / "startup-config").read_text(encoding="utf-8") == dev.body()
    session = enabled(dev)
    run(session, "configure terminal", "hostname stp-r1-saved", "end", "write memory",
        "configure terminal", "hostname stp-r1-unsaved", "file prompt quiet", "end",
        "copy running-config flash:/keep.cfg")
    again = device(tmp_path / "stp-r1")
    assert again.hostname == "stp-r1-saved"
    assert body(again.running_config()) == body(again.saved_config())
    assert (again.flash_dir / "keep.cfg").is_file()


def test_in_memory_device_owns_a_temporary_flash() -> None:
    a, b = device(), device()
    assert a.flash_dir is not None and b.flash_dir is not None
    assert a.flash_dir != b.flash_dir and a.flash_dir.is_dir()


# --- initial configuration and planted problems ------------------------------------------------

def test_initial_config_from_inventory_data() -> None:
    text = IosDevice.initial_config(HOST)
    assert text == IosDevice.initial_config(dict(HOST))  # deterministic
    assert "\nhostname stp-r1\n" in text
    assert "interface GigabitEthernet0/0/0\n description WAN TSLCD - TSLCD-AGG-0007 - 100 Mbps\n" \
           " ip address 10.254.0.25 255.255.255.252\n ip access-group WAN-IN in\n" in text
    assert "interface GigabitEthernet0/0/1\n description LAN - Sở Tư pháp\n" \
           " ip address 10.10.7.1 255.255.255.0\n ip access-group LAN-IN in\n" in text
    assert "ip route 0.0.0.0 0.0.0.0 10.254.0.26 name WAN-TSLCD\n" in text
    for line in ("ip scp server enable", "archive", " path flash:archive", "ntp server 10.250.0.1 prefer",
                 "logging host 10.250.0.10", " access-class MGMT-SSH in vrf-also", " transport input ssh"):
        assert f"\n{line}\n" in text
    lan_in = text.split("ip access-list extended LAN-IN\n")[1].split("!")[0].splitlines()
    assert len(lan_in) >= 5 and lan_in[-1].endswith("deny   ip any any log")
    assert text.startswith("version 17.6\n") and text.endswith("!\nend\n")


@pytest.mark.parametrize("host", [
    {"name": "bare"},
    {"name": "sw", "role": "switch", "lan_prefix": "10.0.11.0/24"},
    {"name": "core", "role": "core-router", "agency_name": "Trung tâm Tích hợp dữ liệu"},
    {"name": "odd", "role": "unknown-role", "lan_prefix": "10.1.2.0/30", "wan_prefix": "10.9.9.0/31"},
])
def test_initial_config_survives_missing_or_unusual_data(host: dict[str, str]) -> None:
    dev = IosDevice(host["name"], host)
    session = enabled(dev)
    assert session.prompt() == f"{host['name']}#"
    assert "Invalid" not in session.handle("show ip interface brief")
    assert dev.running_config().endswith("end\n")


def test_every_supported_problem_is_planted_where_its_finding_says() -> None:
    supported = IosDevice.supported_problems()
    assert supported <= set(PROBLEM_KINDS)
    assert {"any-any-permit", "shadowed-rule", "redundant-rule", "multi-shadowed-rule",
            "telnet-permitted", "no-logging", "unbound-acl", "bound-undefined-acl", "telnet-enabled",
            "snmp-public", "weak-ike", "plaintext-password"} <= supported
    findings = planted_findings(HOST, PROBLEM_KINDS)
    assert sorted(f["kind"] for f in findings) == sorted(supported)
    text = device(problems=PROBLEM_KINDS).running_config()
    lines = [x.strip() for x in text.splitlines()]
    for f in findings:
        assert f["host"] == "stp-r1" and f["platform"] == "cisco_ios"
        assert f["line"] in lines, f
        if f["acl"] and f["kind"] not in ("unbound-acl", "bound-undefined-acl"):
            acl_body = text.split(f"ip access-list extended {f['acl']}\n")[1].split("!")[0]
            assert f" {f['line']}\n" in acl_body
    assert "ip access-list extended WAN-OUT" not in text  # bound but undefined
    assert "service password-encryption" not in text  # else the password would not be in clear


def test_each_problem_alone_changes_only_what_it_plants() -> None:
    def lines(dev: IosDevice) -> Counter[str]:
        text = dev.running_config().splitlines()
        return Counter(x for x in text if not x.startswith("Current configuration"))

    clean = lines(device())
    for kind in sorted(IosDevice.supported_problems()):
        [finding] = planted_findings(HOST, (kind,))
        planted = lines(device(problems=(kind,)))
        added, removed = planted - clean, clean - planted
        if not any(line.strip() == finding["line"] for line in added):
            # a problem that is a missing line (no NTP, no access-class): it only drops clean lines
            assert removed and not added, kind
    assert planted_findings(HOST, ("disabled-rule",)) == []


def test_planted_config_is_accepted_by_the_model_grammar() -> None:
    dev = device(problems=PROBLEM_KINDS)
    session = enabled(dev)
    run(session, "configure terminal", "file prompt quiet", "end", "copy running-config flash:/all.cfg")
    out = session.handle("show archive config incremental-diffs flash:/all.cfg")
    assert out == "!List of Commands:\nend\n!No changes were found\n"


@pytest.mark.parametrize("template", ["baseline", "restructure"])
def test_project_templates_are_valid_configuration(tmp_path: Path, template: str) -> None:
    """Every line tslcd's IOS templates render for the sample inventory is accepted, and lands."""
    from tslcd.push.render import Renderer, load_vars

    (tmp_path / "tslcd.yaml").write_text(yaml.safe_dump(
        {"inventory": str(ROOT / "inventory"), "data": str(tmp_path / "data")}), encoding="utf-8")
    inventory = load_inventory(load_config(str(tmp_path / "tslcd.yaml")))
    hosts = {h.name: h for h in inventory if h.platform == "cisco_ios"}
    renderer = Renderer(ROOT / "templates", template, inventory,
                        load_vars(ROOT / "templates" / "change.example.yaml"))
    rendered = [r for r in renderer.render_all(list(hosts.values())) if not r.skipped]
    assert rendered
    for change in rendered:
        dev = IosDevice(change.host, hosts[change.host].flat())
        session = enabled(dev)
        session.handle("configure terminal")
        refused = [(line, out) for line in change.text.splitlines()
                   if "% Invalid" in (out := session.handle(line)) or "% Incomplete" in out]
        assert refused == [], change.host
        session.handle("end")
        running = {x.strip() for x in dev.running_config().splitlines()}
        body_lines = change.text.split("^C")[0::2]  # outside banner text
        plain = [x.strip() for part in body_lines for x in part.splitlines()
                 if x.strip() and not x.strip().startswith(("permit ", "deny ", "banner "))]
        assert [x for x in plain if x not in running] == [], change.host
