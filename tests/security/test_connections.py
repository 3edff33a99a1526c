"""Connections only where allowed: every address a Netmiko or NAPALM session would really use, from
hosts, groups or defaults.yaml, is checked against safety.allowed_networks, and a name is resolved
once and pinned so the driver connects to the checked address."""

from __future__ import annotations

import pytest

from tslcd.inventory import load_inventory
from tslcd.inventory.credentials import Credentials
from tslcd.inventory.runner import make_nornir
from tslcd.netguard import NotAllowedError

from .conftest import Project, fake_dns

CREDS = Credentials("admin", "pw-not-shown", "enable-not-shown")

GROUP_REDIRECT = """cisco_ios:
  connection_options:
    napalm:
      hostname: 10.66.6.6
      extras:
"""


def test_group_connection_options_hostname_outside(project: Project) -> None:
    project.edit("groups.yaml", "cisco_ios:\n  connection_options:\n    napalm:\n      extras:\n",
                 GROUP_REDIRECT)
    line = project.line_of("groups.yaml", "hostname: 10.66.6.6")
    project.check_fails(f"groups.yaml:{line}:", "connection_options.napalm.hostname",
                 "10.66.6.6 is outside the allowed networks")


def test_defaults_connection_options_outside(project: Project) -> None:
    project.append("defaults.yaml", "connection_options:\n  netmiko:\n    hostname: 192.0.2.10\n"
                   "    port: 2222\n")
    line = project.line_of("defaults.yaml", "hostname: 192.0.2.10")
    project.check_fails(f"defaults.yaml:{line}:", "defaults", "connection_options.netmiko.hostname",
                 "192.0.2.10 is outside")


@pytest.mark.parametrize(("extras", "key", "why"), [
    ("ip: 10.1.2.3", "extras.ip", "outside the allowed networks"),
    ("host: 10.1.2.3", "extras.host", "outside the allowed networks"),
    ("sock: /tmp/tslcd-proxy.sock", "extras.sock", "would route the session around"),
    ("ssh_config_file: /tmp/evil_ssh_config", "extras.ssh_config_file", "would route the session"),
    ("proxy_host: 10.1.2.3", "extras.proxy_host", "would route the session"),
    ("optional_args: {ssh_proxy_jump: bastion}", "extras.optional_args.ssh_proxy_jump", "would route"),
    ("optional_args: {hostname: 10.1.2.3}", "extras.optional_args.hostname", "outside"),
    ("session_log: /tmp/stc-r1.log", "extras.session_log", "would write the device session"),
    ("device_type: cisco_ios_telnet", "extras.device_type", "telnet sends the login in clear"),
    ("optional_args: {transport: telnet}", "extras.optional_args.transport", "another driver"),
])
def test_host_extras_naming_a_route(project: Project, extras: str, key: str, why: str) -> None:
    project.edit("hosts.yaml", "stc-r1:\n  hostname: 127.21.2.1\n",
                 "stc-r1:\n  hostname: 127.21.2.1\n  connection_options:\n    netmiko:\n"
                 f"      extras:\n        {extras}\n")
    line = project.line_of("hosts.yaml", extras.split(":")[0] + ":")
    project.check_fails(f"hosts.yaml:{line}:", "host 'stc-r1'", f"connection_options.netmiko.{key}",
                 why)


@pytest.mark.parametrize("port", ["0", "70000", "-1", "'22'"])
def test_impossible_ports(project: Project, port: str) -> None:
    project.edit("hosts.yaml", "stc-r1:\n  hostname: 127.21.2.1\n",
                 f"stc-r1:\n  hostname: 127.21.2.1\n  port: {port}\n")
    line = project.line_of("hosts.yaml", f"port: {port}")
    project.check_fails(f"hosts.yaml:{line}:", "host 'stc-r1'", "'port'")


def test_connection_option_port_out_of_range(project: Project) -> None:
    project.edit("groups.yaml", "cisco_ios:\n  connection_options:\n    napalm:\n",
                 "cisco_ios:\n  connection_options:\n    napalm:\n      port: 70000\n")
    project.check_fails("groups.yaml:", "connection_options.napalm.port", "70000 is not a port")


def test_connection_platform_cannot_switch_driver(project: Project) -> None:
    project.append("defaults.yaml", "connection_options:\n  netmiko:\n    platform: cisco_ios_telnet\n")
    project.check_fails("defaults.yaml:", "unknown key 'connection_options.netmiko.platform'")


