"""Exact semantics of real-world constructs: ICMP messages, protocols, groups, IPv6, FortiOS specifics.

Each case states what a vendor configuration means and checks the verdicts that follow from it:
a rule that only looks wider (or narrower) than an earlier one must be judged on its real packets.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tslcd.audit.checks.rules import is_catch_all
from tslcd.audit.model import ParsedConfig
from tslcd.audit.packets import parse_packet
from tslcd.audit.parsers import asa, fortinet, ios
from tslcd.audit.parsers.cisco_ace import mask_interval
from tslcd.audit.reachability import ListAnalysis, analyse
from tslcd.audit.space import int_ip


def _unreachable(parsed: ParsedConfig, list_name: str | None = None) -> dict[int, list[int]]:
    lst = next(x for x in parsed.lists if list_name in (None, x.name))
    assert all(r.exact for r in lst.rules), [r.text for r in lst.rules if not r.exact]
    return {v.index: v.blocking for v in analyse(lst.rules) if v.reachable is False}


def _ios(body: str) -> ParsedConfig:
    return ios.parse("hostname r\n" + body)


def _asa(body: str) -> ParsedConfig:
    return asa.parse("ASA Version 9.8(2)\nhostname fw\n" + body)


def test_ios_icmp_message_names_are_one_code_of_their_type() -> None:
    p = _ios(
        "ip access-list extended I\n permit icmp any any port-unreachable\n permit icmp any any unreachable\n"
        " permit icmp any any 3 3\n deny icmp any any packet-too-big\n permit icmp any any echo-reply\n"
        " permit icmp any any 0 0\n"
    )
    # "unreachable" (every code of type 3) is wider than port-unreachable; "3 3" is port-unreachable;
    # packet-too-big (3/4) is inside "unreachable"; echo-reply code 0 is inside echo-reply.
    assert _unreachable(p) == {2: [0], 3: [1], 5: [4]}


def test_non_contiguous_wildcards_are_exact() -> None:
    p = _ios(
        "ip access-list extended W\n deny ip 1.0.2.1 0.0.0.2 any\n permit ip host 1.0.2.3 any\n"
        " permit ip host 1.0.2.2 any\n permit ip 10.0.0.0 0.255.0.255 any\n"
        " permit ip host 10.7.0.9 any\n permit ip host 10.7.3.9 any\n"
    )
    assert _unreachable(p) == {1: [0], 4: [3]}


def test_protocol_names_and_numbers() -> None:
    p = _ios(
        "ip access-list extended P\n permit ahp any any\n permit 51 any any\n"
        " permit pim any any\n permit 103 any any\n"
    )
    assert _unreachable(p) == {1: [0], 3: [2]}


def test_ios_protocol_and_port_object_groups() -> None:
    p = _ios(
        "object-group protocol PR\n tcp\n udp\nobject-group ip port WEB\n eq 80\n range 8080 8081\n"
        "ip access-list extended G\n permit object-group PR any any\n permit udp any any\n"
        "ip access-list extended PG\n permit tcp any any portgroup WEB\n permit tcp any any eq 8081\n"
        " permit tcp any any eq 443\n"
    )
    assert _unreachable(p, "G") == {1: [0]}
    assert _unreachable(p, "PG") == {1: [0]}


def test_ios_service_group_with_source_and_destination_ports() -> None:
    p = _ios(
        "object-group service S\n tcp source eq 20 gt 1023\n udp range 5000 5010\n tcp-udp eq 53\n gre\n"
        "ip access-list extended A\n permit object-group S any any\n"
        " permit tcp any eq 20 any eq 2000\n permit tcp any any eq 2000\n permit udp any any eq 5005\n"
        " permit udp any any eq 53\n permit gre any any\n"
    )
    assert _unreachable(p) == {1: [0], 3: [0], 4: [0], 5: [0]}


def test_ios_mac_access_lists_are_noted_not_dropped() -> None:
    p = _ios("access-list 700 permit 0000.0000.0000 ffff.ffff.ffff\naccess-list 10 permit any\n")
    assert [x.name for x in p.lists] == ["10"]
    assert [(n.line, n.reason) for n in p.notes] == [
        (2, "MAC or protocol-type access list (not IP) not analysed")
    ]


def test_asa_icmp_and_protocol_object_groups_in_entries() -> None:
    p = _asa(
        "object-group icmp-type ICMPS\n icmp-object echo\n icmp-object echo-reply\n"
        "object-group protocol PG\n protocol-object tcp\n protocol-object udp\n"
        "access-list A extended permit icmp any any object-group ICMPS\n"
        "access-list A extended permit icmp any any echo\n"
        "access-list A extended permit icmp any any unreachable\n"
        "access-list B extended permit object-group PG any any\n"
        "access-list B extended permit udp any any eq domain\n"
    )
    assert _unreachable(p, "A") == {1: [0]}
    assert _unreachable(p, "B") == {1: [0]}


def test_asa_service_object_entries_of_every_kind() -> None:
    p = _asa(
        "object service WEB\n service tcp destination eq www\n"
        "object-group service S\n service-object tcp destination eq https\n service-object icmp echo\n"
        " service-object tcp-udp destination range 1000 1005\n service-object 47\n"
        " service-object object WEB\n"
        " service-object tcp source eq 20 destination range 1024 65535\n"
        "access-list A extended permit object-group S any any\n"
        "access-list A extended permit tcp any any eq 443\n"
        "access-list A extended permit udp any any eq 1003\n"
        "access-list A extended permit gre any any\n"
        "access-list A extended permit tcp any any eq 80\n"
        "access-list A extended permit icmp any any echo-reply\n"
    )
    assert _unreachable(p, "A") == {1: [0], 2: [0], 3: [0], 4: [0]}


def test_asa_built_in_service_objects() -> None:
    p = _asa(
        "object-group service S\n service-object object icmp\n service-object udp source eq 3 eq 1236\n"
        "access-list A extended permit object icmp-echo any any\n"
        "access-list A extended permit object ospf any any\n"
        "access-list A extended permit object-group S any any\n"
        "access-list A extended permit icmp any any echo\n"
        "access-list A extended permit udp any eq 3 any eq 1236\n"
        "access-list A extended permit 89 any any\n"
    )
    assert _unreachable(p) == {3: [0], 4: [2], 5: [1]}
    assert not p.undefined_refs and not p.notes


def test_asa_unknown_service_object_entry_is_a_note_not_a_crash() -> None:
    p = _asa(
        "object-group service S\n service-object tcp frobnicate 7\n"
        "access-list A extended permit object-group S any any\n"
    )
    assert p.notes and p.notes[0].line == 4 and not p.lists[0].rules[0].exact


def test_ipv6_is_analysed_with_the_same_engine() -> None:
    p = _ios(
        "ipv6 access-list V6\n sequence 10 permit tcp 2001:db8::/32 any eq 443\n"
        " permit tcp host 2001:db8::5 any eq 443\n permit icmp any any nd-na\n permit icmp any any 136\n"
        "interface Gi1\n ipv6 traffic-filter V6 in\n"
    )
    assert _unreachable(p) == {1: [0], 3: [2]}
    assert {b.list_name for b in p.bindings} == {"V6"}
    any_any = _ios("ipv6 access-list A\n permit ipv6 any any\n").lists[0].rules[0]
    assert is_catch_all(any_any)
    a = _asa(
        "access-list OUT extended permit tcp any any eq 443\n"
        "access-list OUT extended permit tcp any6 any6 eq 443\n"
        "access-list OUT extended permit tcp any4 host 10.0.0.1 eq 443\n"
        "access-list OUT extended permit ip any6 any4\n"
    )
    # "any" on an ASA is both families; a source of one family never meets a destination of the other
    assert _unreachable(a) == {1: [0], 2: [0], 3: []}


def _forti(body: str) -> ParsedConfig:
    return fortinet.parse(body)


POLICY = """    edit {id}
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service {service}
    next
