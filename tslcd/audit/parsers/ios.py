"""Cisco IOS / IOS-XE stored configuration into the rule model.

Models numbered and named standard/extended ACLs, network and service object-groups,
``ip access-group`` bindings, vty ``access-class``, and the management-plane lines the checks read.
"""

from __future__ import annotations

import re

from tslcd.audit.model import Binding, Evidence, ParsedConfig, RuleList
from tslcd.audit.names import PROTOCOLS
from tslcd.audit.parsers.cisco_ace import AceError, AceParser, icmp_words, port_condition
from tslcd.audit.parsers.common import (
    Block,
    cisco_blocks,
    is_ip,
    new_config,
    refuse_foreign_cisco,
    rule_from_ace,
    unread_rule,
)
from tslcd.audit.parsers.ios_zbf import class_map_acls, collect, zone_pair_lists
from tslcd.audit.parsers.objects import Objects
from tslcd.audit.space import DPORT, ICMP, PROTO, SPORT, SRC, full_set, ip_int

_WEAK_IKE = re.compile(
    r"^(encryption (des|3des)\b|hash (md5|sha)$|group (1|2|5)$|integrity .*\b(md5|sha1?)\b)"
)
_WEAK_TRANSFORM = {"esp-des", "esp-3des", "esp-md5-hmac", "esp-sha-hmac", "ah-md5-hmac", "ah-sha-hmac"}
# Lines that use an ACL by name for something other than filtering transit traffic; the names
# are the group(1) words (a route-map may match several ACLs on one line).
_LIST_USES = (
    re.compile(r"^snmp-server community \S+ (?:view \S+ )?(?:RO|RW|ro|rw) (?:ipv6 \S+ )?(\S+)"),
    re.compile(r"^snmp-server (?:group|user) .*\baccess (?:ipv6 \S+ )?(\S+)"),
    re.compile(r"^ntp access-group (?:ipv4 )?(?:peer|serve|serve-only|query-only) (\S+)"),
    re.compile(r"^ip http access-class (?:ipv4 )?(\S+)"),
    re.compile(r"^(?:ip )?ssh .*access-class (\S+)"),
    re.compile(r"^match ip (?:address|next-hop|route-source) ((?:(?!prefix-list)\S+ ?)+)$"),
    re.compile(r"^ip nat .*\blist (\S+)"),
    re.compile(r"\bsource (?:list|static) (\S+)"),
    re.compile(r"^match address (\S+)"),
    re.compile(r"\bdistribute-list (?!prefix|route-map)(\S+)"),
    re.compile(r"^match access-group (?:name )?(\S+)"),
    re.compile(r"^ip (?:igmp access-group|multicast boundary|pim rp-address \S+) (\S+)"),
    re.compile(r"^ip verify unicast .* (\d+)$"),
)
_MGMT_USES = _LIST_USES[:5]
# "ip access-list WORD ..." lines that set options rather than define a list.
_ACL_SETTINGS = {"logging", "log-update", "resequence", "persistent", "hardware", "counters", "fqdn"}


