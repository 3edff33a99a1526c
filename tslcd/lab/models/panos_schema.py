"""The PAN-OS 10.2 configuration schema the lab firewall knows, and how a ``set`` line is read.

A firewall checks every configuration path against its schema as it is typed (references to
objects are checked later, at commit). The lab knows the branches a province's firewalls and
tslcd use in full (device settings, management users, interfaces, zones, objects, security and
NAT rules, static routes, syslog) and, below a few routing and profile branches it never
inspects (BGP/OSPF settings, security profiles, IKE crypto), accepts any well-formed path
(`OPAQUE`): those branches are named, misspelt top-level words still fail, and every value that
looks like an address or a port is still validated.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass


class SyntaxErr(ValueError):
    """A line the firewall refuses while it is typed (PAN-OS prints ``Invalid syntax.``)."""


@dataclass(frozen=True)
class Leaf:
    """One value (``hostname PA-VM``)."""

    kind: str = "str"


@dataclass(frozen=True)
class Members:
    """A member list (``from [ trust dmz ]``): ``set`` adds to it, ``delete`` removes from it."""

    kind: str = "str"


@dataclass(frozen=True)
class Entries:
    """Named entries (``address WEB``): the next word is a name, then the entry's own schema."""

    child: dict[str, object]
    kind: str = "str"


OPAQUE = "opaque"
Schema = dict[str, object]
#: Settings that are yes/no wherever PAN-OS has them, and port fields: checked in opaque branches
#: too (``ospf area 0.0.0.1 interface ethernet1/3 passive yes``).
BOOLEAN_WORDS = frozenset({
    "enable", "passive", "accept-summary", "reject-default-route", "helper-enable",
    "strict-LSA-checking", "disabled", "install-route", "reflector-client", "bidirectional",
    "allow-redist-default-route", "negate-source", "negate-destination", "log-start", "log-end",
})
PORT_WORDS = frozenset({"port", "source-port", "destination-port", "translated-port"})

YESNO = ("yes", "no")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?$")


def _address(value: str, prefix: bool) -> bool:
    try:
        if "/" in value:
            return prefix and bool(ipaddress.ip_network(value, strict=False))
        return bool(ipaddress.ip_address(value))
    except ValueError:
        return False


def _ports(value: str) -> bool:
    for part in value.split(","):
        bounds = part.split("-")
        if len(bounds) > 2 or not all(b.isdigit() and 0 <= int(b) <= 65535 for b in bounds):
            return False
    return True


def valid(kind: str | tuple[str, ...], value: str) -> bool:
    """Does ``value`` fit a leaf of this kind? Dotted quads must be real addresses everywhere."""
    if _IPV4.match(value) and not _address(value, True):
        return False
    if isinstance(kind, tuple):
        return value in kind
    checks = {
        "str": lambda v: True,
        "int": lambda v: v.isdigit(),
        "ip": lambda v: _address(v, False),
        "ipnet": lambda v: _address(v, True),
        "addr": lambda v: bool(v) and ("." not in v or not v[0].isdigit() or _address(v, True)
                                      or _range(v)),
        "range": _range,
        "port": _ports,
        "vlan": lambda v: v.isdigit() and 0 <= int(v) <= 4094,
    }
    return checks[kind](value)


def _range(value: str) -> bool:
    low, _, high = value.partition("-")
    return bool(high) and _address(low, False) and _address(high, False)


# --- the schema ------------------------------------------------------------------------------
def _leaves(*names: str, kind: str | tuple[str, ...] = "str") -> Schema:
    return {name: Leaf(kind) for name in names}  # type: ignore[arg-type]


