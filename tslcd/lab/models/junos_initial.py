"""A lab SRX's first configuration, as the ``set`` lines an installer would type.

The standard agency policy of `firewall_plan` in SRX terms: zone ``trust`` holds the agency LAN,
zone ``untrust`` the TSLCD WAN; a rule towards the network goes from trust to untrust, one towards
the LAN the other way, in the plan's order within each zone pair; objects live in the global
address book; the plan's services map to JunOS's predefined applications (``junos-https``...) or
to custom applications. The planted problems are the plan's own, plus the management-plane ones an
SRX can hold. JunOS refuses to commit a policy naming an undefined object, so that problem (and
an ACL bound but undefined) cannot be planted.
"""

from __future__ import annotations

from typing import Any

from tslcd.lab.models.firewall_plan import (
    ANY,
    DC_PUBLIC,
    FIREWALL_PROBLEMS,
    SERVICES,
    UNUSED_OBJECT,
    Rule,
    Site,
    addresses,
    rules,
    services,
    site,
)

SUPPORTED = FIREWALL_PROBLEMS
INSIDE, OUTSIDE = "ge-0/0/1", "ge-0/0/0"
TRUST, UNTRUST = "trust", "untrust"
#: The plan's services as JunOS applications: predefined ones where JunOS has them.
PREDEFINED = {"HTTPS": "junos-https", "HTTP": "junos-http", "SSH": "junos-ssh", "TELNET": "junos-telnet",
              "DNS": "junos-dns-udp", "NTP": "junos-ntp", "IMAPS": "junos-imaps", "ALL": "any"}
WEAK_PROPOSAL = ("des-cbc", "md5", "group2")
PUBLIC_COMMUNITY = "public"
IDLE_TIMEOUT = "set system login class TSLCD-ADMIN idle-timeout 10"
#: A JunOS-style hash for the lab's local accounts (never a real password's).
LAB_HASH = "$6$tslcdlab$Yx9yTq0lWm2o8X3kz1VtF0c7b5dJ4eRrQ6nA8uH2sG1pL3iK9mN0oP7qS5tU4vW6xY8zB2cD4eF6gH8j"


def application(service: str) -> str:
    """The JunOS application a plan service is matched with."""
    return PREDEFINED.get(service) or f"TSLCD-{service}"


def _applications(s: Site, problems: tuple[str, ...]) -> list[str]:
    lines = []
    for name in sorted(services(s, problems)):
        if name in PREDEFINED:
            continue
        protocol, port = SERVICES[name]
        app = f"applications application {application(name)}"
        lines += [f"set {app} protocol {protocol}", f"set {app} destination-port {port}"]
    return lines


def _address_book(s: Site, problems: tuple[str, ...]) -> list[str]:
    book = "set security address-book global"
    lines = []
    for name, cidr, text in addresses(s, problems):
        lines += [f"{book} address {name} {cidr}", f'{book} address {name} description "{text}"']
    lines += [f"{book} address-set {DC_PUBLIC[0]} address {member}" for member in DC_PUBLIC[1]]
    lines.append(f'{book} address-set {DC_PUBLIC[0]} description "{DC_PUBLIC[2]}"')
    return lines


def _address(name: str) -> str:
    return "any" if name == ANY else name


def policy_path(rule: Rule) -> str:
    """The hierarchy a plan rule sits at: its zone pair and name."""
    src, dst = (TRUST, UNTRUST) if rule.flow == "out" else (UNTRUST, TRUST)
    return f"security policies from-zone {src} to-zone {dst} policy {rule.name}"


def _policy(rule: Rule) -> list[str]:
    at = "set " + policy_path(rule)
    action = "permit" if rule.action == "accept" else "deny"
    lines = [f'{at} description "{rule.comment}"', f"{at} match source-address {_address(rule.src)}",
             f"{at} match destination-address {_address(rule.dst)}",
             f"{at} match application {application(rule.service)}", f"{at} then {action}"]
    if rule.log:
        lines += [f"{at} then log session-init", f"{at} then log session-close"]
    if not rule.enabled:
        lines.append("deactivate " + policy_path(rule))
    return lines


def _system(s: Site, problems: tuple[str, ...]) -> list[str]:
    community = PUBLIC_COMMUNITY if "snmp-public" in problems else f"tslcd-ro-{s.code.lower()}"
    lines = [
        "set version 21.4R3-S5.4",
        f"set system host-name {s.name}",
        "set system domain-name tslcd.gov.vn",
        "set system time-zone Asia/Ho_Chi_Minh",
        f'set system root-authentication encrypted-password "{LAB_HASH}"',
        "set system login class TSLCD-ADMIN permissions all",
    ]
    if "no-idle-timeout" not in problems:
        lines.append(IDLE_TIMEOUT)
    lines += [
        "set system login user admin uid 2000",
        "set system login user admin class TSLCD-ADMIN",
        f'set system login user admin authentication encrypted-password "{LAB_HASH}"',
        f'set system login message "{s.agency}: chi can bo duoc cap quyen moi duoc dang nhap"',
        "set system services ssh protocol-version v2",
        "set system services ssh root-login deny",
    ]
    if "telnet-enabled" in problems:
        lines.append("set system services telnet")
    lines += [f"set system name-server {s.servers['DNS-SRV']}",
              f"set system syslog host {s.servers['SYSLOG-SRV']} any notice",
              f"set system syslog host {s.servers['SYSLOG-SRV']} interactive-commands any",
              "set system syslog file messages any notice"]
    if "no-ntp" not in problems:
        lines.append(f"set system ntp server {s.servers['NTP-SRV']}")
    lines += [f"set snmp community {community} authorization read-only",
              f"set snmp community {community} clients {s.mgmt}"]
    return lines


