"""A lab ASA's first configuration, as configuration lines (sub-mode lines indented).

The lines are replayed through the same interpreter as a live session, so they obey what the
device enforces. An ASA refuses references to undefined objects and ACLs unless
``forward-reference enable`` is configured; the lab turns it on only when a problem needs it
(undefined-reference, bound-undefined-acl), which is how a real ASA comes to hold them.
"""

from __future__ import annotations

from typing import Any

from tslcd.lab.models.asa_config import hash_secret, port_text
from tslcd.lab.models.firewall_plan import (
    ANY,
    CLIENT_DENY,
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

SUPPORTED = FIREWALL_PROBLEMS | {"undefined-reference", "unbound-acl", "bound-undefined-acl"}
IDLE_LONGEST = "ssh timeout 60"  # the ASA's maximum: an hour idle before the session closes
SSH_FROM_ANY = "ssh 0.0.0.0 0.0.0.0 outside"
ACL_BY_FLOW = {"out": "INSIDE_IN", "in": "OUTSIDE_IN"}
#: Plan services the ASA defines as ``object service`` (the rest are protocol + port).
SERVICE_OBJECTS = ("LGSP-8443",)
UNDEFINED_OBJECT = ("SAO-LUU-SRV", "Sao lưu dữ liệu lên máy chủ dự phòng")
UNBOUND_ACL = ("VPN_CU", "ACL của kênh VPN cũ, không còn gắn vào giao diện")
UNDEFINED_ACL = ("MGMT_IN", "management")
UNUSED_INTERFACES = tuple(f"GigabitEthernet1/{n}" for n in range(3, 9))
PUBLIC_COMMUNITY = "public"
TELNET_LINE = "telnet 0.0.0.0 0.0.0.0 inside"
WEAK_IKE = {"authentication": "pre-share", "encryption": "3des", "hash": "md5", "group": "2"}


def _address(name: str) -> str:
    if name == ANY:
        return "any"
    return f"object-group {name}" if name == DC_PUBLIC[0] else f"object {name}"


def ace(rule: Rule) -> str:
    """The access-list line of one plan rule, as the ASA prints it."""
    proto, number = SERVICES[rule.service]
    if rule.service in SERVICE_OBJECTS:
        service, port = f"object {rule.service}", ""
    else:
        service, port = proto, f" eq {port_text(proto, str(number))}" if number else ""
    action = "permit" if rule.action == "accept" else "deny"
    text = (f"access-list {ACL_BY_FLOW[rule.flow]} extended {action} {service} {_address(rule.src)} "
            f"{_address(rule.dst)}{port}")
    return text + (" log" if rule.log else "") + ("" if rule.enabled else " inactive")


def _extra_aces(s: Site, problems: tuple[str, ...]) -> dict[str, tuple[str, str, str]]:
    """ACEs the plan does not have: kind -> (ACL, remark, line)."""
    lan = _address(s.lan_object)
    extra = {}
    if "undefined-reference" in problems:
        acl = ACL_BY_FLOW["out"]
        extra["undefined-reference"] = (acl, UNDEFINED_OBJECT[1], f"access-list {acl} extended permit tcp "
                                        f"{lan} object {UNDEFINED_OBJECT[0]} eq ssh log")
    if "unbound-acl" in problems:
        acl = UNBOUND_ACL[0]
        extra["unbound-acl"] = (acl, UNBOUND_ACL[1],
                                f"access-list {acl} extended permit ip {lan} object-group {DC_PUBLIC[0]} log")
    return extra


def _acls(s: Site, problems: tuple[str, ...]) -> list[str]:
    extra = _extra_aces(s, problems)
    lines: list[str] = []
    for rule in rules(s, problems):
        acl = ACL_BY_FLOW[rule.flow]
        if rule.name == CLIENT_DENY and extra.get("undefined-reference", ("",))[0] == acl:
            _, remark, line = extra.pop("undefined-reference")
            lines += [f"access-list {acl} remark {remark}", line]
        lines += [f"access-list {acl} remark {rule.name}: {rule.comment}", ace(rule)]
    for acl, remark, line in extra.values():
        lines += [f"access-list {acl} remark {remark}", line]
    return lines


def _objects(s: Site, problems: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for name, cidr, text in addresses(s, problems):
        address, _, bits = cidr.partition("/")
        body = f" host {address}" if bits == "32" else f" subnet {address} {_mask(bits)}"
        lines += [f"object network {name}", body, f" description {text}"]
    for name in sorted(set(SERVICE_OBJECTS) & services(s, problems)):
        proto, port = SERVICES[name]
        lines += [f"object service {name}", f" service {proto} destination eq {port}",
                  " description Dịch vụ riêng của Trung tâm tích hợp dữ liệu"]
    lines += [f"object-group network {DC_PUBLIC[0]}", f" description {DC_PUBLIC[2]}",
              *(f" network-object object {member}" for member in DC_PUBLIC[1])]
    return lines


def _mask(bits: str) -> str:
    value = (0xFFFFFFFF << (32 - int(bits))) & 0xFFFFFFFF
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def _interfaces(s: Site) -> list[str]:
    wan_text = "Kênh truyền số liệu chuyên dùng" + (f" {s.circuit}" if s.circuit else "")
    if s.bandwidth:
        wan_text += f" - {s.bandwidth} Mbps"
    return [
        "interface GigabitEthernet1/1", f" description {wan_text}", " no shutdown", " nameif outside",
        " security-level 0", f" ip address {s.wan_address} {s.wan.netmask}",
        "interface GigabitEthernet1/2", f" description Mạng LAN {s.agency}", " no shutdown",
        " nameif inside", " security-level 100", f" ip address {s.lan_gateway} {s.lan.netmask}",
        "interface Management1/1", " management-only", " no shutdown", " nameif management",
        " security-level 100", " ip address 192.168.1.1 255.255.255.0",
        *(line for name in UNUSED_INTERFACES for line in (f"interface {name}", " shutdown")),
    ]


def build_script(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[str]:
    """The configuration lines of a new lab ASA for ``host``."""
    s = site(host)
    mgmt, _, bits = s.mgmt.partition("/")
    community = PUBLIC_COMMUNITY if "snmp-public" in problems else f"tslcd-ro-{s.code.lower()}"
    forward = "undefined-reference" in problems or "bound-undefined-acl" in problems
    lines = [
        f"hostname {s.name}", f"domain-name {host.get('domain') or 'tslcd.local'}",
        f"enable password {hash_secret('lab-' + s.name, 'enable_15')} pbkdf2", "names",
        *_interfaces(s), "ftp mode passive", *(["forward-reference enable"] if forward else []),
        *_objects(s, problems), *_acls(s, problems),
        "pager lines 24", "logging enable", "logging timestamp", "logging trap informational",
        f"logging host outside {s.servers['SYSLOG-SRV']}", "mtu outside 1500", "mtu inside 1500",
        "mtu management 1500",
        *(f"access-group {acl} in interface {iface}"
          for acl, iface in ((ACL_BY_FLOW["out"], "inside"), (ACL_BY_FLOW["in"], "outside"))),
        *([f"access-group {UNDEFINED_ACL[0]} in interface {UNDEFINED_ACL[1]}"]
          if "bound-undefined-acl" in problems else []),
        f"route outside 0.0.0.0 0.0.0.0 {s.wan_gateway} 1",
        "aaa authentication ssh console LOCAL",
        "aaa local authentication attempts max-fail 5",
        f"snmp-server location {s.agency}" + (f" - {s.district}" if s.district else ""),
        f"snmp-server community {community}",
    ]
    if "weak-ike" in problems:
        lines += ["crypto ikev1 policy 10", *(f" {k} {v}" for k, v in WEAK_IKE.items()),
                  "crypto ikev1 enable outside"]
    if "telnet-enabled" in problems:
        lines.append(TELNET_LINE)
    lines += ["telnet timeout 5",
              SSH_FROM_ANY if "mgmt-open" in problems else f"ssh {mgmt} {_mask(bits)} outside",
              IDLE_LONGEST if "no-idle-timeout" in problems else "ssh timeout 15", "ssh version 2",
              "ssh key-exchange group dh-group14-sha256",
              *([] if "no-ntp" in problems else [f"ntp server {s.servers['NTP-SRV']}"]),
              f"username admin password {hash_secret('lab-' + s.name, 'admin')} pbkdf2 privilege 15"]
    return lines


def planted_findings(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Where each supported planted problem sits: ACL name, access-list line, carrying line.

    ``snmp-public`` is in ``more system:running-config`` and the saved file; ``show
    running-config`` masks SNMP communities as ``*****``, as a real ASA does.
    """
    s = site(host)
    found = [{"kind": r.kind, "acl": ACL_BY_FLOW[r.flow], "rule": ace(r), "line": ace(r)}
             for r in rules(s, problems) if r.kind]
    found += [{"kind": kind, "acl": acl, "rule": line, "line": line}
              for kind, (acl, _, line) in _extra_aces(s, problems).items()]
    device_lines = {
        "bound-undefined-acl": (UNDEFINED_ACL[0], f"access-group {UNDEFINED_ACL[0]} in interface "
                                                  f"{UNDEFINED_ACL[1]}"),
        "unused-object": ("", f"object network {UNUSED_OBJECT[0]}"),
        "telnet-enabled": ("", TELNET_LINE),
        "snmp-public": ("", f"snmp-server community {PUBLIC_COMMUNITY}"),
        "weak-ike": ("", f"encryption {WEAK_IKE['encryption']}"),
        "no-ntp": ("", ""),
        "no-idle-timeout": ("", IDLE_LONGEST),
        "mgmt-open": ("", SSH_FROM_ANY),
    }
    found += [{"kind": kind, "acl": acl, "rule": "", "line": line}
              for kind, (acl, line) in device_lines.items() if kind in problems]
    return [{"host": s.name, "platform": "cisco_asa", **item} for item in found]
