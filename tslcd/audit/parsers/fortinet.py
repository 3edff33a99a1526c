"""FortiGate (FortiOS) stored configuration into the rule model.

Addresses and address groups (nested), custom services and service groups (with the predefined
services a configuration uses without defining), and ``config firewall policy``: each policy
lands in the ordered list of every interface pair it applies to, evaluated top-down in
configuration order with an implicit deny.
"""

from __future__ import annotations

from tslcd.audit.model import DENY, PERMIT, Binding, Evidence, ParsedConfig, Rule, RuleList
from tslcd.audit.names import FORTI_BUILTIN, FORTI_BUILTIN_GROUPS, ICMP_TYPES, icmp_range
from tslcd.audit.parsers.common import new_config
from tslcd.audit.parsers.forti_tree import Node, parse_tree
from tslcd.audit.parsers.objects import Objects, Service
from tslcd.audit.space import (
    ANY4,
    ANY6,
    DPORT,
    ICMP,
    PROTO,
    SPORT,
    SRC,
    IntervalSet,
    addr_int,
    complement,
    family_product,
    full_set,
    intersect_sets,
    intersects,
    ip_int,
    normalize,
    prefix_interval,
    subtract,
)

# "all" names every address of the family of the field it is used in (srcaddr or srcaddr6).
_BUILTIN_ADDRESSES = {"all": [ANY4, ANY6], "none": []}
# Policy fields that narrow what a policy matches in ways the header space cannot express.
_UNMODELLED_MATCHES = (
    "users",
    "groups",
    "fsso-groups",
    "application",
    "app-category",
    "url-category",
    "internet-service",
    "internet-service-src",
    "internet-service-name",
    "internet-service-group",
    "internet-service-custom",
    "internet-service-src-name",
    "src-vendor-mac",
    "ztna-ems-tag",
)
_ADDRESS_SECTIONS = (
    "firewall address",
    "firewall addrgrp",
    "firewall vip",
    "firewall vipgrp",
    "firewall address6",
    "firewall addrgrp6",
)
_OPEN_TRUSTHOST = ([], ["0.0.0.0", "0.0.0.0"], ["0.0.0.0/0"])


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one FortiGate configuration; raises `ParseProblem` only for a file that is no FortiOS one.

    In the multi-VDOM layout (``config vdom`` / ``edit NAME`` / sections / ``next``) every VDOM is
    audited as a firewall of its own: its lists and objects are named ``VDOM: ...`` / ``VDOM/NAME``.
    """
    parsed = new_config(host, "fortinet", text, source or host or "config")
    root = parse_tree(parsed)
    vdoms = [e for c in root.children if c.name == "vdom" for e in c.children if e.children]
    if not vdoms:
        _parse_scope(parsed, root.children)
        return parsed
    for section in root.children:
        if section.name == "global":
            for sub in section.children:
                _management(parsed, sub)
        elif section.name != "vdom":
            _management(parsed, section)
    for vdom in vdoms:
        scope = ParsedConfig(host=host, platform="fortinet", source=parsed.source, lines=parsed.lines)
        _parse_scope(scope, vdom.children)
        _merge(parsed, scope, vdom.name)
    return parsed


def _merge(parsed: ParsedConfig, scope: ParsedConfig, vdom: str) -> None:
    """Add one VDOM's analysis to the device's, names prefixed so two VDOMs never mix."""
    for lst in scope.lists:
        lst.name = f"{vdom}: {lst.name}"
        parsed.lists.append(lst)
    for b in scope.bindings:
        parsed.bindings.append(Binding(f"{vdom}: {b.list_name}", f"VDOM {vdom} {b.where}", b.line, b.traffic))
    for name, obj in scope.objects.items():
        obj.name = f"{vdom}/{name}"
        parsed.objects[obj.name] = obj
    parsed.used_objects |= {f"{vdom}/{n}" for n in scope.used_objects}
    parsed.undefined_refs += [(f"{vdom}/{n}", at) for n, at in scope.undefined_refs]
    parsed.other_list_refs |= {f"{vdom}: {n}" for n in scope.other_list_refs}
    parsed.notes += scope.notes
    for key, values in vars(scope.mgmt).items():
        getattr(parsed.mgmt, key).extend(values)


def _parse_scope(parsed: ParsedConfig, sections: list[Node]) -> None:
    """Objects, policies and management settings of one firewall (the device or one VDOM)."""
    objects = Objects(parsed)
    predefined = {
        e.name
        for section in sections
        if section.name == "firewall service custom"
        for e in section.children
        if "category" in e.settings
    }
    for section in sections:
        if section.name in _ADDRESS_SECTIONS:
            _addresses(parsed, objects, section)
        elif section.name in ("firewall service custom", "firewall service group"):
            _services(parsed, objects, section)
    for name, values in _BUILTIN_ADDRESSES.items():
        if not objects.has(name):
            objects.define(name, "network", 0)
            objects.add_addresses(name, values)
    for name, entries in FORTI_BUILTIN.items():
        if not objects.has(name):
            objects.define(name, "service", 0)
            for service in _builtin_service(entries):
                objects.add_service(name, service)
    for name, members in FORTI_BUILTIN_GROUPS.items():
        if not objects.has(name):
            objects.define(name, "service-group", 0)
            for member in members:
                objects.add_member(name, member)
    for section in sections:
        if section.name in ("firewall policy", "firewall policy6"):
            _policies(parsed, objects, section)
        elif section.name.startswith("firewall ") and "policy" in section.name and section.children:
            parsed.note(section.line, f"{section.name} ({len(section.children)} entries) not analysed")
        else:
            _management(parsed, section)
    objects.finish()
    for name, obj in list(parsed.objects.items()):
        if obj.line == 0 or name in predefined:  # FortiOS's own objects: never "unused"
            del parsed.objects[name]


def _builtin_service(entries: list) -> list[Service]:
    """A predefined service's entries (see `FORTI_BUILTIN`) as header-space services."""
    out: list[Service] = []
    for proto, first, second in entries:
        protos = full_set(PROTO) if proto is None else [(proto, proto)]
        if proto in (1, 58):
            icmp = full_set(ICMP) if first is None else [icmp_range(first[0])]
            out.append((protos, full_set(SPORT), full_set(DPORT), icmp))
        else:
            dports = full_set(DPORT) if first is None else [first]
            sports = full_set(SPORT) if second is None else [second]
            out.append((protos, sports, dports, full_set(ICMP)))
    return out


