"""Cisco ASA configuration state: vocabularies, access-list entry parsing and ``show`` rendering.

`AsaConfig` holds the configuration as ASA keeps it (interfaces, objects, object groups, ordered
access lists, access-group bindings, IKEv1 policies and the single-line global commands) and
prints it in the order ``show running-config`` does. Global commands are data (`GLOBALS`): a
pattern, a rank in the listing and how many words identify a line (so a new ``hostname``
replaces the old one while every ``ssh`` line is kept).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

IP = r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)"
ANY_IP = rf"(?:{IP}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)"
#: A syslog port the ASA accepts for TCP/UDP logging (1025-65535).
HIGH_PORT = (r"(?:102[5-9]|10[3-9]\d|1[1-9]\d\d|[2-9]\d{3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d"
             r"|655[0-2]\d|6553[0-5])")
MASKED = "*****"


class AsaError(Exception):
    """A refused command; ``str(error)`` is what the ASA prints (the caret line comes separately)."""

    def __init__(self, text: str, column: int | None = None) -> None:
        super().__init__(text)
        self.column = column  # where the caret goes, for "Invalid input" errors


def invalid(column: int) -> AsaError:
    """The ASA's answer to a word it does not understand (the caret points at ``column``)."""
    return AsaError("ERROR: % Invalid input detected at '^' marker.", column)


def incomplete() -> AsaError:
    """The ASA's answer to a command that stops too early."""
    return AsaError("ERROR: % Incomplete command")


def missing_object(kind: str, name: str) -> AsaError:
    """The ASA's answer to a reference to an object or object group that does not exist."""
    return AsaError(f"ERROR: {kind} ({name}) does not exist.")