def test_unknown_connection_plugin_refused(project: Project) -> None:
    project.append("defaults.yaml", "connection_options:\n  scrapli:\n    hostname: 127.0.0.1\n")
    project.check_fails("defaults.yaml:", "connection 'scrapli' is never opened by tslcd")


def test_name_resolved_once_and_pinned(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.edit("hosts.yaml", "hostname: 127.21.2.1\n", "hostname: mgmt.example.test\n")
    asked = fake_dns(monkeypatch, "mgmt.example.test", ["127.21.2.1", "10.9.9.9"])
    config = project.config()
    inventory = load_inventory(config)
    nornir = make_nornir(config, inventory, [inventory.hosts["stc-r1"]], lab_credentials=CREDS)
    host = nornir.inventory.hosts["stc-r1"]
    for connection in ("netmiko", "napalm"):
        params = host.get_connection_parameters(connection)
        assert params.hostname == "127.21.2.1"
        assert not {"ip", "host", "hostname"} & set(params.extras)
    assert host.get_connection_parameters("netmiko").extras["ssh_config_file"] is None
    assert asked == ["mgmt.example.test"]  # one lookup for both connections


def test_group_hostname_name_resolving_outside_is_refused(project: Project,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project.edit("groups.yaml", "cisco_ios:\n  connection_options:\n    napalm:\n",
                 "cisco_ios:\n  connection_options:\n    napalm:\n      hostname: mgmt.example.test\n")
    fake_dns(monkeypatch, "mgmt.example.test", ["198.51.100.7"])
    config = project.config()
    inventory = load_inventory(config)  # a name: only DNS can tell
    with pytest.raises(NotAllowedError, match=r"napalm connection.*198\.51\.100\.7.*outside"):
        make_nornir(config, inventory, [inventory.hosts["stc-r1"]], lab_credentials=CREDS)
    project.check_fails("host 'stc-r1' napalm connection", "198.51.100.7", "outside")


def test_lab_port_and_inventory_port_cannot_escape(project: Project) -> None:
    """A --lab run connects to the lab port on the checked address whatever a group says."""
    project.edit("groups.yaml", "cisco_ios:\n  connection_options:\n    napalm:\n",
                 "cisco_ios:\n  connection_options:\n    napalm:\n      port: 2022\n")
    config = project.config()
    inventory = load_inventory(config)
    nornir = make_nornir(config, inventory, [inventory.hosts["stc-r1"]], lab_credentials=CREDS)
    params = nornir.inventory.hosts["stc-r1"].get_connection_parameters("napalm")
    assert (params.hostname, params.port) == ("127.21.2.1", config.lab.port)
    assert params.extras["optional_args"]["dest_file_system"] == "flash:"  # group extras still apply


def test_platform_ssh_options_reach_the_driver_and_the_inventory_wins(project: Project) -> None:
    """FortiOS sessions name the key exchanges to disable, so Netmiko keeps paramiko's modern ones
    (curve25519, ECDH) instead of forcing Diffie-Hellman group exchange; a host that needs the old
    behaviour says so in its extras."""
    config = project.config()
    inventory = load_inventory(config)
    nornir = make_nornir(config, inventory, [inventory.hosts["stttt-fw1"], inventory.hosts["stc-r1"]],
                         lab_credentials=CREDS)
    forti = nornir.inventory.hosts["stttt-fw1"].get_connection_parameters("netmiko").extras
    assert forti["disabled_algorithms"] == {"kex": ["diffie-hellman-group1-sha1"]}
    ios = nornir.inventory.hosts["stc-r1"].get_connection_parameters("napalm").extras
    assert "disabled_algorithms" not in ios["optional_args"]

    old_kex = "{kex: [curve25519-sha256@libssh.org, ecdh-sha2-nistp256]}"
    project.edit("hosts.yaml", "stttt-fw1:\n  hostname: 127.21.1.2\n",
                 "stttt-fw1:\n  hostname: 127.21.1.2\n  connection_options:\n    netmiko:\n"
                 f"      extras:\n        disabled_algorithms: {old_kex}\n")
    inventory = load_inventory(config)
    nornir = make_nornir(config, inventory, [inventory.hosts["stttt-fw1"]], lab_credentials=CREDS)
    forti = nornir.inventory.hosts["stttt-fw1"].get_connection_parameters("netmiko").extras
    assert forti["disabled_algorithms"]["kex"] == ["curve25519-sha256@libssh.org", "ecdh-sha2-nistp256"]
