"""First configuration of a lab IOS device, generated from inventory data, with planted problems.

The audit needs known answers: each planted problem adds (or alters) config lines, and
`planted_findings` names the exact line that carries it, so tests can check that the audit finds
every one. Generation is deterministic: the same host data and problems give the same text.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from typing import Any

from tslcd.lab.models.ios_config import parse_config, render_body
from tslcd.lab.models.ios_syntax import extended_ace

# Data-centre services the standard policy lets agency LANs reach, and the management network.
DC_MGMT = ipaddress.IPv4Network("10.250.0.0/24")
NTP_SERVERS = ("10.250.0.1", "10.250.0.2")
SYSLOG_SERVER = "10.250.0.10"
DNS_SERVER = "10.250.0.53"
LGSP = "10.200.1.10"  # provincial LGSP (nền tảng tích hợp, chia sẻ dữ liệu)
ONE_STOP = "10.200.1.20"  # one-stop-shop system (hệ thống thông tin giải quyết TTHC)
PORTAL = "10.200.1.30"  # public-service portal (cổng dịch vụ công)
SERVER_FARM = ipaddress.IPv4Network("10.200.1.0/24")

SUPPORTED_PROBLEMS: frozenset[str] = frozenset({
    "any-any-permit", "shadowed-rule", "redundant-rule", "multi-shadowed-rule",
    "telnet-permitted", "risky-service", "no-logging", "unused-object", "unbound-acl",
    "bound-undefined-acl", "telnet-enabled", "snmp-public", "weak-ike", "plaintext-password",
    "no-ntp", "no-idle-timeout", "mgmt-open",
})


@dataclass(frozen=True)
class Hardware:
    """What a role's device is: model, physical ports, and which port faces WAN and LAN."""

    model: str
    processor: str
    physical: tuple[str, ...]
    wan_if: str
    lan_if: str


