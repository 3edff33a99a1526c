"""What the IOS parser refuses beyond syntax, and which unknown lines it would still take.

Two halves of "strict but real":

- `check` runs after a line matched the grammar and refuses what IOS refuses on meaning, with
  IOS's own text: a non-contiguous mask or a network/broadcast address on an interface, a route
  whose address has host bits, hardware the device does not have, a second BGP AS, values out of
  their range (the grammar's ``N<lo>-<hi>`` handles most ranges; the rest are here).
- `known_command` says whether a line the grammar does not know starts with a command IOS has in
  that mode (the vocabulary below). Such lines are kept verbatim, as the device would keep and
  print them; a line starting with anything else is invalid input, as on IOS.
"""

from __future__ import annotations

import ipaddress
import re

from tslcd.lab.models.ios_syntax import PHYSICAL_TYPES, ParseError, tokens

# --- vocabulary: command words IOS has in each mode (beyond what the grammar details) -----------
_GLOBAL = frozenset([
    "aaa", "ap", "wireless", "wlan", "access-list", "access-session", "alias", "application",
    "archive", "arp", "authentication", "banner", "bfd", "boot", "bridge", "call-home", "cdp",
    "class-map", "clock", "control-plane", "crypto", "cts", "default", "device-sensor",
    "device-tracking", "diagnostic", "dial-peer", "dot1x", "enable", "errdisable", "ethernet",
    "event", "exception", "fhrp", "file", "flow", "hostname", "hw-module", "identity", "interface",
    "ip", "ipv6", "key", "l2", "l2vpn", "license", "line", "lldp", "logging", "login", "mac",
    "macro", "memory", "mls", "monitor", "mpls", "multilink", "netconf", "netconf-yang", "ntp",
    "object-group", "parameter-map", "password", "platform", "pnp", "policy-map", "port-channel",
    "power", "privilege", "process", "process-max-time", "qos", "radius", "radius-server",
    "redundancy", "restconf", "rmon", "route-map", "route-tag", "router", "sampler", "scheduler",
    "service", "snmp", "snmp-server", "spanning-tree", "srr-queue", "subscriber", "switch",
    "system", "table-map", "tacacs", "tacacs-server", "telemetry", "template", "time-range",
    "track", "transceiver", "udld", "username", "version", "virtual-service", "vlan", "vpdn", "vrf",
    "vtp", "wsma", "zone", "zone-pair", "ip-address-pool", "voice", "gnxi", "stackwise-virtual",
    "epm", "nat",
])
_GLOBAL_IP = frozenset([
    "access-list", "address-pool", "admission", "arp", "as-path", "auth-proxy", "bgp-community",
    "bootp", "cef", "classless", "community-list", "ddns", "default-gateway", "default-network",
    "device", "dhcp", "dns", "domain", "domain-list", "domain-lookup", "domain-name",
    "explicit-path", "extcommunity-list", "finger", "flow", "flow-cache", "flow-export",
    "forward-protocol", "ftp", "gratuitous-arps", "host", "http", "icmp", "igmp", "inspect", "ips",
    "local", "mfib", "mrm", "msdp", "multicast", "multicast-routing", "name-server", "nat", "nbar",
    "options", "pim", "policy-list", "port-map", "prefix-list", "radius", "rcmd", "reflexive-list",
    "route", "routing", "rsvp", "scp", "sla", "slb", "source-route", "spd", "ssh", "subnet-zero",
    "tacacs", "tcp", "telnet", "tftp", "vrf", "wccp",
])
_INTERFACE = frozenset([
    "arp", "authentication", "auto", "bandwidth", "bfd", "carrier-delay", "cdp", "channel-group",
    "channel-protocol", "clock", "crypto", "cts", "dampening", "delay", "description", "dot1x",
    "duplex", "encapsulation", "ethernet", "flowcontrol", "hold-queue", "ip", "ipv6", "isis",
    "keepalive", "lacp", "lldp", "load-interval", "logging", "mab", "mac-address", "macro",
    "media-type", "mls", "mop", "mpls", "mtu", "nat", "negotiation", "no", "ntp", "pim", "platform",
    "power", "priority-queue", "qos", "rate-limit", "service-policy", "shutdown", "snmp", "source",
    "spanning-tree", "speed", "srr-queue", "standby", "storm-control", "switchport", "tunnel",
    "udld", "vrf", "vrrp", "xconnect", "zone-member", "access-session",
])
_INTERFACE_IP = frozenset([
    "access-group", "accounting", "address", "admission", "arp", "authentication",
    "bandwidth-percent", "cef", "dhcp", "directed-broadcast", "flow", "hello-interval",
    "helper-address", "hold-time", "igmp", "inspect", "ips", "local-proxy-arp", "mask-reply",
    "mroute-cache", "mtu", "multicast", "nat", "nbar", "nhrp", "ospf", "pim", "policy", "proxy-arp",
    "redirects", "route-cache", "rip", "rsvp", "split-horizon", "summary-address", "tcp",
    "unnumbered", "unreachables", "verify", "virtual-reassembly", "vrf", "wccp",
])
_BGP = frozenset([
    "address-family", "aggregate-address", "auto-summary", "bgp", "default-information",
    "default-metric", "distance", "distribute-list", "maximum-paths", "neighbor", "network",
    "redistribute", "synchronization", "table-map", "template", "timers",
])
_ROUTER = frozenset([
    "address-family", "area", "auto-cost", "auto-summary", "bfd", "capability",
    "default-information", "default-metric", "distance", "distribute-list", "eigrp",
    "log-adjacency-changes", "max-metric", "maximum-paths", "metric", "neighbor", "network", "nsf",
    "offset-list", "passive-interface", "redistribute", "router-id", "summary-address", "timers",
    "variance", "version",
])
_LINE = frozenset([
    "absolute-timeout", "access-class", "accounting", "authorization", "autoselect", "databits",
    "escape-character", "exec", "exec-timeout", "flowcontrol", "history", "ipv6", "length",
    "location", "logging", "login", "modem", "motd-banner", "no", "parity", "password", "privilege",
    "rotary", "session-disconnect-warning", "session-limit", "session-timeout", "speed", "stopbits",
    "terminal-type", "transport", "vacant-message", "width",
])
VOCABULARY: dict[str | None, tuple[frozenset[str], frozenset[str]]] = {
    None: (_GLOBAL, _GLOBAL_IP),
    "if": (_INTERFACE, _INTERFACE_IP),
    "bgp": (_BGP, frozenset()), "bgp-af": (_BGP, frozenset()),
    "router": (_ROUTER, frozenset()), "line": (_LINE, frozenset()),
    "route-map": (frozenset({"match", "set", "description", "continue"}), frozenset()),
    "vlan": (frozenset({"name", "state", "shutdown", "remote-span", "private-vlan", "mtu", "media",
                        "are", "backupcrf", "bridge", "parent", "ring", "said", "ste", "stp", "tb-vlan1",
                        "tb-vlan2"}), frozenset()),
    "archive": (frozenset({"path", "maximum", "write-memory", "time-period", "log", "rollback"}),
                frozenset()),
    "call-home": (frozenset({"contact-email-addr", "profile", "mail-server", "sender", "site-id",
                             "source-interface", "source-ip-address", "vrf", "http", "alert-group",
                             "copy", "customer-id", "contract-id", "data-privacy", "phone-number",
                             "street-address", "rate-limit", "syslog-throttling", "alert-group-config",
                             "aaa-authorization", "active", "destination", "reporting",
                             "subscribe-to-alert-group", "anonymous-reporting-only"}), frozenset()),
}
#: Sub-modes whose contents vary by platform and feature: any command word is kept verbatim.
OPEN_MODES = frozenset({"router-af", "vrf-def", "vrf-af", "ip-vrf", "cmap", "pmap", "pmap-c",
                        "track", "archive-log", "red", "cp", "dhcp", "aaa-group", "tacacs",
                        "isakmp-profile", "keyring", "ipsec-profile", "crypto-map", "isakmp",
                        "transform", "og-net", "og-svc", "keychain", "keychain-key"})


