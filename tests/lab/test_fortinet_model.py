"""The lab FortiGate model through its CLI session, without SSH."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tslcd.lab.models.base import PROBLEM_KINDS, CliSession
from tslcd.lab.models.fortinet import FortinetDevice, planted_findings

HOST = {
    "name": "skhdt-fw1", "hostname": "127.21.3.2", "platform": "fortinet", "agency_code": "SKHDT",
    "agency_name": "Sở Kế hoạch và Đầu tư", "agency_type": "so", "district": "long-xuyen",
    "district_name": "Thành phố Long Xuyên", "role": "firewall", "lan_prefix": "10.10.3.0/24",
    "wan_prefix": "10.254.0.12/30", "circuit_id": "TSLCD-AGG-0003", "bandwidth_mbps": 100,
}
DC_HOST = {**HOST, "name": "ttdl-core-fw1", "agency_code": "TTDL", "agency_type": "ttdl",
           "agency_name": "Trung tâm Tích hợp dữ liệu tỉnh", "lan_prefix": "10.0.10.0/24"}
PARSE_ERROR = "Command fail. Return code -61"


def device(tmp_path: Path | None = None, problems: tuple[str, ...] = (),
           host: dict | None = None) -> FortinetDevice:
    host = host or HOST
    return FortinetDevice(host["name"], host, tmp_path, problems)


def run(session: CliSession, *lines: str) -> str:
    """Feed lines one by one; the output of the last one."""
    output = ""
    for line in lines:
        output = session.handle(line)
    return output


def conf_ver(text: str) -> int:
    match = re.search(r"^#conf_file_ver=(\d+)$", text, re.M)
    assert match
    return int(match.group(1))


@pytest.fixture
def fgt(tmp_path: Path) -> FortinetDevice:
    return device(tmp_path)


def test_prompts_follow_config_and_edit_levels(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    assert cli.prompt() == "skhdt-fw1 # "
    run(cli, "config firewall policy")
    assert cli.prompt() == "skhdt-fw1 (policy) # " and cli.in_config_mode
    run(cli, "edit 3")
    assert cli.prompt() == "skhdt-fw1 (3) # "
    run(cli, "next")
    assert cli.prompt() == "skhdt-fw1 (policy) # "
    run(cli, "end")
    assert cli.prompt() == "skhdt-fw1 # " and not cli.in_config_mode
    run(cli, "config system snmp community", "edit 1", "config hosts")
    assert cli.prompt() == "skhdt-fw1 (hosts) # "
    run(cli, "end")
    assert cli.prompt() == "skhdt-fw1 (1) # "


def test_what_netmiko_reads_on_connect(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    virtual = run(cli, "get system status | grep Virtual")
    assert "Virtual domain configuration: disable" in virtual
    assert all("Virtual" in line for line in virtual.splitlines())
    version = run(cli, "get system status | grep Version")
    assert re.search(r"^Version\s*:\s+.*v[78]\..*$", version, re.M)
    assert re.search(r"output\s+:\s+standard\s*$", run(cli, "get system console"), re.M)
    status = run(cli, "get system status")
    assert "Serial-Number: FG100FTK" in status and "Hostname: skhdt-fw1" in status
    assert re.search(r"^Uptime: \d+ days", run(cli, "get system performance status"), re.M)


def test_edit_set_next_end_applies_and_saves(tmp_path: Path) -> None:
    fgt = device(tmp_path)
    before = fgt.running_config()
    cli = fgt.new_session("admin", "unused")
    run(cli, "config firewall address", 'edit "MAY-IN"', "set subnet 10.10.3.50/32",
        "set comment 'Máy in tầng 2'")
    assert fgt.running_config() == before  # nothing applied before next
    run(cli, "next")
    applied = fgt.running_config()
    assert 'edit "MAY-IN"' in applied and "set subnet 10.10.3.50 255.255.255.255" in applied
    assert 'set comment "Máy in tầng 2"' in applied
    assert conf_ver(applied) == conf_ver(before) + 1
    run(cli, "end")
    assert fgt.saved_config() == fgt.running_config() == applied  # unchanged: same version
    assert (tmp_path / "fortios.conf").read_text(encoding="utf-8") == applied


def test_unchanged_device_prints_identical_text(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    first = run(cli, "show full-configuration")
    run(cli, "config firewall policy", "edit 1", "set status enable", "next", "end")
    assert run(cli, "show full-configuration") == first
    assert run(cli, "show") == run(fgt.new_session("admin", "x"), "show")


def test_show_hides_defaults_full_configuration_shows_them(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    short = run(cli, "show firewall policy 1")
    full = run(cli, "show full-configuration firewall policy 1")
    assert short.startswith("config firewall policy\n    edit 1\n")
    for default in ("set status enable", "set logtraffic-start disable", "set nat disable"):
        assert default not in short and default in full
    assert 'set schedule "always"' in short and 'set schedule "always"' in full
    whole = run(cli, "show")
    assert whole.startswith("#config-version=FG100F-7.02.08-FW-build1639-240313:opmode=0:vdom=0:user=admin\n")
    assert "#global_vdom=1" in whole and "\n    edit 1\n        set name " in whole


def test_unset_append_unselect_delete_move(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    run(cli, "config firewall addrgrp", "edit DC-PUBLIC", "append member LGSP-SRV")
    assert 'set member "CONG-DVC-SRV" "MOTCUA-SRV" "LGSP-SRV"' in run(cli, "show")
    run(cli, "unselect member MOTCUA-SRV", "unset comment", "next", "end")
    group = run(cli, "show firewall addrgrp")
    assert 'set member "CONG-DVC-SRV" "LGSP-SRV"' in group and "set comment" not in group
    order = lambda: re.findall(r"^    edit (\d+)$", run(cli, "show firewall policy"), re.M)  # noqa: E731
    ids = order()
    run(cli, "config firewall policy", f"move {ids[-1]} before {ids[0]}")
    run(cli, f"delete {ids[1]}", "end")
    assert order() == [ids[-1], ids[0], *ids[2:-1]]


def test_abort_discards_what_was_not_applied(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    before = fgt.running_config()
    run(cli, "config firewall policy", "edit 1", "set action deny", "set status disable", "abort")
    assert cli.prompt() == "skhdt-fw1 # "
    assert fgt.running_config() == before
    run(cli, "config firewall policy", "edit 1")
    assert "set action accept" in run(cli, "show")


def test_purge_asks_and_refuses_objects_in_use(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    question = run(cli, "config firewall address", "purge")
    assert question.endswith("Do you want to continue? (y/n)") and cli.prompt() == ""
    assert "Return code -23" in run(cli, "y")
    run(cli, "end", "config system snmp community", "edit 1", "config hosts", "purge")
    run(cli, "y", "end", "next", "end")
    assert "config hosts" not in run(cli, "show system snmp community")


def test_errors_look_like_fortios(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    assert run(cli, "shwo") == "Unknown action 0"
    assert run(cli, "show firewall bogus") == f"command parse error before 'bogus'\n{PARSE_ERROR}"
    run(cli, "config firewall policy", "edit 1")
    assert run(cli, "set colour 3") == f"command parse error before 'colour'\n{PARSE_ERROR}"
    assert run(cli, "set action maybe") == f"command parse error before 'maybe'\n{PARSE_ERROR}"
    missing = run(cli, "set dstaddr KHONG-CO")
    assert missing.startswith("entry not found in datasource\n")
    assert missing.endswith("value parse error before 'KHONG-CO'\nCommand fail. Return code -3")
    run(cli, "abort", "config firewall policy", "edit 99", "set srcintf lan")
    assert run(cli, "next") == "Attribute 'dstintf' MUST be set.\nCommand fail. Return code -56"
    assert cli.prompt() == "skhdt-fw1 (policy) # "  # the incomplete entry is dropped, not kept open
    run(cli, "edit 98", "set srcintf lan")
    assert "99" not in run(cli, "show")
    run(cli, "abort", "config firewall address")
    assert "Return code -23" in run(cli, "delete LGSP-SRV")
    assert "Return code -3" in run(cli, "delete KHONG-CO")
    assert cli.rejected("set foo bar") == f"command parse error before 'set'\n{PARSE_ERROR}"


def test_rename_follows_references(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    run(cli, "config firewall address", "rename QLVB-SRV to QLVB-MOI", "end")
    policies = run(cli, "show firewall policy")
    assert '"QLVB-MOI"' in policies and '"QLVB-SRV"' not in policies


def test_hostname_change_changes_prompt(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "unused")
    run(cli, "config system global", "set hostname FGT-SKHDT")
    assert cli.prompt() == "skhdt-fw1 (global) # "
    run(cli, "end")
    assert cli.prompt() == "FGT-SKHDT # "


def test_state_survives_a_new_model_on_the_same_folder(tmp_path: Path) -> None:
    first = device(tmp_path, ("no-logging",))
    run(first.new_session("admin", "x"), "config firewall policy", "edit 2", "set status disable",
        "next", "move 2 after 4", "end")
    again = device(tmp_path, ("no-logging",))
    assert again.running_config() == first.running_config()
    assert conf_ver(again.running_config()) == conf_ver(first.running_config())
    fresh = device(None, ("no-logging",))
    assert fresh.running_config() != again.running_config()


def test_initial_config_is_deterministic_and_vietnamese() -> None:
    text = FortinetDevice.initial_config(HOST, PROBLEM_KINDS)
    assert text == FortinetDevice.initial_config(HOST, PROBLEM_KINDS)
    assert 'set comments "Sở Kế hoạch và Đầu tư truy cập LGSP"' in text
    assert 'set comment "Mạng LAN Sở Kế hoạch và Đầu tư - Thành phố Long Xuyên"' in text
    assert "set subnet 10.10.3.0 255.255.255.0" in text and "set ip 10.254.0.14 255.255.255.252" in text
    clean = FortinetDevice.initial_config(HOST)
    assert 8 <= clean.count("set srcintf") <= 15  # the standard policy
    assert text.count("set srcintf") > clean.count("set srcintf")  # plus the planted rules


def test_missing_optional_inventory_keys_do_not_crash() -> None:
    text = FortinetDevice.initial_config({"name": "fw-x"}, PROBLEM_KINDS)
    assert 'set hostname "fw-x"' in text


def test_data_centre_firewall_serves_the_agencies() -> None:
    text = FortinetDevice.initial_config(DC_HOST)
    assert 'edit "MANG-CO-QUAN"' in text and 'set name "LGSP-NGSP"' in text


@pytest.mark.parametrize("host", [HOST, DC_HOST], ids=["agency", "data-centre"])
def test_planted_findings_are_in_the_config(host: dict) -> None:
    problems = tuple(PROBLEM_KINDS)
    text = FortinetDevice.initial_config(host, problems)
    findings = planted_findings(host, problems)
    assert {f["kind"] for f in findings} == FortinetDevice.supported_problems()
    blocks = text.split("config firewall policy\n")[1].split("\nend\n")[0].split("\n    next\n")
    by_id = {re.search(r"edit (\d+)", b).group(1): b for b in blocks if "edit" in b}
    for finding in findings:
        assert finding["host"] == host["name"] and finding["platform"] == "fortinet"
        assert finding["line"] in text, finding
        if finding["acl"] == "policy":
            assert finding["line"] in by_id[finding["rule"]], finding


def test_unsupported_problems_are_ignored() -> None:
    assert FortinetDevice.initial_config(HOST, ("undefined-reference", "plaintext-password")) == \
        FortinetDevice.initial_config(HOST)
    assert planted_findings(HOST, ("undefined-reference",)) == []


def test_pre_login_banner_with_a_multi_line_vietnamese_buffer(tmp_path: Path) -> None:
    fgt = device(tmp_path)
    header = 'config system replacemsg admin "pre_admin-disclaimer-text"'
    stock = [header, "    set buffer ''", "    set header none", "    set format text", "end"]
    assert "\n".join(stock) in fgt.show(full=True) and header not in fgt.show(full=False)
    cli = fgt.new_session("admin", "unused")
    run(cli, "config system global", "set pre-login-banner enable", "end", header)
    assert run(cli, '    set buffer "CẢNH BÁO: thiết bị của mạng TSLCD.') == "" and cli.prompt() == ""
    run(cli, "# dòng này thuộc nội dung, không phải chú thích", "")
    assert run(cli, '  Mọi truy cập đều được ghi nhật ký."') == ""
    assert cli.prompt() == "skhdt-fw1 (pre_admin-disclaimer-text) # "
    run(cli, "end")
    buffer = ['    set buffer "CẢNH BÁO: thiết bị của mạng TSLCD.',
              "# dòng này thuộc nội dung, không phải chú thích", "",
              '  Mọi truy cập đều được ghi nhật ký."']
    assert "\n".join([header, *buffer, "end"]) in fgt.show(full=False)
    assert "\n".join([header, *buffer, "    set header none"]) in fgt.show(full=True)
    assert "    set pre-login-banner enable" in run(cli, "show system global")
    assert device(tmp_path).show(full=True) == fgt.show(full=True)  # replayed from the saved file
    assert run(cli, header, "show").splitlines()[0] == header
    run(cli, "set buffer ''", "end")
    assert "\n".join(stock) in fgt.show(full=True)


def test_paging_banner_reboot_and_grep_options(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "")
    assert cli.page_length == 0  # the lab ships with set output standard
    run(cli, "config system console", "set output more", "end")
    assert cli.page_length == 24 and cli.more_prompt == "--More-- "
    run(cli, "config system global", "set post-login-banner enable", "end")
    second = fgt.new_session("admin", "")
    assert second.banner().endswith("(Press 'a' to accept):") and second.prompt() == ""
    run(second, "a")
    assert not second.closed and second.prompt() == "skhdt-fw1 # "
    third = fgt.new_session("admin", "")
    third.banner()
    run(third, "q")
    assert third.closed
    assert run(cli, "execute reboot").endswith("Do you want to continue? (y/n)")
    assert run(cli, "n").strip() == "Command aborted." and not cli.closed
    shown = run(cli, "show firewall address")
    assert run(cli, "show firewall address | grep -c subnet") == str(shown.count("set subnet"))
    numbered = run(cli, "show firewall address | grep -n subnet").splitlines()
    assert numbered and all(line.split(":", 1)[0].isdigit() for line in numbered)
    context = run(cli, "show firewall address | grep -f subnet").splitlines()
    assert context[0] == "config firewall address" and context[-1] == "end"
    assert any(line.strip().startswith("edit ") for line in context)
    after = run(cli, "show firewall address | grep -A 1 subnet").splitlines()
    assert len(after) > len(numbered)
    assert "HA information" in run(cli, "diagnose sys ha status")
    run(cli, "execute reboot")
    assert run(cli, "y").strip() == "System is rebooting..." and cli.closed


def test_question_mark_lists_verbs_attributes_and_paths(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "")
    assert "config      Configure object." in cli.help("")
    assert "firewall" in cli.help("config ") and "policy" in cli.help("config firewall ")
    run(cli, "config firewall address", "edit x")
    assert "set         Modify value." in cli.help("")
    assert "subnet" in cli.help("set ") and cli.help("set sub").startswith("sub-type")


def test_idle_timeout_follows_admintimeout(fgt: FortinetDevice) -> None:
    cli = fgt.new_session("admin", "")
    run(cli, "config system global", "set admintimeout 15", "end")
    assert cli.idle_timeout() == 15 * 60
