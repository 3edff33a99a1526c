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
    if block.open and child in OPEN_CHILDREN.get(parent, (child,)):
        return SCHEMA.setdefault(path, OPEN_TABLE)
    return None


def as_settings(path: str) -> None:
    """An open block typed ``set`` at its top level: it is a settings block."""
    if SCHEMA.get(path) is OPEN_TABLE:
        SCHEMA[path] = OPEN_NODE


def open_attr(path: str, name: str) -> Attr | None:
    """An attribute of an open block, kept as typed (addresses checked); None: not one it has."""
    return Attr(name, None, "open", multi=True) if open_allowed(path, name) else None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Attributes of unmodelled blocks whose vocabulary the lab knows (FortiOS 7.2 CLI reference):
#: there a misspelt attribute is refused as on the device. Other open blocks take any attribute.
OPEN_ATTRS: dict[str, frozenset[str]] = {
    "router bgp": _words(
        "as router-id keepalive-timer holdtime-timer always-compare-med bestpath-as-path-ignore "
        "bestpath-cmp-confed-aspath bestpath-cmp-routerid bestpath-med-confed "
        "bestpath-med-missing-as-worst client-to-client-reflection dampening deterministic-med "
        "ebgp-multipath ibgp-multipath enforce-first-as fast-external-failover log-neighbour-changes "
        "network-import-check ignore-optional-capability additional-path additional-path6 "
        "additional-path-select additional-path-select6 multipath-recursive-distance "
        "recursive-next-hop recursive-inherit-priority tag-resolve-mode cluster-id "
        "confederation-identifier confederation-peers default-local-preference scan-time "
        "distance-external distance-internal distance-local synchronization graceful-restart "
        "graceful-restart-time graceful-stalepath-time graceful-update-delay graceful-end-on-timer "
        "dampening-route-map dampening-reachability-half-life dampening-reuse dampening-suppress "
        "dampening-max-suppress-time dampening-unreachability-half-life cross-family-conditional-adv"),
    "router bgp/neighbor": _words(
        "advertisement-interval allowas-in-enable allowas-in allowas-in-enable6 allowas-in6 "
        "attribute-unchanged attribute-unchanged6 activate activate6 bfd capability-default-originate "
        "capability-default-originate6 capability-dynamic capability-graceful-restart "
        "capability-graceful-restart6 capability-orf capability-orf6 capability-route-refresh "
        "connect-timer default-originate-routemap default-originate-routemap6 description "
        "distribute-list-in distribute-list-in6 distribute-list-out distribute-list-out6 "
        "dont-capability-negotiate ebgp-enforce-multihop ebgp-multihop-ttl filter-list-in "
        "filter-list-in6 filter-list-out filter-list-out6 holdtime-timer interface keep-alive-timer "
        "link-down-failover local-as local-as-no-prepend local-as-replace-as maximum-prefix "
        "maximum-prefix6 maximum-prefix-threshold maximum-prefix-threshold6 "
        "maximum-prefix-warning-only maximum-prefix-warning-only6 next-hop-self next-hop-self6 "
        "next-hop-self-rr next-hop-self-rr6 override-capability passive password prefix-list-in "
        "prefix-list-in6 prefix-list-out prefix-list-out6 remote-as remove-private-as "
        "remove-private-as6 restart-time route-map-in route-map-in6 route-map-out route-map-out6 "
        "route-reflector-client route-reflector-client6 route-server-client route-server-client6 "
        "send-community send-community6 shutdown soft-reconfiguration soft-reconfiguration6 "
        "stale-route strict-capability-match unsuppress-map unsuppress-map6 update-source weight "
        "as-override as-override6 additional-path additional-path6 adv-additional-path "
        "adv-additional-path6 conditional-advertise conditional-advertise6"),
    "router bgp/network": _words("prefix backdoor route-map network-import-check"),
    "router bgp/network6": _words("prefix6 backdoor route-map network-import-check"),
    "router bgp/redistribute": _words("status route-map"),
    "router bgp/redistribute6": _words("status route-map"),
    "router bgp/aggregate-address": _words("prefix as-set summary-only"),
    "router bgp/neighbor-group": _words("remote-as update-source route-map-in route-map-out "
                                        "soft-reconfiguration activate activate6 ebgp-enforce-multihop"),
    "router access-list": _words("comments"),
    "router access-list/rule": _words("action prefix wildcard exact-match flags"),
    "router route-map": _words("comments"),
    "router route-map/rule": _words(
        "action match-as-path match-community match-community-exact match-origin match-interface "
        "match-ip-address match-ip6-address match-ip-nexthop match-ip6-nexthop match-metric "
        "match-route-type match-tag match-vrf match-flags set-aggregator-as set-aggregator-ip "
        "set-aspath-action set-aspath set-atomic-aggregate set-community-delete set-community "
        "set-community-additive set-dampening-reachability-half-life set-dampening-reuse "
        "set-dampening-suppress set-dampening-max-suppress set-dampening-unreachability-half-life "
        "set-extcommunity-rt set-extcommunity-soo set-ip-nexthop set-ip6-nexthop "
        "set-ip6-nexthop-local set-local-preference set-metric set-metric-type set-originator-id "
        "set-origin set-tag set-weight set-flags set-route-tag set-priority"),
    "system accprofile": _words(
        "scope comments secfabgrp ftviewgrp authgrp sysgrp netgrp loggrp fwgrp vpngrp utmgrp "
        "wanoptgrp wifi admintimeout-override admintimeout system-diagnostics system-execute-ssh "
        "system-execute-telnet"),
    "system accprofile/netgrp-permission": _words("cfg packet-capture route-cfg"),
    "system accprofile/sysgrp-permission": _words("admin upd cfg mnt"),
    "system accprofile/fwgrp-permission": _words("policy address service schedule others"),
    "system accprofile/loggrp-permission": _words("config data-access report-access threat-weight"),
    "system accprofile/utmgrp-permission": _words(
        "antivirus ips webfilter emailfilter dlp data-leak-prevention file-filter application-control "
        "icap voip waf dnsfilter endpoint-control videofilter"),
    "firewall internet-service-name": _words("type internet-service-id city-id region-id country-id"),
    "system replacemsg-image": _words("image-type image-base64"),
    "firewall address6": _words(
        "uuid type route-tag macaddr sdn ip6 wildcard start-ip end-ip fqdn country cache-ttl "
        "visibility color obj-id comment template host-type host tenant epg-name sdn-tag fabric-object"),
}
#: Nested blocks of those vocabularies; a block listed in `OPEN_ATTRS` nests only these.
OPEN_CHILDREN: dict[str, frozenset[str]] = {
    "router bgp": _words("neighbor neighbor-group neighbor-range neighbor-range6 network network6 "
                         "redistribute redistribute6 aggregate-address aggregate-address6 "
                         "admin-distance vrf vrf6"),
    "router access-list": _words("rule"),
    "router route-map": _words("rule"),
    "system accprofile": _words("netgrp-permission sysgrp-permission fwgrp-permission "
                                "loggrp-permission utmgrp-permission"),
    "firewall address6": _words("list subnet-segment tagging"),
}


def open_allowed(path: str, name: str) -> bool:
    """Whether an open block at ``path`` takes attribute ``name``."""
    vocabulary = OPEN_ATTRS.get(path)
    return vocabulary is None or name in vocabulary
