"""A lab FortiGate's first configuration, as the CLI lines an installer would type.

The lines go through the same interpreter as a live session, so the initial configuration obeys
every rule the device enforces (a FortiGate refuses undefined references, so that problem cannot
be planted here). `planted` returns, for each planted problem, where it sits in the result.
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
from tslcd.lab.models.fortinet_config import quote

SUPPORTED = FIREWALL_PROBLEMS
#: What the management-plane problems change: (kind, planted line).
IDLE_FOREVER = "set admintimeout 480"  # FortiOS's maximum: eight hours, in effect no idle timeout
NO_NTP = "set ntpsync disable"
#: FortiOS's predefined services the lab keeps: name -> (category, protocol, tcp ports, udp ports).
PREDEFINED_SERVICES: dict[str, tuple[str, str, str, str]] = {
    "ALL": ("General", "IP", "", ""),
    "ALL_TCP": ("General", "TCP/UDP/SCTP", "1-65535", ""),
    "ALL_UDP": ("General", "TCP/UDP/SCTP", "", "1-65535"),
    "ALL_ICMP": ("General", "ICMP", "", ""),
    "HTTP": ("Web Access", "TCP/UDP/SCTP", "80", ""),
    "HTTPS": ("Web Access", "TCP/UDP/SCTP", "443", ""),
    "DNS": ("Network Services", "TCP/UDP/SCTP", "53", "53"),
    "NTP": ("Network Services", "TCP/UDP/SCTP", "123", "123"),
    "SSH": ("Remote Access", "TCP/UDP/SCTP", "22", ""),
    "TELNET": ("Remote Access", "TCP/UDP/SCTP", "23", ""),
    "RDP": ("Remote Access", "TCP/UDP/SCTP", "3389", ""),
    "SMB": ("File Access", "TCP/UDP/SCTP", "445", ""),
    "MS-SQL": ("Network Services", "TCP/UDP/SCTP", "1433 1434", ""),
    "IMAPS": ("Email", "TCP/UDP/SCTP", "993", ""),
    "SMTPS": ("Email", "TCP/UDP/SCTP", "465", ""),
    "SNMP": ("Network Services", "TCP/UDP/SCTP", "161-162", "161-162"),
    "SYSLOG": ("Network Services", "TCP/UDP/SCTP", "", "514"),
}
SAFE_ACCESS = "ping https ssh"
TELNET_ACCESS = "ping https ssh telnet http"
STRONG_PROPOSAL, WEAK_PROPOSAL = "aes256-sha256", "des-md5 3des-sha1"
PUBLIC_COMMUNITY = "public"
INSIDE, OUTSIDE = "lan", "wan1"
#: Where each planted rule problem is visible in the policy: the attribute line, by kind.
_RULE_LINE = {"no-logging": "set logtraffic disable", "disabled-rule": "set status disable"}


def _set(name: str, *values: str, quoted: bool = False) -> str:
    return f"set {name} " + " ".join(quote(v) if quoted else v for v in values)


def _entry(key: str, *lines: str) -> list[str]:
    return [f"edit {key}", *lines, "next"]


def _block(path: str, *lines: str) -> list[str]:
    return [f"config {path}", *lines, "end"]


def _interfaces(s: Site, problems: tuple[str, ...]) -> list[str]:
    lan_access = TELNET_ACCESS if "telnet-enabled" in problems else SAFE_ACCESS
    wan_text = "Kênh truyền số liệu chuyên dùng" + (f" {s.circuit}" if s.circuit else "")
    if s.bandwidth:
        wan_text += f" - {s.bandwidth} Mbps"
    return _block(
        "system interface",
        *_entry(quote(OUTSIDE), _set("vdom", "root", quoted=True),
                _set("ip", s.wan_address, str(s.wan.netmask)), _set("allowaccess", SAFE_ACCESS),
                "set type physical", _set("alias", "TSLCD", quoted=True),
                _set("description", wan_text, quoted=True), "set role wan"),
        *_entry(quote(INSIDE), _set("vdom", "root", quoted=True),
                _set("ip", s.lan_gateway, str(s.lan.netmask)), _set("allowaccess", lan_access),
                "set type physical", _set("alias", f"LAN-{s.code}", quoted=True),
                _set("description", f"Mạng LAN {s.agency}", quoted=True), "set role lan"),
        *_entry(quote("mgmt"), _set("vdom", "root", quoted=True), "set type physical",
                "set status down"),
    )


def _objects(s: Site, problems: tuple[str, ...]) -> list[str]:
    lines = _entry(quote(ANY))
    for name, cidr, text in addresses(s, problems):
        interface = [_set("associated-interface", INSIDE, quoted=True)] if name == s.lan_object else []
        lines += _entry(quote(name), _set("comment", text, quoted=True), *interface,
                        _set("subnet", cidr))
    custom: list[str] = []
    for name, (category, protocol, tcp, udp) in PREDEFINED_SERVICES.items():
        ports = ([_set("tcp-portrange", *tcp.split())] if tcp else []) + (
            [_set("udp-portrange", *udp.split())] if udp else [])
        custom += _entry(quote(name), _set("category", category, quoted=True),
                           _set("protocol", protocol), *ports)
    for name, (protocol, port) in SERVICES.items():
        if name not in PREDEFINED_SERVICES and name in services(s, problems):
            custom += _entry(quote(name), _set(f"{protocol}-portrange", str(port)),
                               _set("comment", "Dịch vụ riêng của Trung tâm tích hợp dữ liệu", quoted=True))
    group = _entry(quote(DC_PUBLIC[0]), _set("member", *DC_PUBLIC[1], quoted=True),
                   _set("comment", DC_PUBLIC[2], quoted=True))
    return [*_block("firewall address", *lines), *_block("firewall addrgrp", *group),
            *_block("firewall service custom", *custom)]


def _policy(number: int, rule: Rule) -> list[str]:
    src_if, dst_if = (INSIDE, OUTSIDE) if rule.flow == "out" else (OUTSIDE, INSIDE)
    return _entry(
        str(number), _set("name", rule.name, quoted=True), _set("srcintf", src_if, quoted=True),
        _set("dstintf", dst_if, quoted=True), _set("action", rule.action),
        _set("srcaddr", rule.src, quoted=True), _set("dstaddr", rule.dst, quoted=True),
        *([] if rule.enabled else ["set status disable"]),
        _set("schedule", "always", quoted=True), _set("service", rule.service, quoted=True),
        _set("logtraffic", "all" if rule.log else "disable"),
        _set("comments", rule.comment, quoted=True),
    )


def _management(s: Site, problems: tuple[str, ...]) -> list[str]:
    community = PUBLIC_COMMUNITY if "snmp-public" in problems else f"tslcd-ro-{s.code.lower()}"
    lines = [
        *_block("system global", _set("hostname", s.name, quoted=True),
                _set("alias", f"{s.code} - {s.agency}", quoted=True),
                IDLE_FOREVER if "no-idle-timeout" in problems else "set admintimeout 15"),
        *_block("system console", "set output standard"),
        *_interfaces(s, problems),
        *_block("system admin", *_entry(
            quote("admin"), _set("accprofile", "super_admin", quoted=True),
            _set("vdom", "root", quoted=True),
            *([] if "mgmt-open" in problems else [_set("trusthost1", s.mgmt)]),
            _set("comments", f"Quản trị viên {s.agency}", quoted=True),
            _set("password", f"lab-{s.name}"))),
        *_block("system dns", _set("primary", s.servers["DNS-SRV"])),
        *(_block("system ntp", NO_NTP) if "no-ntp" in problems else _block(
            "system ntp", "set ntpsync enable", "set type custom", *_block(
                "ntpserver", *_entry("1", _set("server", s.servers["NTP-SRV"], quoted=True))))),
        *_block("system snmp community", *_entry(
            "1", _set("name", community, quoted=True),
            *_block("hosts", *_entry("1", _set("ip", s.mgmt))))),
        *_block("log syslogd setting", "set status enable",
                _set("server", s.servers["SYSLOG-SRV"], quoted=True)),
    ]
    return lines


def build_script(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[str]:
    """The CLI lines that configure a new lab FortiGate for ``host``."""
    s = site(host)
    lines = [*_management(s, problems), *_objects(s, problems)]
    if "weak-ike" in problems:
        lines += _block("vpn ipsec phase1-interface", *_entry(
            quote("VPN-DU-PHONG"), _set("interface", OUTSIDE, quoted=True), "set ike-version 1",
            _set("proposal", *WEAK_PROPOSAL.split()), "set dhgrp 2",
            _set("remote-gw", s.servers["LGSP-SRV"]), _set("psksecret", f"psk-{s.name}"),
            _set("comments", "Kênh VPN dự phòng tới Trung tâm tích hợp dữ liệu", quoted=True)))
    policies: list[str] = []
    for number, rule in enumerate(rules(s, problems), start=1):
        policies += _policy(number, rule)
    lines += _block("firewall policy", *policies)
    lines += _block("router static", *_entry(
        "1", _set("gateway", s.wan_gateway), _set("device", OUTSIDE, quoted=True),
        _set("comment", "Tuyến mặc định qua kênh TSLCD", quoted=True)))
    return lines


def planted_findings(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Where each supported planted problem sits: policy id and the config line showing it."""
    s = site(host)
    name = str(host.get("name") or s.name)
    found = []
    for number, rule in enumerate(rules(s, problems), start=1):
        if rule.kind:
            line = _RULE_LINE.get(rule.kind, _set("name", rule.name, quoted=True))
            found.append({"kind": rule.kind, "acl": "policy", "rule": str(number), "line": line})
    device_lines = {
        "unused-object": f"edit {quote(UNUSED_OBJECT[0])}",
        "telnet-enabled": _set("allowaccess", TELNET_ACCESS),
        "snmp-public": _set("name", PUBLIC_COMMUNITY, quoted=True),
        "weak-ike": _set("proposal", *WEAK_PROPOSAL.split()),
        "no-ntp": NO_NTP,
        "no-idle-timeout": IDLE_FOREVER,
        "mgmt-open": f"edit {quote('admin')}",
    }
    found += [{"kind": kind, "acl": "", "rule": "", "line": line}
              for kind, line in device_lines.items() if kind in problems]
    return [{"host": name, "platform": "fortinet", **item} for item in found]