_LAYER3: Schema = {
    "ip": Entries({}, "addr"), "ipv6": OPAQUE, "interface-management-profile": Leaf(),
    "mtu": Leaf("int"), "dhcp-client": OPAQUE, "lldp": OPAQUE, "ndp-proxy": OPAQUE,
    "adjust-tcp-mss": OPAQUE, "arp": OPAQUE, "netflow-profile": Leaf(),
    "units": Entries({"ip": Entries({}, "addr"), "tag": Leaf("vlan"), "comment": Leaf(),
                      "interface-management-profile": Leaf(), "ipv6": OPAQUE, "mtu": Leaf("int"),
                      "adjust-tcp-mss": OPAQUE, "netflow-profile": Leaf()}),
}
_ETHERNET: Schema = {
    "layer3": _LAYER3, "layer2": {"units": Entries({"tag": Leaf("vlan"), "comment": Leaf()})},
    "virtual-wire": OPAQUE, "tap": OPAQUE, "ha": OPAQUE, "aggregate-group": Leaf(),
    "link-speed": Leaf(), "link-duplex": Leaf(), "link-state": Leaf(("auto", "up", "down")),
    "comment": Leaf(), "lacp": OPAQUE,
}
_INTERFACE: Schema = {
    "ethernet": Entries(_ETHERNET), "aggregate-ethernet": Entries(_ETHERNET),
    "loopback": {"ip": Entries({}, "addr"), "ipv6": OPAQUE, "comment": Leaf(),
                 "interface-management-profile": Leaf(), "units": Entries({
                     "ip": Entries({}, "addr"), "comment": Leaf(), "ipv6": OPAQUE,
                     "interface-management-profile": Leaf()})},
    "tunnel": {"units": Entries({"ip": Entries({}, "addr"), "comment": Leaf(), "mtu": Leaf("int"),
                                 "interface-management-profile": Leaf(), "ipv6": OPAQUE}),
               "ip": Entries({}, "addr")},
    "vlan": {"units": Entries({"ip": Entries({}, "addr"), "comment": Leaf(), "tag": Leaf("vlan"),
                               "interface-management-profile": Leaf(), "ipv6": OPAQUE}),
             "ip": Entries({}, "addr"), "comment": Leaf()},
}
_STATIC_ROUTE: Schema = {
    "destination": Leaf("ipnet"), "interface": Leaf(), "metric": Leaf("int"),
    "admin-dist": Leaf("int"), "route-table": OPAQUE, "bfd": OPAQUE, "path-monitor": OPAQUE,
    "nexthop": {"ip-address": Leaf("addr"), "next-vr": Leaf(), "discard": OPAQUE, "fqdn": Leaf(),
                "ipv6-address": Leaf()},
}
_NETWORK: Schema = {
    "interface": _INTERFACE,
    "virtual-router": Entries({
        "interface": Members(),
        "routing-table": {"ip": {"static-route": Entries(_STATIC_ROUTE)},
                          "ipv6": {"static-route": Entries(OPAQUE)}},  # type: ignore[arg-type]
        "protocol": OPAQUE, "ecmp": OPAQUE, "admin-dists": OPAQUE, "multicast": OPAQUE,
        "redist-profile": OPAQUE,
    }),
    "ike": OPAQUE, "tunnel": OPAQUE, "qos": OPAQUE, "profiles": OPAQUE, "shared-gateway": OPAQUE,
    "virtual-wire": OPAQUE, "vlan": OPAQUE, "dhcp": OPAQUE, "dns-proxy": OPAQUE, "lldp": OPAQUE,
    "logical-router": OPAQUE, "gre-tunnel": OPAQUE,
}
_ADDRESS: Schema = {
    "ip-netmask": Leaf("ipnet"), "ip-range": Leaf("range"), "fqdn": Leaf(),
    "ip-wildcard": Leaf(), "description": Leaf(), "tag": Members(),
}
_SERVICE: Schema = {
    "protocol": {proto: {"port": Leaf("port"), "source-port": Leaf("port"), "override": OPAQUE}
                 for proto in ("tcp", "udp", "sctp")},
    "description": Leaf(), "tag": Members(),
}
_RULE_COMMON: Schema = {
    "to": Members(), "from": Members(), "source": Members("addr"), "destination": Members("addr"),
    "source-user": Members(), "category": Members(), "service": Members(),
    "negate-source": Leaf(YESNO), "negate-destination": Leaf(YESNO), "disabled": Leaf(YESNO),
    "description": Leaf(), "tag": Members(), "group-tag": Leaf(), "target": OPAQUE, "uuid": Leaf(),
}
#: A security rule's fields in the order PAN-OS lists them.
_SECURITY_RULE: Schema = {
    **{k: v for k, v in _RULE_COMMON.items() if k in ("to", "from", "source", "destination",
                                                     "source-user", "category")},
    "application": Members(), "service": Members(), "source-hip": Members(),
    "destination-hip": Members(), "hip-profiles": Members(),
    "action": Leaf(("allow", "deny", "drop", "reset-client", "reset-server", "reset-both")),
    "log-start": Leaf(YESNO), "log-end": Leaf(YESNO), "log-setting": Leaf(),
    **{k: v for k, v in _RULE_COMMON.items() if k not in ("to", "from", "source", "destination",
                                                         "source-user", "category", "service")},
    "rule-type": Leaf(("universal", "intrazone", "interzone")), "schedule": Leaf(),
    "profile-setting": OPAQUE, "option": OPAQUE, "qos": OPAQUE, "icmp-unreachable": Leaf(YESNO),
}
_NAT_RULE: Schema = {
    **_RULE_COMMON, "to-interface": Leaf(), "nat-type": Leaf(("ipv4", "nat64", "nptv6")),
    "source-translation": OPAQUE, "destination-translation": OPAQUE,
    "dynamic-destination-translation": OPAQUE, "active-active-device-binding": Leaf(),
}
_RULEBASE: Schema = {
    "security": {"rules": Entries(_SECURITY_RULE)},
    "nat": {"rules": Entries(_NAT_RULE)},
    "application-override": {"rules": Entries({**_RULE_COMMON, "application": Leaf(),
                                               "port": Leaf("port"),
                                               "protocol": Leaf(("tcp", "udp"))})},
    "pbf": {"rules": Entries(OPAQUE)},  # type: ignore[arg-type]
    "decryption": {"rules": Entries(OPAQUE)},  # type: ignore[arg-type]
    "qos": OPAQUE, "tunnel-inspect": OPAQUE, "authentication": OPAQUE, "dos": OPAQUE,
    "sdwan": OPAQUE,
}
_SYSLOG: Schema = {
    "server": Entries({"server": Leaf("addr"), "transport": Leaf(("UDP", "TCP", "SSL")),
                       "port": Leaf("port"), "format": Leaf(("BSD", "IETF")),
                       "facility": Leaf()}),
    "format": OPAQUE,
}
_LOG_SETTINGS: Schema = {
    "syslog": Entries(_SYSLOG), "snmptrap": OPAQUE, "email": OPAQUE, "profiles": OPAQUE,
    "system": OPAQUE, "config": OPAQUE, "http": OPAQUE, "correlation": OPAQUE,
}
#: What a virtual system holds (``set vsys vsys1 ...``; a single-vsys firewall shows it at the top).
VSYS: Schema = {
    "zone": Entries({"network": {mode: Members() for mode in
                                 ("layer3", "layer2", "virtual-wire", "tap", "tunnel")}
                     | {"zone-protection-profile": Leaf(), "enable-packet-buffer-protection": Leaf(YESNO),
                        "log-setting": Leaf(), "external": Members()},
                     "enable-user-identification": Leaf(YESNO), "user-acl": OPAQUE,
                     "device-acl": OPAQUE}),
    "address": Entries(_ADDRESS),
    "address-group": Entries({"static": Members("addr"), "dynamic": {"filter": Leaf()},
                              "description": Leaf(), "tag": Members()}),
    "service": Entries(_SERVICE),
    "service-group": Entries({"members": Members(), "tag": Members()}),
    "application": Entries(OPAQUE),  # type: ignore[arg-type]
    "application-group": Entries({"members": Members()}),
    "application-filter": Entries(OPAQUE),  # type: ignore[arg-type]
    "tag": Entries({"color": Leaf(), "comments": Leaf()}),
    "schedule": Entries(OPAQUE),  # type: ignore[arg-type]
    "rulebase": _RULEBASE, "profiles": OPAQUE, "profile-group": Entries(OPAQUE),  # type: ignore[arg-type]
    "log-settings": _LOG_SETTINGS, "external-list": Entries(OPAQUE),  # type: ignore[arg-type]
    "import": {"network": {"interface": Members(), "virtual-router": Members(),
                           "virtual-wire": Members(), "vlan": Members()},
               "visible-vsys": Members(), "resource": OPAQUE, "dns-proxy": Leaf()},
    "display-name": Leaf(), "region": Entries(OPAQUE),  # type: ignore[arg-type]
    "response": OPAQUE, "threats": OPAQUE, "dynamic-user-group": OPAQUE,
}
_SYSTEM: Schema = {
    **_leaves("hostname", "domain", "login-banner", "timezone", "type", "panorama-server",
              "update-server", "speed-duplex", "locale"),
    **_leaves("ip-address", "default-gateway", kind="ip"),
    "netmask": Leaf("ip"), "mtu": Leaf("int"),
    "dns-setting": {"servers": {"primary": Leaf("ip"), "secondary": Leaf("ip")}},
    "ntp-servers": {name: {"ntp-server-address": Leaf("addr"), "authentication-type": OPAQUE}
                    for name in ("primary-ntp-server", "secondary-ntp-server")},
    "permitted-ip": Entries({"description": Leaf()}, "ipnet"),
    "service": _leaves("disable-telnet", "disable-http", "disable-https", "disable-ssh",
                       "disable-snmp", "disable-icmp", "disable-userid-service",
                       "disable-http-ocsp", kind=YESNO),
    "snmp-setting": {"access-setting": {"version": {
        "v2c": {"snmp-community-string": Leaf()},
        "v3": OPAQUE}}, "snmp-system": OPAQUE},
    "update-schedule": OPAQUE, "geo-location": OPAQUE, "route": OPAQUE, "device-telemetry": OPAQUE,
    "secure-proxy-server": Leaf(), "secure-proxy-port": Leaf("port"), "secure-proxy-user": Leaf(),
    "secure-proxy-password": Leaf(), "ipv6-address": Leaf(), "ipv6-default-gateway": Leaf(),
    "syslog-certificate": Leaf(), "authentication-profile": Leaf(), "ssh": OPAQUE,
}
_DEVICECONFIG: Schema = {
    "system": _SYSTEM,
    "setting": {"management": {"idle-timeout": Leaf("int"), "initcfg": OPAQUE,
                               "hostname-type-in-syslog": Leaf(),
                               "admin-lockout": {"failed-attempts": Leaf("int"),
                                                 "lockout-time": Leaf("int")},
                               "api": OPAQUE, "quota-settings": OPAQUE,
                               "disable-predefined-reports": OPAQUE},
                "config": OPAQUE, "session": OPAQUE, "ctd": OPAQUE, "wildfire": OPAQUE,
                "application": OPAQUE, "tcp": OPAQUE, "logging": OPAQUE, "util": OPAQUE,
                "ssl-decrypt": OPAQUE, "pan-url": OPAQUE},
    "high-availability": OPAQUE,
}
_MGT_CONFIG: Schema = {
    "users": Entries({"phash": Leaf(), "password": Leaf(), "public-key": Leaf(),
                      "permissions": OPAQUE, "authentication-profile": Leaf(),
                      "client-certificate-only": Leaf(YESNO)}),
    "password-complexity": OPAQUE, "password-profile": OPAQUE,
}
_SHARED: Schema = {
    **{k: v for k, v in VSYS.items() if k in (
        "address", "address-group", "service", "service-group", "application",
        "application-group", "tag", "schedule", "profiles", "profile-group", "log-settings",
        "external-list", "application-filter", "region", "response")},
    "pre-rulebase": _RULEBASE, "post-rulebase": _RULEBASE,
    "admin-role": Entries(OPAQUE),  # type: ignore[arg-type]
    "botnet": OPAQUE, "certificate": Entries({"private-key": Leaf(), "common-name": Leaf(),
                                              "algorithm": OPAQUE, "not-valid-after": Leaf(),
                                              "not-valid-before": Leaf(), "issuer": Leaf(),
                                              "subject": Leaf(), "issuer-hash": Leaf(),
                                              "subject-hash": Leaf(), "expiry-epoch": Leaf(),
                                              "ca": Leaf(YESNO), "public-key": Leaf()}),
    "server-profile": {"ldap": Entries({"bind-password": Leaf(), "bind-dn": Leaf(), "base": Leaf(),
                                        "ldap-type": Leaf(), "ssl": Leaf(YESNO),
                                        "server": Entries({"address": Leaf("addr"),
                                                           "port": Leaf("port")})}),
                       "radius": Entries({"secret": Leaf(), "timeout": Leaf("int"),
                                          "server": Entries({"secret": Leaf(), "ip-address": Leaf("addr"),
                                                             "port": Leaf("port")}),
                                          "protocol": OPAQUE}),
                       "tacplus": Entries({"secret": Leaf(), "server": Entries({
                           "secret": Leaf(), "address": Leaf("addr"), "port": Leaf("port")})}),
                       "snmptrap": OPAQUE, "syslog": OPAQUE, "email": OPAQUE, "http": OPAQUE},
    "authentication-profile": OPAQUE, "ssl-tls-service-profile": OPAQUE, "content-preview": OPAQUE,
    "local-user-database": OPAQUE, "reports": OPAQUE, "ssl-decrypt": OPAQUE,
}
#: The top of a firewall's configuration mode.
ROOT: Schema = {
    "deviceconfig": _DEVICECONFIG, "network": _NETWORK, "shared": _SHARED,
    "mgt-config": _MGT_CONFIG, "vsys": Entries(VSYS), **VSYS,
}