HARDWARE: dict[str, Hardware] = {
    "router": Hardware(
        "ISR4331/K9", "cisco ISR4331/K9 (1RU) processor with 1795979K/6147K bytes of memory.",
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/0/2", "GigabitEthernet0"),
        "GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
    "core-router": Hardware(
        "ISR4451-X/K9", "cisco ISR4451-X/K9 (2RU) processor with 3662620K/6147K bytes of memory.",
        ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/0/2",
         "GigabitEthernet0/0/3", "GigabitEthernet0"),
        "GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
    "switch": Hardware(
        "C9300-24T", "cisco C9300-24T (X86) processor with 1338934K/6147K bytes of memory.",
        (*(f"GigabitEthernet1/0/{i}" for i in range(1, 25)), "GigabitEthernet0/0"),
        "GigabitEthernet1/0/24", "Vlan100"),
}
_ROLE_ALIASES = {"cpe": "router", "core": "core-router", "server-switch": "switch",
                 "serverfarm-switch": "switch", "access-switch": "switch"}


def hardware(host: dict[str, Any]) -> Hardware:
    """The hardware of a host's role (agency CPE router when the role is unknown)."""
    role = str(host.get("role") or "router").lower()
    return HARDWARE.get(_ROLE_ALIASES.get(role, role), HARDWARE["router"])


def _digest(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()


def serial_number(name: str) -> str:
    """A Cisco-looking serial (FDO + 4 digits + 4 letters/digits) derived from the device name."""
    d = _digest(name)
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return "FDO{:04d}{}".format(int.from_bytes(d[:2], "big") % 10000,
                                "".join(alnum[b % len(alnum)] for b in d[2:6]))


def _secret(tag: str, name: str) -> str:
    """A type-9 (scrypt) looking hash: realistic text, never a real credential."""
    alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    d = hashlib.sha256(f"{tag}:{name}".encode()).digest() * 2
    salt = "".join(alphabet[b % 64] for b in d[:14])
    body = "".join(alphabet[b % 64] for b in d[14:57])
    return f"$9${salt}${body}"


@dataclass(frozen=True)
class Addressing:
    """Addresses derived from the host's prefixes (or from its name when they are missing)."""

    wan: ipaddress.IPv4Interface
    wan_gateway: ipaddress.IPv4Address
    lan: ipaddress.IPv4Interface
    loopback: ipaddress.IPv4Address


def addressing(host: dict[str, Any]) -> Addressing:
    """WAN/LAN first addresses, the WAN gateway (the provider's PE) and a loopback."""
    d = _digest(str(host.get("name", "device")))
    wan_net = ipaddress.IPv4Network(
        host.get("wan_prefix") or f"172.16.{d[0]}.{d[1] % 64 * 4}/30", strict=False)
    lan_net = ipaddress.IPv4Network(
        host.get("lan_prefix") or f"10.{100 + d[2] % 100}.{d[3]}.0/24", strict=False)
    wan_hosts = list(wan_net.hosts())[:2] if wan_net.prefixlen < 31 else list(wan_net)[:2]
    lan_first = next(iter(lan_net.hosts())) if lan_net.prefixlen < 31 else lan_net.network_address
    loop = host.get("loopback") or f"10.255.{d[4]}.{d[5] % 254 + 1}"
    return Addressing(
        wan=ipaddress.IPv4Interface(f"{wan_hosts[0]}/{wan_net.prefixlen}"),
        wan_gateway=wan_hosts[-1],
        lan=ipaddress.IPv4Interface(f"{lan_first}/{lan_net.prefixlen}"),
        loopback=ipaddress.IPv4Address(str(loop).split("/")[0]),
    )


def _net(n: ipaddress.IPv4Network) -> str:
    """An ACL address: ``host A`` for /32, else ``A wildcard``."""
    if n.prefixlen == 32:
        return f"host {n.network_address}"
    return f"{n.network_address} {n.hostmask}"


def _ace(text: str) -> str:
    """The canonical form IOS prints for an extended ACL entry (port names, host, any)."""
    words, bad, incomplete = extended_ace(text.split())
    if bad is not None or incomplete:
        raise ValueError(f"invalid generated ACL entry: {text}")
    return " ".join(words)


@dataclass(frozen=True)
class Planted:
    """One planted problem: where it lives and the exact line that carries it."""

    kind: str
    acl: str | None
    line: str


def _numbered(entries: list[tuple[str, str | None]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Number ACL entries 10, 20, ...; return the lines and (kind, numbered line) for planted ones."""
    lines, planted = [], []
    for i, (entry, kind) in enumerate(entries, start=1):
        line = f"{i * 10} {_ace(entry)}"
        lines.append(line)
        if kind:
            planted.append((kind, line))
    return lines, planted


def _acls(host: dict[str, Any], problems: tuple[str, ...], a: Addressing
          ) -> tuple[dict[str, list[str]], list[Planted]]:
    """The inside (LAN-IN) and outside (WAN-IN) access lists, problems planted where they belong."""
    lan = _net(a.lan.network)
    log = " log"
    inside: list[tuple[str, str | None]] = [
        (f"permit tcp {lan} host {LGSP} eq 443{log}", None),
        (f"permit tcp {lan} host {ONE_STOP} eq 443{log}", None),
        (f"permit tcp {lan} host {PORTAL} eq 80{log}", None),
        (f"permit udp {lan} host {DNS_SERVER} eq 53{log}", None),
        (f"permit icmp {lan} {_net(SERVER_FARM)} echo{log}", None),
    ]
    if "shadowed-rule" in problems:
        inside.insert(1, (f"deny tcp {lan} host {LGSP} eq 443{log}", "shadowed-rule"))
    if "redundant-rule" in problems:
        one = next(iter(a.lan.network.hosts()), a.lan.ip)
        inside.insert(3, (f"permit tcp host {one} host {ONE_STOP} eq 443{log}", "redundant-rule"))
    if "multi-shadowed-rule" in problems:
        net = a.lan.network if a.lan.network.prefixlen < 32 else a.lan.network.supernet()
        low, high = net.subnets(prefixlen_diff=1)
        inside += [(f"permit tcp {_net(low)} host {LGSP} eq 8443{log}", None),
                   (f"permit tcp {_net(high)} host {LGSP} eq 8443{log}", None),
                   (f"permit tcp {_net(net)} host {LGSP} eq 8443{log}", "multi-shadowed-rule")]
    if "no-logging" in problems:
        inside.append((f"permit tcp {lan} host {PORTAL} eq 8080", "no-logging"))
    if "any-any-permit" in problems:
        inside.append((f"permit ip any any{log}", "any-any-permit"))
    inside.append(("deny ip any any log", None))

    outside: list[tuple[str, str | None]] = [
        (f"permit tcp {_net(DC_MGMT)} {lan} eq 22{log}", None),
        (f"permit tcp {_net(DC_MGMT)} host {a.wan.ip} eq 22{log}", None),
        (f"permit icmp {_net(DC_MGMT)} any echo{log}", None),
        (f"permit udp host {NTP_SERVERS[0]} eq 123 host {a.wan.ip}{log}", None),
        (f"permit tcp {_net(SERVER_FARM)} {lan} established{log}", None),
    ]
    if "telnet-permitted" in problems:
        outside.append((f"permit tcp any {lan} eq 23{log}", "telnet-permitted"))
    if "risky-service" in problems:
        outside.append((f"permit tcp any {lan} eq 3389{log}", "risky-service"))
    outside.append(("deny ip any any log", None))

    acls: dict[str, list[str]] = {}
    planted: list[Planted] = []
    for name, entries in (("LAN-IN", inside), ("WAN-IN", outside)):
        acls[name], hits = _numbered(entries)
        planted += [Planted(kind, name, line) for kind, line in hits]
    if "unbound-acl" in problems:
        acls["OLD-VPN-IN"], _ = _numbered([(f"permit esp host 203.113.0.10 host {a.wan.ip}", None),
                                           ("deny ip any any log", None)])
        planted.append(Planted("unbound-acl", "OLD-VPN-IN", "ip access-list extended OLD-VPN-IN"))
    return acls, planted


def build(host: dict[str, Any], problems: tuple[str, ...] = ()) -> tuple[str, list[Planted]]:
    """The canonical initial configuration text and the problems planted in it."""
    name = str(host.get("name") or "lab-device")
    hw = hardware(host)
    a = addressing(host)
    agency = str(host.get("agency_name") or host.get("agency_code") or name)
    district = str(host.get("district_name") or host.get("district") or "")
    circuit = str(host.get("circuit_id") or f"TSLCD-{name.upper()}")
    bandwidth = host.get("bandwidth_mbps") or 100
    community = "tslcd-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    acls, planted = _acls(host, problems, a)
    p = set(problems)

    lines = [
        "service timestamps debug datetime msec localtime show-timezone",
        "service timestamps log datetime msec localtime show-timezone",
    ]
    if "plaintext-password" not in p:
        lines.append("service password-encryption")
    lines += [
        "platform qfp utilization monitor load 80",
        "platform punt-keepalive disable-kernel-core",
        f"hostname {name}",
        "boot-start-marker",
        "boot-end-marker",
        "vrf definition Mgmt-intf",
        " address-family ipv4",
        " exit-address-family",
        "exit",
        "logging buffered 64000 informational",
        "no logging console",
        f"enable secret 9 {_secret('enable', name)}",
        "aaa new-model",
        "aaa authentication login default local",
        "aaa authorization exec default local",
        "aaa session-id common",
        "clock timezone ICT 7 0",
        "no ip domain lookup",
        "ip domain name tslcd.gov.vn",
        "login block-for 120 attempts 5 within 60",
        "login on-success log",
        f"license udi pid {hw.model} sn {serial_number(name)}",
        "archive",
        " path flash:archive",
        " maximum 10",
        " write-memory",
        "exit",
        f"username admin privilege 15 secret 9 {_secret('admin', name)}",
    ]
    if "plaintext-password" in p:
        line = "username support privilege 15 password 0 Tslcd@2024"
        lines.append(line)
        planted.append(Planted("plaintext-password", None, line))
    lines += [
        "crypto isakmp policy 10", " encryption aes 256", " hash sha256",
        " authentication pre-share", " group 14", "exit",
    ]
    if "weak-ike" in p:
        lines += ["crypto isakmp policy 20", " encryption 3des", " hash md5",
                  " authentication pre-share", " group 2", "exit"]
        planted.append(Planted("weak-ike", None, "crypto isakmp policy 20"))
    lines += [
        "interface Loopback0",
        f" description Quản lý - {name}",
        f" ip address {a.loopback} 255.255.255.255",
        f"interface {hw.wan_if}",
        f" description WAN TSLCD - {circuit} - {bandwidth} Mbps",
    ]
    if hw.wan_if.startswith("GigabitEthernet1/0/"):
        lines.append(" no switchport")
    lines += [f" ip address {a.wan.ip} {a.wan.netmask}", " ip access-group WAN-IN in"]
    if "bound-undefined-acl" in p:
        lines.append(" ip access-group WAN-OUT out")
        planted.append(Planted("bound-undefined-acl", "WAN-OUT", "ip access-group WAN-OUT out"))
    lines += [" negotiation auto"] if not hw.wan_if.startswith("GigabitEthernet1/0/") else []
    if hw.lan_if.startswith("Vlan"):
        vlan = hw.lan_if.removeprefix("Vlan")
        lines = [*lines[:lines.index("archive")], f"vlan {vlan}", " name SERVER-FARM", "exit",
                 *lines[lines.index("archive"):]]
        for port in hw.physical[:8]:
            lines += [f"interface {port}", f" description Máy chủ - {agency}",
                      " switchport access vlan " + vlan, " switchport mode access",
                      " spanning-tree portfast"]
    lines += [
        f"interface {hw.lan_if}",
        f" description LAN - {agency}",
        f" ip address {a.lan.ip} {a.lan.netmask}",
        " ip access-group LAN-IN in",
    ]
    if not hw.lan_if.startswith("Vlan"):
        lines.append(" negotiation auto")
    used = {hw.wan_if, hw.lan_if, *(hw.physical[:8] if hw.lan_if.startswith("Vlan") else ())}
    for port in hw.physical:
        if port in used:
            continue
        lines.append(f"interface {port}")
        if port in ("GigabitEthernet0", "GigabitEthernet0/0"):
            lines.append(" vrf forwarding Mgmt-intf")
        lines += [" no ip address", " shutdown"]
        if not port.startswith("GigabitEthernet1/0/"):
            lines.append(" negotiation auto")
    if hw.model.startswith("ISR4451"):
        asn = host.get("bgp_asn") or 65010
        lines += [f"router bgp {asn}", f" bgp router-id {a.loopback}", " bgp log-neighbor-changes",
                  f" neighbor {a.wan_gateway} remote-as {host.get('provider_asn') or 45899}",
                  f" network {a.lan.network.network_address} mask {a.lan.netmask}", "exit"]
    lines += [
        "ip forward-protocol nd",
        "no ip http server",
        "no ip http secure-server",
        "ip ssh version 2",
        "ip scp server enable",
        f"ip route 0.0.0.0 0.0.0.0 {a.wan_gateway} name WAN-TSLCD",
        "ip access-list standard MGMT-SSH",
        f" 10 permit {DC_MGMT.network_address} {DC_MGMT.hostmask} log",
        " 20 deny any log",
    ]
    for acl, entries in acls.items():
        lines.append(f"ip access-list extended {acl}")
        lines += [" " + e for e in entries]
    if "unused-object" in p:
        lines += ["object-group network OLD-SERVERS", " description Máy chủ cũ - không còn dùng",
                  " host 10.200.9.10", " host 10.200.9.11"]
        planted.append(Planted("unused-object", None, "object-group network OLD-SERVERS"))
    lines += [
        f"logging source-interface {hw.wan_if}",
        f"logging host {SYSLOG_SERVER}",
        f"snmp-server community {community} RO MGMT-SSH",
    ]
    if "snmp-public" in p:
        lines.append("snmp-server community public RO")
        planted.append(Planted("snmp-public", None, "snmp-server community public RO"))
    lines += [
        f"snmp-server location {agency}{', ' + district if district else ''}",
        "snmp-server contact Trung tâm tích hợp dữ liệu tỉnh",
        "control-plane",
        "exit",
        "banner motd ^C",
        "CẢNH BÁO: Thiết bị thuộc mạng truyền số liệu chuyên dùng của tỉnh.",
        "Chỉ người được cấp quyền mới được truy cập; mọi thao tác đều được ghi nhật ký.",
        f"{agency} - {name}",
        "^C",
        "line con 0",
        " exec-timeout 5 0",
        " stopbits 1",
        "line vty 0 4",
    ]
    if "mgmt-open" in p:
        planted.append(Planted("mgmt-open", None, "line vty 0 4"))
    else:
        lines.append(" access-class MGMT-SSH in vrf-also")
    if "no-idle-timeout" in p:
        lines.append(" exec-timeout 0 0")
        planted.append(Planted("no-idle-timeout", None, "exec-timeout 0 0"))
    else:
        lines.append(" exec-timeout 10 0")
    lines.append(" login local")
    if "telnet-enabled" in p:
        lines.append(" transport input telnet ssh")
        planted.append(Planted("telnet-enabled", None, "transport input telnet ssh"))
    else:
        lines.append(" transport input ssh")
    lines += [
        "line vty 5 15",
        " access-class MGMT-SSH in vrf-also",
        " exec-timeout 10 0",
        " login local",
        " transport input ssh",
        "exit",
    ]
    if "no-ntp" in p:
        planted.append(Planted("no-ntp", None, ""))
    else:
        lines += [f"ntp server {NTP_SERVERS[0]} prefer", f"ntp server {NTP_SERVERS[1]}"]
    root, errors = parse_config("\n".join(lines), hw.physical)
    if errors:
        raise ValueError(f"generated configuration has invalid lines: {[e for e, _ in errors]}")
    return "\n".join(render_body(root)) + "\n", planted