"""


def test_fortios_predefined_services_are_as_narrow_as_their_definitions() -> None:
    policies = "".join(
        POLICY.format(id=n, service=s)
        for n, s in enumerate(['"PING"', '"ALL_ICMP"', '"ALL_TCP"', '"HTTP"', '"RLOGIN"'], 1)
    )
    p = _forti("config firewall policy\n" + policies + "end\n")
    assert _unreachable(p) == {3: [2], 4: [2]}


def test_fortios_ipsec_policies_permit() -> None:
    ipsec = POLICY.format(id=1, service='"HTTP"').replace("action accept", "action ipsec")
    p = _forti("config firewall policy\n" + ipsec + "end\n")
    assert [r.action for r in p.lists[0].rules] == ["permit"]


def test_fortios_service_negate_is_every_other_service() -> None:
    negated = POLICY.format(id=1, service='"HTTP"').replace(
        "    next", "        set service-negate enable\n    next"
    )
    policies = negated + "".join(POLICY.format(id=n, service=s) for n, s in ((2, '"HTTPS"'), (3, '"HTTP"')))
    p = _forti("config firewall policy\n" + policies + "end\n")
    assert _unreachable(p) == {1: [0]}  # HTTPS is not HTTP: policy 1 takes it; HTTP reaches policy 3


def test_fortios_address_group_exclusions_are_exact() -> None:
    addresses = """config firewall address
    edit "net"
        set subnet 10.0.0.0 255.255.255.0
    next
    edit "low"
        set subnet 10.0.0.0 255.255.255.128
    next
    edit "high"
        set subnet 10.0.0.128/25
    next
