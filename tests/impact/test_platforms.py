"""Impact on a FortiGate's policies (per interface pair), on IPv6 lists, and between two stored
revisions of a host, the way `tslcd impact HOST` reads them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import ROOT, fetched_config

from tslcd.audit.impact_report import region_fields
from tslcd.audit.runner import DeviceConfig
from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.platforms import get_platform, load_object
from tslcd.sanitize import sanitize
from tslcd.services.impact import compare, revisions
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

RDP_FROM_ANYWHERE = """    edit 99
        set name "RDP-TAM"
        set srcintf "wan1"
        set dstintf "lan"
        set action accept
        set srcaddr "all"
        set dstaddr "LAN-SKHCN"
        set schedule "always"
        set service "RDP"
    next
"""


def _lab_config(name: str) -> tuple[str, str, dict]:
    host = next(h for h in load_inventory(load_config(str(ROOT / "tslcd.yaml"))) if h.name == name)
    model = load_object(get_platform(host.platform).lab_model)
    return host.platform, fetched_config(model(host.name, host.flat(), None, ())), host.flat()


def _opened(text: str) -> str:
    return text.replace("config firewall policy\n", "config firewall policy\n" + RDP_FROM_ANYWHERE, 1)


def test_a_new_fortigate_policy_opens_rdp_from_anywhere() -> None:
    platform, text, data = _lab_config("skhcn-fw1")
    lan = data["lan_prefix"]
    report = compare(DeviceConfig("skhcn-fw1", platform, text, data, "before"),
                     DeviceConfig("skhcn-fw1", platform, _opened(text), data, "after"))
    (impact,) = report.changed
    assert impact.name == "wan1 -> lan" and impact.exact
    fields = [region_fields(r) for r in impact.regions]
    assert fields and all(f["change"] == "newly permitted" and f["protocol"] == "tcp" for f in fields)
    assert {p for f in fields for p in f["destination"]} == {lan}
    assert {f["destination_ports"] for f in fields} == {"3389"}
    assert all(f["after"]["rule"] == "policy 99" for f in fields)
    assert [f["source"] for f in fields] == [["any"]]  # before: the CHAN-VAO-LAN deny took it all
    assert fields[0]["before"]["rule"] == "policy 9" and fields[0]["before"]["action"] == "deny"


IPV6_BEFORE = """hostname v6-r1
ipv6 access-list EDGE-V6
 permit tcp 2001:db8:10::/48 host 2001:db8:99::10 eq 443
 deny ipv6 any any log
interface GigabitEthernet0/0/0
 ipv6 traffic-filter EDGE-V6 in
"""


def test_ipv6_lists_are_compared_with_the_same_engine() -> None:
    after = IPV6_BEFORE.replace(" deny ipv6 any any log",
                                " permit tcp any 2001:db8:99::/64 eq 22\n deny ipv6 any any log")
    report = compare(DeviceConfig("v6-r1", "cisco_ios", IPV6_BEFORE, {}, "before"),
                     DeviceConfig("v6-r1", "cisco_ios", after, {}, "after"))
    (impact,) = report.changed
    fields = [region_fields(r) for r in impact.regions]
    assert {d for f in fields for d in f["destination"]} == {"2001:db8:99::/64"}
    assert {f["destination_ports"] for f in fields} == {"22"}
    assert all(":" in f["example"] for f in fields)


def test_two_stored_revisions_of_a_host(tmp_path: Path) -> None:
    project = tmp_path / "tslcd.yaml"
    project.write_text(yaml.safe_dump({"inventory": str(ROOT / "inventory"), "data": str(tmp_path / "data")}),
                       encoding="utf-8")
    config = load_config(str(project))
    platform, text, data = _lab_config("skhcn-fw1")
    store = ConfigStore(config.data_dir)
    store.prepare()
    path = layout_path("skhcn-fw1", data["agency_type"], data["agency_code"])
    for version, message in ((text, "backup 1"), (_opened(text), "backup 2")):
        with store.writer():
            store.write([StoredConfig("skhcn-fw1", path, sanitize(version, get_platform(platform)))])
            store.commit(message)
    before, after = revisions(config, "skhcn-fw1")
    assert re.fullmatch(r"skhcn-fw1@[0-9a-f]{12}", before.source)
    report = compare(before, after)
    assert [i.name for i in report.changed] == ["wan1 -> lan"]
    first = store.history("skhcn-fw1")[1].sha
    changed = compare(*revisions(config, "skhcn-fw1", first, "HEAD")).changed
    assert [i.name for i in changed] == ["wan1 -> lan"]
    assert not compare(*revisions(config, "skhcn-fw1", first, first)).changed
