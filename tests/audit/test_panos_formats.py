"""PAN-OS: each export form detected and read alike, hostile XML refused with file:line, and the
semantics the parser carries into the rule model (negation, rule types, App-ID, vsys, device groups)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.parsers.panos import parse
from tslcd.platforms import detect_platform

FIXTURES = Path(__file__).parent / "fixtures"

XML = """<config version="10.2.0" urldb="paloaltonetworks">
  <devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
    <address><entry name="WEB"><ip-netmask>10.1.1.0/24</ip-netmask></entry></address>
    <rulebase><security><rules>
      <entry name="web">
        <from><member>untrust</member></from><to><member>trust</member></to>
        <source><member>any</member></source><destination><member>WEB</member></destination>
        <application><member>any</member></application><service><member>service-https</member></service>
        <action>allow</action>
      </entry>
    </rules></security></rulebase>
  </entry></vsys></entry></devices>
</config>
"""
SET = """set address WEB ip-netmask 10.1.1.0/24
set rulebase security rules web from untrust
set rulebase security rules web to trust
set rulebase security rules web source any
set rulebase security rules web destination WEB
set rulebase security rules web application any
set rulebase security rules web service service-https
set rulebase security rules web action allow
"""
BRACE = """address {
  WEB {
    ip-netmask 10.1.1.0/24;
  }
}
rulebase {
  security {
    rules {
      web {
        from untrust;
        to trust;
        source any;
        destination WEB;
        application any;
        service service-https;
        action allow;
      }
    }
  }
}
"""


@pytest.mark.parametrize("text", [XML, SET, BRACE], ids=["xml", "set", "brace"])
def test_every_form_gives_the_same_rule(text: str) -> None:
    parsed = parse(text, host="pa", source="pa.cfg")
    [lst] = parsed.lists
    [rule] = lst.rules
    assert lst.name == "untrust -> trust"
    assert rule.text == ("rulebase rule web: from untrust to trust source any destination WEB "
                         "application any service service-https action allow")
    assert rule.exact and rule.action == "permit" and len(rule.boxes) == 1


@pytest.mark.parametrize("name", ["device_xml.cfg", "panorama_set.cfg", "device_brace.cfg"])
def test_every_form_is_detected(name: str) -> None:
    found = detect_platform((FIXTURES / "paloalto_panos" / name).read_text(encoding="utf-8"))
    assert found is not None and found.name == "paloalto_panos"


def test_xml_entities_are_refused_naming_the_file() -> None:
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY a "aaaa">]>\n<config>&a;</config>\n'
    with pytest.raises(ParseProblem, match=r"^pa\.xml:1: XML refused"):
        parse(bomb, source="pa.xml")


def test_broken_xml_and_foreign_text_are_refused_with_their_line() -> None:
    with pytest.raises(ParseProblem, match=r"^pa\.xml:3: XML not well-formed"):
        parse("<config>\n<devices>\n</config>\n", source="pa.xml")
    with pytest.raises(ParseProblem, match=r"^pa\.cfg:1: not a PAN-OS configuration"):
        parse("hostname r1\ninterface Gi0/1\n", source="pa.cfg")


def _rules(lines: list[str]) -> str:
    """Set commands for rules given as ``NAME FROM TO SOURCE DESTINATION SERVICE ACTION [extra...]``."""
    out = []
    for spec in lines:
        name, src_zone, dst_zone, source, destination, service, action, *extra = spec.split()
        base = f"set rulebase security rules {name}"
        out += [f"{base} from {src_zone}", f"{base} to {dst_zone}", f"{base} source {source}",
                f"{base} destination {destination}", f"{base} application any",
                f"{base} service {service}", f"{base} action {action}"]
        out += [f"{base} {e.replace('=', ' ')}" for e in extra]
    return "\n".join(out) + "\n"


def _unreachable(text: str) -> dict[str, str]:
    from tslcd.audit.runner import audit_parsed
    from tslcd.audit.zones import ZonePolicy

    findings = audit_parsed(parse(text, host="pa", source="pa.cfg"), ZonePolicy(zones={}, flows=[]))
    return {f.rule: f.check for f in findings if f.check in ("shadowed-rule", "redundant-rule", "empty-rule")}


def test_negate_source_matches_everything_but_the_addresses() -> None:
    text = _rules([
        "deny-outsiders a b 10.0.0.0/8 any any deny negate-source=yes",
        "allow-partner a b 192.168.1.0/24 any any allow",  # outside 10/8: denied above
        "allow-inside a b 10.1.0.0/16 any any allow",  # inside 10/8: reachable
        "allow-v6 a b 2001:db8::/32 any any allow",  # IPv6 is not in 10/8 either: denied above
    ])
    assert _unreachable(text) == {"rule allow-partner": "shadowed-rule", "rule allow-v6": "shadowed-rule"}


def test_rule_type_limits_a_rule_to_intrazone_or_interzone_traffic() -> None:
    text = "set zone a network layer3 ethernet1/1\nset zone b network layer3 ethernet1/2\n" + _rules([
        "intra-deny any any any any any deny rule-type=intrazone",
        "inter-allow a b any any service-https allow",  # a -> b is interzone: reachable
        "intra-allow a a any any service-https allow",  # a -> a: the intrazone deny takes it
    ])
    parsed = parse(text, host="pa", source="pa.cfg")
    lists = {lst.name: [r.policy_id for r in lst.rules] for lst in parsed.lists}
    assert lists["a -> b"] == ["inter-allow"]
    assert lists["a -> a"] == ["intra-deny", "intra-allow"]
    assert _unreachable(text) == {"rule intra-allow": "shadowed-rule"}


def test_app_id_rule_is_noted_and_never_blocks_a_later_rule() -> None:
    text = _rules([
        "no-youtube a b any any any deny application=youtube-base",
        "allow-all-web a b any any service-https allow",
    ])
    parsed = parse(text, host="pa", source="pa.cfg")
    assert not parsed.lists[0].rules[0].exact
    assert any("App-ID application youtube-base" in n.reason and n.line == 1 for n in parsed.notes)
    assert _unreachable(text) == {}


def test_each_vsys_is_its_own_firewall_and_shared_objects_keep_one_name() -> None:
    text = "set shared address DNS ip-netmask 10.0.0.53\n" + "".join(
        _rules(["dns a b any DNS any allow", "dns-again a b any 10.0.0.53 any allow"]).replace(
            "set rulebase", f"set vsys {vsys} rulebase")
        for vsys in ("vsys1", "vsys2")
    ) + "set vsys vsys2 address LOCAL ip-netmask 10.2.0.0/16\n"
    parsed = parse(text, host="pa", source="pa.cfg")
    assert sorted(lst.name for lst in parsed.lists) == ["vsys1: a -> b", "vsys2: a -> b"]
    assert set(parsed.objects) == {"shared/DNS", "vsys2/LOCAL"}
    assert parsed.used_objects == {"shared/DNS"}
    assert _unreachable(text) == {
        "vsys1 rule dns-again": "redundant-rule", "vsys2 rule dns-again": "redundant-rule"
    }


def test_panorama_xml_device_group_inherits_its_parent_objects_and_rules() -> None:
    text = """<config version="10.2.0">
  <readonly><devices><entry name="localhost.localdomain"><device-group>
    <entry name="child"><parent-dg>parent</parent-dg></entry>
  </device-group></entry></devices></readonly>
  <devices><entry name="localhost.localdomain"><device-group>
    <entry name="parent">
      <address><entry name="NET"><ip-netmask>10.1.0.0/16</ip-netmask></entry></address>
      <pre-rulebase><security><rules><entry name="parent-deny">
        <source><member>NET</member></source><action>deny</action>
      </entry></rules></security></pre-rulebase>
    </entry>
    <entry name="child">
      <pre-rulebase><security><rules><entry name="child-allow">
        <source><member>NET</member></source><action>allow</action>
      </entry></rules></security></pre-rulebase>
    </entry>
  </device-group></entry></devices>
</config>
"""
    parsed = parse(text, host="pa", source="pa.xml")
    lists = {lst.name: [r.policy_id for r in lst.rules] for lst in parsed.lists}
    assert lists == {
        "parent: any -> any": ["parent-deny"], "child: any -> any": ["parent-deny", "child-allow"]
    }
    assert not parsed.undefined_refs
    assert _unreachable(text) == {"child rule child-allow": "shadowed-rule"}


def test_real_pan_os_files_are_detected_and_no_other_platform_is_taken_for_pan_os() -> None:
    from tslcd.platforms import PLATFORMS

    real = sorted((FIXTURES / "real" / "paloalto_panos").glob("*.cfg"))
    found = [detect_platform(p.read_text(encoding="utf-8")) for p in real]
    assert sum(f is not None and f.name == "paloalto_panos" for f in found) >= 0.9 * len(real)
    others = [p for p in [*(FIXTURES / "real").glob("*/*.cfg"), *FIXTURES.glob("*/*.cfg")]
              if p.parent.name in PLATFORMS and p.parent.name != "paloalto_panos"]
    assert others
    for p in others:
        d = detect_platform(p.read_text(encoding="latin-1"))
        assert d is None or d.name != "paloalto_panos", p