@dataclass(frozen=True)
class Global:
    """One single-line global command: its pattern, listing rank and identity (first N words)."""

    pattern: str
    rank: int
    key: int | None = None  # None: the whole line is the identity (several may coexist)
    secret: bool = False  # the word after "community" is masked by show running-config

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (named group ``iface`` must be a configured nameif)."""
        return re.compile(self.pattern + r"$")


GLOBALS: tuple[Global, ...] = (
    Global(r"hostname [A-Za-z0-9][A-Za-z0-9-]{0,62}", 10, 1),
    Global(r"domain-name \S+", 11, 1),
    Global(r"enable password \S+ pbkdf2", 12, 2),
    Global(r"passwd \S+ encrypted", 13, 1),
    Global(r"names", 14, 1),
    Global(r"ftp mode passive", 30, 2),
    Global(r"forward-reference enable", 31, 1),
    Global(r"same-security-traffic permit (inter|intra)-interface", 32, 3),
    Global(r"pager lines \d+", 50, 2),
    Global(r"logging enable", 51, 2),
    Global(r"logging timestamp", 52, 2),
    Global(r"logging (trap|buffered|console) \S+", 53, 2),
    Global(rf"logging host (?P<iface>\S+) {ANY_IP}( (tcp|udp)(/{HIGH_PORT})?)?", 54, 4),
    Global(r"logging (buffer-size \d+|facility (1[6-9]|2[0-3]))", 53, 2),
    Global(r"mtu (?P<iface>\S+) \d+", 55, 2),
    Global(r"arp timeout \d+", 57, 2),
    Global(rf"route (?P<iface>\S+) {IP} {IP} {IP}( \d+)?( track \d+)?", 61, 4),
    Global(rf"route [Nn]ull0 {IP} {IP}", 61, 4),
    Global(r"aaa authentication (ssh|telnet|http|enable|serial) console (LOCAL|[\w.-]+( LOCAL)?)", 62, 3),
    Global(r"aaa authorization exec (LOCAL|authentication-server)( auto-enable)?", 63, 3),
    Global(r"aaa local authentication attempts max-fail ([1-9]|1[0-6])", 63, 4),
    Global(r"http server enable", 64, 3),
    Global(rf"http {IP} {IP} (?P<iface>\S+)", 65),
    Global(rf"snmp-server host (?P<iface>\S+) {IP}( community \S+)?( version (1|2c))?", 66, 4, True),
    Global(rf"snmp-server host (?P<iface>\S+) {IP}( poll| trap)? version 3 \S+", 66, 4),
    Global(r"snmp-server location .+", 67, 2),
    Global(r"snmp-server contact .+", 68, 2),
    Global(r"snmp-server community \S+", 69, 2, True),
    Global(r"snmp-server enable traps .+", 70),
    Global(r"crypto ikev1 enable (?P<iface>\S+)", 72),
    Global(rf"telnet {IP} {IP} (?P<iface>\S+)", 80),
    Global(r"telnet timeout \d+", 81, 2),
    Global(rf"ssh {IP} {IP} (?P<iface>\S+)", 82),
    Global(r"ssh timeout \d+", 83, 2),
    Global(r"ssh version 2", 84, 2),
    Global(r"ssh key-exchange group dh-group(14-sha1|14-sha256|1-sha1)", 85, 3),
    Global(r"console timeout \d+", 86, 2),
    Global(rf"ntp server {IP}( key \d+)?( source (?P<iface>\S+))?( prefer)?", 87, 3),
    Global(r"username \S+ password \S+ pbkdf2( privilege \d+)?", 90, 2),
)
#: Rank of the structured sections among the global lines.
RANK_BANNERS, RANK_OBJECTS, RANK_ACLS, RANK_NAT, RANK_ACCESS_GROUPS, RANK_IKE = 25, 40, 45, 58, 60, 71
RANK_BLOCKS, RANK_TUNNELS = 62, 95
#: ``tunnel-group NAME type TYPE`` types the lab knows.
TUNNEL_TYPES = ("ipsec-l2l", "remote-access")
#: Banner kinds in the order ``show running-config`` lists them; each line is one ``banner KIND TEXT``.
BANNER_KINDS = ("exec", "login", "motd", "asdm")

#: Port names the ASA knows, per protocol; a number with a name is always shown by name. The
#: same names as the audit's ASA parser reads (`tslcd.audit.names.PORTS`).
PORT_NAMES: dict[str, dict[str, int]] = {
    "tcp": {"bgp": 179, "citrix-ica": 1494, "ctiqbe": 2748, "domain": 53, "ftp": 21, "ftp-data": 20,
            "h323": 1720, "https": 443, "imap4": 143, "ldap": 389, "ldaps": 636, "lpd": 515,
            "netbios-ssn": 139, "nntp": 119, "pop3": 110, "pptp": 1723, "rsh": 514, "rtsp": 554,
            "sip": 5060, "smtp": 25, "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "tacacs": 49,
            "telnet": 23, "whois": 43, "www": 80, "cifs": 3020, "gopher": 70, "finger": 79,
            "irc": 194, "kerberos": 750, "klogin": 543, "kshell": 544, "chargen": 19,
            "daytime": 13, "discard": 9, "echo": 7, "exec": 512, "hostname": 101, "ident": 113,
            "login": 513, "lotusnotes": 1352, "pcanywhere-data": 5631, "pim-auto-rp": 496,
            "talk": 517, "uucp": 540},
    "udp": {"bootpc": 68, "bootps": 67, "domain": 53, "isakmp": 500, "netbios-dgm": 138,
            "netbios-ns": 137, "ntp": 123, "radius": 1645, "radius-acct": 1646, "rip": 520,
            "snmp": 161, "snmptrap": 162, "sunrpc": 111, "syslog": 514, "tacacs": 49, "tftp": 69,
            "time": 37, "www": 80, "cifs": 3020, "dnsix": 195, "echo": 7, "discard": 9,
            "kerberos": 750, "mobile-ip": 434, "nameserver": 42, "pim-auto-rp": 496, "sip": 5060,
            "who": 513, "xdmcp": 177},
}
PORT_ALIASES = {"http": "www"}  # accepted on input, shown as the canonical name
PROTOCOLS = ("ip", "tcp", "udp", "icmp", "gre", "esp", "ah", "sctp", "icmp6")
PORT_OPS = {"eq": 1, "neq": 1, "lt": 1, "gt": 1, "range": 2}
LOG_LEVELS = ("emergencies", "alerts", "critical", "errors", "warnings", "notifications",
              "informational", "debugging")
INTERFACES = (*(f"GigabitEthernet1/{n}" for n in range(1, 9)), "Management1/1")
#: IKEv1 policy sub-commands: name -> accepted values.
IKE_OPTIONS: dict[str, tuple[str, ...]] = {
    "authentication": ("pre-share", "rsa-sig"),
    "encryption": ("des", "3des", "aes", "aes-192", "aes-256"),
    "hash": ("md5", "sha"),
    "group": ("1", "2", "5", "14", "15", "16", "19", "20", "21", "24"),
    "lifetime": (),  # any number of seconds
}
IKE_DEFAULTS = {"authentication": "rsa-sig", "encryption": "3des", "hash": "sha", "group": "2",
                "lifetime": "86400"}


def hash_secret(secret: str, salt_from: str) -> str:
    """An ASA 9 PBKDF2 password hash, salted from the account name so output is deterministic."""
    salt = hashlib.sha256(salt_from.encode()).digest()[:16]
    digest = hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, 5000, 16)
    return f"$sha512$5000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def port_text(proto: str, word: str) -> str:
    """A port as the ASA shows it: the known name, else the number."""
    names = PORT_NAMES.get(proto, {})
    word = PORT_ALIASES.get(word, word)
    if word.isdigit():
        return next((name for name, num in names.items() if num == int(word)), word)
    return word


def valid_port(proto: str, word: str) -> bool:
    """A number 0-65535 or a name the ASA knows for this protocol (tcp-udp: either)."""
    if word.isdigit():
        return int(word) <= 65535
    word = PORT_ALIASES.get(word, word)
    protos = ("tcp", "udp") if proto == "tcp-udp" else (proto,)
    return any(word in PORT_NAMES.get(p, {}) for p in protos)


@dataclass
class NetObject:
    """``object network|service NAME``: one definition line and an optional description."""

    kind: str
    body: str = ""
    description: str = ""
    nat: str = ""  # object NAT: "nat (inside,outside) static NAME"


@dataclass
class Group:
    """``object-group network|service NAME [proto]``: description and member lines."""

    kind: str
    proto: str = ""
    description: str = ""
    members: list[str] = field(default_factory=list)


@dataclass
class TunnelGroup:
    """``tunnel-group NAME``: its type and its ``ipsec-attributes`` lines (the pre-shared keys)."""

    type: str = ""
    ipsec: dict[str, str] = field(default_factory=dict)  # "ikev1 pre-shared-key" -> whole line


@dataclass
class Interface:
    """One physical interface's settings."""

    description: str = ""
    shutdown: bool = False  # a saved configuration lists "shutdown" for every shut interface
    nameif: str = ""
    security: int | None = None
    address: str = ""
    management_only: bool = False
    extra: list[str] = field(default_factory=list)  # kept as typed: speed, vlan, ip ospf ...


