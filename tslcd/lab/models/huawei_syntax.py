"""What the lab VRP accepts where: the views a line opens, the commands each view knows, and the
checks that make it refuse a line with VRP's own error text and a caret under the bad word.

VRP runs a command the current view does not know in the nearest enclosing view that does (a
global command typed inside ``interface X`` leaves the interface view), so the session looks a
line up view by view outwards.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

UNRECOGNIZED = "Error: Unrecognized command found at '^' position."
WRONG = "Error: Wrong parameter found at '^' position."
INCOMPLETE = "Error: Incomplete command found at '^' position."

#: Interface types, as VRP spells them (a typed prefix in any case selects the first that fits).
INTERFACE_TYPES = ("GigabitEthernet", "XGigabitEthernet", "Ethernet", "Eth-Trunk", "LoopBack",
                   "Vlanif", "NULL", "Tunnel", "Dialer", "Cellular", "MEth", "Virtual-Template",
                   "Virtual-Ethernet", "Serial", "Bridge-if", "Wlan-Radio", "Atm", "Pos",
                   "10GE", "25GE", "40GE", "100GE", "GE", "Vbdif", "Eth-Trunk")
#: Logical interfaces a configuration may create; any other must exist on the hardware.
LOGICAL = ("Eth-Trunk", "LoopBack", "Vlanif", "NULL", "Tunnel", "Dialer", "Virtual-Template",
           "Bridge-if", "Vbdif")


@dataclass(frozen=True)
class Opener:
    """A line that opens a view: its pattern, the view kind, the prompt suffix and stored form."""

    pattern: re.Pattern[str]
    kind: str
    prompt: str  # str.format with the match's groups ({0}, {1}, ...)
    stored: str = "{line}"


def _o(pattern: str, kind: str, prompt: str, stored: str = "{line}") -> Opener:
    return Opener(re.compile(pattern + r"$"), kind, prompt, stored)


OPENERS: dict[str, tuple[Opener, ...]] = {
    "system": (
        _o(r"interface (\S+(?: \S+)?)", "interface", "{0}", "interface {0}"),
        _o(r"aaa", "aaa", "aaa"),
        _o(r"acl (?:number )?([23]\d{3})(?: match-order (?:auto|config))?", "acl", "acl-{kind}-{0}",
           "acl number {0}"),
        _o(r"acl name (\S+)(?: (basic|advance|[23]\d{3}))?", "acl", "acl-{kind}-{0}"),
        _o(r"user-interface (vty) (\d+)(?: (\d+))?", "ui", "ui-{0}{1}{dash}{2}"),
        _o(r"user-interface (con(?:sole)?) (\d+)", "ui", "ui-console{1}", "user-interface con {1}"),
        _o(r"security-policy", "policy", "policy-security"),
        _o(r"nat-policy", "policy", "policy-nat"),
        _o(r"firewall zone (?:name )?(\S+)(?: id \d+)?", "zone", "zone-{0}"),
        _o(r"ospf(?: (\d+))?(?: router-id \S+)?(?: vpn-instance \S+)?", "ospf", "ospf-{0}"),
        _o(r"bgp (\d+(?:\.\d+)?)", "bgp", "bgp"),
        _o(r"isis(?: (\d+))?", "generic", "isis-{0}"),
        _o(r"ip vpn-instance (\S+)", "vpn", "vpn-instance-{0}"),
        _o(r"ip address-set (\S+) type (?:object|group)", "generic", "object-address-set-{0}"),
        _o(r"ip service-set (\S+) type (?:object|group)", "generic", "object-service-set-{0}"),
        _o(r"ip pool (\S+)", "generic", "ip-pool-{0}"),
        _o(r"vlan (\d+)", "generic", "vlan{0}"),
        _o(r"ike proposal (\d+)", "generic", "ike-proposal-{0}"),
        _o(r"ike peer (\S+)(?: v[12])?", "generic", "ike-peer-{0}"),
        _o(r"ipsec proposal (\S+)", "generic", "ipsec-proposal-{0}"),
        _o(r"ipsec policy (\S+) (\d+)(?: isakmp| manual)?", "generic", "ipsec-policy-isakmp-{0}-{1}"),
        _o(r"route-policy (\S+) (?:permit|deny) node (\d+)", "generic", "route-policy"),
        _o(r"traffic (?:classifier|behavior|policy) (\S+).*", "generic", "{0}"),
        _o(r"(?:hwtacacs-server|radius-server) template (\S+)", "generic", "template-{0}"),
        _o(r"nat address-group (\S+).*", "generic", "address-group-{0}"),
        _o(r"mpls(?: ldp| l2vpn| te)?", "generic", "mpls"),
        _o(r"bfd", "generic", "bfd"),
        _o(r"vsi (\S+)(?: static| auto)?", "generic", "vsi-{0}"),
        _o(r"pki realm (\S+)", "generic", "pki-realm-{0}"),
        _o(r"(?:dot1x|mac|portal)-access-profile name (\S+)", "generic", "{0}"),
        _o(r"(?:authentication|free-rule-template)-profile name (\S+)", "generic", "{0}"),
        _o(r"free-rule-template name (\S+)", "generic", "{0}"),
        _o(r"drop-profile (\S+)", "generic", "drop-{0}"),
        _o(r"diffserv domain (\S+)", "generic", "dsdomain-{0}"),
        _o(r"dhcp server group (\S+)", "generic", "dhcp-server-group-{0}"),
        _o(r"time-range (\S+)", "generic", "time-range-{0}"),
        _o(r"(?:ops|remote-unit|sa|location|api|traffic-policy|policy-based-route|pcp-policy"
           r"|dns-transparent-policy|snmp-agent|multi-interface|right-manager server-group)",
           "generic", "{line}"),
    ),
    "aaa": (
        _o(r"(authentication|authorization|accounting)-scheme (\S+)", "generic", "aaa-{0}n-{1}"),
        _o(r"domain (\S+)", "generic", "aaa-domain-{0}"),
        _o(r"local-aaa-user password policy (\S+)", "generic", "aaa-lupp-{0}"),
    ),
    "policy": (_o(r"rule name (\S+)", "rule", "{parent}-rule-{0}"),),
    "ospf": (_o(r"area (\S+)", "area", "{parent}-area-{0}"),),
    "bgp": (_o(r"ipv[46]-family(?: \S+)*", "generic", "bgp-af"),),
    "vpn": (_o(r"ipv[46]-family", "generic", "{parent}-af-ipv4"),),
    "generic": (_o(r"pwsignal ldp", "generic", "vsi-{parent}-ldp"),),
}

_COMMON = {"undo", "quit", "return", "display", "description", "commit"}
#: First words each view knows (a view kind missing here takes any word: see `known`).
WORDS: dict[str, set[str]] = {
    "system": {
        "sysname", "interface", "aaa", "acl", "ip", "ipv6", "ospf", "bgp", "isis", "rip", "vlan",
        "user-interface", "snmp-agent", "ntp-service", "info-center", "stelnet", "ssh", "telnet",
        "http", "clock", "dhcp", "dns", "header", "firewall", "security-policy", "nat", "nat-policy",
        "ike", "ipsec", "rsa", "dsa", "ecc", "lldp", "stp", "sftp", "ftp", "scp", "radius-server",
        "hwtacacs-server", "route-policy", "domain", "l2tp", "dialer-rule", "qos", "traffic",
        "cpu-defend", "super", "mpls", "router", "bfd", "vsi", "pki", "authentication-profile",
        "dot1x-access-profile", "mac-access-profile", "portal-access-profile", "free-rule-template",
        "drop-profile", "diffserv", "set", "license", "ops", "remote-unit", "sa", "location", "api",
        "traffic-policy", "policy-based-route", "pcp-policy", "dns-transparent-policy",
        "multi-interface", "right-manager", "icmp", "ddr", "capwap", "dot1x", "mac-address",
        "local-aaa-server", "web", "time-range", "save", "undo", "arp", "hrp", "security-zone",
        "sntp", "netconf", "commit", "abort", "rollback", "user-security-policy", "wlan",
        "port-group", "voice", "sip", "bridge", "loopback-detect", "cluster", "http-server",
        "anti-attack", "ntp", "load-balance", "device", "lacp", "cli", "management-port", "drop",
        "observe-port", "port-isolate", "dldp", "ddos", "blacklist", "ipc", "slb", "nqa", "vrrp",
        "xpon", "ont", "telemetry", "fan", "power", "profile", "url-filter", "av", "ips",
        "application", "service-set", "address-set", "ha", "ssl", "engine", "update", "tsm",
        "pbr", "eth-trunk", "vcmp", "ndp", "ntdp", "dhcpv6", "assign", "monitor", "schedule",
        "system", "sftp-server",
    },
    "interface": {
        "ip", "ipv6", "shutdown", "port", "stp", "traffic-filter", "nat", "ospf", "isis", "mtu",
        "speed", "duplex", "negotiation", "eth-trunk", "mode", "jumboframe", "storm-control",
        "lldp", "l2protocol-tunnel", "undo", "mpls", "dhcp", "vrrp", "dot1q", "qos", "trust",
        "traffic-policy", "arp", "bandwidth", "service-manage", "gateway", "pppoe-client",
        "dialer", "link-protocol", "ppp", "tcp", "ntdp", "ndp", "loopback-detect", "bpdu",
        "port-isolate", "mac-address", "device", "set", "vlan", "combo-port", "poe", "voice-vlan",
        "dot1x", "authentication", "portal", "statistic", "alias", "carrier", "flow-control",
        "trap-threshold", "least", "max", "lacp", "load-balance", "e-trunk", "bfd", "rip",
        "pim", "igmp", "tunnel-protocol", "source", "destination", "ipsec", "firewall", "urpf",
        "redirect", "ip-binding", "clock", "crc-statistics", "virtual-cable-test", "esn",
    } | _COMMON,
    "aaa": {"authentication-scheme", "authorization-scheme", "accounting-scheme", "domain",
            "local-user", "local-aaa-user", "hwtacacs", "recording-scheme", "service-scheme",
            "manager-user", "role", "bind", "user-password", "lock-authentication",
            "administrator", "cut", "undo"} | _COMMON,
    "acl": {"rule", "step", "undo"} | _COMMON,
    "ui": {"authentication-mode", "protocol", "idle-timeout", "user", "set", "acl", "shell",
           "screen-length", "history-command", "undo", "terminal", "auto-execute"} | _COMMON,
    "policy": {"rule", "default", "undo"} | _COMMON,
    "rule": {"source-zone", "destination-zone", "source-address", "destination-address",
             "service", "action", "profile", "policy", "session", "disable", "enable",
             "time-range", "application", "user", "undo", "long-link", "parent-group",
             "traffic", "source-nat", "destination-nat"} | _COMMON,
    "zone": {"set", "add", "undo", "detect"} | _COMMON,
    "ospf": {"area", "import-route", "silent-interface", "bfd", "opaque-capability",
             "default-route-advertise", "preference", "undo", "stub", "filter-policy",
             "maximum", "spf-schedule-interval", "lsa-originate-interval", "lsa-arrival-interval",
             "graceful-restart", "bandwidth-reference", "default", "route-tag", "nexthop",
             "asbr-summary", "vpn-instance-capability", "dn-bit-check", "stub-router"} | _COMMON,
    "area": {"network", "authentication-mode", "mpls-te", "stub", "nssa", "undo",
             "abr-summary", "filter-policy", "filter", "default-cost"} | _COMMON,
    "bgp": {"peer", "router-id", "ipv4-family", "ipv6-family", "group", "undo", "timer",
            "graceful-restart", "network", "import-route", "preference", "default", "bestroute",
            "summary", "private-4-byte-as", "check-first-as", "confederation"} | _COMMON,
}

#: Words that never stand alone (VRP answers "Incomplete command").
NEEDS_ARGS = {
    "sysname", "description", "interface", "acl", "rule", "local-user", "ip", "vlan", "area",
    "network", "peer", "source-zone", "destination-zone", "source-address", "destination-address",
    "service", "action", "header", "clock", "ntp-service", "info-center", "user-interface",
    "firewall", "authentication-mode", "protocol", "idle-timeout", "add", "port", "undo",
    "import-route", "set", "user", "route-policy", "stelnet", "ssh", "telnet", "dns", "nat",
    "traffic-filter", "step", "ike", "ipsec", "domain", "radius-server", "hwtacacs-server",
}

_DOTTED = re.compile(r"^\d+(?:\.\d+)+$")
ACTIONS = {"rule": ("permit", "deny"), "action": ("permit", "deny")}


def interface_name(words: list[str]) -> str | None:
    """``gigabitethernet 0/0/1`` or ``GE0/0/1`` as VRP stores it (None: not an interface type)."""
    joined = "".join(words)
    m = re.match(r"^([A-Za-z][A-Za-z-]*?)(\d[\d/:.]*)$", joined)
    if not m:
        return None
    typed, number = m[1].lower(), m[2]
    for name in INTERFACE_TYPES:
        if name.lower().startswith(typed) and (typed != "ge" or name == "GE"):
            return name + number
    return None


def known(kind: str, word: str) -> bool:
    """Whether a view of ``kind`` knows a command starting with ``word``."""
    words = WORDS.get(kind)
    return words is None or word in words


def _mask_ok(text: str) -> bool:
    if text.isdigit():
        return int(text) <= 32
    try:
        ipaddress.IPv4Network(f"0.0.0.0/{text}")
    except ValueError:
        return False
    return True


def _position(line: str, index: int) -> int:
    """Column of the ``index``-th word of ``line``."""
    spans = [m.start() for m in re.finditer(r"\S+", line)]
    return spans[index] if index < len(spans) else len(line.rstrip()) + 1


def check(line: str, kind: str) -> tuple[str, int] | None:
    """(error text, caret column) when VRP refuses ``line`` in a view of ``kind``, else None."""
    words = line.split()
    body = words[1:] if words[0] == "undo" and len(words) > 1 else words
    offset = len(words) - len(body)
    if not known(kind, body[0]):
        return UNRECOGNIZED, _position(line, offset)
    if len(words) == 1 and words[0] in NEEDS_ARGS:
        return INCOMPLETE, _position(line, 1)
    for i, word in enumerate(words):
        if _DOTTED.match(word) and word.count(".") == 3:
            try:
                ipaddress.IPv4Address(word)
            except ValueError:
                return WRONG, _position(line, i)
    if body[:2] == ["ip", "address"] and offset == 0:
        if len(body) < 3:
            return INCOMPLETE, _position(line, len(words))
        if body[2] not in ("dhcp-alloc", "unnumbered", "ppp-negotiate"):
            if not _DOTTED.match(body[2]):
                return WRONG, _position(line, 2)
            if len(body) < 4:
                return INCOMPLETE, _position(line, len(words))
            if not _mask_ok(body[3]):
                return WRONG, _position(line, 3)
    if offset == 0 and body[0] in ACTIONS and kind in ("acl", "rule"):
        rest = body[1:]
        if kind == "acl" and rest and rest[0].isdigit():
            rest = rest[1:]
        if not rest:
            return INCOMPLETE, _position(line, len(words))
        if rest[0] not in ACTIONS[body[0]] and rest[0] != "description" and body[0] == "rule":
            return WRONG, _position(line, len(words) - len(rest))
        if body[0] == "action" and rest[0] not in ACTIONS["action"]:
            return WRONG, _position(line, 1)
    return None
