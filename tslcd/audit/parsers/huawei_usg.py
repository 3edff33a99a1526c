"""Huawei USG ``security-policy`` rules, ``ip address-set`` and ``ip service-set`` into the rule model.

Rules are matched top-down in configuration order, across zones; each rule lands in the ordered
list of every zone pair it applies to (no ``source-zone`` means any zone), like FortiGate policies
on interface pairs. The default action is deny unless ``default action permit`` is configured, in
which case every list ends with that default. Conditions the header space does not hold
(applications, users, time ranges, exclusions, domain or geography sets, predefined services not
listed here) make the rule inexact and are noted at their line.
"""

from __future__ import annotations

from tslcd.audit.model import DENY, PERMIT, Binding, Evidence, ParsedConfig, Rule, RuleList
from tslcd.audit.names import ICMP_TYPES, icmp_range
from tslcd.audit.parsers.cisco_ace import mask_interval
from tslcd.audit.parsers.huawei_tree import Node
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    FULL,
    FULL6,
    ICMP,
    PROTO,
    SPORT,
    IntervalSet,
    family_product,
    full_set,
    ip_int,
    normalize,
    prefix_interval,
)

_ANY_SERVICE: Service = (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP))


def _port_service(proto: int, port: int) -> Service:
    return [(proto, proto)], full_set(SPORT), [(port, port)], full_set(ICMP)


def _proto_service(proto: int) -> Service:
    return [(proto, proto)], full_set(SPORT), full_set(DPORT), full_set(ICMP)


# USG predefined services (well-known ports); a name not listed here is noted, never guessed.
_PREDEFINED: dict[str, list[Service]] = {
    "http": [_port_service(6, 80)],
    "https": [_port_service(6, 443)],
    "ssh": [_port_service(6, 22)],
    "telnet": [_port_service(6, 23)],
    "ftp": [_port_service(6, 21)],
    "smtp": [_port_service(6, 25)],
    "pop3": [_port_service(6, 110)],
    "imap": [_port_service(6, 143)],
    "dns": [_port_service(6, 53), _port_service(17, 53)],
    "ntp": [_port_service(17, 123)],
    "snmp": [_port_service(17, 161)],
    "snmptrap": [_port_service(17, 162)],
    "tftp": [_port_service(17, 69)],
    "syslog": [_port_service(17, 514)],
    "rdp": [_port_service(6, 3389)],
    "sqlserver": [_port_service(6, 1433)],
    "mysql": [_port_service(6, 3306)],
    "oracle": [_port_service(6, 1521)],
    "ldap": [_port_service(6, 389)],
    "bgp": [_port_service(6, 179)],
    "icmp": [_proto_service(1)],
    "ospf": [_proto_service(89)],
    "gre": [_proto_service(47)],
    "esp": [_proto_service(50)],
    "ah": [_proto_service(51)],
}
_PROTO_NAMES = {"tcp": 6, "udp": 17, "icmp": 1, "sctp": 132}
# Rule lines that do not change which packets match.
_IGNORED = {"description", "profile", "long-link", "session", "counting", "parent-group", "policy"}
# Rule lines that narrow the match in ways the header space does not hold.
_NARROWING = {
    "application",
    "user",
    "access-authentication",
    "time-range",
    "source-address-exclude",
    "destination-address-exclude",
    "url-category",
    "vlan",
    "category",
    "source-mac",
    "destination-mac",
    "terminal-type",
}


class UsgObjects:
    """Address and service sets of one configuration (wrapping the shared object table)."""

    def __init__(self, parsed: ParsedConfig) -> None:
        self.parsed = parsed
        self.objects = Objects(parsed)

    def define(self, node: Node) -> None:
        """``ip address-set NAME type object|group`` and ``ip service-set NAME type object|group``."""
        w = node.words
        if w[0] != "ip" or len(w) < 3 or w[1] not in ("address-set", "service-set"):
            return
        name, service = w[2], w[1] == "service-set"
        self.objects.define(name, "service-group" if service else "network-group", node.line)
        for child in node.children:
            c = child.words
            if c[0] == "description":
                continue
            body = c[2:] if len(c) > 2 and c[1].isdigit() else c[1:]
            try:
                if c[0] == "service" and service:
                    self._service_entry(name, body)
                elif c[0] == "address" and not service:
                    self._address_entry(name, body)
                else:
                    raise ValueError(f"unknown line {c[0]!r}")
            except (ValueError, IndexError, KeyError) as exc:
                self.parsed.note(
                    child.line, f"set entry not analysed ({exc}); {name} is treated as matching more"
                )
                self.objects.mark_inexact(name, f"entry at line {child.line} not analysed")
                if service:
                    self.objects.add_service(name, _ANY_SERVICE)
                else:
                    self.objects.add_addresses(name, [ANY4, ANY6])

    def _address_entry(self, name: str, body: list[str]) -> None:
        if body[:1] == ["address-set"]:
            self.objects.add_member(name, body[1])
            return
        values, why = address(body, bare_zero_is_host=True)
        if why:
            raise ValueError(why)
        self.objects.add_addresses(name, values)

    def _service_entry(self, name: str, body: list[str]) -> None:
        if body[:1] == ["service-set"]:
            self.objects.add_member(name, body[1])
            return
        self.objects.add_service(name, service_entry(body))

    def finish(self) -> None:
        """Empty and unused sets (see `Objects.finish`)."""
        self.objects.finish()


