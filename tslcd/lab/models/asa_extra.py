"""ASA configuration the lab does not model in detail: what is kept as typed, and NAT.

A real ASA accepts far more commands than the lab models (routing processes, route maps,
community lists, DNS, failover, NTP keys...). A configuration mode command whose first word is
an ASA command, and which no modelled command covers, is kept as typed with its sub-mode lines
and shown back in ``show running-config``; a word the ASA does not know is still refused. NAT is
modelled: interface names and objects must exist, as on the ASA.
"""

from __future__ import annotations

from tslcd.lab.models.asa_acl import Words
from tslcd.lab.models.asa_config import AsaConfig, missing_object

#: ASA 9.x configuration mode commands (Cisco ASA Series Command Reference, A-Z).
TOP_COMMANDS = frozenset((
    "aaa", "aaa-server", "arp", "asdm", "asp", "auth-prompt", "boot", "call-home", "class-map",
    "clock", "community-list", "console", "crashinfo", "crypto", "ddns", "dhcp-client", "dhcpd",
    "dhcprelay", "dns", "dns-guard", "dynamic-access-policy-record", "dynamic-filter", "email",
    "failover", "firewall", "flow-export", "fragment", "ftp", "group-policy", "http", "icmp",
    "igmp", "interface", "ip", "ipsec", "ipv6", "jumbo-frame", "ldap", "license", "logging",
    "mac-address", "mac-address-table", "management-access", "monitor-interface", "mtu",
    "multicast-routing", "name", "nat", "ntp", "object-group", "pager", "policy-list",
    "policy-map", "policy-route", "prefix-list", "priority-queue", "privilege", "prompt",
    "quota", "regex", "route", "route-map", "router", "same-security-traffic", "service",
    "service-policy", "smtp-server", "snmp-map", "snmp-server", "ssh", "ssl", "sysopt",
    "tcp-map", "telnet", "threat-detection", "time-range", "timeout", "tls-proxy",
    "tunnel-group", "tunnel-group-map", "user-identity", "vpdn", "vpn-addr-assign",
    "vpnclient", "vpn-sessiondb", "wccp", "webvpn", "xlate", "zone",
))
#: Interface sub-mode commands kept as typed.
INTERFACE_COMMANDS = frozenset((
    "speed", "duplex", "vlan", "channel-group", "member-interface", "ipv6", "mac-address",
    "flowcontrol", "lacp", "pppoe", "delay", "igmp", "pim", "ospf", "zone-member", "ddns", "dhcp",
    "bfd", "policy-route", "authentication", "nve-only", "port-channel", "security-group",
))


def _interfaces(cfg: AsaConfig, words: Words) -> str:
    """``(REAL,MAPPED)``: configured interface names or ``any``."""
    pair = words.take()
    inner = pair[1:-1].split(",") if pair.startswith("(") and pair.endswith(")") else []
    if len(inner) != 2 or any(name not in cfg.nameifs | {"any"} for name in inner):
        raise words.error()
    return pair


def _mapped(cfg: AsaConfig, words: Words, allow_interface: bool = True) -> str:
    """An object or group name, ``any`` or ``interface`` (or an address in object NAT)."""
    name = words.take()
    if name == "any" or (allow_interface and name == "interface"):
        return name
    entry = cfg.objects.get(name) or cfg.groups.get(name)
    if entry is None or entry.kind != "network":
        if cfg.forward_reference:
            return name
        raise missing_object("object", name)
    return name


def object_nat(cfg: AsaConfig, words: Words) -> str:
    """``nat [(REAL,MAPPED)] static|dynamic MAPPED [options]`` inside ``object network``."""
    parts = ["nat"]
    if (words.peek() or "").startswith("("):
        parts.append(_interfaces(cfg, words))
    kind = words.take()
    if kind not in ("static", "dynamic"):
        raise words.error()
    target = words.peek() or ""
    if target and target[0].isdigit():
        words.take()
        parts += [kind, target]
    else:
        parts += [kind, _mapped(cfg, words)]
    rest = [w for w, _ in words.items[words.pos:]]
    words.pos = len(words.items)
    return " ".join(parts + rest)


def twice_nat(cfg: AsaConfig, words: Words) -> str:
    """``nat [(REAL,MAPPED)] [after-auto] source static|dynamic REAL MAPPED [destination ...] [...]``."""
    parts = ["nat"]
    if (words.peek() or "").startswith("("):
        parts.append(_interfaces(cfg, words))
    if words.take_if("after-auto"):
        parts.append("after-auto")
    if words.take() != "source":
        raise words.error()
    kind = words.take()
    if kind not in ("static", "dynamic"):
        raise words.error()
    parts += ["source", kind, _mapped(cfg, words, False), _mapped(cfg, words)]
    if words.take_if("destination"):
        if words.take() != "static":
            raise words.error()
        parts += ["destination", "static", _mapped(cfg, words), _mapped(cfg, words, False)]
    rest = [w for w, _ in words.items[words.pos:]]
    words.pos = len(words.items)
    return " ".join(parts + rest)


def keep(cfg: AsaConfig, line: str) -> str:
    """Keep a top-level command as typed; the header its sub-mode lines go under."""
    header = " ".join(line.split())
    cfg.blocks.setdefault(header, [])
    return header



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ADDRESS_FAMILY = ("neighbor network aggregate-address redistribute auto-summary synchronization bgp "
                   "distance exit-address-family default-information table-map maximum-paths no")
#: Sub-mode commands of the kept blocks whose vocabulary the lab knows (ASA 9.x command
#: reference), keyed by the header's first words; a misspelt one is refused as on the ASA.
#: Nested modes (``address-family`` under ``router bgp``) share their parent's entry.
BLOCK_COMMANDS: dict[tuple[str, ...], frozenset[str]] = {
    ("router", "ospf"): _words("network area router-id log-adj-changes redistribute passive-interface "
                               "default-information distance timers summary-address neighbor compatible "
                               "distribute-list ignore nsf auto-cost no"),
    ("router", "bgp"): _words("bgp address-family timers " + _ADDRESS_FAMILY),
    ("router", "eigrp"): _words("network passive-interface redistribute eigrp auto-summary distribute-list "
                                "default-metric distance neighbor timers variance metric no"),
    ("route-map",): _words("match set description continue no"),
    ("dns", "server-group"): _words("domain-name name-server timeout retries poll-timer expire-entry-timer "
                                    "no"),
    ("dns-group-map",): _words("dns-to-domain no"),
    ("time-range",): _words("absolute periodic no"),
}


def block_commands(header: str) -> frozenset[str] | None:
    """The sub-mode vocabulary of a kept block (None: unknown, anything is kept)."""
    words = tuple(header.split())
    return BLOCK_COMMANDS.get(words[:2]) or BLOCK_COMMANDS.get(words[:1])