def _addresses(parsed: ParsedConfig, objects: Objects, section: Node) -> None:
    group = section.name.endswith(("grp", "grp6"))
    vip = "vip" in section.name
    for entry in section.children:
        name = entry.name
        objects.define(name, ("network-group" if group else "network"), entry.line)
        if group:
            for member in entry.values("member"):
                objects.add_member(name, member)
            if entry.get("exclude") == "enable":
                for member in entry.values("exclude-member"):
                    objects.add_excluded(name, member)
            continue
        try:
            _address(parsed, objects, entry, vip)
        except ValueError as exc:
            parsed.note(entry.line, f"address not analysed ({exc}); matched as any address")
            objects.mark_inexact(name, "unreadable address")
            objects.add_addresses(name, full_set(SRC))


def _address(parsed: ParsedConfig, objects: Objects, entry: Node, vip: bool) -> None:
    name = entry.name
    if vip:
        ext = entry.get("extip", "0.0.0.0").split("-")
        objects.add_addresses(name, [(ip_int(ext[0]), ip_int(ext[-1]))])
        objects.mark_inexact(name, "virtual IP (destination NAT)")
        parsed.note(entry.line, "virtual IP matched on its external address; NAT not analysed")
        return
    if entry.values("ip6") or entry.get("type") == "ipprefix":  # firewall address6
        objects.add_addresses(name, [prefix_interval(entry.get("ip6", "::/0"))])
        return
    typ = entry.get("type", "ipmask")
    if typ == "iprange" and ":" in entry.get("start-ip") + entry.get("end-ip"):
        lo, hi = addr_int(entry.get("start-ip", "::")), addr_int(entry.get("end-ip", "::"))
        objects.add_addresses(name, [(min(lo, hi), max(lo, hi))])
    elif typ in ("ipmask", "interface-subnet") and (typ == "ipmask" or entry.values("subnet")):
        # an interface-subnet address stores its interface's subnet: exact while the config holds
        subnet = entry.values("subnet") or ["0.0.0.0", "0.0.0.0"]
        addr, mask = [*subnet[0].split("/"), ""][:2] if len(subnet) == 1 else subnet[:2]
        base = ip_int(addr)
        m = ip_int(mask) if "." in mask else (0xFFFFFFFF << (32 - int(mask or 32))) & 0xFFFFFFFF
        objects.add_addresses(name, [(base & m, base | (~m & 0xFFFFFFFF))])
    elif typ == "iprange":  # FortiOS defaults both bounds to 0.0.0.0
        lo, hi = ip_int(entry.get("start-ip", "0.0.0.0")), ip_int(entry.get("end-ip", "0.0.0.0"))
        objects.add_addresses(name, [(min(lo, hi), max(lo, hi))])
    else:
        objects.mark_inexact(name, f"address type {typ}")
        parsed.note(
            entry.line, f"address type {typ!r} not analysed (resolved at run time; matched as any address)"
        )
        objects.add_addresses(name, full_set(SRC))