@dataclass
class AsaConfig:
    """The whole configuration of one ASA."""

    interfaces: dict[str, Interface] = field(default_factory=lambda: {n: Interface() for n in INTERFACES})
    objects: dict[str, NetObject] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    acls: dict[str, list[str]] = field(default_factory=dict)  # name -> entries after the name
    access_groups: dict[str, str] = field(default_factory=dict)  # "in interface X" -> ACL
    ike: dict[int, dict[str, str]] = field(default_factory=dict)
    banners: dict[str, list[str]] = field(default_factory=dict)  # kind -> text lines, as typed
    twice_nat: list[str] = field(default_factory=list)  # manual NAT rules, in order
    # Commands the lab keeps as typed: header line -> its sub-mode lines (``router ospf 1``...)
    blocks: dict[str, list[str]] = field(default_factory=dict)
    tunnel_groups: dict[str, TunnelGroup] = field(default_factory=dict)
    # identity -> (rank, line); an ASA always has a host name
    globals: dict[str, tuple[int, str]] = field(
        default_factory=lambda: {"hostname": (10, "hostname ciscoasa")})

    @property
    def hostname(self) -> str:
        """The configured host name ('ciscoasa' as shipped)."""
        line = self.globals.get("hostname", (0, "hostname ciscoasa"))[1]
        return line.split()[1]

    @property
    def nameifs(self) -> set[str]:
        """Interface names usable in commands (``inside``, ``outside``)."""
        return {i.nameif for i in self.interfaces.values() if i.nameif}

    @property
    def forward_reference(self) -> bool:
        """``forward-reference enable``: references to objects/ACLs not yet defined are accepted."""
        return "forward-reference" in self.globals

    def used_objects(self) -> set[str]:
        """Names of objects and groups referenced by ACLs and groups."""
        words: set[str] = set()
        for entries in self.acls.values():
            for entry in entries:
                tokens = entry.split()
                words |= {tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t in ("object", "object-group")}
        for group in self.groups.values():
            for member in group.members:
                tokens = member.split()
                if tokens[0] == "group-object" or (len(tokens) > 2 and tokens[-2] == "object"):
                    words.add(tokens[-1])
        return words

    # -- rendering ----------------------------------------------------------------------------
    def render_interfaces(self) -> list[str]:
        """``interface`` blocks, each closed by ``!``."""
        lines: list[str] = []
        for name, i in self.interfaces.items():
            lines.append(f"interface {name}")
            if i.description:
                lines.append(f" description {i.description}")
            if i.management_only:
                lines.append(" management-only")
            if i.shutdown:
                lines.append(" shutdown")
            lines.append(f" nameif {i.nameif}" if i.nameif else " no nameif")
            lines.append(f" security-level {i.security}" if i.security is not None else " no security-level")
            lines.append(f" ip address {i.address} " if i.address else " no ip address")
            lines += [f" {extra}" for extra in i.extra]
            lines.append("!")
        return lines

    def render_objects(self, kind: str | None = None) -> list[str]:
        """``object network|service`` blocks (optionally one kind)."""
        lines: list[str] = []
        for name, obj in self.objects.items():
            if kind in (None, obj.kind):
                lines.append(f"object {obj.kind} {name}")
                lines += [f" {obj.body}"] if obj.body else []
                lines += [f" description {obj.description}"] if obj.description else []
        return lines

    def render_groups(self, kind: str | None = None) -> list[str]:
        """``object-group`` blocks (optionally one kind)."""
        lines: list[str] = []
        for name, group in self.groups.items():
            if kind not in (None, group.kind):
                continue
            lines.append(f"object-group {group.kind} {name}" + (f" {group.proto}" if group.proto else ""))
            lines += [f" description {group.description}"] if group.description else []
            lines += [f" {m}" for m in group.members]
        return lines

    def render_acls(self, name: str | None = None) -> list[str]:
        """``access-list`` lines in order, per list in creation order."""
        return [f"access-list {acl} {entry}" for acl, entries in self.acls.items()
                if name in (None, acl) for entry in entries]

    def render_nat(self) -> list[str]:
        """Manual NAT rules, then object NAT (each under its ``object network`` again), as ASA lists them."""
        lines = list(self.twice_nat)
        for name, obj in self.objects.items():
            if obj.nat:
                lines += [f"object network {name}", f" {obj.nat}"]
        return lines

    def render_blocks(self) -> list[str]:
        """Commands kept as typed, each with its sub-mode lines."""
        return [line for header, children in self.blocks.items()
                for line in (header, *(f" {child}" for child in children))]

    def render_access_groups(self) -> list[str]:
        """``access-group`` bindings."""
        return [f"access-group {acl} {where}" for where, acl in self.access_groups.items()]

    def render_ike(self) -> list[str]:
        """``crypto ikev1 policy`` blocks, by priority."""
        lines: list[str] = []
        for priority in sorted(self.ike):
            lines.append(f"crypto ikev1 policy {priority}")
            values = {**IKE_DEFAULTS, **self.ike[priority]}
            lines += [f" {option} {values[option]}" for option in IKE_OPTIONS]
        return lines

    def render_tunnel_groups(self, mask: bool) -> list[str]:
        """``tunnel-group`` lines; ``show running-config`` hides the keys (``more system:`` shows them)."""
        lines: list[str] = []
        for name, group in self.tunnel_groups.items():
            lines.append(f"tunnel-group {name} type {group.type}")
            if group.ipsec:
                lines.append(f"tunnel-group {name} ipsec-attributes")
                lines += [f" {identity} {MASKED}" if mask else f" {line}"
                          for identity, line in group.ipsec.items()]
        return lines

    def render_banners(self, kind: str | None = None) -> list[str]:
        """``banner KIND TEXT`` lines, kinds in ASA order, lines in the order they were added."""
        return [f"banner {k} {text}" for k in BANNER_KINDS if kind in (None, k)
                for text in self.banners.get(k, [])]

    def render_body(self, mask: bool) -> list[str]:
        """The configuration between the version header and the checksum."""
        sections: list[tuple[int, list[str]]] = [
            (20, ["!", *self.render_interfaces()]),
            (RANK_BANNERS, self.render_banners()),
            (RANK_OBJECTS, self.render_objects() + self.render_groups()),
            (RANK_ACLS, self.render_acls()),
            (RANK_NAT, self.render_nat()),
            (RANK_ACCESS_GROUPS, self.render_access_groups()),
            (RANK_BLOCKS, self.render_blocks()),
            (RANK_IKE, self.render_ike()),
            (RANK_TUNNELS, self.render_tunnel_groups(mask)),
        ]
        for rank, line in self.globals.values():
            sections.append((rank, [self.mask(line) if mask else line]))
        lines: list[str] = []
        for _, chunk in sorted(sections, key=lambda item: item[0]):
            lines += chunk
        return lines

    @staticmethod
    def mask(line: str) -> str:
        """Hide an SNMP community the way ``show running-config`` does (``more system:`` shows it)."""
        words = line.split()
        if any(spec.secret and spec.regex.match(line) for spec in GLOBALS) and "community" in words:
            index = words.index("community") + 1
            words[index] = MASKED
        return " ".join(words)
