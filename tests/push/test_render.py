"""Rendering: every sample host renders, applies-to skips, and a missing variable names everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.push.helpers import CHANGE_VARS, TEMPLATES, sample
from tslcd.cli import app
from tslcd.cli.register import load_commands
from tslcd.push.render import Renderer, RenderError, load_vars, nth_host, nth_subnet, subnet_index


@pytest.mark.parametrize("template", ["baseline", "restructure", "firewall-policy"])
def test_every_sample_host_renders(template: str) -> None:
    _config, inventory = sample()
    rendered = Renderer(TEMPLATES, template, inventory, load_vars(CHANGE_VARS)).render_all(list(inventory))
    applied = [r for r in rendered if not r.skipped]
    assert applied, "the template applies to no host"
    for r in applied:
        assert r.text.strip() and "{{" not in r.text and "{%" not in r.text


def test_applies_to_skips_other_roles_and_platforms() -> None:
    _config, inventory = sample()
    renderer = Renderer(TEMPLATES, "restructure", inventory, load_vars(CHANGE_VARS))
    switch = renderer.render(inventory.hosts["ttdl-sf-sw1"])
    firewall = renderer.render(inventory.hosts["stttt-fw1"])
    assert switch.skipped == "template applies to role=router"
    assert firewall.skipped == "no restructure template for platform fortinet"
    assert not switch.text and not firewall.text


def test_restructure_addressing_comes_from_host_data() -> None:
    _config, inventory = sample()
    text = Renderer(TEMPLATES, "restructure", inventory, load_vars(CHANGE_VARS)).render(
        inventory.hosts["stttt-r1"]).text
    # stttt-r1's old WAN 10.254.0.4/30 is number 1 in 10.254.0.0/16: VLAN 2001, 10.253.0.4/30
    assert "interface GigabitEthernet0/0/0.2001" in text
    assert " encapsulation dot1Q 2001" in text
    assert " ip address 10.253.0.6 255.255.255.252" in text
    assert "vrf definition TSLCD-STTTT" in text
    assert " description Sở Thông tin và Truyền thông" in text


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def test_missing_variable_names_host_template_line_and_variable() -> None:
    _config, inventory = sample()
    renderer = Renderer(TEMPLATES, "restructure", inventory)  # no change file: wan_pool missing
    with pytest.raises(RenderError) as caught:
        renderer.render_all(list(inventory))
    line = _line_of(TEMPLATES / "cisco_ios" / "restructure.j2", "subnet_index(wan_pool)")
    assert str(caught.value) == (f"host ttdl-core-r1: template cisco_ios/restructure.j2, line {line}: "
                                 "undefined variable: wan_pool")


def test_missing_attribute_is_named(tmp_path: Path) -> None:
    _config, inventory = sample()
    (tmp_path / "cisco_ios").mkdir()
    (tmp_path / "cisco_ios" / "t.j2").write_text("hostname {{ name }}\n!\nip domain name {{ site.domain }}\n",
                                                 encoding="utf-8")
    renderer = Renderer(tmp_path, "t", inventory, load_vars(None))
    renderer.vars.shared["site"] = {"name": "x"}
    with pytest.raises(RenderError, match=r"template cisco_ios/t.j2, line 3: undefined variable: domain"):
        renderer.render(inventory.hosts["stttt-r1"])


def test_change_file_per_host_overrides(tmp_path: Path) -> None:
    _config, inventory = sample()
    change = tmp_path / "change.yaml"
    change.write_text(CHANGE_VARS.read_text(encoding="utf-8").replace(
        "hosts: {}", "hosts:\n  stttt-r1:\n    vlan_id: 3999\n"), encoding="utf-8")
    renderer = Renderer(TEMPLATES, "restructure", inventory, load_vars(change))
    assert " encapsulation dot1Q 3999" in renderer.render(inventory.hosts["stttt-r1"]).text
    assert " encapsulation dot1Q 3999" not in renderer.render(inventory.hosts["stc-r1"]).text


def test_address_filters() -> None:
    assert nth_host("10.254.0.4/30", 2) == "10.254.0.6"
    assert subnet_index("10.254.0.4/30", "10.254.0.0/16") == 1
    assert nth_subnet("10.253.0.0/16", 30, 1) == "10.253.0.4/30"
    with pytest.raises(ValueError):
        nth_host("10.254.0.4/30", 4)


def test_cli_render_fails_with_exit_2_naming_the_variable() -> None:
    load_commands(["render"])  # the render sub-command attaches itself to `app` on import
    result = CliRunner().invoke(app, ["--config", str(TEMPLATES.parent / "tslcd.yaml"), "render",
                                      "restructure", "-f", "stttt-r1"])
    assert result.exit_code == 2
    assert "host stttt-r1: template cisco_ios/restructure.j2, line" in result.output
    assert "undefined variable: wan_pool" in result.output