def _port_ranges(values: list[str]) -> list[tuple[IntervalSet, IntervalSet]]:
    """``80 443 8000-8080 53:1024-65535`` as (destination ports, source ports) pairs."""
    out = []
    for v in values:
        dst, _, src = v.partition(":")
        sports = _port_range(src) if src else full_set(SPORT)
        out.append((_port_range(dst), sports))
    return out


def _port_range(text: str) -> IntervalSet:
    lo, _, hi = text.partition("-")
    a, b = int(lo), int(hi or lo)
    if not 0 <= min(a, b) <= max(a, b) <= 65535:
        raise ValueError(f"port range {text!r}")
    return [(min(a, b), max(a, b))]


def _services(parsed: ParsedConfig, objects: Objects, section: Node) -> None:
    group = section.name.endswith("group")
    for entry in section.children:
        name = entry.name
        objects.define(name, "service-group" if group else "service", entry.line)
        if group:
            for member in entry.values("member"):
                objects.add_member(name, member)
            continue
        try:
            _service(parsed, objects, entry)
        except ValueError as exc:
            parsed.note(entry.line, f"service not analysed ({exc}); matched as every service")
            objects.mark_inexact(name, "unreadable service")
            objects.add_service(name, (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))


def _service(parsed: ParsedConfig, objects: Objects, entry: Node) -> None:
    name = entry.name
    proto = entry.get("protocol", "TCP/UDP/SCTP")
    if proto.startswith("TCP/UDP"):
        keys = (
            ("tcp-portrange", 6),
            ("udp-portrange", 17),
            ("udplite-portrange", 136),
            ("sctp-portrange", 132),
        )
        for key, n in keys:
            for dports, sports in _port_ranges(entry.values(key)):
                objects.add_service(name, ([(n, n)], sports, dports, full_set(ICMP)))
        if entry.get("iprange", "0.0.0.0") != "0.0.0.0" or entry.get("fqdn"):
            objects.mark_inexact(name, "service restricted to destination addresses")
            parsed.note(entry.line, "service destination address restriction not analysed")
    elif proto in ("ICMP", "ICMP6"):
        n = 1 if proto == "ICMP" else 58
        t, code = entry.get("icmptype"), entry.get("icmpcode")
        if not t:
            icmp = full_set(ICMP)
        else:
            t_num = int(t) if t.isdigit() else ICMP_TYPES.get(t)
            if t_num is None or t_num > 255 or (code and (not code.isdigit() or int(code) > 255)):
                raise ValueError(f"ICMP type {t!r} code {code!r}")
            icmp = [icmp_range(t_num, int(code) if code else None)]
        objects.add_service(name, ([(n, n)], full_set(SPORT), full_set(DPORT), icmp))
    elif proto == "IP":
        n = int(entry.get("protocol-number", "0"))
        if n > 255:
            raise ValueError(f"protocol number {n}")
        protos = full_set(PROTO) if n == 0 else [(n, n)]
        objects.add_service(name, (protos, full_set(SPORT), full_set(DPORT), full_set(ICMP)))
    else:
        objects.mark_inexact(name, f"service protocol {proto}")
        parsed.note(entry.line, f"service protocol {proto!r} not analysed (matched as every service)")
        objects.add_service(name, (full_set(PROTO), full_set(SPORT), full_set(DPORT), full_set(ICMP)))