end
config firewall addrgrp
    edit "grp"
        set member "net"
        set exclude enable
        set exclude-member "high"
    next
end
"""
    policies = "".join(
        POLICY.format(id=n, service='"ALL"').replace('srcaddr "all"', f'srcaddr "{a}"')
        for n, a in enumerate(["grp", "low", "high"], 1)
    )
    p = _forti(addresses + "config firewall policy\n" + policies + "end\n")
    assert _unreachable(p) == {1: [0]}
    assert not p.notes and "high" in p.used_objects


def test_fortios_quotes_ranges_and_vdoms() -> None:
    text = (
        """config vdom
edit root
next
edit dmz
next
end
config global
config system global
    set hostname "fw"
end
end
config vdom
edit root
config firewall address
    edit "say \\"hi\\""
        set type iprange
    next
end
config firewall policy
"""
        + POLICY.format(id=1, service='"HTTP"')
        + POLICY.format(id=2, service='"HTTP"')
        + """end
next
edit dmz
config firewall policy
"""
        + POLICY.format(id=1, service='"HTTPS"')
        + """end
next
end
"""
    )
    p = _forti(text)
    assert sorted(x.name for x in p.lists) == ["dmz: port1 -> port2", "root: port1 -> port2"]
    assert _unreachable(p, "root: port1 -> port2") == {1: [0]}
    assert _unreachable(p, "dmz: port1 -> port2") == {}
    assert 'root/say "hi"' in p.objects  # an escaped quote stays inside the name
    assert not p.notes


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**10 - 1), st.integers(0, 2**10 - 1))
def test_wildcard_intervals_match_the_bitwise_definition(base: int, wild: int) -> None:
    """An address matches ``base wild`` when it equals base on every bit wild leaves at 0."""
    values, why = mask_interval(int_ip(base), int_ip(wild), wildcard=True)
    covered = {a for lo, hi in values for a in range(lo, hi + 1)}
    expected = {a for a in range(2**10) if (a & ~wild) == (base & ~wild)}
    assert why or covered == expected


ZBF = """zone security in
zone security out
zone-pair security in-out source in destination out
 service-policy type inspect P
ip access-list extended WEB
 deny tcp any host 10.0.0.9 eq 80
 permit tcp any any eq 80
 permit udp any any eq 53
ip access-list extended DNS
 permit udp any any eq 53
class-map type inspect match-all C-WEB
 match access-group name WEB
 match protocol tcp
class-map type inspect match-any C-ANY
 match access-group name DNS
 match protocol icmp
class-map type inspect match-all C-DNS
 match access-group name DNS
policy-map type inspect P
 class type inspect C-WEB
  inspect
 class type inspect C-ANY
  pass
 class type inspect C-DNS
  drop
 class class-default
  drop log
"""


def test_ios_zone_based_firewall_classes_are_first_match_rules() -> None:
    p = _ios(ZBF)
    pair = next(x for x in p.lists if x.name == "zone-pair in-out")
    assert [(r.key, r.action) for r in pair.rules] == [
        ("class C-WEB", "permit"),
        ("class C-ANY", "permit"),
        ("class C-DNS", "deny"),
        ("class class-default", "deny"),
    ]
    # C-WEB is WEB's permitted packets that are TCP: port 80 except to 10.0.0.9 (its deny line)
    analysis = ListAnalysis(pair.rules)
    assert analysis.first_match(parse_packet("10.1.1.1 10.0.0.8 tcp 80")) == 0
    assert analysis.first_match(parse_packet("10.1.1.1 10.0.0.9 tcp 80")) == 3
    assert analysis.first_match(parse_packet("10.1.1.1 10.0.0.9 icmp echo")) == 1
    assert _unreachable(p, "zone-pair in-out") == {2: [1]}  # C-DNS: C-ANY already takes DNS
    assert {b.list_name for b in p.bindings} == {"zone-pair in-out"}
    assert {x.name for x in p.lists if not x.traffic} == {"WEB", "DNS"}  # classifiers, not filters
