"""Every place an ACL is used counts as a use: no false "applied nowhere"."""

from __future__ import annotations

from tslcd.audit.checks.objects import binding_findings
from tslcd.audit.parsers import asa, ios

IOS_USES = """hostname r
ip access-list standard RM
 permit 10.0.0.0 0.255.255.255
ip access-list standard NAT
 permit 10.1.0.0 0.0.255.255
ip access-list standard SNMP
 permit host 10.9.9.9
ip access-list standard NTP
 permit host 10.9.9.8
ip access-list standard VTY
 permit host 10.9.9.7
ip access-list extended CM
 permit tcp any any eq 80
ip access-list extended QOS
 permit udp any any range 16384 32767
ip access-list extended ORPHAN
 permit ip any any
route-map OUT permit 10
 match ip address RM
ip nat inside source list NAT interface Gi0/0 overload
snmp-server community s3cr3t RO SNMP
ntp access-group peer NTP
class-map type inspect match-any WEB
 match access-group name CM
class-map match-all VOICE
 match access-group name QOS
line vty 0 4
 access-class VTY in
"""


def test_ios_uses_from_route_maps_nat_snmp_ntp_class_maps_and_vty() -> None:
    unbound = [f.list_name for f in binding_findings(ios.parse(IOS_USES)) if f.check == "acl-unbound"]
    assert unbound == ["ORPHAN"]


def test_asa_uses_from_vpn_filters_nat_and_class_maps() -> None:
    text = (
        "ASA Version 9.8\nhostname fw\naccess-list VPN extended permit ip any any\n"
        "access-list CM extended permit tcp any any eq 80\naccess-list ORPHAN extended permit ip any any\n"
        "group-policy G attributes\n vpn-filter value VPN\nclass-map C\n match access-list CM\n"
    )
    unbound = [f.list_name for f in binding_findings(asa.parse(text)) if f.check == "acl-unbound"]
    assert unbound == ["ORPHAN"]