def _interfaces(s: Site, problems: tuple[str, ...]) -> list[str]:
    wan_text = "Kenh truyen so lieu chuyen dung" + (f" {s.circuit}" if s.circuit else "")
    inbound = "set security zones security-zone {zone} host-inbound-traffic system-services {svc}"
    lines = [
        f'set interfaces {OUTSIDE} description "{wan_text}"',
        f"set interfaces {OUTSIDE} unit 0 family inet address {s.wan_address}/{s.wan.prefixlen}",
        f'set interfaces {INSIDE} description "LAN {s.code}"',
        f"set interfaces {INSIDE} unit 0 family inet address {s.lan_gateway}/{s.lan.prefixlen}",
        f"set routing-options static route 0.0.0.0/0 next-hop {s.wan_gateway}",
        f"set security zones security-zone {TRUST} interfaces {INSIDE}.0",
        inbound.format(zone=TRUST, svc="ping"),
        f"set security zones security-zone {UNTRUST} interfaces {OUTSIDE}.0",
        inbound.format(zone=UNTRUST, svc="ssh"),
    ]
    if "mgmt-open" not in problems:
        lines += [f"set firewall filter PROTECT-RE term MGMT from source-address {s.mgmt}",
                  "set firewall filter PROTECT-RE term MGMT then accept",
                  "set firewall filter PROTECT-RE term ICMP from protocol icmp",
                  "set firewall filter PROTECT-RE term ICMP then accept",
                  "set firewall filter PROTECT-RE term DROP then discard",
                  "set interfaces lo0 unit 0 family inet filter input PROTECT-RE"]
    return lines


def _ike(s: Site) -> list[str]:
    ike = "set security ike"
    return [f"{ike} proposal DU-PHONG authentication-method pre-shared-keys",
            f"{ike} proposal DU-PHONG dh-group {WEAK_PROPOSAL[2]}",
            f"{ike} proposal DU-PHONG authentication-algorithm {WEAK_PROPOSAL[1]}",
            f"{ike} proposal DU-PHONG encryption-algorithm {WEAK_PROPOSAL[0]}",
            f"{ike} policy DU-PHONG proposals DU-PHONG",
            f'{ike} policy DU-PHONG pre-shared-key ascii-text "$9$lab.{s.code}.psk"',
            f"{ike} gateway DU-PHONG ike-policy DU-PHONG",
            f"{ike} gateway DU-PHONG address {s.servers['LGSP-SRV']}",
            f"{ike} gateway DU-PHONG external-interface {OUTSIDE}.0"]


def build_script(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[str]:
    """The configuration-mode lines that set a new lab SRX up for ``host``."""
    s = site(host)
    lines = [*_system(s, problems), *_interfaces(s, problems)]
    if "weak-ike" in problems:
        lines += _ike(s)
    lines += [*_address_book(s, problems), *_applications(s, problems)]
    for rule in rules(s, problems):
        lines += _policy(rule)
    return lines


def planted_findings(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Where each supported planted problem sits: the policy and the config line showing it."""
    s = site(host)
    name = str(host.get("name") or s.name)
    found = []
    for rule in rules(s, problems):
        if rule.kind:
            line = ("deactivate " + policy_path(rule) if rule.kind == "disabled-rule"
                    else "set " + policy_path(rule) + " then permit")
            found.append({"kind": rule.kind, "acl": "policy", "rule": rule.name, "line": line})
    device_lines = {
        "unused-object": f"set security address-book global address {UNUSED_OBJECT[0]} "
                         f"{UNUSED_OBJECT[1]}/32",
        "telnet-enabled": "set system services telnet",
        "snmp-public": f"set snmp community {PUBLIC_COMMUNITY} authorization read-only",
        "weak-ike": f"set security ike proposal DU-PHONG encryption-algorithm {WEAK_PROPOSAL[0]}",
        # What is missing has no line: no NTP server, no idle timeout, no lo0 filter (then the
        # zone that admits SSH is where management is open).
        "no-ntp": "",
        "no-idle-timeout": "",
        "mgmt-open": f"set security zones security-zone {UNTRUST} host-inbound-traffic system-services ssh",
    }
    found += [{"kind": kind, "acl": "", "rule": "", "line": line}
              for kind, line in device_lines.items() if kind in problems]
    return [{"host": name, "platform": "juniper_junos", **item} for item in found]
