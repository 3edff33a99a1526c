"""The lab ASA against real ASA material (behaviours; the figures
themselves are held to the goal by test_fidelity.py)."""

from __future__ import annotations

from ntc_templates.parse import parse_output

from tests.lab.conformance import fidelity_cisco_asa as asa


def test_show_access_list_parses_with_expanded_object_lines() -> None:
    cli = asa.session()
    for line in ("configure terminal", "object-group network WEB", " network-object host 10.1.1.10",
                 " network-object 10.1.2.0 255.255.255.0",
                 "access-list IN extended permit tcp object-group WEB any eq www log", "end"):
        cli.handle(line)
    output = cli.handle("show access-list IN")
    assert "log informational interval 300 (hitcnt=0) 0x" in output
    records = parse_output(platform="cisco_asa", command="show access-list", data=output)
    assert {r["entry_src_host"] for r in records} >= {"10.1.1.10"}
    assert {r["acl_name"] for r in records} == {"IN"}


def test_real_nat_and_icmp_syntax_kept_and_strict() -> None:
    cli = asa.session()
    for line in ("configure terminal", "interface GigabitEthernet1/1", " nameif inside",
                 " ip address 10.0.0.1 255.255.255.0",
                 "object network WEB", " host 10.0.0.5", " nat (inside,any) static 192.0.2.5"):
        assert not asa.refused(cli.handle(line)), line
    assert asa.refused(cli.handle(" nat (nosuch,any) static 192.0.2.5"))
    assert not asa.refused(cli.handle("access-list IN extended permit icmp any any echo-reply"))
    assert asa.refused(cli.handle("access-list IN extended permit icmp any any echo 300"))
    assert asa.refused(cli.handle("routr ospf 1"))
    assert not asa.refused(cli.handle("router ospf 1"))
    assert not asa.refused(cli.handle(" network 10.0.0.0 255.255.255.0 area 0"))
    cli.handle("end")
    shown = cli.handle("show running-config")
    assert "router ospf 1\n network 10.0.0.0 255.255.255.0 area 0" in shown
    assert "object network WEB\n nat (inside,any) static 192.0.2.5" in shown
    assert "NAT from inside:10.0.0.5 to any:192.0.2.5" in cli.handle("show xlate")
