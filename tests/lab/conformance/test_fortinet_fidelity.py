"""The lab FortiGate against real FortiOS material (behaviours; the figures
themselves are held to the goal by test_fidelity.py)."""

from __future__ import annotations

from ntc_templates.parse import parse_output

from tests.lab.conformance import fidelity_fortinet as forti


def test_get_commands_parse_like_a_real_fortigate() -> None:
    cli, _ = forti.load_config([])
    routes = parse_output(platform="fortinet", command="get router info routing-table all",
                          data=cli.handle("get router info routing-table all"))
    assert {"S", "C"} <= {r["type"].rstrip("*") for r in routes}
    interfaces = parse_output(platform="fortinet", command="get system interface",
                              data=cli.handle("get system interface"))
    assert interfaces and all(r["name"] for r in interfaces)
    ha = parse_output(platform="fortinet", command="get system ha status",
                      data=cli.handle("get system ha status"))
    assert ha[0]["ha_mode"] == "Standalone"


def test_vip_zone_and_utm_policy_accepted_references_checked() -> None:
    cli, results = forti.load_config([
        "config firewall vip", 'edit "web-vip"', "set extip 203.0.113.10", 'set mappedip "10.10.3.10"',
        'set extintf "wan1"', "next", "end",
        "config firewall policy", "edit 90", 'set srcintf "wan1"', 'set dstintf "lan"', 'set srcaddr "all"',
        'set dstaddr "web-vip"', 'set schedule "always"', 'set service "HTTPS"', "set action accept",
        "set utm-status enable", 'set av-profile "default"', "next", "end",
    ])
    assert not [line for line, out in results if forti.refused(out)]
    cli.handle("config firewall vip")
    cli.handle('edit "x"')
    assert forti.refused(cli.handle('set extintf "nope"'))
