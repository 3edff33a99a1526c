"""JunOS: the braces hierarchy and ``display set`` of one configuration give the same rule model.

Both texts below were written by hand from the same intent (an SRX zone pair with a zone address
book, an inactive policy and a custom application; a router filter with ``except``, ``next term``
and an inactive term), not produced from each other by tslcd.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.parsers.junos import parse
from tslcd.audit.space import ANY4, DST, SRC, prefix_interval

BRACES = """\
system {
    host-name r1;
}
applications {
    application APP-8443 {
        protocol tcp;
        destination-port 8443;
    }
}
security {
    zones {
        security-zone trust {
            address-book {
                address LAN 10.10.0.0/16;
                address LAN6 2001:db8:10::/48;
                address-set LAN-ALL {
                    address LAN;
                    address LAN6;
                }
            }
        }
    }
    policies {
        from-zone trust to-zone untrust {
            policy web {
                match {
                    source-address LAN-ALL;
                    destination-address any;
                    application [ junos-https APP-8443 ];
                }
                then {
                    permit;
                }
            }
            inactive: policy old {
                match {
                    source-address any;
                    destination-address any;
                    application junos-telnet;
                }
                then {
                    permit;
                }
            }
        }
    }
}
firewall {
    family inet {
        filter IN {
            term count {
                then {
                    count c;
                    next term;
                }
            }
            term web {
                from {
                    destination-address {
                        10.10.0.0/16;
                        10.10.99.0/24 except;
                    }
                    protocol tcp;
                    destination-port [ 80 443 ];
                }
                then accept;
            }
            inactive: term telnet {
                from {
                    protocol tcp;
                    destination-port 23;
                }
                then accept;
            }
        }
    }
}
"""

SET = """\
set system host-name r1
set applications application APP-8443 protocol tcp
set applications application APP-8443 destination-port 8443
set security zones security-zone trust address-book address LAN 10.10.0.0/16
set security zones security-zone trust address-book address LAN6 2001:db8:10::/48
set security zones security-zone trust address-book address-set LAN-ALL address LAN
set security zones security-zone trust address-book address-set LAN-ALL address LAN6
set security policies from-zone trust to-zone untrust policy web match source-address LAN-ALL
set security policies from-zone trust to-zone untrust policy web match destination-address any
set security policies from-zone trust to-zone untrust policy web match application junos-https
set security policies from-zone trust to-zone untrust policy web match application APP-8443
set security policies from-zone trust to-zone untrust policy web then permit
set security policies from-zone trust to-zone untrust policy old match source-address any
set security policies from-zone trust to-zone untrust policy old match destination-address any
set security policies from-zone trust to-zone untrust policy old match application junos-telnet
set security policies from-zone trust to-zone untrust policy old then permit
deactivate security policies from-zone trust to-zone untrust policy old
set firewall family inet filter IN term count then count c
set firewall family inet filter IN term count then next term
set firewall family inet filter IN term web from destination-address 10.10.0.0/16
set firewall family inet filter IN term web from destination-address 10.10.99.0/24 except
set firewall family inet filter IN term web from protocol tcp
set firewall family inet filter IN term web from destination-port 80
set firewall family inet filter IN term web from destination-port 443
set firewall family inet filter IN term web then accept
set firewall family inet filter IN term telnet from protocol tcp
set firewall family inet filter IN term telnet from destination-port 23
set firewall family inet filter IN term telnet then accept
deactivate firewall family inet filter IN term telnet
"""


def _model(text: str) -> list:
    parsed = parse(text, "r1", "r1.conf")
    return [
        (lst.name, [(r.key, r.action, sorted(r.boxes), r.enabled, r.exact) for r in lst.rules])
        for lst in parsed.lists
    ]


def test_both_formats_give_the_same_rules() -> None:
    model = _model(BRACES)
    assert model == _model(SET)
    names = [name for name, _ in model]
    assert names == ["inet/IN", "trust -> untrust"]
    keys = {name: [(k, enabled) for k, _, _, enabled, _ in rules] for name, rules in model}
    assert keys["inet/IN"] == [("filter IN term web", True), ("filter IN term telnet", False)]
    assert keys["trust -> untrust"] == [("policy web", True), ("policy old", False)]


def test_except_takes_the_longer_prefix_out() -> None:
    web = parse(SET, "r1").lists[0].rules[0]
    lan, hole = prefix_interval("10.10.0.0/16"), prefix_interval("10.10.99.0/24")
    dsts = sorted({(b[2 * DST], b[2 * DST + 1]) for b in web.boxes})
    assert dsts == [(lan[0], hole[0] - 1), (hole[1] + 1, lan[1])]
    assert all((b[2 * SRC], b[2 * SRC + 1]) == ANY4 for b in web.boxes)


def test_a_file_that_is_no_junos_configuration_is_refused_with_its_name() -> None:
    with pytest.raises(ParseProblem, match=r"notes\.txt:1: not a JunOS configuration"):
        parse("hello world\nthis is text\n", "r1", "notes.txt")


def test_a_cisco_configuration_is_not_taken_for_junos() -> None:
    real = Path(__file__).parent / "fixtures" / "real" / "cisco_ios"
    for path in sorted(real.glob("*.cfg"))[:40]:
        with pytest.raises(ParseProblem, match="not a JunOS configuration"):
            parse(path.read_text(encoding="latin-1"), "r1", path.name)