def _policies(parsed: ParsedConfig, objects: Objects, section: Node) -> None:
    """``firewall policy`` (both families since FortiOS 6.4) or the older ``firewall policy6``."""
    v6_only = section.name.endswith("6")
    policies: list[tuple[Rule, list[str], list[str]]] = []
    for entry in section.children:
        rule = _policy(parsed, objects, entry, v6_only)
        policies.append((rule, entry.values("srcintf") or ["any"], entry.values("dstintf") or ["any"]))
    pairs = sorted({(s, d) for _, srcs, dsts in policies for s in srcs for d in dsts})
    for s, d in pairs:
        name = f"{s} -> {d}" + (" (policy6)" if v6_only else "")
        rules = [
            r for r, srcs, dsts in policies if (s in srcs or "any" in srcs) and (d in dsts or "any" in dsts)
        ]
        parsed.lists.append(RuleList(name, "policy", rules, section.line))
        parsed.bindings.append(Binding(name, f"interface pair {name}", section.line))


def _policy(parsed: ParsedConfig, objects: Objects, entry: Node, v6_only: bool) -> Rule:
    at = Evidence(entry.line, f"policy {entry.name}")
    reasons: list[str] = []
    refs: list[str] = []

    def addresses(key: str, family: tuple[int, int]) -> IntervalSet:
        """The addresses of one field, within its family; ``KEY-negate`` takes the rest of it."""
        values: IntervalSet = []
        for name in entry.values(key):
            refs.append(name)
            got, why = objects.addresses(name, Evidence(entry.settings[key].line, at.text))
            values += got
            if why:
                reasons.append(why)
        values = intersect_sets(normalize(values), [family])
        if entry.get(f"{key}-negate") == "enable":
            values = intersect_sets(complement(values, SRC), [family])
        return values

    if v6_only:
        src, dst = addresses("srcaddr", ANY6), addresses("dstaddr", ANY6)
    else:
        src = addresses("srcaddr", ANY4) + addresses("srcaddr6", ANY6)
        dst = addresses("dstaddr", ANY4) + addresses("dstaddr6", ANY6)
    services: list[Service] = []
    for name in entry.values("service"):
        refs.append(name)
        got, why = objects.services(name, Evidence(entry.settings["service"].line, at.text))
        services += got
        if why:
            reasons.append(why)
    if entry.get("schedule", "always") != "always":
        reasons.append(f"schedule {entry.get('schedule')}")
    for key in _UNMODELLED_MATCHES:
        if entry.values(key) and entry.get(key) != "disable":
            reasons.append(f"{key} {' '.join(entry.values(key))}")
    for why in reasons:
        parsed.note(
            entry.line, f"policy condition not modelled ({why}); the policy is treated as matching more"
        )
    boxes = [b for p, s, d, i in services for b in family_product([p, src, dst, s, d, i])]
    if entry.get("service-negate") == "enable":  # every service but those: the rest of the space
        every = [full_set(PROTO), src, dst, full_set(SPORT), full_set(DPORT), full_set(ICMP)]
        rest = family_product(every)
        for cut in boxes:
            rest = [q for b in rest for q in (subtract(b, cut) if intersects(b, cut) else [b])]
        boxes = rest
    text = _policy_text(entry)
    return Rule(
        key=f"policy {entry.name}",
        action=PERMIT if entry.get("action") in ("accept", "ipsec") else DENY,  # FortiOS default: deny
        boxes=boxes,
        text=text,
        line=entry.line,
        end_line=entry.end_line or entry.line,
        policy_id=entry.name,
        enabled=entry.get("status", "enable") != "disable",
        logged=entry.get("logtraffic", "utm") != "disable",
        exact=not reasons,
        refs=tuple(refs),
        services=tuple(entry.values("service")),
        src_any=ANY4 in src,
        dst_any=ANY4 in dst,
    )


