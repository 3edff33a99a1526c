"""First configurations of lab VRP devices, from inventory data, with planted problems.

An AR router (CPE) gets its WAN/LAN interfaces, ACL 3000 guarding the WAN, SSH-only management
with AAA, NTP and a log host; a USG firewall (role ``firewall``) also gets security zones and a
``security-policy`` rendered from the platform-neutral `firewall_plan`, so it carries the same
standard policy and planted problems as the lab FortiGate and ASA.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from tslcd.lab.models.firewall_plan import ANY, MGMT_NET, SERVICES, Rule, addresses, rules, site

SUPPORTED = frozenset({
    "any-any-permit", "shadowed-rule", "redundant-rule", "multi-shadowed-rule", "telnet-permitted",
    "risky-service", "no-logging", "disabled-rule", "unused-object", "unbound-acl",
    "telnet-enabled", "snmp-public", "plaintext-password", "no-ntp", "no-idle-timeout", "mgmt-open",
})
NTP_SERVER = "10.0.10.5"
LOG_HOST = "10.0.10.6"


def secret(name: str, salt: str, irreversible: bool = True) -> str:
    """A stable stand-in for a VRP-encrypted value (``$1c$...$`` or ``%^%#...%^%#``)."""
    digest = hashlib.sha256(f"{name}:{salt}".encode()).hexdigest()
    return f"$1c${digest[:10]}${digest[10:50]}$" if irreversible else f"%^%#{digest[:40]}%^%#"


def _mask(network: ipaddress.IPv4Network) -> str:
    return str(network.netmask)


def _wildcard(network: ipaddress.IPv4Network) -> str:
    return str(network.hostmask) if network.prefixlen < 32 else "0"


def _management(name: str, problems: tuple[str, ...]) -> list[str]:
    """AAA, SSH, user interfaces, SNMP, NTP and logging: the parts routers and firewalls share."""
    p = set(problems)
    user = (["local-user admin password simple Lab-Admin-2026"] if "plaintext-password" in p
            else [f"local-user admin password irreversible-cipher {secret(name, 'admin')}"])
    lines = [
        "aaa",
        " authentication-scheme default",
        "  authentication-mode local",
        " authorization-scheme default",
        "  authorization-mode local",
        " accounting-scheme default",
        "  accounting-mode none",
        " domain default",
        "  authentication-scheme default",
        *(" " + u for u in user),
        " local-user admin privilege level 15",
        " local-user admin service-type ssh" + (" telnet" if "telnet-enabled" in p else ""),
        "#",
    ]
    if "no-ntp" not in p:
        lines += [f"ntp-service unicast-server {NTP_SERVER}", "#"]
    lines += [f"info-center loghost {LOG_HOST}", "#"]
    community = "public" if "snmp-public" in p else secret(name, "snmp", irreversible=False)
    lines += ["snmp-agent", f"snmp-agent community read cipher {community}" if "snmp-public" not in p
              else "snmp-agent community read public", "snmp-agent sys-info version v2c v3", "#"]
    lines += ["stelnet server enable", "ssh user admin authentication-type password",
              "ssh user admin service-type stelnet", "#"]
    if "telnet-enabled" in p:
        lines += ["telnet server enable", "#"]
    vty = ["user-interface con 0", " authentication-mode aaa", "user-interface vty 0 4",
           " authentication-mode aaa"]
    if "mgmt-open" not in p:
        vty.append(" acl 2000 inbound")
    vty.append(" protocol inbound " + ("all" if "telnet-enabled" in p else "ssh"))
    vty.append(" idle-timeout 0 0" if "no-idle-timeout" in p else " idle-timeout 10 0")
    return [*lines, *vty, "#"]


def _mgmt_acl() -> list[str]:
    net = ipaddress.IPv4Network(MGMT_NET[1])
    return ["acl number 2000", " description Quan tri tu mang quan tri TSLCD",
            f" rule 5 permit source {net.network_address} {_wildcard(net)}", " rule 10 deny", "#"]


def router(host: dict[str, Any], problems: tuple[str, ...]) -> str:
    """An AR router CPE: WAN to the provincial MPLS, LAN towards the agency, ACL 3000 on the WAN."""
    s = site(host)
    name = str(host.get("name", "AR"))
    mgmt = ipaddress.IPv4Network(MGMT_NET[1])
    wan_ip = s.wan_gateway
    lan_ip = s.lan_gateway
    lines = [f"sysname {name}", "#", "clock timezone ICT add 07:00:00", "#", *_mgmt_acl()]
    lines += ["acl number 3000", " description Bao ve LAN tu WAN",
              f" rule 5 permit tcp source {mgmt.network_address} {_wildcard(mgmt)} "
              f"destination {s.lan.network_address} {_wildcard(s.lan)} destination-port eq 22",
              f" rule 10 permit ip source {NTP_SERVER} 0 destination {s.lan.network_address} "
              f"{_wildcard(s.lan)}"]
    if "telnet-permitted" in problems:
        lines.append(f" rule 15 permit tcp destination {s.lan.network_address} {_wildcard(s.lan)} "
                     "destination-port eq telnet")
    lines += [f" rule 100 deny ip destination {s.lan.network_address} {_wildcard(s.lan)}", "#"]
    if "unbound-acl" in problems:
        lines += ["acl number 3999", " description ACL cu khong con dung",
                  " rule 5 permit ip", "#"]
    lines += _management(name, problems)
    lines += [
        "interface GigabitEthernet0/0/0",
        f" description WAN {s.circuit} {s.bandwidth}Mbps",
        f" ip address {wan_ip} {_mask(s.wan)}",
        " traffic-filter inbound acl 3000",
        "#",
        "interface GigabitEthernet0/0/1",
        f" description LAN {s.code}",
        f" ip address {lan_ip} {_mask(s.lan)}",
        "#",
        "interface GigabitEthernet0/0/2",
        " shutdown",
        "#",
        "interface GigabitEthernet0/0/3",
        " shutdown",
        "#",
        "interface NULL0",
        "#",
        f"ip route-static 0.0.0.0 0.0.0.0 {list(s.wan.hosts())[-1]}",
        "#",
    ]
    return "\n".join(lines) + "\n"


def firewall(host: dict[str, Any], problems: tuple[str, ...]) -> str:
    """A USG firewall: zones, address and service sets, the standard security policy."""
    s = site(host)
    name = str(host.get("name", "USG"))
    lines = [f"sysname {name}", "#", "clock timezone ICT add 07:00:00", "#", *_mgmt_acl()]
    for obj, cidr, text in addresses(s, problems):
        net = ipaddress.IPv4Network(cidr)
        lines += [f"ip address-set {obj} type object", f" description {_ascii(text)}",
                  f" address 0 {net.network_address} mask {net.prefixlen}", "#"]
    used = {r.service for r in rules(s, problems)}
    for svc in sorted(used):
        proto, port = SERVICES[svc]
        if proto != "ip":
            lines += [f"ip service-set {svc} type object",
                      f" service 0 protocol {proto} destination-port {port}", "#"]
    lines += _management(name, problems)
    lines += [
        "interface GigabitEthernet1/0/0",
        f" description WAN {s.circuit}",
        f" ip address {s.wan_address} {_mask(s.wan)}",
        " service-manage ssh permit",
        "#",
        "interface GigabitEthernet1/0/1",
        f" description LAN {s.code}",
        f" ip address {s.lan_gateway} {_mask(s.lan)}",
        "#",
        "interface GigabitEthernet1/0/2",
        " shutdown",
        "#",
        "firewall zone local",
        " set priority 100",
        "#",
        "firewall zone trust",
        " set priority 85",
        " add interface GigabitEthernet1/0/1",
        "#",
        "firewall zone untrust",
        " set priority 5",
        " add interface GigabitEthernet1/0/0",
        "#",
        f"ip route-static 0.0.0.0 0.0.0.0 {s.wan_gateway}",
        "#",
        "security-policy",
    ]
    for rule in rules(s, problems):
        lines += [" " + line for line in _policy_rule(rule)]
    lines += ["#"]
    return "\n".join(lines) + "\n"


def _policy_rule(rule: Rule) -> list[str]:
    src_zone, dst_zone = ("untrust", "trust") if rule.flow == "in" else ("trust", "untrust")
    out = [f"rule name {rule.name}", f" description {_ascii(rule.comment)}",
           f" source-zone {src_zone}", f" destination-zone {dst_zone}"]
    if rule.src != ANY:
        out.append(f" source-address address-set {rule.src}")
    if rule.dst != ANY:
        out.append(f" destination-address address-set {rule.dst}")
    if SERVICES[rule.service][0] != "ip":
        out.append(f" service {rule.service}")
    if not rule.enabled:
        out.append(" disable")
    if rule.log and rule.action == "accept":
        out.append(" policy logging")
    out.append(" action " + ("permit" if rule.action == "accept" else "deny"))
    return out


_VIET = str.maketrans("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
                      "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
                      "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
                      "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD")


def _ascii(text: str) -> str:
    """VRP descriptions are ASCII on these releases: Vietnamese without its diacritics."""
    return text.translate(_VIET).replace(" - ", " ")


def planted_findings(problems: tuple[str, ...]) -> frozenset[str]:
    """The planted problems a VRP device really carries."""
    return frozenset(problems) & SUPPORTED
