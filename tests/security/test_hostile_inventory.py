"""Hostile or clumsy inventory edits are refused by `tslcd inventory check` (exit 2, file:line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.errors import InputError
from tslcd.inventory import load_inventory
from tslcd.lab.devices import build_devices
from tslcd.lab.topology import Topology, load_topology
from tslcd.store.configs import layout_path

from .conftest import Project

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("name", ["../../x", "stc/r1", "-r1", ".r1", "''", "r 1", "r1;reboot",
                                  "'r1\\nx'", "\"$(id)\""])
def test_bad_host_names(project: Project, name: str) -> None:
    line = project.line_of("hosts.yaml", "hostname: 127.21.2.1") - 1
    project.edit("hosts.yaml", "stc-r1:\n", f"{name}:\n")
    project.check_fails(f"hosts.yaml:{line}:", "is not allowed")


def test_bad_group_name(project: Project) -> None:
    project.append("groups.yaml", "../etc: {}\n")
    project.check_fails("groups.yaml:", "group name '../etc' is not allowed")


@pytest.mark.parametrize(("key", "value"), [("agency_type", "../../.."), ("agency_code", "a/b")])
def test_backup_folders_from_data_are_safe_names(project: Project, key: str, value: str) -> None:
    original = {"agency_type": "    agency_type: so\n", "agency_code": "    agency_code: STC\n"}[key]
    project.edit("hosts.yaml", original, f"    {key}: {value}\n")
    line = project.line_of("hosts.yaml", f"{key}: {value}")
    project.check_fails(f"hosts.yaml:{line}:", f"{key} '{value}' names a backup folder")


@pytest.mark.parametrize("other", ["STC-R1", "stc-r1."])
def test_two_hosts_one_backup_file(project: Project, other: str) -> None:
    text = (project.inventory / "hosts.yaml").read_text(encoding="utf-8")
    block = text[text.index("stc-r1:\n"):text.index("stc-fw1:\n")]
    copy = block.replace("stc-r1:\n", f"{other}:\n").replace("127.21.2.1", "127.21.99.1")
    project.append("hosts.yaml", copy)
    project.check_fails(f"host '{other}': its backup file so/stc/stc-r1.cfg is already host 'stc-r1'")


def test_layout_never_leaves_the_repository() -> None:
    for name in ("..", "../x", "/etc/passwd", ".git"):
        path = layout_path(name, "..", "/")
        assert ".." not in path.split("/") and not path.startswith("/") and ".git" not in path.split("/")


def test_lab_state_stays_in_its_folder(tmp_path: Path, project: Project) -> None:
    host = load_inventory(project.config()).hosts["stc-r1"]
    bad = type(host)(**{**host.__dict__, "name": "../../outside"})
    with pytest.raises(InputError, match="outside"):
        build_devices([bad], Topology(), tmp_path / "lab")


@pytest.mark.timeout(30)  # a hang guard; the refusal's time is printed by bench/security.py
@pytest.mark.parametrize("file", ["hosts.yaml", "groups.yaml", "defaults.yaml"])
def test_alias_bomb_refused(project: Project, file: str) -> None:
    (project.inventory / file).write_text(BOMB, encoding="utf-8")
    project.check_fails(f"{file}:", "alias bomb")


def test_recursive_alias_refused(project: Project) -> None:
    project.append("groups.yaml", "loop: &loop\n  data:\n    again: *loop\n")
    project.check_fails("groups.yaml:", "recursive alias")


@pytest.mark.timeout(30)
def test_alias_bomb_in_config_vars_and_topology(project: Project, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    result = project.tslcd("render", "baseline", "--vars", str(bomb), "-f", "stc-r1")
    assert result.exit_code == 2 and "alias bomb" in result.stderr, result.stderr
    with pytest.raises(InputError, match="alias bomb"):
        load_topology(bomb, [])
    project.config_path.write_text(BOMB + "inventory: inventory\n")
    result = project.tslcd("inventory", "check")
    assert result.exit_code == 2 and "alias bomb" in result.stderr, result.stderr


@pytest.mark.parametrize(("file", "old", "new"), [
    ("defaults.yaml", "port: 22\n", "port: 22\npassword: hunter2\n"),
    ("defaults.yaml", "  province: An Giang\n", "  province: An Giang\n  enable_secret: x\n"),
    ("hosts.yaml", "    agency_code: STC\n", "    agency_code: STC\n    snmp_community: public\n"),
    ("hosts.yaml", "stc-r1:\n  hostname: 127.21.2.1\n",
     "stc-r1:\n  hostname: 127.21.2.1\n  connection_options:\n    netmiko:\n      extras:\n"
     "        secret: hunter2\n"),
    ("groups.yaml", "          dest_file_system: 'flash:'\n",
     "          dest_file_system: 'flash:'\n          apiKey: abc\n"),
    ("groups.yaml", "    napalm:\n", "    napalm:\n      password: hunter2\n"),
])
def test_secrets_anywhere_refused(project: Project, file: str, old: str, new: str) -> None:
    project.edit(file, old, new)
    added = [line for line in new.splitlines() if line not in old.splitlines()][-1]
    line = project.line_of(file, added.strip())
    project.check_fails(f"{file}:{line}:", "must not be stored in the inventory")


@pytest.mark.parametrize(("setting", "message"), [
    ("safety: {allowed_networks: [not-a-net]}", "is not a network"),
    ("lab: {port: 70000}", "outside 1-65535"),
    ("workers: 0", "below 1"),
    ("timeouts: {connect: -1}", "more than 0"),
])
def test_impossible_config_values(project: Project, setting: str, message: str) -> None:
    project.config_path.write_text("inventory: inventory\n" + setting + "\n")
    result = project.tslcd("inventory", "check")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
