"""hier_config plans, circular: running + plan == target, and restore commands bring running back.

The "stored configs" are the lab's generated configs for the sample inventory, and the change is
typed into the lab's device models offline, so these tests fail when a plan is wrong for what a
device really accepts (an ACL entry out of order, an object deleted while in use).
"""

from __future__ import annotations

import pytest

from tests.push.helpers import CHANGE_VARS, TEMPLATES, configure, model, sample
from tslcd.platforms import Platform, get_platform
from tslcd.push.diff import plan, remediation, restore_commands, target
from tslcd.push.grouping import group_plans
from tslcd.push.hconfig import parse, render_lines
from tslcd.push.render import Renderer, load_vars
from tslcd.sanitize import sanitize

CASES = [("stttt-r1", "baseline"), ("stttt-r1", "restructure"), ("stttt-fw1", "baseline"),
         ("stttt-fw1", "firewall-policy"), ("stc-fw1", "firewall-policy"), ("stc-fw1", "baseline")]


def _config_lines(text: str, platform: Platform) -> list[str]:
    """The stored form minus comment/header lines (FortiOS headers name the last user)."""
    return [line for line in sanitize(text, platform).splitlines()
            if not line.startswith(("#", "!", ":")) and line.strip()]


def _change(host: str, template: str) -> str:
    _config, inventory = sample()
    return Renderer(TEMPLATES, template, inventory, load_vars(CHANGE_VARS)).render(inventory.hosts[host]).text


@pytest.mark.parametrize(("host", "template"), CASES)
def test_circular(host: str, template: str) -> None:
    _config, inventory = sample()
    info = inventory.hosts[host]
    platform = get_platform(info.platform)
    device = model(info)
    before = device.running_config()
    change = _change(host, template)

    forward = plan(host, info.platform, before, change)
    assert not forward.empty
    assert configure(device, forward.commands) == []
    after = device.running_config()
    assert plan(host, info.platform, after, change).empty, "running + remediation != target"

    assert configure(device, restore_commands(info.platform, after, before)) == []
    back = device.running_config()
    assert restore_commands(info.platform, back, before) == []
    assert restore_commands(info.platform, before, back) == []
    assert _config_lines(back, platform) == _config_lines(before, platform)


def test_owned_acl_entries_not_in_the_template_are_removed() -> None:
    _config, inventory = sample()
    info = inventory.hosts["stttt-r1"]
    device = model(info)
    change = _change("stttt-r1", "baseline")
    configure(device, plan("stttt-r1", "cisco_ios", device.running_config(), change).commands)
    configure(device, ["ip access-list standard MGMT-ACCESS", "permit 192.0.2.0 0.0.0.255"])
    again = plan("stttt-r1", "cisco_ios", device.running_config(), change)
    assert any("192.0.2.0" in line and line.strip().startswith("no ") for line in again.commands)
    configure(device, again.commands)
    assert "192.0.2.0" not in device.running_config()
    assert plan("stttt-r1", "cisco_ios", device.running_config(), change).empty


def test_unrelated_config_is_left_alone() -> None:
    _config, inventory = sample()
    info = inventory.hosts["stttt-r1"]
    before = model(info).running_config()
    commands = plan("stttt-r1", "cisco_ios", before, _change("stttt-r1", "restructure")).commands
    assert not any(line.startswith("no ") for line in commands)  # a new VRF/sub-interface only adds


def test_identical_changes_are_grouped() -> None:
    _config, inventory = sample()
    renderer = Renderer(TEMPLATES, "baseline", inventory, load_vars(CHANGE_VARS))
    plans = []
    for host in inventory:
        rendered = renderer.render(host)
        if not rendered.skipped and host.platform == "cisco_ios":
            plans.append(plan(host.name, host.platform, model(host).running_config(), rendered.text))
    groups = group_plans(plans)
    assert sum(len(g.hosts) for g in groups) == len(plans)
    assert len(groups[0].hosts) > len(plans) // 2, [g.summary for g in groups]
    assert groups[0].summary.startswith(f"{len(groups[0].hosts)} hosts (cisco_ios) get these ")


@pytest.mark.parametrize("template", ["baseline", "restructure", "firewall-policy"])
def test_planning_on_the_relevant_part_equals_planning_on_the_whole_config(template: str) -> None:
    _config, inventory = sample()
    renderer = Renderer(TEMPLATES, template, inventory, load_vars(CHANGE_VARS))
    for host in inventory:
        rendered = renderer.render(host)
        if rendered.skipped:
            continue
        running = model(host).running_config()
        whole = parse(host.platform, running)
        everything = render_lines(host.platform, remediation(
            whole, target(host.platform, whole, parse(host.platform, rendered.text))))
        assert list(plan(host.name, host.platform, running, rendered.text).commands) == everything, host.name