def known_command(mode: str | None, text: str) -> bool:
    """True when ``text`` starts with a command IOS has in ``mode`` (None: global config)."""
    words = text.split()
    if words and words[0] == "no":
        words = words[1:]
    if not words:
        return False
    if mode in OPEN_MODES:
        return words[0][0].isalpha()
    vocab = VOCABULARY.get(mode)
    if vocab is None:
        return False
    first, ip_words = vocab
    if words[0] not in first:
        return False
    if words[0] == "ip":
        return len(words) > 1 and words[1] in ip_words
    return len(words) > 1 or words[0] not in TWO_WORD_COMMANDS


#: Commands whose second word names the feature (``ip community-list``, ``crypto pki``).
TWO_WORD_COMMANDS = frozenset({"ip", "ipv6", "crypto", "snmp-server", "snmp", "aaa", "platform",
                               "service"})


def unknown_command(error: ParseError, text: str) -> bool:
    """True when the grammar failed on the command word itself, not on its arguments.

    Only then may the line be a command the grammar does not detail; a known command with a bad
    or missing argument stays an error.
    """
    if error.kind != "invalid":
        return False
    toks = tokens(text)
    command_words = 2 if len(toks) > 1 and toks[0][1] in TWO_WORD_COMMANDS else 1
    return error.col <= toks[min(command_words, len(toks)) - 1][0]


