"""IPv6 on every platform the audit models: the impact of an IPv6 rule added to an ASA access list, a
FortiOS policy (both families in ``firewall policy``, and the older ``firewall policy6``), and an
IOS zone-based firewall class matching an IPv6 access list (IOS ACLs: test_platforms.py). The
configs are written here in each platform's documented syntax."""

from __future__ import annotations

import pytest

from tslcd.audit.impact_report import region_fields
from tslcd.audit.runner import DeviceConfig
from tslcd.services.impact import compare

ASA = """hostname v6-asa
interface GigabitEthernet0/0
 nameif outside
 ipv6 address 2001:db8:ffff::1/64
access-list OUTSIDE_IN extended permit tcp any6 host 2001:db8:99::10 eq https
{extra}access-list OUTSIDE_IN extended deny ip any any
access-group OUTSIDE_IN in interface outside
"""
ASA_EXTRA = "access-list OUTSIDE_IN extended permit tcp 2001:db8:10::/48 2001:db8:99::/64 eq ssh\n"

FORTIOS = """config firewall address6
    edit "V6-LAN"
        set ip6 2001:db8:99::/64
    next
    edit "V6-MGMT"
        set ip6 2001:db8:10::/48
    next
end
config firewall service custom
    edit "SSH"
        set tcp-portrange 22
    next
    edit "HTTPS"
        set tcp-portrange 443
    next
end
config firewall {table}
    edit 1
        set srcintf "wan1"
        set dstintf "lan"
        set action accept
        set {src} "all"
        set {dst} "V6-LAN"
        set schedule "always"
        set service "HTTPS"
    next
{extra}end
"""
FORTIOS_EXTRA = """    edit 2
        set srcintf "wan1"
        set dstintf "lan"
        set action accept
        set {src} "V6-MGMT"
        set {dst} "V6-LAN"
        set schedule "always"
        set service "SSH"
    next
"""

ZBF = """hostname v6-zbf
ipv6 access-list V6-WEB
 permit tcp any host 2001:db8:99::10 eq 443
{extra}class-map type inspect match-any CM-V6
 match access-group name V6-WEB
policy-map type inspect PM-OUT-IN
 class type inspect CM-V6
  inspect
 class class-default
  drop
zone security outside
zone security inside
zone-pair security OUT-IN source outside destination inside
 service-policy type inspect PM-OUT-IN
interface GigabitEthernet0/0
 zone-member security outside
interface GigabitEthernet0/1
 zone-member security inside
"""
ZBF_EXTRA = " permit tcp 2001:db8:10::/48 2001:db8:99::/64 eq 22\n"


def _fortios(table: str, src: str, dst: str, extra: bool) -> str:
    body = FORTIOS_EXTRA.format(src=src, dst=dst) if extra else ""
    return FORTIOS.format(table=table, src=src, dst=dst, extra=body)


CASES = {
    "cisco_asa": ("cisco_asa", ASA.format(extra=""), ASA.format(extra=ASA_EXTRA)),
    "fortinet policy": ("fortinet", _fortios("policy", "srcaddr6", "dstaddr6", False),
                        _fortios("policy", "srcaddr6", "dstaddr6", True)),
    "fortinet policy6": ("fortinet", _fortios("policy6", "srcaddr", "dstaddr", False),
                         _fortios("policy6", "srcaddr", "dstaddr", True)),
    "cisco_ios zone-based firewall": ("cisco_ios", ZBF.format(extra=""), ZBF.format(extra=ZBF_EXTRA)),
}

LISTS = {"cisco_asa": ["OUTSIDE_IN"], "fortinet policy": ["wan1 -> lan"],
         "fortinet policy6": ["wan1 -> lan (policy6)"],
         "cisco_ios zone-based firewall": ["V6-WEB", "zone-pair OUT-IN"]}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_ipv6_ssh_rule_is_exactly_the_new_ipv6_ssh_traffic(case: str) -> None:
    platform, before, after = CASES[case]
    report = compare(DeviceConfig("v6", platform, before, {}, "before"),
                     DeviceConfig("v6", platform, after, {}, "after"))
    names = [i.name for i in report.changed]
    # the zone-pair decides traffic; the ACL its class matches is a list of its own as well
    assert names == LISTS[case]
    for impact in report.changed:
        assert impact.exact, impact.notes
        _only_the_new_ssh([region_fields(r) for r in impact.regions])


def _only_the_new_ssh(fields: list[dict]) -> None:
    assert fields and all(f["change"] == "newly permitted" and f["protocol"] == "tcp" for f in fields)
    assert {p for f in fields for p in f["source"]} == {"2001:db8:10::/48"}
    assert {p for f in fields for p in f["destination"]} == {"2001:db8:99::/64"}
    assert {f["destination_ports"] for f in fields} == {"22"}
    assert all(":" in f["example"] for f in fields)
    assert {f["after"]["action"] for f in fields} == {"permit"}
    assert {f["before"]["action"] for f in fields} == {"deny"}