def _policy_text(entry: Node) -> str:
    keys = (
        "name",
        "srcintf",
        "dstintf",
        "srcaddr",
        "dstaddr",
        "service",
        "action",
        "status",
        "logtraffic",
        "schedule",
        "srcaddr-negate",
        "dstaddr-negate",
    )
    parts = [f"edit {entry.name}"] + [
        f"set {k} {' '.join(entry.values(k))}" for k in keys if k in entry.settings
    ]
    return "; ".join(parts)


def _management(parsed: ParsedConfig, section: Node) -> None:
    mgmt = parsed.mgmt
    if section.name == "system interface":
        for entry in section.children:
            access = entry.values("allowaccess")
            s = entry.settings.get("allowaccess")
            if s and "telnet" in access:
                mgmt.telnet.append(
                    Evidence(s.line, f"interface {entry.name}: allowaccess {' '.join(access)}")
                )
            if s and "http" in access:
                mgmt.http.append(Evidence(s.line, f"interface {entry.name}: allowaccess {' '.join(access)}"))
    elif section.name == "system admin":
        for entry in section.children:
            if not any(
                k.startswith("trusthost") and entry.values(k) not in _OPEN_TRUSTHOST for k in entry.settings
            ):
                mgmt.unrestricted.append(Evidence(entry.line, f"admin {entry.name} (no trusthost)"))
            _password(parsed, entry, "password", f"admin {entry.name}")
    elif section.name == "user local":
        for entry in section.children:
            _password(parsed, entry, "passwd", f"user {entry.name}")
    elif section.name == "system snmp community":
        for entry in section.children:
            name = entry.settings.get("name")
            if name and entry.get("name").lower() in ("public", "private"):
                mgmt.snmp_weak.append(Evidence(name.line, f"snmp community {entry.get('name')}"))
    elif section.name in (
        "vpn ipsec phase1-interface",
        "vpn ipsec phase2-interface",
        "vpn ipsec phase1",
        "vpn ipsec phase2",
    ):
        for entry in section.children:
            for key in ("proposal", "dhgrp"):
                s = entry.settings.get(key)
                if s is None:
                    continue
                weak = [
                    v
                    for v in s.values
                    if (key == "dhgrp" and v.isdigit() and int(v) < 14)
                    or (key == "proposal" and _weak_proposal(v))
                ]
                if weak:
                    mgmt.weak_crypto.append(
                        Evidence(s.line, f"{section.name} {entry.name}: {key} {' '.join(weak)}")
                    )
    elif section.name.startswith("log syslogd") and section.name.endswith("setting"):
        if section.get("status") == "enable" and section.get("server"):
            mgmt.syslog_servers.append(section.get("server"))
    elif section.name == "system ntp" and section.get("ntpsync") == "enable":
        servers = [e.get("server") for c in section.children for e in c.children if e.get("server")]
        fortiguard = [section.get("type")] if section.get("type") == "fortiguard" else []
        mgmt.ntp_servers.extend(servers or fortiguard)


def _password(parsed: ParsedConfig, entry: Node, key: str, who: str) -> None:
    s = entry.settings.get(key)
    if s and s.values and s.values[0] != "ENC":
        parsed.mgmt.plaintext_passwords.append(Evidence(s.line, f"{who}: {key}"))


def _weak_proposal(value: str) -> bool:
    """``des-md5``, ``3des-sha1``, ``aes128-sha1``: DES/3DES encryption or MD5/SHA1 integrity."""
    encryption, _, integrity = value.partition("-")
    return encryption in ("des", "3des") or integrity in ("md5", "sha1")