def address(words: list[str], bare_zero_is_host: bool) -> tuple[IntervalSet, str]:
    """``ADDR mask LEN|MASK``, ``ADDR LEN``, ``ADDR WILDCARD``, ``ADDR 0``, ``ADDR``, ``range A B``,
    IPv6 ``ADDR LEN`` or ``ADDR/LEN``; the second value says why the answer is only a superset."""
    if words[0] == "range":
        lo, hi = prefix_interval(words[1])[0], prefix_interval(words[2])[0]
        return [(min(lo, hi), max(lo, hi))], ""
    if "/" in words[0]:
        return [prefix_interval(words[0])], ""
    rest = words[1:]
    if rest[:1] == ["mask"]:
        rest = rest[1:]
        if "." in rest[0]:
            return mask_interval(words[0], rest[0], wildcard=False)
        return [prefix_interval(f"{words[0]}/{rest[0]}")], ""
    if not rest:
        return [prefix_interval(words[0])], ""
    if rest[0].isdigit():
        if rest[0] == "0" and ":" not in words[0]:
            if bare_zero_is_host:
                return [prefix_interval(words[0])], ""
            return [ANY4], f"'{words[0]} 0' is a host or every address"
        return [prefix_interval(f"{words[0]}/{rest[0]}")], ""
    ip_int(rest[0])
    return mask_interval(words[0], rest[0], wildcard=True)


def service_entry(words: list[str]) -> Service:
    """``protocol tcp [source-port A [to B]...] [destination-port A [to B]...]``, ``protocol icmp
    [icmp-type NAME|TYPE [CODE]]``, ``protocol NUMBER``."""
    if words[:1] != ["protocol"] or len(words) < 2:
        raise ValueError("expected 'protocol'")
    proto_word = words[1]
    proto = int(proto_word) if proto_word.isdigit() else _PROTO_NAMES[proto_word]
    sports, dports, icmp = full_set(SPORT), full_set(DPORT), full_set(ICMP)
    i = 2
    while i < len(words):
        key = words[i]
        if key in ("source-port", "destination-port"):
            ranges, i = _port_ranges(words, i + 1)
            if key == "source-port":
                sports = ranges
            else:
                dports = ranges
        elif key == "icmp-type" and proto == 1:
            t = words[i + 1]
            if t.isdigit():
                code = words[i + 2] if i + 2 < len(words) and words[i + 2].isdigit() else None
                icmp = [icmp_range(int(t), int(code) if code is not None else None)]
                i += 3 if code is not None else 2
            else:
                icmp = [icmp_range(ICMP_TYPES[t])]
                i += 2
        else:
            raise ValueError(f"unexpected {key!r}")
    if proto == 0:
        return _ANY_SERVICE
    return [(proto, proto)], sports, dports, icmp


def _port_ranges(words: list[str], i: int) -> tuple[IntervalSet, int]:
    out: IntervalSet = []
    while i < len(words) and words[i].isdigit():
        lo = hi = int(words[i])
        i += 1
        if i + 1 < len(words) and words[i] == "to" and words[i + 1].isdigit():
            hi = int(words[i + 1])
            i += 2
        if max(lo, hi) > 65535:
            raise ValueError(f"port {max(lo, hi)} out of range")
        out.append((min(lo, hi), max(lo, hi)))
    if not out:
        raise ValueError("port expected")
    return normalize(out), i


def security_policy(parsed: ParsedConfig, usg: UsgObjects, node: Node) -> None:
    """``security-policy`` / `` rule name X`` / ``  source-zone ...``: one list per zone pair."""
    rules: list[tuple[Rule, list[str], list[str]]] = []
    default = DENY
    default_line = node.line
    for child in node.children:
        c = child.words
        if c[:2] == ["rule", "name"] and len(c) >= 3:
            rules.append(_rule(parsed, usg, child, " ".join(c[2:])))
        elif c[:2] == ["default", "action"] and len(c) >= 3:
            default, default_line = (PERMIT if c[2] == "permit" else DENY), child.line
        elif c[0] not in ("default", "description"):
            parsed.note(child.line, f"security-policy line {c[0]!r} not analysed")
    pairs = sorted({(s, d) for _, srcs, dsts in rules for s in srcs for d in dsts})
    # One default rule shared by every zone pair, so its findings are reported once.
    default_rule = Rule(
        key="default action permit",
        action=PERMIT,
        boxes=[FULL, FULL6],
        text=parsed.line_text(default_line),
        line=default_line,
        end_line=default_line,
        src_any=True,
        dst_any=True,
    )
    for s, d in pairs:
        name = f"{s} -> {d}"
        members = [
            r for r, srcs, dsts in rules if (s in srcs or "any" in srcs) and (d in dsts or "any" in dsts)
        ]
        if default == PERMIT:
            members.append(default_rule)
        parsed.lists.append(RuleList(name, "policy", members, node.line))
        parsed.bindings.append(Binding(name, f"security-policy zone pair {name}", node.line))