# --- semantic checks --------------------------------------------------------------------------
INVALID = "% Invalid input detected at '^' marker."


def _contiguous(mask: str) -> bool:
    bits = int(ipaddress.IPv4Address(mask))
    inverted = ~bits & 0xFFFFFFFF
    return inverted & (inverted + 1) == 0


def _address_check(words: list[str], loopback: bool) -> str | None:
    """``ip address A M``: IOS refuses non-contiguous masks and network/broadcast addresses."""
    addr, mask = words[2], words[3]
    if not _contiguous(mask):
        return f"Bad mask 0x{int(ipaddress.IPv4Address(mask)):08X} for address {addr}"
    iface = ipaddress.IPv4Interface(f"{addr}/{mask}")
    plen = iface.network.prefixlen
    if plen <= 30 and iface.ip in (iface.network.network_address, iface.network.broadcast_address):
        return f"% Bad mask /{plen} for address {addr}"
    if plen == 32 and not loopback:
        return f"% Bad mask /{plen} for address {addr}"
    return None


def _route_check(words: list[str]) -> str | None:
    """``ip route [vrf V] A M ...``: the address must be the network of the mask."""
    i = 4 if words[2] == "vrf" else 2
    addr, mask = words[i], words[i + 1]
    if not _contiguous(mask) or int(ipaddress.IPv4Address(addr)) & ~int(ipaddress.IPv4Address(mask)):
        return "% Inconsistent address and mask"
    return None


_LOGICAL_RANGES = {"Vlan": (1, 4094), "Port-channel": (1, 64), "Loopback": (0, 2147483647),
                   "Tunnel": (0, 2147483647)}


def interface_check(name: str, physical: tuple[str, ...]) -> bool:
    """True when the device can have interface ``name`` (its hardware, or a valid logical one)."""
    kind = re.match(r"[A-Za-z-]+", name)
    base = name.split(".")[0]
    if kind is None:
        return False
    if kind.group() in PHYSICAL_TYPES:
        return not physical or base in physical
    lo_hi = _LOGICAL_RANGES.get(kind.group())
    number = base[len(kind.group()):]
    return lo_hi is None or (number.isdigit() and lo_hi[0] <= int(number) <= lo_hi[1])


def _privilege_check(text: str) -> bool:
    m = re.search(r"\bprivilege (\d+)", text)
    return m is None or int(m.group(1)) <= 15


def _logging_buffered_check(words: list[str]) -> bool:
    if len(words) < 3 or not words[2].isdigit():
        return True
    n = int(words[2])
    return n <= 7 or 4096 <= n <= 2147483647


def check(mode: str | None, text: str, typed: str, physical: tuple[str, ...], section: str,
          siblings: list[str]) -> ParseError | None:
    """How IOS refuses a grammatical line (None: it takes it).

    ``text`` is the line in canonical words, ``typed`` as entered (carets point into it);
    ``section`` is the line of the section it goes into ("" at the top), ``siblings`` the lines
    already there. The error is IOS's message (kind ``message``) or its invalid-input caret.
    """
    verdict = _verdict(mode, text, typed, physical, section, siblings)
    if isinstance(verdict, str):
        return ParseError("message", message=verdict)
    return verdict


def _verdict(mode: str | None, text: str, typed: str, physical: tuple[str, ...], section: str,
             siblings: list[str]) -> str | ParseError | None:
    words = text.split()
    typed_tokens = tokens(typed)
    cols = [c for c, _ in typed_tokens]
    if len(cols) != len(words):  # typed with extra spacing inside a value: point at the start
        cols = [0] * len(words)
    if mode is None:
        if words[:2] == ["router", "bgp"]:
            other = next((e.split()[2] for e in siblings if e.startswith("router bgp ")), None)
            if other is not None and other != words[2]:
                return f"% BGP is already running; AS is {other}"
        elif words[0] == "interface" and not interface_check(words[1], physical):
            return ParseError("invalid", cols[1] + _number_at(typed_tokens[1][1] if len(typed_tokens) > 1
                                                              else words[1]))
        elif words[:2] == ["ip", "route"]:
            return _route_check(words)
        elif words[0] == "username" and not _privilege_check(text):
            return ParseError("invalid", cols[words.index("privilege") + 1])
        elif words[:2] == ["logging", "buffered"] and not _logging_buffered_check(words):
            return ParseError("invalid", cols[2])
    elif mode == "if" and words[:2] == ["ip", "address"] and len(words) >= 4 and words[2][0].isdigit():
        return _address_check(words, loopback=section.startswith("interface Loopback"))
    return None


def _number_at(name: str) -> int:
    """Column of the first digit in an interface name (IOS's caret goes under the number)."""
    m = re.search(r"\d", name)
    return m.start() if m else 0