# --- reading a line --------------------------------------------------------------------------
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|(\[|\])|([^\s"\'\[\]]+)')


def tokens(text: str) -> list[str]:
    """Words of a line: quoted values are one word, ``[`` and ``]`` words of their own."""
    if text.count('"') % 2 or (text.count("'") % 2 and '"' not in text):
        raise SyntaxErr("unbalanced quotes")
    return [next(g for g in m.groups() if g is not None) for m in _TOKEN.finditer(text)]


def quote(word: str) -> str:
    """A word as PAN-OS prints it: quoted when it holds a space or is empty."""
    return f'"{word}"' if not word or re.search(r'[\s\[\];{}"]', word) else word


@dataclass(frozen=True)
class Resolved:
    """Where a path leads: its keys (the config tree path), and the schema node at its end."""

    keys: tuple[str, ...]
    node: object
    values: tuple[str, ...]  # what follows a leaf or member list (empty at a container/entry)
    entry: bool = False  # the path ends with an entry's name (``address WEB``): it may stand alone


def resolve(schema: object, words: list[str], keys: tuple[str, ...] = ()) -> Resolved:
    """Walk ``words`` down the schema; SyntaxErr when a word has no place there."""
    node = schema
    i = 0
    entry = False
    while i < len(words):
        word = words[i]
        if node == OPAQUE:
            rest = words[i:]
            if not all(valid("str", w) for w in rest):
                raise SyntaxErr(word)
            if len(rest) == 1 and keys and not _opaque_value(keys[-1], word):
                raise SyntaxErr(word)
            if "[" in rest:
                at = rest.index("[")
                return Resolved(keys + tuple(rest[:at]), Members(), tuple(rest[at:]))
            if len(rest) == 1:
                return Resolved(keys, OPAQUE, (rest[0],))
            keys, i, entry = (*keys, word), i + 1, False
            continue
        if isinstance(node, Entries):
            if word in ("[", "]") or not valid(node.kind, word):
                raise SyntaxErr(word)
            keys, node, i, entry = (*keys, word), node.child, i + 1, True
            continue
        if isinstance(node, (Leaf, Members)):
            return Resolved(keys, node, tuple(words[i:]))
        if not isinstance(node, dict) or word not in node:
            raise SyntaxErr(word)
        keys, node, i, entry = (*keys, word), node[word], i + 1, False
    return Resolved(keys, node, (), entry)


def assignments(words: list[str]) -> list[Resolved]:
    """What one ``set`` line assigns: PAN-OS takes several leaves of one container on a line
    (``protocol tcp port 80 source-port 1024``, ``from trust to untrust``)."""
    where = resolve(ROOT, words)
    values = where.values
    if isinstance(where.node, Members) and values[:1] == ("[",) and "]" in values:
        end = values.index("]") + 1
    elif isinstance(where.node, (Leaf, Members)) and values:
        end = 1
    else:
        return [where]
    if len(values) == end:
        return [where]
    first = Resolved(where.keys, where.node, values[:end], where.entry)
    return [first, *assignments([*where.keys[:-1], *values[end:]])]


def _opaque_value(key: str, value: str) -> bool:
    """A value below an opaque branch, checked where its setting's name says what it takes."""
    if key in BOOLEAN_WORDS:
        return value in YESNO
    if key in PORT_WORDS:
        return _ports(value)
    return True


def members(values: tuple[str, ...], kind: str) -> list[str]:
    """The members a member-list value names (``[ a b ]`` or one word), each validated."""
    if values == ("[", "]"):
        return []
    if values and values[0] == "[":
        if values[-1] != "]" or len(values) < 3 or "[" in values[1:] or "]" in values[1:-1]:
            raise SyntaxErr(" ".join(values))
        names = list(values[1:-1])
    elif len(values) == 1 and values[0] not in ("[", "]"):
        names = [values[0]]
    else:
        raise SyntaxErr(" ".join(values))
    for name in names:
        if not valid(kind, name):
            raise SyntaxErr(name)
    return names