def test_asa_access_list_ends_in_the_template_order() -> None:
    _config, inventory = sample()
    info = inventory.hosts["stc-fw1"]
    device = model(info)
    change = _change("stc-fw1", "firewall-policy")
    assert configure(device, plan("stc-fw1", "cisco_asa", device.running_config(), change).commands) == []
    inserted = "access-list TSLCD-LAN-IN extended permit tcp object LAN-STC object TSLCD-LGSP eq ssh log"
    lines = change.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("access-list TSLCD-LAN-IN")) + 1
    reordered = "\n".join([*lines[:at], inserted, *lines[at:]]) + "\n"
    fix = plan("stc-fw1", "cisco_asa", device.running_config(), reordered)
    assert configure(device, fix.commands) == []
    running = [line for line in device.running_config().splitlines()
               if line.startswith("access-list TSLCD-LAN-IN ")]
    wanted = [line for line in reordered.splitlines() if line.startswith("access-list TSLCD-LAN-IN ")]
    assert running == wanted
    assert plan("stc-fw1", "cisco_asa", device.running_config(), reordered).empty


def test_asa_banner_change_rewrites_the_whole_banner() -> None:
    """An ASA's "no banner login TEXT" drops every login line, so a changed line resends them all."""
    _config, inventory = sample()
    device = model(inventory.hosts["stc-fw1"])
    change = _change("stc-fw1", "baseline")
    assert configure(device, plan("stc-fw1", "cisco_asa", device.running_config(), change).commands) == []
    before = device.running_config()
    edited = change.replace("mọi truy cập", "mọi thao tác")
    assert configure(device, plan("stc-fw1", "cisco_asa", before, edited).commands) == []

    def banner(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith("banner login ")]

    assert banner(device.running_config()) == banner(edited) and len(banner(edited)) == 2
    assert plan("stc-fw1", "cisco_asa", device.running_config(), edited).empty
    assert configure(device, restore_commands("cisco_asa", device.running_config(), before)) == []
    assert banner(device.running_config()) == banner(before)


def test_fortios_multi_line_banner_is_one_setting() -> None:
    """The pre-login banner's quoted buffer spans lines: it is diffed as one value, sent as typed."""
    _config, inventory = sample()
    device = model(inventory.hosts["stttt-fw1"])
    change = _change("stttt-fw1", "baseline")
    assert configure(device, plan("stttt-fw1", "fortinet", device.running_config(), change).commands) == []
    edited = change.replace("mọi truy cập", "mọi thao tác")
    commands = plan("stttt-fw1", "fortinet", device.running_config(), edited).commands
    buffer = edited.split('    set buffer "', 1)[1].split('"', 1)[0].split("\n")
    assert commands == ('config system replacemsg admin "pre_admin-disclaimer-text"',
                        f'  set buffer "{buffer[0]}', f'{buffer[1]}"', "  end")
    assert configure(device, commands) == []
    assert plan("stttt-fw1", "fortinet", device.running_config(), edited).empty


@pytest.mark.parametrize("banners", [
    [],  # the sample's multi-line MOTD only: the undo is `no banner login`, without the text
    ["banner exec ^CAuthorized use only^C"],  # IOS prints a one-line banner on one line
    ["banner login ^COld login banner^C", "banner exec ^CHi^C"],
    ["banner login ^C", "Old login banner", "second line", "^C"],
], ids=["motd", "one-line-exec", "one-line-login", "multi-line-login"])
def test_ios_baseline_banner_circular(banners: list[str]) -> None:
    """The IOS baseline's multi-line login banner goes on and comes off a router that has banners."""
    _config, inventory = sample()
    info = inventory.hosts["stttt-r1"]
    platform = get_platform(info.platform)
    device = model(info)
    assert configure(device, banners) == []
    before = device.running_config()
    assert "banner motd ^C" in before
    change = _change("stttt-r1", "baseline")

    forward = plan("stttt-r1", info.platform, before, change)
    assert configure(device, forward.commands) == []
    after = device.running_config()
    assert "banner login ^C\nCẢNH BÁO" in after
    assert plan("stttt-r1", info.platform, after, change).empty, "running + remediation != target"

    undo = restore_commands(info.platform, after, before)
    if not any(line.startswith("banner login") for line in banners):
        assert "no banner login" in undo
    assert not any(line.startswith("no banner") and "^C" in line for line in undo)  # IOS: no text
    assert configure(device, undo) == []
    back = device.running_config()
    assert restore_commands(info.platform, back, before) == []
    assert restore_commands(info.platform, before, back) == []
    assert _config_lines(back, platform) == _config_lines(before, platform)