def _standard_number(name: str) -> bool:
    return name.isdigit() and (1 <= int(name) <= 99 or 1300 <= int(name) <= 1999)


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one IOS configuration; raises `ParseProblem` naming the line of an unreadable entry."""
    parsed = new_config(host, "cisco_ios", text, source or host or "config")
    objects = Objects(parsed)
    aces = AceParser(objects, wildcard=True)
    aces6 = AceParser(objects, wildcard=True, family=6)
    blocks = cisco_blocks(parsed)
    refuse_foreign_cisco(parsed, blocks, "IOS")
    for block in blocks:  # objects first: rules may use a group defined further down
        if block.text.startswith("object-group "):
            _object_group(parsed, objects, block)
    lists: dict[str, RuleList] = {}
    mgmt_lists: set[str] = set()
    classifier_lists: set[str] = set()
    for block in blocks:
        words = block.words
        if words[0] == "access-list" and len(words) > 2:
            _numbered_entry(parsed, aces, lists, block)
        elif words[:2] == ["ip", "access-list"] and len(words) >= 4 and words[2] in ("standard", "extended"):
            _named_list(parsed, aces, lists, block, words[3], words[2] == "standard")
        elif words[:2] == ["ip", "access-list"] and len(words) == 3 and words[2] not in ("logging",):
            _named_list(parsed, aces, lists, block, words[2], False)
        elif words[:2] == ["ip", "access-list"] and words[2:3] and words[2] not in _ACL_SETTINGS:
            parsed.note(block.line, f"ip access-list {words[2]} not analysed")
        elif words[:2] == ["mac", "access-list"]:
            parsed.note(block.line, "MAC access list (not IP) not analysed")
        elif words[:2] == ["ipv6", "access-list"] and len(words) >= 3:
            standard = words[2] == "standard" and len(words) >= 4  # IOS-XE/NX-OS spelling
            name = words[3] if standard or (words[2] == "extended" and len(words) >= 4) else words[2]
            if len(words) > 4 or (len(words) == 4 and not standard and words[2] != "extended"):
                parsed.note(block.line, "one-line IPv6 access list entry not analysed")
            else:
                _named_list(parsed, aces6, lists, block, name, standard)
        elif words[0] == "interface":
            _interface(parsed, block)
        elif words[:2] == ["line", "vty"]:
            _vty(parsed, block, mgmt_lists)
        elif words[0] == "line":
            _line_passwords(parsed, block)
        elif words[:2] == ["crypto", "isakmp"] or words[:3] == ["crypto", "ikev2", "proposal"]:
            _crypto_policy(parsed, block)
        else:
            _top_line(parsed, block)
        for line in [block.text, *(c for _, c in block.children)]:
            for k, pattern in enumerate(_LIST_USES):
                m = pattern.search(line)
                if m:
                    names = m.group(1).split()
                    parsed.other_list_refs.update(names)
                    if k < len(_MGMT_USES):
                        mgmt_lists.update(names)
        if words[0] == "class-map":
            classifier_lists.update(class_map_acls(block))
    zone_pairs = zone_pair_lists(parsed, collect(blocks), lists)
    bound_traffic = {b.list_name for b in parsed.bindings if b.traffic}
    for acl in lists.values():
        # an ACL only used to classify (class-map) or to filter management access is no traffic filter
        acl.traffic = not (acl.name in mgmt_lists | classifier_lists and acl.name not in bound_traffic)
    parsed.lists = list(lists.values()) + zone_pairs
    objects.finish()
    return parsed


def _object_group(parsed: ParsedConfig, objects: Objects, block: Block) -> None:
    words = block.words
    if words[1:3] == ["ip", "port"] and len(words) >= 4:
        words = ["object-group", "port", words[3]]
    if len(words) < 3 or words[1] not in ("network", "service", "protocol", "port"):
        parsed.note(block.line, f"object-group type {words[1] if len(words) > 1 else ''!r} not analysed")
        if len(words) >= 3:
            objects.define(words[2], f"{words[1]}-group", block.line)
            objects.mark_inexact(words[2], f"object-group type {words[1]}")
            _widen(objects, words[2], "network-group")
            _widen(objects, words[2], "service-group")
        return
    name, kind = words[2], f"{words[1]}-group"
    objects.define(name, kind, block.line)
    for n, line in block.children:
        w = _uncomment(line.split())
        if w[:1] in (["network-object"], ["service-object"], ["protocol-object"], ["port-object"]):
            w = w[1:]  # the ASA spelling IOS also accepts
        try:
            if not w or w[0] == "description":
                continue
            if w[0] == "group-object":
                objects.add_member(name, w[1])
            elif kind == "protocol-group":
                n_proto = int(w[0]) if w[0].isdigit() and int(w[0]) <= 255 else PROTOCOLS[w[0]]
                full = (full_set(SPORT), full_set(DPORT), full_set(ICMP))
                objects.add_service(
                    name, ([(n_proto, n_proto)], *full) if w[0] != "ip" else (full_set(PROTO), *full)
                )
            elif kind == "port-group":
                objects.add_service(
                    name, (full_set(PROTO), full_set(SPORT), port_condition(w), full_set(ICMP))
                )
            elif kind == "network-group":
                if w[0] == "host":
                    v = ip_int(w[1])
                    objects.add_addresses(name, [(v, v)])
                elif w[0] == "range":
                    objects.add_addresses(name, [(ip_int(w[1]), ip_int(w[2]))])
                else:
                    base, mask = ip_int(w[0]), ip_int(w[1])
                    wild = (~mask) & 0xFFFFFFFF
                    objects.add_addresses(name, [(base & mask, base | wild)])
            else:
                objects.add_service(name, _service_line(w))
        except (IndexError, ValueError, KeyError) as exc:
            parsed.note(n, f"object-group entry not analysed ({exc}); {name} is treated as matching more")
            objects.mark_inexact(name, f"entry at line {n} not analysed")
            _widen(objects, name, kind)


def _uncomment(words: list[str]) -> list[str]:
    """Words before an inline ``!`` comment."""
    return words[: words.index("!")] if "!" in words else words


def _widen(objects: Objects, name: str, kind: str) -> None:
    """An entry that could not be read might match anything of its kind: the group is widened."""
    if kind == "network-group":
        objects.add_addresses(name, full_set(SRC))
    else:
        objects.add_service(name, (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))


def _service_line(w: list[str]) -> tuple:
    """``tcp eq 80``, ``udp range 1 9``, ``tcp-udp eq 53``, ``icmp echo``, ``tcp source eq 20 gt 1023``."""
    proto = w[0]
    protos = {"tcp-udp": [(6, 6), (17, 17)], "ip": full_set(PROTO)}.get(proto)
    if protos is None:
        n = int(proto) if proto.isdigit() and int(proto) <= 255 else PROTOCOLS[proto]
        protos = [(n, n)]
    rest = w[1:]
    if proto == "icmp":
        return protos, full_set(SPORT), full_set(DPORT), icmp_words(rest)
    sports, dports = full_set(SPORT), full_set(DPORT)
    while rest:
        which = rest[0] if rest[0] in ("source", "destination") else "destination"
        rest = rest[1:] if rest[0] == which else rest
        size = 3 if rest[:1] == ["range"] else 2
        if len(rest) < size:
            raise ValueError(f"incomplete port condition {' '.join(rest)!r}")
        if which == "source":
            sports = port_condition(rest[:size])
        else:
            dports = port_condition(rest[:size])
        rest = rest[size:]
    return protos, sports, dports, full_set(ICMP)


def _numbered_entry(parsed: ParsedConfig, aces: AceParser, lists: dict[str, RuleList], block: Block) -> None:
    words = block.words
    name = words[1]
    if words[2] in ("extended", "standard") and len(words) > 3:
        words = words[:2] + words[3:]  # "access-list NAME extended permit ...", as some IOS-XE write
    if words[2] in ("remark", "extended", "standard"):
        return
    if words[2] == "dynamic":
        parsed.note(block.line, "dynamic (lock-and-key) entry not analysed")
        return
    if name.isdigit() and (200 <= int(name) <= 299 or 700 <= int(name) <= 799 or 1100 <= int(name) <= 1199):
        parsed.note(block.line, "MAC or protocol-type access list (not IP) not analysed")
        return
    acl = lists.setdefault(
        name, RuleList(name, "standard-acl" if _standard_number(name) else "acl", [], block.line)
    )
    _add_entry(parsed, aces, acl, _uncomment(words[2:]), block.line, _standard_number(name))


def _named_list(
    parsed: ParsedConfig, aces: AceParser, lists: dict[str, RuleList], block: Block, name: str, standard: bool
) -> None:
    standard = standard or _standard_number(name)
    acl = lists.setdefault(name, RuleList(name, "standard-acl" if standard else "acl", [], block.line))
    for n, line in block.children:
        w = _uncomment(line.split())
        if w and w[0].isdigit():
            w = w[1:]
        elif w[:1] == ["sequence"]:  # IPv6 lists: "sequence 10 permit ..."
            w = w[2:]
        if not w or w[0] == "remark":
            continue
        if w[0] in ("evaluate", "dynamic"):
            parsed.note(n, f"{w[0]} entry not analysed")
            continue
        _add_entry(parsed, aces, acl, w, n, standard)


def _add_entry(
    parsed: ParsedConfig, aces: AceParser, acl: RuleList, words: list[str], line: int, standard: bool
) -> None:
    at = Evidence(line, parsed.line_text(line))
    try:
        ace = aces.parse(words, at, standard)
    except (AceError, ValueError, KeyError, IndexError) as exc:
        rule = unread_rule(parsed, words, f"line {line}", at, str(exc))
        if rule is not None:
            acl.rules.append(rule)
        return
    acl.rules.append(rule_from_ace(parsed, ace, f"line {line}", at, line))


def _interface(parsed: ParsedConfig, block: Block) -> None:
    ifname = " ".join(block.words[1:])
    for n, line in block.children:
        w = line.split()
        if (w[:2] == ["ip", "access-group"] or w[:2] == ["ipv6", "traffic-filter"]) and len(w) >= 4:
            parsed.bindings.append(Binding(w[2], f"interface {ifname} {w[3]}", n))


def _vty(parsed: ParsedConfig, block: Block, mgmt_lists: set[str]) -> None:
    where = block.text
    restricted = False
    for n, line in block.children:
        w = line.split()
        if w[:2] == ["ipv6", "access-class"]:
            w = w[1:]
        if w[0] == "access-class" and len(w) >= 3 and w[2] == "in":
            parsed.bindings.append(Binding(w[1], f"{where} access-class in", n, traffic=False))
            mgmt_lists.add(w[1])
            restricted = True
        elif w[:2] == ["transport", "input"] and ({"telnet", "all"} & set(w[2:])):
            parsed.mgmt.telnet.append(Evidence(n, line))
    if not restricted:
        parsed.mgmt.unrestricted.append(Evidence(block.line, f"{where} (no access-class)"))
    _line_passwords(parsed, block)


def _line_passwords(parsed: ParsedConfig, block: Block) -> None:
    for n, line in block.children:
        w = line.split()
        if w[0] == "password" and len(w) >= 2 and (len(w) == 2 or w[1] == "0"):
            parsed.mgmt.plaintext_passwords.append(Evidence(n, f"{block.text}: password"))


def _crypto_policy(parsed: ParsedConfig, block: Block) -> None:
    for n, line in block.children:
        if _WEAK_IKE.search(line):
            parsed.mgmt.weak_crypto.append(Evidence(n, f"{block.text}: {line}"))


def _top_line(parsed: ParsedConfig, block: Block) -> None:
    w, n, line = block.words, block.line, block.text
    if w[:3] == ["ip", "http", "server"]:
        parsed.mgmt.http.append(Evidence(n, line))
    elif w[:3] == ["ip", "ssh", "version"] and w[3:4] == ["1"]:
        parsed.mgmt.ssh_v1.append(Evidence(n, line))
    elif w[:2] == ["snmp-server", "community"] and len(w) >= 3:
        if w[2].lower() in ("public", "private"):
            parsed.mgmt.snmp_weak.append(Evidence(n, f"snmp-server community {w[2]}"))
        elif "RW" in w or "rw" in w:
            parsed.mgmt.snmp_weak.append(Evidence(n, "snmp-server community (hidden) RW"))
    elif w[:2] == ["ntp", "server"]:
        parsed.mgmt.ntp_servers.append(
            w[4] if w[2:3] == ["vrf"] and len(w) > 4 else w[-1 if len(w) < 3 else 2]
        )
    elif w[0] == "logging" and len(w) >= 2 and (w[1] == "host" or is_ip(w[1])):
        parsed.mgmt.syslog_servers.append(w[-1] if w[1] != "host" else w[2])
    elif w[:2] == ["enable", "password"] and (len(w) == 3 or w[2] == "0"):
        parsed.mgmt.plaintext_passwords.append(Evidence(n, "enable password"))
    elif w[0] == "username" and "password" in w:
        i = w.index("password")
        if len(w) == i + 2 or w[i + 1] == "0":
            parsed.mgmt.plaintext_passwords.append(Evidence(n, f"username {w[1]} password"))
    elif w[:3] == ["crypto", "ipsec", "transform-set"]:
        weak = _WEAK_TRANSFORM & set(w[4:])
        if weak:
            parsed.mgmt.weak_crypto.append(Evidence(n, line))
    elif w[:2] == ["telnet", "server"]:
        parsed.mgmt.telnet.append(Evidence(n, line))