def _rule(parsed: ParsedConfig, usg: UsgObjects, node: Node, name: str) -> tuple[Rule, list[str], list[str]]:
    src: IntervalSet = []
    dst: IntervalSet = []
    services: list[Service] = []
    zones: dict[str, list[str]] = {"source-zone": [], "destination-zone": []}
    action, enabled, logged = "", True, False
    inexact: list[str] = []
    refs: list[str] = []
    end = node.line
    for child in node.children:
        c = child.words
        end = max(end, child.line)
        key = c[0]
        try:
            if key in zones and len(c) >= 2:
                zones[key].append(c[1])
            elif key in ("source-address", "destination-address") and len(c) >= 2:
                values = _rule_address(parsed, usg, child, c[1:], refs, inexact)
                (src if key == "source-address" else dst).extend(values)
            elif key == "service" and len(c) >= 2:
                services += _rule_service(parsed, usg, child, c[1:], refs, inexact)
            elif key == "action" and len(c) >= 2 and c[1] in (PERMIT, DENY):
                action = c[1]
            elif key == "disable":
                enabled = False
            elif key in _IGNORED:
                logged = logged or "logging" in c
            elif key in _NARROWING:
                inexact.append(key)
                parsed.note(
                    child.line, f"rule condition not modelled ({key}); the rule is treated as matching more"
                )
            else:
                raise ValueError(f"unknown rule line {key!r}")
        except (ValueError, IndexError, KeyError) as exc:
            inexact.append(str(exc))
            parsed.note(child.line, f"rule line not analysed ({exc}); the rule is treated as matching more")
            if key in ("source-address", "destination-address"):
                (src if key == "source-address" else dst).extend([ANY4, ANY6])
            elif key == "service":
                services.append(_ANY_SERVICE)
    if not action:
        action = DENY
        inexact.append("no action")
        parsed.note(node.line, "rule without an action: analysed as deny, not exactly")
    src_set, dst_set = src or [ANY4, ANY6], dst or [ANY4, ANY6]
    boxes = [
        b
        for p, s, d, i in (services or [_ANY_SERVICE])
        for b in family_product([p, normalize(src_set), normalize(dst_set), s, d, i])
    ]
    rule = Rule(
        key=f"rule {name}",
        action=action,
        boxes=boxes,
        text=node.text,
        line=node.line,
        end_line=end,
        policy_id=name,
        enabled=enabled,
        logged=logged,
        exact=not inexact,
        refs=tuple(refs),
        services=tuple(s for s in _service_names(node)),
        src_any=not src,
        dst_any=not dst,
    )
    return rule, zones["source-zone"] or ["any"], zones["destination-zone"] or ["any"]


def _rule_address(
    parsed: ParsedConfig, usg: UsgObjects, node: Node, words: list[str], refs: list[str], inexact: list[str]
) -> IntervalSet:
    at = Evidence(node.line, node.text)
    if words[0] == "address-set":
        refs.append(words[1])
        values, why = usg.objects.addresses(words[1], at)
    elif words[0] in ("domain-set", "geo-location", "geo-location-set"):
        values, why = [ANY4, ANY6], f"{words[0]} {words[1]}"
    else:
        values, why = address(words, bare_zero_is_host=False)
    if why:
        inexact.append(why)
        parsed.note(node.line, f"address not modelled exactly ({why}); the rule is treated as matching more")
    return values


def _rule_service(
    parsed: ParsedConfig, usg: UsgObjects, node: Node, words: list[str], refs: list[str], inexact: list[str]
) -> list[Service]:
    at = Evidence(node.line, node.text)
    if words[0] == "protocol":
        return [service_entry(words)]
    name = words[0]
    if usg.objects.has(name):
        refs.append(name)
        values, why = usg.objects.services(name, at)
        if why:
            inexact.append(why)
        return values
    if name in _PREDEFINED:
        return _PREDEFINED[name]
    inexact.append(f"service {name}")
    parsed.note(
        node.line, f"service {name!r} (predefined or undefined) not modelled; treated as every service"
    )
    return [_ANY_SERVICE]


def _service_names(node: Node) -> list[str]:
    return [c.words[1] for c in node.children if c.words[0] == "service" and len(c.words) == 2]
