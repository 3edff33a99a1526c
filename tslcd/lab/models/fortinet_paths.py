"""FortiOS configuration paths the lab keeps without modelling them attribute by attribute.

A real FortiGate has hundreds of ``config`` paths; the lab models the ones tslcd reads and
writes (`fortinet_schema.SCHEMA`). The others listed here (FortiOS 7.2 CLI reference) are
accepted as open blocks: any ``set``, ``edit`` and nested ``config`` is kept as typed and shown
back, so a real backup loads. A path in neither list is refused as FortiOS refuses it.
"""

from __future__ import annotations

from tslcd.lab.models.fortinet_schema import REPLACEMSG, SCHEMA, Attr, Block

OPEN_PATHS = frozenset((
    "alertemail setting", "antivirus profile", "antivirus settings", "antivirus quarantine",
    "application list", "application group", "application custom", "authentication rule",
    "authentication scheme", "authentication setting", "dlp sensor", "dlp filepattern",
    "dnsfilter profile", "dnsfilter domain-filter", "emailfilter profile", "endpoint-control settings",
    "firewall address6", "firewall addrgrp6", "firewall auth-portal", "firewall central-snat-map",
    "firewall DoS-policy", "firewall identity-based-route", "firewall internet-service-name",
    "firewall internet-service-group", "firewall internet-service-custom", "firewall ippool",
    "firewall ippool6", "firewall ldb-monitor", "firewall local-in-policy", "firewall multicast-address",
    "firewall multicast-address6", "firewall multicast-policy", "firewall policy6",
    "firewall profile-group", "firewall profile-protocol-options", "firewall proxy-policy",
    "firewall schedule group", "firewall schedule onetime", "firewall schedule recurring",
    "firewall service category", "firewall shaper per-ip-shaper", "firewall shaper traffic-shaper",
    "firewall shaping-policy", "firewall sniffer", "firewall ssl setting", "firewall ssl-ssh-profile",
    "firewall vip6", "firewall vipgrp", "firewall wildcard-fqdn custom", "firewall wildcard-fqdn group",
    "ips sensor", "ips global", "log disk setting", "log eventfilter", "log fortianalyzer setting",
    "log fortiguard setting", "log gui-display", "log memory setting", "log setting",
    "log syslogd filter", "log syslogd2 setting", "log threat-weight", "router access-list",
    "router access-list6", "router aspath-list", "router auth-path", "router bfd", "router bgp",
    "router community-list", "router isis", "router key-chain", "router multicast", "router ospf",
    "router ospf6", "router policy", "router prefix-list", "router prefix-list6", "router rip",
    "router ripng", "router route-map", "router setting", "router static6", "switch-controller global",
    "system accprofile", "system alarm", "system api-user", "system arp-table", "system auto-install",
    "system automation-action", "system automation-stitch", "system automation-trigger",
    "system central-management", "system cluster-sync", "system csf", "system custom-language",
    "system ddns", "system dedicated-mgmt", "system dhcp server", "system dns-database",
    "system email-server", "system external-resource", "system fortiguard", "system fm",
    "system ftm-push", "system geoip-override", "system gre-tunnel", "system ha", "system ha-monitor",
    "system ipip-tunnel", "system ips-urlfilter-dns", "system ipv6-tunnel", "system link-monitor",
    "system lte-modem", "system mobile-tunnel", "system netflow", "system np6", "system np6xlite",
    "system object-tagging", "system password-policy", "system physical-switch",
    "system pppoe-interface", "system probe-response", "system replacemsg-group",
    "system replacemsg-image", "system resource-limits", "system sdwan", "system session-helper",
    "system session-ttl", "system settings", "system sflow", "system snmp sysinfo", "system snmp user",
    "system storage", "system stp", "system switch-interface", "system virtual-switch",
    "system virtual-wire-pair", "system vdom-property", "system wccp", "user device", "user fortitoken",
    "user fsso", "user group", "user ldap", "user local", "user peer", "user radius", "user setting",
    "user tacacs+", "voip profile", "vpn certificate ca", "vpn certificate crl", "vpn certificate local",
    "vpn certificate remote", "vpn certificate setting", "vpn ipsec phase1", "vpn ipsec phase2",
    "vpn ipsec phase2-interface", "vpn ssl settings", "vpn ssl web portal", "vpn ssl web realm",
    "waf profile", "wanopt settings", "web-proxy explicit", "web-proxy global", "webfilter profile",
    "webfilter urlfilter", "webfilter ftgd-local-cat", "wireless-controller setting",
))
#: ``config system replacemsg GROUP "NAME"`` groups (``admin`` is modelled message by message).
REPLACEMSG_GROUPS = frozenset((
    "alertmail", "auth", "automation", "device-detection-portal", "ec", "fortiguard-wf", "ftp",
    "http", "icap", "mail", "mm1", "mm3", "mm4", "mm7", "mms", "nac-quar", "nntp", "spam", "sslvpn",
    "traffic-quota", "utm", "webproxy",
))
#: An unmodelled block: a table until its first ``set`` shows it is a settings block.
OPEN_TABLE = Block(True, (), open=True)
OPEN_NODE = Block(False, (), open=True)


def known_path(path: str) -> Block | None:
    """The block a top-level ``config PATH`` opens, registering unmodelled ones; None: refused."""
    if path in SCHEMA:
        return SCHEMA[path]
    words = path.split(" ")
    if path in OPEN_PATHS:
        return SCHEMA.setdefault(path, OPEN_TABLE)
    if words[:2] == ["system", "replacemsg"] and len(words) >= 4 and words[2] in REPLACEMSG_GROUPS:
        return SCHEMA.setdefault(path, REPLACEMSG)
    return None


def child_block(parent: str, child: str) -> Block | None:
    """The block ``config CHILD`` opens inside ``parent``; an open block may nest any child."""
    path = f"{parent}/{child}"
    block = SCHEMA[parent]
    if child in block.children:
        return SCHEMA[path]
    if block.open:
        return SCHEMA.setdefault(path, OPEN_TABLE)
    return None


def as_settings(path: str) -> None:
    """An open block typed ``set`` at its top level: it is a settings block."""
    if SCHEMA.get(path) is OPEN_TABLE:
        SCHEMA[path] = OPEN_NODE


def open_attr(name: str) -> Attr:
    """Any attribute of an open block: kept as typed."""
    return Attr(name, None, "raw", multi=True)
