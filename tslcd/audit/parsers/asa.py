"""Cisco ASA stored configuration into the rule model.

Models ``access-list`` (extended and standard) with network/service objects and nested object-groups,
``inactive`` and ``log``, ``access-group`` bindings, and the management-plane lines the checks read.
"""

from __future__ import annotations

import re

from tslcd.audit.model import Binding, Evidence, ParsedConfig, RuleList
from tslcd.audit.names import PROTOCOLS
from tslcd.audit.parsers.cisco_ace import (
    AceError,
    AceParser,
    builtin_service,
    icmp_words,
    mask_interval,
    port_condition,
)
from tslcd.audit.parsers.common import (
    Block,
    cisco_blocks,
    is_ip,
    new_config,
    refuse_foreign_cisco,
    rule_from_ace,
    unread_rule,
)
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    IntervalSet,
    addr_int,
    full_set,
    ip_int,
    prefix_interval,
)

_WEAK_IKE = re.compile(r"^(encryption (des|3des)\b|hash (md5|sha)$|group (1|2|5)$|integrity .*\b(md5|sha)\b)")
_WEAK_TRANSFORM = {"esp-des", "esp-3des", "esp-md5-hmac", "esp-sha-hmac"}
_LIST_USES = (
    re.compile(r"^crypto map \S+ \d+ match address (\S+)"),
    re.compile(r"^match access-list (\S+)"),
    re.compile(r"\bsplit-tunnel-network-list value (\S+)"),
    re.compile(r"^nat \(.*\) .*access-list (\S+)"),
    re.compile(r"^(?:ipv6-)?vpn-filter value (\S+)"),
    re.compile(r"^match ip address (\S+)"),
    re.compile(r"^capture \S+ .*\baccess-list (\S+)"),
    re.compile(r"^(?:aaa (?:authentication|authorization|accounting) match) (\S+)"),
    re.compile(r"^(?:wccp \S+ redirect-list|snmp-server .* access-list) (\S+)"),
    re.compile(r"^dynamic-filter .* access-list (\S+)"),
)
_SAFE_PASSWORD = {"encrypted", "pbkdf2", "nt-encrypted"}


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one ASA configuration; raises `ParseProblem` naming the line of an unreadable entry."""
    parsed = new_config(host, "cisco_asa", text, source or host or "config")
    objects = Objects(parsed)
    aces = AceParser(objects, wildcard=False, family=0)
    blocks = cisco_blocks(parsed)
    refuse_foreign_cisco(parsed, blocks, "ASA")
    for block in blocks:
        if block.words[0] in ("object", "object-group"):
            _object(parsed, objects, block)
    lists: dict[str, RuleList] = {}
    for block in blocks:
        w = block.words
        if w[0] == "access-list" and len(w) > 2:
            _entry(parsed, aces, lists, block)
        elif w[0] == "access-group" and len(w) >= 3:
            where = "global" if w[2] == "global" else f"interface {w[-1]} {w[2]}"
            parsed.bindings.append(Binding(w[1], where, block.line))
        elif w[:2] == ["crypto", "ikev1"] or w[:2] == ["crypto", "ikev2"]:
            for n, line in block.children:
                if _WEAK_IKE.search(line):
                    parsed.mgmt.weak_crypto.append(Evidence(n, f"{block.text}: {line}"))
        elif w[0] not in ("object", "object-group"):
            _top_line(parsed, block)
        for line in [block.text, *(c for _, c in block.children)]:
            for pattern in _LIST_USES:
                m = pattern.search(line)
                if m:
                    parsed.other_list_refs.add(m.group(1))
    parsed.lists = list(lists.values())
    objects.finish()
    return parsed


def _object(parsed: ParsedConfig, objects: Objects, block: Block) -> None:
    w = block.words
    if len(w) < 3:
        parsed.note(block.line, "object without a type or name not analysed")
        return
    group = w[0] == "object-group"
    typ, name = w[1], w[2]
    kind = "port-group" if typ == "service" and group and len(w) > 3 else f"{typ}-group" if group else typ
    if typ not in ("network", "service", "protocol", "icmp-type"):
        objects.define(name, kind, block.line)
        objects.mark_inexact(name, f"object type {typ} not modelled")
        parsed.note(block.line, f"object type {typ} not analysed")
        return
    objects.define(name, kind, block.line)
    port_proto = w[3] if kind == "port-group" else None
    for n, line in block.children:
        c = line.split()
        c = c[: c.index("!")] if "!" in c else c
        try:
            if c[0] == "description":
                continue
            builtin = builtin_service(c[2]) if c[:2] == ["service-object", "object"] else None
            if builtin is not None and not objects.has(c[2]):
                objects.add_service(name, builtin)
            elif c[0] == "group-object" or (
                c[0] in ("network-object", "service-object") and c[1] == "object"
            ):
                objects.add_member(name, c[-1])
            elif ":" in line and c[0] in ("host", "subnet", "range", "network-object"):
                objects.add_addresses(name, _v6_entry(c))
            elif c[0] == "host" or c[:2] == ["network-object", "host"]:
                v = ip_int(c[-1])
                objects.add_addresses(name, [(v, v)])
            elif c[0] in ("subnet", "network-object"):
                values, why = mask_interval(c[1], c[2], wildcard=False)
                objects.add_addresses(name, values)
                if why:
                    objects.mark_inexact(name, why)
            elif c[0] == "range":
                objects.add_addresses(name, [(ip_int(c[1]), ip_int(c[2]))])
            elif c[0] == "fqdn":
                objects.mark_inexact(name, "FQDN object")
                parsed.note(n, "FQDN object not analysed (addresses resolved at run time)")
            elif c[0] in ("service", "service-object"):
                objects.add_service(name, _service(c[1:]))
            elif c[0] == "port-object":
                objects.add_service(name, _port_object(port_proto or "tcp", c[1:]))
            elif c[0] == "protocol-object":
                p = _proto(c[1])
                objects.add_service(name, (p, full_set(SPORT), full_set(DPORT), full_set(ICMP)))
            elif c[0] in ("icmp-object", "icmp6-object"):
                icmp = icmp_words(c[1:], v6=c[0] == "icmp6-object")
                proto = 58 if c[0] == "icmp6-object" else 1
                objects.add_service(name, ([(proto, proto)], full_set(SPORT), full_set(DPORT), icmp))
            elif c[0] == "nat":
                continue
            else:
                parsed.note(n, f"object entry {c[0]!r} not analysed")
                objects.mark_inexact(name, f"entry {c[0]}")
        except (IndexError, ValueError, KeyError) as exc:
            parsed.note(n, f"object entry not analysed ({exc}); {name} is treated as matching more")
            objects.mark_inexact(name, f"entry at line {n} not analysed")
            objects.add_addresses(name, full_set(SRC))
            objects.add_service(name, (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))


def _v6_entry(c: list[str]) -> IntervalSet:
    """``host 2001:db8::1``, ``subnet 2001:db8::/32``, ``range A B``, ``network-object [host] X``."""
    words = c[1:] if c[0] == "network-object" else c
    if words[0] == "range":
        return [(addr_int(words[1]), addr_int(words[2]))]
    return [prefix_interval(words[-1])]


def _proto(word: str) -> IntervalSet:
    if word == "ip":
        return full_set(PROTO)
    if word == "tcp-udp":
        return [(6, 6), (17, 17)]
    if word.isdigit() and int(word) <= 255:
        return [(int(word), int(word))]
    if word not in PROTOCOLS:
        raise ValueError(f"unknown protocol {word!r}")
    n = PROTOCOLS[word]
    return [(n, n)]


def _service(c: list[str]) -> Service:
    """``tcp [source OP P] [destination OP P]`` or ``icmp [TYPE]`` or ``ip``."""
    protos = _proto(c[0])
    sports, dports, icmp = full_set(SPORT), full_set(DPORT), full_set(ICMP)
    if c[0] in ("icmp", "icmp6"):
        return protos, sports, dports, icmp_words(c[1:], v6=c[0] == "icmp6")
    rest = c[1:]
    while rest:
        if rest[0] in ("eq", "neq", "lt", "gt", "range"):
            rest = ["destination", *rest]  # "destination" may be left out, even after a source
        if len(rest) < 3:
            raise ValueError(f"incomplete port condition {' '.join(rest)!r}")
        which, op = rest[0], rest[1]
        take = 3 if op == "range" else 2
        values = port_condition(rest[1 : 1 + take])
        if which == "source":
            sports = values
        elif which == "destination":
            dports = values
        else:
            raise ValueError(f"unexpected {which!r}")
        rest = rest[1 + take :]
    return protos, sports, dports, icmp


def _port_object(proto: str, c: list[str]) -> Service:
    return _proto(proto), full_set(SPORT), port_condition(c), full_set(ICMP)


def _entry(parsed: ParsedConfig, aces: AceParser, lists: dict[str, RuleList], block: Block) -> None:
    w = block.words
    name, rest = w[1], w[2:]
    if rest[0] == "line" and len(rest) > 1:
        rest = rest[2:]
    if not rest or rest[0] in ("remark",):
        return
    if rest[0] in ("ethertype", "webtype", "rename"):
        parsed.note(block.line, f"{rest[0]} access-list not analysed")
        return
    standard = rest[0] == "standard"
    if rest[0] in ("extended", "standard"):
        rest = rest[1:]
    acl = lists.setdefault(name, RuleList(name, "standard-acl" if standard else "acl", [], block.line))
    at = Evidence(block.line, block.text)
    try:
        ace = aces.parse(rest, at, standard)
    except (AceError, ValueError, KeyError, IndexError) as exc:
        rule = unread_rule(parsed, rest, f"line {block.line}", at, str(exc))
        if rule is not None:
            acl.rules.append(rule)
        return
    acl.rules.append(rule_from_ace(parsed, ace, f"line {block.line}", at, block.line))


def _top_line(parsed: ParsedConfig, block: Block) -> None:
    w, n, line = block.words, block.line, block.text
    if w[0] == "telnet" and len(w) >= 4 and is_ip(w[1]):
        parsed.mgmt.telnet.append(Evidence(n, line))
        if w[1] == "0.0.0.0":
            parsed.mgmt.unrestricted.append(Evidence(n, line))
    elif w[0] in ("ssh", "http") and len(w) >= 4 and is_ip(w[1]) and w[2] == "0.0.0.0":
        parsed.mgmt.unrestricted.append(Evidence(n, line))
    elif w[:3] == ["http", "server", "enable"]:
        parsed.mgmt.http.append(Evidence(n, line))
    elif w[:2] == ["ssh", "version"] and w[2:3] == ["1"]:
        parsed.mgmt.ssh_v1.append(Evidence(n, line))
    elif w[:2] == ["snmp-server", "community"] and len(w) >= 3:
        if w[2].lower() in ("public", "private"):
            parsed.mgmt.snmp_weak.append(Evidence(n, f"snmp-server community {w[2]}"))
    elif w[:2] == ["snmp-server", "host"] and "community" in w:
        i = w.index("community")
        if len(w) > i + 1 and w[i + 1].lower() in ("public", "private"):
            parsed.mgmt.snmp_weak.append(Evidence(n, f"snmp-server host ... community {w[i + 1]}"))
    elif w[:2] == ["ntp", "server"] and len(w) >= 3:
        parsed.mgmt.ntp_servers.append(w[2])
    elif w[:2] == ["logging", "host"] and len(w) >= 4:
        parsed.mgmt.syslog_servers.append(w[3])
    elif w[:2] == ["enable", "password"] and not (_SAFE_PASSWORD & set(w)):
        parsed.mgmt.plaintext_passwords.append(Evidence(n, "enable password"))
    elif w[0] == "username" and "password" in w and not (_SAFE_PASSWORD & set(w)):
        parsed.mgmt.plaintext_passwords.append(Evidence(n, f"username {w[1]} password"))
    elif w[:3] == ["crypto", "ipsec", "ikev1"] and "transform-set" in w and _WEAK_TRANSFORM & set(w):
        parsed.mgmt.weak_crypto.append(Evidence(n, line))
