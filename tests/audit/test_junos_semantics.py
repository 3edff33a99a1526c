"""JunOS constructs the rule model must get exactly right (or mark inexact, never guess).

Semantics from the Junos OS firewall-filter and security-policy guides: a term without a
terminating action accepts; ``next term`` passes the packet on; ``address``/``port`` match either
direction; zone policies come before global policies, then the default policy.
"""

from __future__ import annotations

from tslcd.audit.model import DENY, PERMIT
from tslcd.audit.parsers.junos import parse
from tslcd.audit.runner import DeviceConfig, audit_device
from tslcd.audit.space import ANY4, DST, PROTO, SRC, prefix_interval
from tslcd.audit.zones import ZonePolicy

F = "set firewall family inet filter F term"
P = "set security policies from-zone trust to-zone untrust policy"


def _lists(text: str) -> dict:
    return {lst.name: lst for lst in parse(text, "r1", "r1.conf").lists}


def _unreachable(text: str) -> list[tuple[str, str]]:
    dev = DeviceConfig("r1", "juniper_junos", text, {}, "r1.conf")
    found = audit_device(dev, ZonePolicy(zones={}, flows=[]))
    return sorted((f.check, f.rule) for f in found if f.check in ("shadowed-rule", "redundant-rule"))


def test_term_actions_next_term_and_default_accept() -> None:
    rules = _lists(f"""{F} count-all then count c
{F} count-all then next term
{F} web from protocol tcp
{F} web from destination-port 80
{F} web then count web
{F} drop then discard
""")["inet/F"].rules
    assert [(r.key, r.action) for r in rules] == [("filter F term web", PERMIT), ("filter F term drop", DENY)]
    assert rules[1].exact and rules[1].src_any


def test_address_matches_either_direction() -> None:
    rule = _lists(f"{F} t from address 10.1.0.0/16\n{F} t then accept\n")["inet/F"].rules[0]
    net = prefix_interval("10.1.0.0/16")
    pairs = {((b[2 * SRC], b[2 * SRC + 1]), (b[2 * DST], b[2 * DST + 1])) for b in rule.boxes}
    assert pairs == {(net, ANY4), (ANY4, net)}


def test_port_without_protocol_is_tcp_udp_sctp_and_inexact() -> None:
    rule = _lists(f"{F} t from destination-port 53\n{F} t then accept\n")["inet/F"].rules[0]
    assert not rule.exact
    assert {(b[2 * PROTO], b[2 * PROTO + 1]) for b in rule.boxes} == {(6, 6), (17, 17), (132, 132)}


def test_inactive_condition_widens_the_term_and_an_inactive_term_is_disabled() -> None:
    rules = _lists(f"""{F} a from protocol tcp
{F} a from destination-port 22
{F} a then accept
deactivate firewall family inet filter F term a from destination-port 22
{F} b from protocol tcp
{F} b then accept
deactivate firewall family inet filter F term b
""")["inet/F"].rules
    assert rules[0].enabled and all(b[8:10] == (0, 65535) for b in rules[0].boxes)  # any port now
    assert not rules[1].enabled


def test_shadow_by_two_terms_and_not_by_an_inexact_one() -> None:
    text = f"""{F} low from destination-address 10.0.0.0/9
{F} low then accept
{F} ttl from ttl 1
{F} ttl then discard
{F} high from destination-address 10.128.0.0/9
{F} high then accept
{F} all10 from destination-address 10.0.0.0/8
{F} all10 then discard
"""
    assert _unreachable(text) == [("shadowed-rule", "filter F term all10")]
    # the ttl term is inexact (ttl not modelled): it may hide nothing, even if it covered all10
    assert _unreachable(f"{F} ttl from ttl 1\n{F} ttl then discard\n{F} x then accept\n") == []


def test_zone_policies_then_global_then_default_permit() -> None:
    lists = _lists(f"""set security zones security-zone trust address-book address H 10.1.1.1/32
set security address-book global address H 192.0.2.1/32
{P} p1 match source-address H
{P} p1 match destination-address any
{P} p1 match application junos-ssh
{P} p1 then permit
set security policies global policy g1 match source-address any
set security policies global policy g1 match destination-address any
set security policies global policy g1 match application any
set security policies global policy g1 then deny
set security policies default-policy permit-all
""")
    pair = lists["trust -> untrust"]
    assert [r.key for r in pair.rules] == ["policy p1", "policy g1", "default-policy permit-all"]
    src = {(b[2 * SRC], b[2 * SRC + 1]) for b in pair.rules[0].boxes}
    assert src == {prefix_interval("10.1.1.1/32")}  # the zone's H, not the global one
    assert [r.key for r in lists["global"].rules] == ["policy g1", "default-policy permit-all"]


