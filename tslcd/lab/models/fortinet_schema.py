"""The FortiOS configuration vocabulary the lab FortiGate understands.

One table, `SCHEMA`, says for each config path whether it is a table (``edit`` entries) or a
settings block, which attributes it has (in the order FortiOS prints them), their defaults (what
``show full-configuration`` prints and ``show`` hides), their value kind and which tables they
reference. The CLI interpreter and the renderer read only this table, so teaching the lab a new
block means adding an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENABLE = ("enable", "disable")


@dataclass(frozen=True)
class Attr:
    """One ``set`` attribute of a block or entry."""

    name: str
    default: str | None = None  # rendered default; None: not printed until set
    kind: str = "raw"  # raw | str | enum | ipmask | ip | int | password | portrange | open
    choices: tuple[str, ...] = ()
    multi: bool = False  # takes several values (``set member "a" "b"``)
    refs: tuple[str, ...] = ()  # tables whose entry names the values must be
    builtin: tuple[str, ...] = ()  # names accepted without a referenced entry (``any``)
    when: tuple[str, str] | None = None  # printed only when another attribute has this value

    @property
    def quoted(self) -> bool:
        """FortiOS quotes names and free text, never keywords or addresses."""
        return self.kind == "str" or bool(self.refs)


@dataclass(frozen=True)
class Block:
    """One ``config`` path."""

    table: bool
    attrs: tuple[Attr, ...]
    numeric: bool = False  # entry keys are integers (``edit 0`` picks the next free one)
    required: tuple[str, ...] = ()  # attributes an entry must have at ``next`` / ``end``
    children: tuple[str, ...] = ()  # nested ``config`` blocks, in print order
    uuid: bool = False  # entries get a ``set uuid`` when created
    # A replacement message: the path ends in its name, printed quoted, and every FortiGate has it,
    # so a full listing shows it even when it was never configured.
    message: bool = False
    open: bool = False  # not modelled: any attribute and nested block kept as typed (fortinet_paths)

    def attr(self, name: str) -> Attr | None:
        """The attribute called ``name``, if the block has one."""
        return next((a for a in self.attrs if a.name == name), None)


def _e(name: str, default: str = "disable") -> Attr:
    return Attr(name, default, "enum", ENABLE)


ADDRESSES = ("firewall address", "firewall addrgrp")
DESTINATIONS = (*ADDRESSES, "firewall vip")
SERVICES = ("firewall service custom", "firewall service group")
INTERFACES = ("system interface",)
ZONES = ("system interface", "system zone")
#: Security profiles a policy may name; FortiOS ships these, the lab has no profile tables.
PROFILES = ("av-profile", "webfilter-profile", "dnsfilter-profile", "emailfilter-profile",
            "ips-sensor", "application-list", "file-filter-profile", "waf-profile", "voip-profile",
            "ssl-ssh-profile", "profile-protocol-options")
SCHEDULES = ("always", "none", "default-darkhours")

#: The administrator disclaimers ``set pre-login-banner`` / ``post-login-banner`` show. The lab's
#: stock text is empty (FortiOS ships an English one); the buffer may span lines inside its quotes.
ADMIN_MESSAGES = ("pre_admin-disclaimer-text", "post_admin-disclaimer-text")
REPLACEMSG = Block(False, (
    Attr("buffer", "", "str"),
    Attr("header", "none", "enum", ("none", "http", "8bit")),
    Attr("format", "text", "enum", ("none", "text", "html")),
), message=True)

SCHEMA: dict[str, Block] = {
    "system global": Block(False, (
        _e("admin-https-redirect", "enable"),
        Attr("admin-port", "80", "int"),
        Attr("admin-sport", "443", "int"),
        Attr("admin-ssh-port", "22", "int"),
        Attr("admin-telnet-port", "23", "int"),
        Attr("admintimeout", "5", "int"),
        Attr("alias", "", "str"),
        Attr("hostname", None, "str"),
        Attr("language", "english", "enum", ("english", "french", "spanish", "japanese")),
        _e("post-login-banner"),
        _e("pre-login-banner"),
        _e("strong-crypto", "enable"),
        Attr("timezone", "04", "raw"),
    )),
    "system console": Block(False, (
        Attr("output", "more", "enum", ("more", "standard")),
        _e("login"),
    )),
    "system interface": Block(True, (
        Attr("vdom", None, "str"),
        Attr("mode", "static", "enum", ("static", "dhcp", "pppoe")),
        Attr("ip", "0.0.0.0 0.0.0.0", "ipmask"),
        Attr("allowaccess", None, "enum", ("ping", "https", "ssh", "http", "telnet", "snmp",
                                           "fgfm", "radius-acct", "probe-response", "ftm"),
             multi=True),
        Attr("status", "up", "enum", ("up", "down")),
        Attr("type", None, "enum", ("physical", "vlan", "aggregate", "redundant", "loopback", "tunnel",
                                    "vdom-link", "switch", "hard-switch", "emac-vlan")),
        Attr("member", None, multi=True, refs=INTERFACES),
        Attr("snmp-index", None, "int"),
        Attr("vrf", None, "int"),
        _e("secondary-ip"),
        Attr("alias", "", "str"),
        Attr("description", "", "str"),
        Attr("role", "undefined", "enum", ("lan", "wan", "dmz", "undefined")),
        Attr("interface", None, refs=INTERFACES),
        Attr("vlanid", None, "int"),
    ), children=("secondaryip",)),
    "system interface/secondaryip": Block(True, (
        Attr("ip", "0.0.0.0 0.0.0.0", "ipmask"),
        Attr("allowaccess", None, "enum", ("ping", "https", "ssh", "http", "telnet", "snmp", "fgfm",
                                           "radius-acct", "probe-response", "ftm"), multi=True),
    ), numeric=True),
    "system admin": Block(True, (
        Attr("accprofile", None, "str", choices=("super_admin", "prof_admin")),
        Attr("vdom", None, "str"),
        Attr("trusthost1", "0.0.0.0 0.0.0.0", "ipmask"),
        Attr("trusthost2", "0.0.0.0 0.0.0.0", "ipmask"),
        _e("two-factor"),
        Attr("comments", "", "str"),
        Attr("password", None, "password"),
    ), required=("accprofile",), children=("gui-dashboard",)),
    "system admin/gui-dashboard": Block(True, (), open=True),
    **{f"system replacemsg admin {message}": REPLACEMSG for message in ADMIN_MESSAGES},
    "system dns": Block(False, (
        Attr("primary", "0.0.0.0", "ip"),
        Attr("secondary", "0.0.0.0", "ip"),
        Attr("protocol", "cleartext", "enum", ("cleartext", "dot", "doh")),
        Attr("domain", None, "str", multi=True),
        Attr("timeout", "5", "int"),
    )),
    "system ntp": Block(False, (
        _e("ntpsync"),
        Attr("type", "fortiguard", "enum", ("fortiguard", "custom")),
        Attr("syncinterval", "60", "int"),
        _e("server-mode"),
    ), children=("ntpserver",)),
    "system ntp/ntpserver": Block(True, (
        Attr("server", None, "str"),
        _e("ntpv3"),
        _e("authentication"),
    ), numeric=True, required=("server",)),
    "system snmp community": Block(True, (
        Attr("name", None, "str"),
        _e("status", "enable"),
        _e("query-v1-status", "enable"),
        Attr("query-v1-port", "161", "int"),
        _e("query-v2c-status", "enable"),
        Attr("query-v2c-port", "161", "int"),
        _e("trap-v1-status", "enable"),
        _e("trap-v2c-status", "enable"),
    ), numeric=True, required=("name",), children=("hosts",)),
    "system snmp community/hosts": Block(True, (
        Attr("ip", "0.0.0.0 0.0.0.0", "ipmask"),
        Attr("host-type", "any", "enum", ("any", "query", "trap")),
    ), numeric=True),
    "log syslogd setting": Block(False, (
        _e("status"),
        Attr("server", "", "str"),
        Attr("mode", "udp", "enum", ("udp", "legacy-reliable", "reliable")),
        Attr("port", "514", "int"),
        Attr("facility", "local7", "raw"),
        Attr("format", "default", "enum", ("default", "csv", "cef", "rfc5424")),
    )),
    "firewall address": Block(True, (
        Attr("uuid", None),
        Attr("type", "ipmask", "enum", ("ipmask", "iprange", "fqdn", "geography", "wildcard", "dynamic",
                                         "interface-subnet", "mac", "wildcard-fqdn")),
        Attr("sub-type", None, "enum", ("sdn", "clearpass-spt", "fsso", "ems-tag", "swc-tag")),
        Attr("sdn", None, "str"),
        Attr("interface", None, refs=INTERFACES, when=("type", "interface-subnet")),
        Attr("country", None, "str", when=("type", "geography")),
        Attr("wildcard", None, multi=True, when=("type", "wildcard")),
        Attr("comment", "", "str"),
        Attr("associated-interface", "", refs=INTERFACES),
        Attr("color", "0", "int"),
        Attr("subnet", "0.0.0.0 0.0.0.0", "ipmask", when=("type", "ipmask")),
        Attr("start-ip", "0.0.0.0", "ip", when=("type", "iprange")),
        Attr("end-ip", "0.0.0.0", "ip", when=("type", "iprange")),
        Attr("fqdn", "", "str", when=("type", "fqdn")),
        _e("allow-routing"),
        _e("fabric-object"),
    ), uuid=True),
    "firewall addrgrp": Block(True, (
        Attr("uuid", None),
        Attr("member", None, multi=True, refs=ADDRESSES),
        Attr("comment", "", "str"),
        Attr("type", "default", "enum", ("default", "folder")),
        _e("exclude"),
        Attr("exclude-member", None, multi=True, refs=("firewall address",)),
        Attr("color", "0", "int"),
        _e("allow-routing"),
        _e("fabric-object"),
    ), required=("member",), uuid=True),
    "firewall service custom": Block(True, (
        _e("proxy"),
        Attr("category", "", "str"),
        Attr("protocol", "TCP/UDP/SCTP", "enum", ("TCP/UDP/SCTP", "ICMP", "ICMP6", "IP", "HTTP", "FTP",
                                                   "CONNECT", "SOCKS-TCP", "SOCKS-UDP", "ALL")),
        Attr("protocol-number", "0", "int", when=("protocol", "IP")),
        _e("visibility", "enable"),
        Attr("iprange", "0.0.0.0", "raw", when=("protocol", "TCP/UDP/SCTP")),
        Attr("tcp-portrange", None, "portrange", multi=True),
        Attr("udp-portrange", None, "portrange", multi=True),
        Attr("sctp-portrange", None, "portrange", multi=True),
        Attr("icmptype", None, "int"),
        Attr("icmpcode", None, "int"),
        Attr("comment", "", "str"),
        Attr("color", "0", "int"),
        _e("fabric-object"),
    )),
    "firewall service group": Block(True, (
        _e("proxy"),
        Attr("member", None, multi=True, refs=SERVICES),
        Attr("comment", "", "str"),
        Attr("color", "0", "int"),
        _e("fabric-object"),
    ), required=("member",)),
    "firewall policy": Block(True, (
        Attr("name", None, "str"),
        Attr("uuid", None),
        Attr("srcintf", None, multi=True, refs=ZONES, builtin=("any",)),
        Attr("dstintf", None, multi=True, refs=ZONES, builtin=("any",)),
        Attr("action", "deny", "enum", ("accept", "deny", "ipsec")),
        Attr("srcaddr", None, multi=True, refs=ADDRESSES),
        Attr("dstaddr", None, multi=True, refs=DESTINATIONS),
        Attr("status", "enable", "enum", ENABLE),
        Attr("schedule", None, "str", builtin=SCHEDULES),
        _e("schedule-timeout"),
        Attr("service", None, multi=True, refs=SERVICES),
        _e("utm-status"),
        Attr("inspection-mode", "flow", "enum", ("flow", "proxy")),
        *(Attr(profile, None, "str") for profile in PROFILES),
        Attr("logtraffic", "utm", "enum", ("all", "utm", "disable")),
        _e("logtraffic-start"),
        _e("auto-asic-offload", "enable"),
        _e("nat"),
        _e("ippool"),
        Attr("poolname", None, "str", multi=True),
        Attr("comments", None, "str"),
    ), numeric=True, required=("srcintf", "dstintf", "srcaddr", "dstaddr", "schedule", "service"),
        uuid=True),
    "router static": Block(True, (
        Attr("status", "enable", "enum", ENABLE),
        Attr("dst", "0.0.0.0 0.0.0.0", "ipmask"),
        Attr("gateway", "0.0.0.0", "ip"),
        Attr("distance", "10", "int"),
        Attr("weight", "0", "int"),
        Attr("priority", "1", "int"),
        Attr("device", None, refs=INTERFACES),
        Attr("comment", "", "str"),
        _e("blackhole"),
        _e("sdwan"),
    ), numeric=True, required=("device",)),
    "system zone": Block(True, (
        Attr("description", "", "str"),
        Attr("intrazone", "deny", "enum", ("allow", "deny")),
        Attr("interface", None, multi=True, refs=INTERFACES),
    )),
    "firewall vip": Block(True, (
        Attr("uuid", None),
        Attr("comment", "", "str"),
        Attr("type", "static-nat", "enum", ("static-nat", "load-balance", "server-load-balance",
                                            "dns-translation", "fqdn", "access-proxy")),
        Attr("extip", None, "raw"),
        Attr("mappedip", None, "str", multi=True),
        Attr("extintf", "any", refs=INTERFACES, builtin=("any",)),
        _e("arp-reply", "enable"),
        _e("nat-source-vip"),
        _e("portforward"),
        Attr("protocol", "tcp", "enum", ("tcp", "udp", "sctp", "icmp"), when=("portforward", "enable")),
        Attr("extport", None, "raw", when=("portforward", "enable")),
        Attr("mappedport", None, "raw", when=("portforward", "enable")),
        Attr("color", "0", "int"),
    ), uuid=True),
    "vpn ipsec phase1-interface": Block(True, (
        Attr("interface", None, refs=INTERFACES),
        Attr("ike-version", "1", "enum", ("1", "2")),
        Attr("peertype", "any", "enum", ("any", "one", "dialup", "peer", "peergrp")),
        _e("net-device"),
        Attr("proposal", None, "enum", tuple(
            f"{enc}-{mac}" for enc in ("des", "3des", "aes128", "aes192", "aes256", "aes128gcm",
                                       "aes256gcm", "chacha20poly1305")
            for mac in ("md5", "sha1", "sha256", "sha384", "sha512", "prfsha256", "prfsha384")
        ), multi=True),
        Attr("dhgrp", "14 5", "enum", ("1", "2", "5", "14", "15", "16", "19", "20", "21", "31"),
             multi=True),
        Attr("remote-gw", "0.0.0.0", "ip"),
        Attr("psksecret", None, "password"),
        Attr("comments", "", "str"),
    ), required=("interface", "proposal")),
    # Blocks that hold secrets, so a backup of them can be checked for leaks.
    "system api-user": Block(True, (
        Attr("api-key", None, "password"),
        Attr("accprofile", None, "str"),
        Attr("comments", "", "str"),
    )),
    "system central-management": Block(False, (
        Attr("type", "fortiguard", "enum", ("fortimanager", "fortiguard", "none")),
        Attr("fmg", None, "str"),
        Attr("fmg-password", None, "password"),
    )),
    "user radius": Block(True, (
        Attr("server", None, "str"),
        Attr("secret", None, "password"),
        Attr("secondary-server", None, "str"),
        Attr("secondary-secret", None, "password"),
        Attr("tertiary-server", None, "str"),
        Attr("tertiary-secret", None, "password"),
    ), required=("server",)),
    "user tacacs+": Block(True, (
        Attr("server", None, "str"),
        Attr("secondary-server", None, "str"),
        Attr("key", None, "password"),
        Attr("secondary-key", None, "password"),
    ), required=("server",)),
    "system fortiguard": Block(False, (
        Attr("proxy-server-ip", None, "ip"),
        Attr("proxy-username", None, "str"),
        Attr("proxy-password", None, "password"),
    )),
    "system ddns": Block(True, (
        Attr("ddns-server", None),
        Attr("ddns-domain", None, "str"),
        Attr("ddns-username", None, "str"),
        Attr("ddns-password", None, "password"),
    ), numeric=True),
    "system sdn-connector": Block(True, (
        Attr("type", None),
        Attr("access-key", None, "str"),
        Attr("secret-key", None, "password"),
    )),
    "wireless-controller vap": Block(True, (
        Attr("ssid", None, "str"),
        Attr("passphrase", None, "password"),
        Attr("sae-password", None, "password"),
    )),
    "router ospf": Block(False, (
        Attr("router-id", "0.0.0.0", "ip"),
    ), children=("ospf-interface",)),
    "router ospf/ospf-interface": Block(True, (
        Attr("interface", None, refs=INTERFACES),
        Attr("authentication", "none", "enum", ("none", "text", "message-digest")),
        Attr("authentication-key", None, "password"),
    )),
}

#: Top-level blocks in the order ``show`` prints them.
ORDER: tuple[str, ...] = (
    "system global", "system console", "system interface", "system admin",
    *(f"system replacemsg admin {message}" for message in ADMIN_MESSAGES), "system dns",
    "system zone", "system ntp", "system snmp community", "log syslogd setting", "firewall address",
    "firewall addrgrp", "firewall service custom", "firewall service group", "firewall vip",
    "vpn ipsec phase1-interface", "firewall policy", "router static", "system api-user",
    "system central-management", "system fortiguard", "system ddns", "system sdn-connector",
    "user radius", "user tacacs+", "wireless-controller vap", "router ospf",
)

@dataclass
class Node:
    """A settings block or one table entry: its attributes and nested blocks."""

    attrs: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, Table | Node] = field(default_factory=dict)


@dataclass
class Table:
    """A table block: entries in policy order (the order FortiOS evaluates and prints)."""

    entries: dict[str, Node] = field(default_factory=dict)
