"""The configuration modes of the IOS lab model, as data: grammar, line order, single settings.

One `Mode` per IOS sub-mode. Adding vocabulary means adding a row here, not code: a row is a
command pattern (see `tslcd.lab.models.ios_syntax`) and the sub-mode it enters (None for a plain
line, ``@...`` for the few lines the engine treats specially).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tslcd.lab.models.ios_syntax import Table, compile_table


@dataclass
class Mode:
    """A configuration mode: its prompt, grammar, line order and single-valued settings."""

    prompt: str
    rows: list[tuple[str, str | None]]
    ranks: tuple[str, ...] = ()  # line prefixes in the order IOS prints them
    keys: tuple[str, ...] = ()  # regexes: a new line replaces an old one with the same match
    defaults_on: tuple[str, ...] = ()  # settings on by default, shown as "no X" when turned off
    closer: str | None = None  # line printed after the section (exit-address-family)
    bang_before_sections: bool = False  # " !" before each sub-section (vrf, bgp)
    sequenced: bool = False  # access-list entries with sequence numbers
    commands: Table = field(init=False)

    def __post_init__(self) -> None:
        common = [("exit", "@exit"), ("end", "@end")]
        self.commands = compile_table(self.rows + common)
        self._key_res = [re.compile(k) for k in self.keys]

    def rank(self, text: str) -> int:
        """Position class of a line: lines print grouped in the order of `ranks`."""
        text = text.removeprefix("no ")
        for i, prefix in enumerate(self.ranks):
            if text == prefix or text.startswith(prefix + " "):
                return i
        return len(self.ranks)

    def key(self, text: str) -> tuple[int, tuple[str | None, ...]] | None:
        """Which single-valued setting a line sets (None: the line may repeat)."""
        text = text.removeprefix("no ")
        for i, rx in enumerate(self._key_res):
            m = rx.match(text)
            if m:
                return i, m.groups()
        return None


_IF_ROWS = [
    ("description LINE", None), ("ip address A M [secondary]", None),
    ("ip address dhcp", None), ("ip unnumbered IF", None),
    ("ip access-group WORD in|out", None), ("ip helper-address A", None),
    ("ip nat inside|outside", None), ("ip mtu N", None), ("ip tcp adjust-mss N500-1460", None),
    ("ip ospf LINE", None), ("ip nhrp LINE", None), ("ip pim LINE", None), ("ip verify LINE", None),
    ("ip redirects", None), ("ip unreachables", None), ("ip proxy-arp", None),
    ("ip route-cache [cef|flow|same-interface|policy]", None), ("ip flow LINE", None),
    ("ip policy route-map WORD", None),
    ("ipv6 address LINE", None), ("ipv6 enable", None), ("ipv6 nd LINE", None),
    ("ipv6 traffic-filter WORD in|out", None), ("ipv6 mtu N", None),
    ("encapsulation dot1Q N1-4094 [native]", None), ("vrf forwarding WORD", None),
    ("ip vrf forwarding WORD", None), ("shutdown", None), ("mtu N", None), ("bandwidth N", None),
    ("delay N", None), ("speed WORD", None), ("duplex auto|full|half", None),
    ("negotiation auto", None), ("load-interval N30-600", None), ("keepalive [LINE]", None),
    ("cdp enable", None), ("service-policy input|output WORD", None),
    ("standby LINE", None), ("vrrp LINE", None), ("crypto map WORD", None),
    ("tunnel LINE", None), ("switchport [LINE]", None),
    ("spanning-tree portfast [LINE]", None),
    ("spanning-tree bpduguard|bpdufilter|guard|link-type LINE", None),
    ("spanning-tree cost|port-priority N", None),
    ("channel-group N mode LINE", None), ("storm-control LINE", None), ("media-type LINE", None),
    ("logging event LINE", None), ("snmp trap LINE", None), ("no-autostate", None),
    ("mop enabled", None), ("mop sysid", None), ("power LINE", None), ("dialer LINE", None),
]
_IF_RANKS = (
    "description", "switchport", "encapsulation", "ip vrf forwarding", "vrf forwarding",
    "ip address", "ip unnumbered", "ip access-group", "ip helper-address", "ip redirects",
    "ip unreachables", "ip proxy-arp", "ip mtu", "ip nat", "ip policy", "ip nhrp", "ip ospf", "ip pim",
    "ip tcp adjust-mss", "ip", "ipv6", "standby", "vrrp", "shutdown", "load-interval", "delay",
    "bandwidth", "mtu", "speed", "duplex", "negotiation", "keepalive", "cdp", "mop",
    "spanning-tree", "channel-group", "storm-control", "crypto map", "tunnel", "service-policy",
)
_IF_KEYS = (
    r"^(description)\b", r"^(ip address)(?!.* secondary$)", r"^(ip access-group) \S+ (in|out)$",
    r"^(encapsulation)\b", r"^(vrf forwarding|ip vrf forwarding)\b", r"^(ip mtu)\b", r"^(mtu)\b",
    r"^(bandwidth)\b", r"^(speed)\b", r"^(duplex)\b", r"^(ip nat) (inside|outside)$",
    r"^(ip tcp adjust-mss)\b", r"^(service-policy) (input|output)\b", r"^(load-interval)\b",
    r"^(switchport mode)\b", r"^(switchport access vlan)\b", r"^(switchport trunk native vlan)\b",
    r"^(switchport trunk allowed vlan)\b", r"^(crypto map)\b", r"^(ip unnumbered)\b",
)

MODES: dict[str, Mode] = {
    "config": Mode(
        "config",
        [
            ("hostname WORD", None), ("version LINE", "@ignore"),
            ("service timestamps debug|log LINE", None), ("service password-encryption", None),
            ("service pad", None), ("service tcp-keepalives-in|tcp-keepalives-out", None),
            ("service sequence-numbers", None), ("service call-home", None), ("service config", None),
            ("service internal", None), ("service compress-config", None), ("service nagle", None),
            ("service dhcp", None), ("service counters LINE", None),
            ("service unsupported-transceiver", None), ("platform LINE", None), ("boot-start-marker", None),
            ("boot-end-marker", None), ("boot LINE", None), ("enable secret LINE", None),
            ("enable password LINE", None), ("username WORD LINE", None),
            ("aaa new-model", None), ("aaa authentication LINE", None),
            ("aaa authorization LINE", None), ("aaa accounting LINE", None),
            ("aaa session-id LINE", None), ("aaa group server tacacs+|radius WORD", "aaa-group"),
            ("clock timezone LINE", None), ("clock summer-time LINE", None),
            ("ip domain name WORD", None), ("ip domain-name WORD", None),
            ("ip domain lookup [LINE]", None), ("ip name-server LINE", None),
            ("ip ssh version 1|2", None), ("ip ssh time-out N1-120", None),
            ("ip ssh authentication-retries N0-5", None), ("ip ssh source-interface IF", None),
            ("ip ssh logging events", None), ("ip ssh rsa keypair-name WORD", None),
            ("ip ssh server|client algorithm LINE", None), ("ip ssh dh min size N", None),
            ("ip scp server enable", None),
            ("ip http server", None), ("ip http secure-server", None),
            ("ip http authentication LINE", None), ("ip http access-class LINE", None),
            ("ip http client LINE", None), ("ip http max-connections N", None),
            ("ip http timeout-policy LINE", None),
            ("ip http session-idle-timeout N", None), ("ip http port|secure-port N", None),
            ("ip http secure-trustpoint WORD", None), ("ip http active-session-modules LINE", None),
            ("ip forward-protocol nd", None), ("ip cef", None), ("ip source-route", None),
            ("ip bootp server", None), ("ip dhcp excluded-address A [A]", None),
            ("ip dhcp pool WORD", "dhcp"), ("ip multicast-routing [LINE]", None),
            ("ip tcp LINE", None), ("ip sla LINE", None), ("ip nat LINE", None),
            ("ip route [vrf WORD] A M A|IF [LINE]", None), ("ip vrf WORD", "ip-vrf"),
            ("ip access-list extended WORD", "acl-ext"), ("ip access-list standard WORD", "acl-std"),
            ("ip access-list logging LINE", None), ("ip prefix-list LINE", None),
            ("ip radius LINE", None), ("ip tacacs LINE", None), ("ip flow-export LINE", None),
            ("ip ftp LINE", None), ("ip tftp LINE", None), ("ip options LINE", None),
            ("ip icmp LINE", None),
            ("ipv6 LINE", None), ("vrf definition WORD", "vrf-def"),
            ("interface IF", "if"), ("router ospf N [vrf WORD]", "router"),
            ("router bgp N", "bgp"), ("router eigrp LINE", "router"),
            ("object-group network WORD", "og-net"), ("object-group service WORD", "og-svc"),
            ("access-list NUMACL", None), ("line con|aux N", "line"), ("line vty N [N]", "line"),
            ("crypto isakmp policy N1-10000", "isakmp"), ("crypto isakmp key WORD address A [M]", None),
            ("crypto isakmp keepalive LINE", None), ("crypto isakmp nat LINE", None),
            ("crypto isakmp profile WORD", "isakmp-profile"), ("crypto keyring WORD", "keyring"),
            ("crypto isakmp client configuration group WORD", "isakmp-client"),
            ("crypto ipsec transform-set WORD LINE", "transform"),
            ("crypto ipsec security-association LINE", None), ("crypto ipsec profile WORD", "ipsec-profile"),
            ("crypto map WORD N ipsec-isakmp", "crypto-map"),
            ("ntp server [vrf WORD] A [LINE]", None), ("ntp source IF", None),
            ("ntp update-calendar", None), ("ntp master [N]", None), ("ntp authenticate", None),
            ("ntp authentication-key N md5 LINE", None), ("ntp trusted-key N", None),
            ("ntp access-group peer|serve|serve-only|query-only WORD", None), ("ntp logging", None),
            ("logging host [vrf WORD] A [LINE]", None), ("logging buffered [LINE]", None),
            ("logging trap WORD", None), ("logging source-interface IF [LINE]", None),
            ("logging console [LINE]", None), ("logging monitor [LINE]", None),
            ("logging facility WORD", None), ("logging origin-id LINE", None),
            ("logging on", None), ("logging userinfo", None), ("logging rate-limit LINE", None),
            ("logging discriminator LINE", None), ("logging persistent LINE", None),
            ("logging queue-limit LINE", None), ("logging count", None),
            ("snmp-server community WORD [view WORD] RO|RW [WORD]", None),
            ("snmp-server location LINE", None), ("snmp-server contact LINE", None),
            ("snmp-server enable traps [LINE]", None), ("snmp-server host A LINE", None),
            ("snmp-server trap-source IF", None), ("snmp-server source-interface LINE", None),
            ("snmp-server view|group|user LINE", None), ("snmp-server ifindex persist", None),
            ("snmp-server chassis-id LINE", None), ("snmp-server system-shutdown", None),
            ("banner motd|login|exec|incoming LINE", "@banner"),
            ("archive", "archive"), ("file prompt [quiet|noisy|alert]", None),
            ("control-plane", "cp"), ("redundancy", "red"), ("spanning-tree LINE", None),
            ("vlan N1-4094", "vlan"), ("vtp LINE", None), ("class-map [match-any|match-all] WORD", "cmap"),
            ("policy-map WORD", "pmap"), ("route-map WORD [LINE]", "route-map"),
            ("license LINE", None), ("memory LINE", None), ("multilink LINE", None),
            ("login LINE", None), ("cdp run", None), ("lldp run", None), ("diagnostic LINE", None),
            ("subscriber LINE", None), ("call-home", "call-home"), ("track N LINE", "track"),
            ("key chain WORD", "keychain"), ("key config-key password-encrypt [LINE]", None),
            ("alias LINE", None), ("tacacs-server LINE", None),
            ("tacacs server WORD", "tacacs"), ("radius-server LINE", None), ("mpls LINE", None),
            ("errdisable LINE", None), ("port-channel LINE", None), ("system LINE", None),
            ("no-op", "@ignore"),
        ],
        ranks=(
            "version", "service", "platform", "hostname", "boot-start-marker", "boot",
            "boot-end-marker", "vrf definition", "ip vrf", "logging buffered", "logging console",
            "logging monitor", "enable", "aaa new-model", "aaa group", "aaa authentication",
            "aaa authorization", "aaa accounting", "aaa session-id", "clock", "ip domain lookup",
            "ip domain name", "ip domain-name", "ip name-server", "ip dhcp", "login", "ip cef",
            "ipv6", "ip multicast-routing", "ip source-route", "ip bootp", "multilink",
            "subscriber", "crypto pki", "license", "memory", "diagnostic", "spanning-tree", "vtp",
            "archive", "file prompt", "username", "redundancy", "vlan", "cdp", "lldp", "track",
            "key chain", "key config-key", "crypto keyring", "crypto isakmp policy", "crypto isakmp key",
            "crypto isakmp keepalive", "crypto isakmp nat", "crypto isakmp client", "crypto isakmp profile",
            "crypto ipsec", "crypto map", "class-map", "policy-map", "interface", "router",
            "ip forward-protocol", "ip http", "ip tcp", "ip ssh", "ip scp", "ip ftp", "ip tftp",
            "ip nat", "ip route", "ip sla", "object-group", "ip access-list", "ip prefix-list",
            "ip radius", "ip tacacs", "ip flow-export", "ip options", "logging", "access-list",
            "route-map", "snmp-server", "tacacs", "radius-server", "mpls", "errdisable",
            "port-channel", "system", "control-plane", "banner exec", "banner incoming", "banner login",
            "banner motd", "alias", "line", "call-home",
            "ntp",
        ),
        keys=(
            r"^(hostname)\b", r"^(enable secret)\b", r"^(enable password)\b", r"^(username) (\S+)",
            r"^(ip domain name|ip domain-name)\b", r"^(ip ssh version)\b", r"^(logging buffered)\b",
            r"^(logging trap)\b", r"^(logging source-interface)\b", r"^(clock timezone)\b",
            r"^(snmp-server community) (\S+)", r"^(snmp-server location)\b",
            r"^(snmp-server contact)\b", r"^(crypto isakmp key) \S+ address (\S+)",
            r"^(ntp server)(?: vrf \S+)? (\S+)", r"^(logging host)(?: vrf \S+)? (\S+)",
            r"^(file prompt)\b", r"^(ntp source)\b", r"^(logging console)\b",
            r"^(key config-key password-encrypt)\b",
        ),
        # on by default, printed as "no X" once turned off ("aaa new-model" is off by default
        # but IOS prints "no aaa new-model" all the same once it has been turned off)
        defaults_on=("ip http server", "ip http secure-server", "ip domain lookup", "service pad",
                     "cdp run", "ip source-route", "ip bootp server", "logging console",
                     "ip forward-protocol nd", "service config", "aaa new-model", "ipv6 cef",
                     "platform punt-keepalive disable-kernel-core", "ip icmp rate-limit unreachable",
                     "aaa accounting system guarantee-first"),
    ),
    "if": Mode("config-if", _IF_ROWS, ranks=_IF_RANKS, keys=_IF_KEYS,
               defaults_on=("ip redirects", "ip unreachables", "ip proxy-arp", "cdp enable",
                            "ip address", "keepalive", "mop enabled", "mop sysid", "negotiation auto",
                            "snmp trap link-status",
                            "switchport")),
    "vrf-def": Mode(
        "config-vrf",
        [("rd ASN", None), ("description LINE", None), ("route-target export|import|both ASN", None),
         ("vpn id LINE", None), ("address-family ipv4|ipv6 [unicast|multicast]", "vrf-af")],
        ranks=("description", "rd", "vpn", "route-target", "address-family"),
        keys=(r"^(rd)\b", r"^(description)\b"), bang_before_sections=True,
    ),
    "vrf-af": Mode(
        "config-vrf-af",
        [("route-target export|import|both ASN", None), ("import LINE", None), ("export LINE", None),
         ("maximum routes LINE", None), ("exit-address-family", "@exit")],
        closer="exit-address-family",
    ),
    "ip-vrf": Mode(
        "config-vrf",
        [("rd ASN", None), ("description LINE", None), ("route-target export|import|both ASN", None),
         ("import map WORD", None), ("export map WORD", None), ("maximum routes LINE", None)],
        ranks=("description", "rd", "route-target"), keys=(r"^(rd)\b", r"^(description)\b"),
    ),
    "router": Mode(
        "config-router",
        [("router-id A", None), ("network A M area WORD", None), ("network A [M]", None),
         ("passive-interface IF|default", None), ("default-information originate [LINE]", None),
         ("redistribute LINE", None), ("area LINE", None), ("log-adjacency-changes [detail]", None),
         ("auto-cost LINE", None), ("maximum-paths N", None), ("distance LINE", None),
         ("timers LINE", None), ("bfd LINE", None), ("default-metric LINE", None),
         ("eigrp LINE", None), ("address-family LINE", "router-af")],
        ranks=("router-id", "log-adjacency-changes", "auto-cost", "area", "timers",
               "passive-interface", "network", "redistribute", "default-information",
               "address-family"),
        keys=(r"^(router-id)\b", r"^(maximum-paths)\b"),
    ),
    "bgp": Mode(
        "config-router",
        [("bgp router-id A", None), ("bgp log-neighbor-changes", None), ("bgp LINE", None),
         ("neighbor A|WORD remote-as ASN", None), ("neighbor A|WORD LINE", None),
         ("network A [mask M] [LINE]", None), ("redistribute LINE", None),
         ("timers bgp LINE", None), ("maximum-paths LINE", None),
         ("address-family ipv4|ipv6|vpnv4|vpnv6 [unicast|multicast] [vrf WORD]", "bgp-af")],
        ranks=("bgp router-id", "bgp log-neighbor-changes", "bgp", "timers", "neighbor", "network",
               "redistribute", "maximum-paths", "address-family"),
        keys=(r"^(bgp router-id)\b",), bang_before_sections=True,
    ),
    "bgp-af": Mode(
        "config-router-af",
        [("network A [mask M] [LINE]", None), ("neighbor A|WORD LINE", None),
         ("redistribute LINE", None), ("maximum-paths LINE", None), ("aggregate-address LINE", None),
         ("default-information originate", None), ("bgp LINE", None), ("exit-address-family", "@exit")],
        ranks=("bgp", "redistribute", "network", "aggregate-address", "neighbor"),
        closer="exit-address-family",
    ),
    "router-af": Mode("config-router-af", [("network LINE", None), ("af-interface LINE", None),
                                           ("topology LINE", None), ("exit-address-family", "@exit")],
                      closer="exit-address-family"),
    "acl-ext": Mode("config-ext-nacl", [("EXTACE", None)], sequenced=True),
    "acl-std": Mode("config-std-nacl", [("STDACE", None)], sequenced=True),
    "og-net": Mode(
        "config-network-group",
        [("description LINE", None), ("host A", None), ("A M", None), ("range A A", None),
         ("group-object WORD", None)],
        ranks=("description", "group-object"), keys=(r"^(description)\b",),
    ),
    "og-svc": Mode(
        "config-service-group",
        [("description LINE", None), ("tcp|udp|tcp-udp [source] eq|gt|lt|neq WORD [LINE]", None),
         ("tcp|udp|tcp-udp [source] range N N", None), ("icmp [WORD]", None),
         ("ip|esp|gre|ahp|N", None), ("group-object WORD", None)],
        ranks=("description", "group-object"), keys=(r"^(description)\b",),
    ),
    "line": Mode(
        "config-line",
        [("exec-timeout N0-35791 [N0-2147483]", None), ("password LINE", None), ("login [local]", None),
         ("login authentication WORD", None),
         ("transport input all|none|ssh|telnet [ssh|telnet]", None),
         ("transport output all|none|ssh|telnet [ssh|telnet]", None),
         ("transport preferred LINE", None), ("access-class WORD in|out [vrf-also]", None),
         ("privilege level N0-15", None), ("logging synchronous [LINE]", None), ("stopbits N", None),
         ("session-timeout N0-35791 [LINE]", None), ("length N", None), ("width N", None),
         ("history LINE", None), ("speed N", None), ("authorization LINE", None),
         ("accounting LINE", None), ("absolute-timeout N", None), ("ipv6 access-class LINE", None)],
        ranks=("session-timeout", "access-class", "exec-timeout", "privilege", "password",
               "logging", "authorization", "accounting", "login", "length", "width", "history",
               "stopbits", "transport preferred", "transport input", "transport output"),
        keys=(r"^(exec-timeout)\b", r"^(password)\b", r"^(login)\b", r"^(transport input)\b",
              r"^(transport output)\b", r"^(access-class) \S+ (in|out)", r"^(privilege level)\b",
              r"^(session-timeout)\b", r"^(stopbits)\b", r"^(logging synchronous)\b"),
    ),
    "isakmp": Mode(
        "config-isakmp",
        [("encryption des|3des|aes [N]", None), ("hash md5|sha|sha256|sha384|sha512", None),
         ("group N", None), ("authentication pre-share|rsa-sig|rsa-encr", None),
         ("lifetime N60-86400", None)],
        ranks=("encryption", "hash", "authentication", "group", "lifetime"),
        keys=(r"^(encryption)\b", r"^(hash)\b", r"^(group)\b", r"^(authentication)\b",
              r"^(lifetime)\b"),
    ),
    "isakmp-profile": Mode("conf-isa-prof", [("match identity LINE", None), ("keyring WORD", None),
                                             ("self-identity LINE", None), ("vrf WORD", None),
                                             ("keepalive LINE", None)]),
    "keyring": Mode("conf-keyring", [("pre-shared-key LINE", None), ("description LINE", None)]),
    "transform": Mode("cfg-crypto-trans", [("mode tunnel|transport", None)], keys=(r"^(mode)\b",)),
    "ipsec-profile": Mode("ipsec-profile", [("set LINE", None), ("description LINE", None)]),
    "crypto-map": Mode(
        "config-crypto-map",
        [("set LINE", None), ("match address WORD", None), ("description LINE", None),
         ("reverse-route [LINE]", None)],
        ranks=("description", "set peer", "set", "match"),
    ),
    "archive": Mode(
        "config-archive",
        [("path WORD", None), ("maximum N1-14", None), ("write-memory", None), ("time-period N", None),
         ("log config", "archive-log")],
        ranks=("log", "path", "maximum", "write-memory", "time-period"),
        keys=(r"^(path)\b", r"^(maximum)\b", r"^(time-period)\b"),
    ),
    "archive-log": Mode("config-archive-log-cfg", [("logging enable", None), ("logging size N", None),
                                                   ("notify syslog [LINE]", None), ("hidekeys", None)]),
    "dhcp": Mode("dhcp-config", [("network A M", None), ("default-router LINE", None),
                                 ("dns-server LINE", None), ("domain-name WORD", None),
                                 ("lease LINE", None), ("option LINE", None)]),
    "aaa-group": Mode("config-sg-tacacs+", [("server LINE", None), ("server-private LINE", None),
                                           ("ip tacacs|radius source-interface IF", None),
                                           ("ip vrf forwarding WORD", None)]),
    "isakmp-client": Mode("crypto-isakmp-group", [("key LINE", None), ("dns LINE", None),
                                                  ("pool WORD", None), ("acl WORD", None),
                                                  ("domain WORD", None)]),
    "tacacs": Mode("config-server-tacacs", [("address ipv4 A", None), ("key LINE", None),
                                            ("timeout N", None)]),
    "cp": Mode("config-cp", [("service-policy input|output WORD", None)]),
    "red": Mode("config-red", [("mode LINE", None)]),
    "vlan": Mode("config-vlan", [("name WORD", None), ("state LINE", None)], keys=(r"^(name)\b",)),
    "cmap": Mode("config-cmap", [("match LINE", None), ("description LINE", None)]),
    "pmap": Mode("config-pmap", [("class WORD", "pmap-c"), ("description LINE", None)]),
    "pmap-c": Mode("config-pmap-c", [("shape LINE", None), ("bandwidth LINE", None),
                                     ("priority LINE", None), ("police LINE", None),
                                     ("set LINE", None), ("fair-queue [LINE]", None),
                                     ("random-detect [LINE]", None), ("queue-limit LINE", None),
                                     ("service-policy WORD", None)]),
    "route-map": Mode("config-route-map", [("match LINE", None), ("set LINE", None),
                                           ("description LINE", None)]),
    "call-home": Mode("cfg-call-home", [("contact-email-addr LINE", None)]),
    "track": Mode("config-track", [("delay LINE", None)]),
    "keychain": Mode("config-keychain", [("key N", "keychain-key")]),
    "keychain-key": Mode("config-keychain-key", [("key-string LINE", None),
                                                 ("cryptographic-algorithm WORD", None)]),
}