def test_predefined_applications_and_rpc_ones_are_inexact() -> None:
    lists = _lists(f"""{P} a match source-address any
{P} a match destination-address any
{P} a match application junos-dns-udp
{P} a then permit
{P} b match source-address any
{P} b match destination-address any
{P} b match application junos-ms-rpc-tcp
{P} b then permit
""")
    a, b = lists["trust -> untrust"].rules
    assert a.exact and {(x[8], x[9]) for x in a.boxes} == {(53, 53)} and {x[0] for x in a.boxes} == {17}
    assert not b.exact


def test_terms_from_apply_groups_make_the_list_unjudged() -> None:
    text = f"""set groups G firewall family inet filter F term from-group then accept
{F} own then discard
{F} own2 from protocol tcp
{F} own2 then discard
set apply-groups G
"""
    rules = _lists(text)["inet/F"].rules
    assert [r.key for r in rules] == ["filter F term own", "filter F term own2", "filter F term from-group"]
    assert not any(r.exact for r in rules) and _unreachable(text) == []


def test_a_global_policy_uses_the_global_address_book_in_every_pair() -> None:
    lists = _lists(f"""set security zones security-zone trust address-book address H 10.1.1.1/32
set security address-book global address H 192.0.2.1/32
{P} p1 match source-address any
{P} p1 match destination-address any
{P} p1 match application junos-ssh
{P} p1 then deny
set security policies global policy g1 match source-address H
set security policies global policy g1 match destination-address any
set security policies global policy g1 match application any
set security policies global policy g1 then permit
""")
    g1 = lists["trust -> untrust"].rules[1]
    assert {(b[2 * SRC], b[2 * SRC + 1]) for b in g1.boxes} == {prefix_interval("192.0.2.1/32")}


def test_router_management_open_without_a_lo0_filter() -> None:
    text = """set system services ssh
set system services netconf ssh
set system services web-management http
set interfaces ge-0/0/0 unit 0 family inet filter input EDGE
set firewall family inet filter EDGE term t then accept
"""
    mgmt = parse(text, "r1").mgmt
    assert [(e.line, e.text) for e in mgmt.unrestricted] == [
        (1, "system services netconf ssh web-management (no lo0 input filter)")
    ]
    assert [e.line for e in mgmt.http] == [3]
    guarded = parse(text + "set interfaces lo0 unit 0 family inet filter input EDGE\n", "r1")
    assert not guarded.mgmt.unrestricted
    assert [lst.traffic for lst in guarded.lists] == [True]  # EDGE also filters transit on ge-0/0/0


def test_an_input_list_is_one_filter_with_one_final_discard() -> None:
    text = """set interfaces ge-0/0/0 unit 0 family inet filter input-list A
set interfaces ge-0/0/0 unit 0 family inet filter input-list B
set firewall family inet filter A term web from protocol tcp
set firewall family inet filter A term web from destination-port 80
set firewall family inet filter A term web then accept
set firewall family inet filter B term all-tcp from protocol tcp
set firewall family inet filter B term all-tcp then discard
set firewall family inet filter B term web-again from protocol tcp
set firewall family inet filter B term web-again from destination-port 80
set firewall family inet filter B term web-again then accept
"""
    lists = _lists(text)
    chain = lists["inet/ge-0/0/0.0-i"]
    assert [r.key for r in chain.rules] == [
        "filter A term web",
        "filter B term all-tcp",
        "filter B term web-again",
    ]
    # in the chain A's web accepts web-again's packets first (B alone, all-tcp would discard them:
    # B is used only in the chain, so it is not analysed alone)
    assert set(lists) == {"inet/ge-0/0/0.0-i"}
    assert _unreachable(text) == [("redundant-rule", "filter B term web-again")]
    found = audit_device(
        DeviceConfig("r1", "juniper_junos", text, {}, "r1.conf"), ZonePolicy(zones={}, flows=[])
    )
    assert not [f for f in found if f.check == "acl-unbound"]


def test_an_undefined_address_is_reported_never_read_as_matching_nothing() -> None:
    text = f"""{P} p1 match source-address NOWHERE
{P} p1 match destination-address any
{P} p1 match application junos-ssh
{P} p1 then permit
"""
    rule = _lists(text)["trust -> untrust"].rules[0]
    assert not rule.exact and rule.boxes
    found = audit_device(
        DeviceConfig("r1", "juniper_junos", text, {}, "r1.conf"), ZonePolicy(zones={}, flows=[])
    )
    checks = {f.check for f in found}
    assert "object-undefined" in checks and "empty-rule" not in checks
