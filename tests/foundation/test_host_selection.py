"""One way to select hosts: host names as arguments on every device command, and a config file's
platform detected from its content when --platform is left out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tslcd.cli.common import host_terms, selection
from tslcd.errors import InputError
from tslcd.platforms import detect_platform

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(__file__).parent / "fixtures" / "real" / "platform_detect"


def tslcd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_host_arguments_are_one_any_of_term_anded_with_the_filters() -> None:
    assert host_terms(None) == [] and host_terms([]) == []
    assert selection(["role=firewall"], ["stc-fw1", "stc-*"]) == ["role=firewall", "name=stc-fw1|stc-*"]
    for bad in ("role=firewall", "a,b", "a|b", " stc-fw1"):
        with pytest.raises(InputError, match="not a host name"):
            host_terms([bad])


@pytest.mark.parametrize("command", [["backup"], ["facts"], ["run", "backup"], ["audit"],
                                     ["push", "baseline"], ["render", "baseline"], ["rollback", "1"]])
def test_every_device_command_takes_host_names(command: list[str]) -> None:
    usage = tslcd(*command, "--help").stdout
    assert "[HOST]..." in usage


def test_render_selects_exactly_the_named_hosts() -> None:
    result = tslcd("render", "baseline", "stc-r1", "ubnd-ap-r1", "--json", "--vars",
                   str(ROOT / "templates" / "change.example.yaml"))
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["hosts"]) == ["stc-r1", "ubnd-ap-r1"]


def test_a_host_name_that_selects_nothing_is_an_input_error() -> None:
    result = tslcd("backup", "no-such-host")
    assert result.returncode == 2 and "no host matches 'name=no-such-host'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "platform"), [
    ("napalm_ios_csr1.cfg", "cisco_ios"), ("batfish_asa_acl_object.cfg", "cisco_asa"),
    ("batfish_asa_interface.cfg", "cisco_asa"), ("batfish_fortios_firewall_policy.cfg", "fortinet"),
])
def test_real_configs_are_recognised(name: str, platform: str) -> None:
    found = detect_platform((REAL / name).read_text(encoding="utf-8"))
    assert found is not None and found.name == platform


def test_lab_configs_are_recognised() -> None:
    from tslcd.lab.devices import registry_model

    host = {"name": "x", "hostname": "127.0.0.9", "agency_code": "X", "agency_name": "X",
            "role": "firewall", "lan_prefix": "10.1.1.0/24", "wan_prefix": "10.2.0.0/30"}
    for platform in ("cisco_ios", "cisco_asa", "fortinet"):
        found = detect_platform(registry_model(platform).initial_config(host))
        assert found is not None and found.name == platform


def test_text_that_is_no_known_config_is_not_guessed() -> None:
    assert detect_platform("") is None
    assert detect_platform("hello\nworld\n") is None


def test_audit_file_without_platform_says_which_it_chose(tmp_path: Path) -> None:
    config = tmp_path / "tslcd.yaml"
    config.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    result = tslcd("--config", str(config), "audit", "--file",
                   str(REAL / "batfish_asa_acl_object.cfg"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "platform cisco_asa (detected from the content" in result.stderr
    unknown = tmp_path / "notes.txt"
    unknown.write_text("not a config\n", encoding="utf-8")
    refused = tslcd("--config", str(config), "audit", "--file", str(unknown))
    assert refused.returncode == 2 and "cannot tell the platform" in refused.stderr
