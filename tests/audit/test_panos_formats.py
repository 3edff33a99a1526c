"""PAN-OS in each form it is exported in: detected, read alike, hostile XML refused with file:line."""

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
