"""Operational ``show`` commands of the lab ASA, printed the way ASA 9.x prints them.

Every listing is derived from the configuration (interfaces, routes, NAT, failover, access
lists), so the same ntc-templates template that reads a real ASA reads the lab's.
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools

from tslcd.lab.models.asa_config import AsaConfig, Interface

ROUTE_CODES = """Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2, V - VPN
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, + - replicated route
       SI - Static InterVRF, BI - BGP InterVRF"""
LOG_INTERVAL = "300"


def _hash(*parts: str) -> str:
    return "0x" + hashlib.md5(" ".join(parts).encode(), usedforsecurity=False).hexdigest()[:8]


def _up(iface: Interface) -> bool:
    return not iface.shutdown


def connected(cfg: AsaConfig) -> list[tuple[str, str, str]]:
    """(network, mask, nameif) of each addressed, named, enabled interface."""
    out = []
    for iface in cfg.interfaces.values():
        if iface.nameif and iface.address and _up(iface):
            address, mask = iface.address.split()[:2]
            out.append((address, mask, iface.nameif))
    return out


def show_route(cfg: AsaConfig) -> str:
    """``show route``: the default route first, then static, connected and local routes."""
    routes: list[tuple[str, str, str]] = []
    gateway = "Gateway of last resort is not set"
    for _, line in sorted(cfg.globals.values()):
        words = line.split()
        if words[0] != "route" or words[1].lower() == "null0":
            continue
        iface, network, mask, hop = words[1:5]
        metric = words[5] if len(words) > 5 and words[5].isdigit() else "1"
        code = "S*" if mask == "0.0.0.0" else "S"
        if code == "S*":
            gateway = f"Gateway of last resort is {hop} to network 0.0.0.0"
        routes.append((code, f"{network} {mask}", f"[{metric}/0] via {hop}, {iface}"))
    for address, mask, name in connected(cfg):
        network = ipaddress.IPv4Network(f"{address}/{mask}", strict=False).network_address
        routes.append(("C", f"{network} {mask}", f"is directly connected, {name}"))
        routes.append(("L", f"{address} 255.255.255.255", f"is directly connected, {name}"))
    routes.sort(key=lambda r: (not r[0].startswith("S*"), ipaddress.IPv4Address(r[1].split()[0])))
    lines = [ROUTE_CODES, "", gateway, ""]
    lines += [f"{code:<9}{prefix} {rest}" for code, prefix, rest in routes]
    return "\n".join(lines) + "\n"


def show_interface_ip_brief(cfg: AsaConfig) -> str:
    """``show interface ip brief``."""
    lines = ["Interface                  IP-Address      OK? Method Status                Protocol"]
    for name, iface in cfg.interfaces.items():
        address = iface.address.split()[0] if iface.address else "unassigned"
        method = "CONFIG" if iface.address else "unset"
        status, proto = ("administratively down", "down") if iface.shutdown else ("up", "up")
        lines.append(f"{name:<27}{address:<16}YES {method:<7}{status:<22}{proto}  ")
    return "\n".join(lines)


def _failover_lines(cfg: AsaConfig) -> list[str]:
    return [h for h in cfg.blocks if h.startswith("failover")]


def show_failover(cfg: AsaConfig, version: str, serial: str, model: str) -> str:
    """``show failover``: Off unless ``failover`` is configured; then this unit and its mate."""
    lines = _failover_lines(cfg)
    on = "failover" in lines
    unit = "Secondary" if "failover lan unit secondary" in lines else "Primary"
    lan = next((h.split()[3:5] for h in lines if h.startswith("failover lan interface ")), None)
    lan_text = f"{lan[0]} {lan[1]} (up)" if lan else "not Configured"
    named = [(i.nameif, i.address.split()) for i in cfg.interfaces.values() if i.nameif]
    out = [f"Failover {'On' if on else 'Off'}", f"Failover unit {unit}",
           f"Failover LAN Interface: {lan_text}", "Reconnect timeout 0:00:00",
           "Unit Poll frequency 1 seconds, holdtime 15 seconds",
           "Interface Poll frequency 5 seconds, holdtime 25 seconds", "Interface Policy 1",
           f"Monitored Interfaces {len(named)} of 1292 maximum",
           "MAC Address Move Notification Interval not set"]
    if not on:
        return "\n".join(out)
    mate_serial = serial[:-1] + ("1" if serial[-1] != "1" else "2")
    out += [f"Version: Ours {version}, Mate {version}", f"Serial Number: Ours {serial}, Mate {mate_serial}",
            "Last Failover at: 08:15:02 UTC Jan 5 2026"]
    mate = "Secondary" if unit == "Primary" else "Primary"
    for host, role, state in (("This host", unit, "Active"), ("Other host", mate, "Standby Ready")):
        out += [f"        {host}: {role} - {state}", "                Active time: 2592000 (sec)",
                f"                slot 0: {model} hw/sw rev (1.0/{version}) status (Up Sys)"]
        for name, address in named:
            shown = address[0] if host == "This host" or "standby" not in address else address[-1]
            shown = shown if address else "0.0.0.0"
            out.append(f"                  Interface {name} ({shown}): Normal (Monitored)")
    out += ["", "Stateful Failover Logical Update Statistics", f"        Link : {lan_text}"]
    return "\n".join(out)


def show_xlate(cfg: AsaConfig) -> str:
    """``show xlate``: one static translation per static object NAT rule."""
    rows: list[str] = []
    for obj in cfg.objects.values():
        words = obj.nat.split()
        if len(words) < 4 or words[2] != "static" or not obj.body:
            continue
        real_if, mapped_if = words[1].strip("()").split(",")
        real = _prefix(obj.body)
        target = cfg.objects.get(words[3])
        mapped = _prefix(target.body) if target else words[3]
        rows += [f"NAT from {real_if}:{real} to {mapped_if}:{mapped}", "flags s idle 0:00:00 timeout 0:00:00"]
    count = len(rows) // 2
    return "\n".join([f"{count} in use, {count} most used",
                      "Flags: D - DNS, i - dynamic, r - portmap, s - static, I - identity, T - twice",
                      "e - extended", *rows])


def _prefix(body: str) -> str:
    """An object's address as ``show xlate`` prints it (``A`` or ``A/LEN``)."""
    words = body.split()
    if words[0] == "subnet" and len(words) == 3:
        return str(ipaddress.IPv4Network(f"{words[1]}/{words[2]}"))
    return words[1]


def _log(entry: list[str]) -> list[str]:
    """``log`` as ``show access-list`` prints it: level and interval spelt out."""
    if "log" not in entry:
        return entry
    index = entry.index("log")
    head, tail = entry[:index], entry[index + 1:]
    if tail[:1] in (["disable"], ["default"]):
        return entry
    level = "informational"
    if tail and tail[0] not in ("interval", "inactive"):
        level, tail = tail[0], tail[1:]
    interval = LOG_INTERVAL
    if tail[:1] == ["interval"]:
        interval, tail = tail[1], tail[2:]
    return [*head, "log", level, "interval", interval, *tail]


def _addresses(cfg: AsaConfig, kind: str, name: str) -> list[str]:
    """What a network object or group in an ACE expands to."""
    if kind == "object":
        obj = cfg.objects.get(name)
        if obj is None or not obj.body:
            return []
        words = obj.body.split()
        return {"host": [f"host {words[-1]}"], "subnet": [" ".join(words[1:])],
                "range": [" ".join(words)], "fqdn": [f"fqdn {words[-1]} (unresolved)"]}[words[0]]
    group = cfg.groups.get(name)
    out: list[str] = []
    for member in group.members if group and group.kind == "network" else []:
        words = member.split()
        if words[0] == "group-object":
            out += _addresses(cfg, "object-group", words[1])
        elif words[1] == "object":
            out += _addresses(cfg, "object", words[2])
        else:
            out.append(" ".join(words[1:]))
    return out


#: A service member: (protocol, source port words, destination port words, ICMP type words).
Service = tuple[str, list[str], list[str], list[str]]


def _service_body(body: list[str]) -> Service:
    """``PROTO [source OP P] [destination OP P] | icmp [TYPE [CODE]]`` split into its parts."""
    proto, rest = body[0], body[1:]
    if proto in ("icmp", "icmp6"):
        return proto, [], [], rest
    ports: dict[str, list[str]] = {"source": [], "destination": []}
    while len(rest) >= 3 and rest[0] in ports:
        size = 4 if rest[1] == "range" else 3
        ports[rest[0]], rest = rest[1:size], rest[size:]
    return proto, ports["source"], ports["destination"], []


def _services(cfg: AsaConfig, kind: str, name: str) -> list[Service]:
    """What a service object, service group or protocol group at the protocol slot expands to."""
    if kind == "object":
        obj = cfg.objects.get(name)
        return [_service_body(obj.body.split()[1:])] if obj is not None and obj.body else []
    group = cfg.groups.get(name)
    out: list[Service] = []
    for member in group.members if group and group.kind in ("service", "protocol") else []:
        words = member.split()
        if words[0] == "group-object":
            out += _services(cfg, "object-group", words[1])
        elif words[1] == "object":
            out += _services(cfg, "object", words[2])
        elif words[0] == "protocol-object":
            out.append((words[1], [], [], []))
        else:
            out.append(_service_body(words[1:]))
    return out


def _size(words: list[str], i: int) -> int:
    """Words taken by the address at ``i``."""
    return 1 if words[i] in ("any", "any4", "any6") or "/" in words[i] else 2


def _port_size(cfg: AsaConfig, words: list[str], i: int) -> int:
    """Words taken by the port condition at ``i`` (0: none)."""
    if i < len(words) and words[i] in ("eq", "neq", "lt", "gt"):
        return 2
    if i < len(words) and words[i] == "range":
        return 3
    group = cfg.groups.get(words[i + 1]) if i + 1 < len(words) and words[i] == "object-group" else None
    return 2 if group is not None and group.kind in ("service", "icmp-type") else 0


def _expand(cfg: AsaConfig, entry: str) -> list[str]:
    """The plain entries an ACE with objects expands to (empty: nothing to expand)."""
    words = entry.split()
    if words[0] != "extended":
        return []
    proto_end = 4 if words[2] in ("object", "object-group") else 3
    src_end = proto_end + _size(words, proto_end)
    sport_end = src_end + _port_size(cfg, words, src_end)
    dst_end = sport_end + _size(words, sport_end)
    dport_end = dst_end + _port_size(cfg, words, dst_end)
    proto, src, sport = words[2:proto_end], words[proto_end:src_end], words[src_end:sport_end]
    dst, dport, tail = words[sport_end:dst_end], words[dst_end:dport_end], words[dport_end:]
    services: list[Service] = [(" ".join(proto), sport, dport, [])]
    if len(proto) == 2:
        services = [(p, s or sport, d or dport, i) for p, s, d, i in _services(cfg, *proto)] or services
    sources = _addresses(cfg, *src) if src[0] in ("object", "object-group") else []
    targets = _addresses(cfg, *dst) if dst[0] in ("object", "object-group") else []
    ports = [m.split()[1:] for m in cfg.groups[dport[1]].members] if dport[:1] == ["object-group"] else []
    if len(services) == 1 and len(proto) == 1 and not (sources or targets or ports):
        return []
    lines = []
    for (protocol, sp, dp, icmp), source, target in itertools.product(
            services, sources or [" ".join(src)], targets or [" ".join(dst)]):
        lines += [" ".join(["extended", words[1], protocol, source, *sp, target, *port, *icmp, *tail])
                  for port in ports or [dp]]
    return lines


def show_access_list(cfg: AsaConfig, names: list[str]) -> str:
    """``show access-list [NAME]`` with hit counts, hashes and expanded object lines."""
    lines = ["access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)",
             "            alert-interval 300"]
    for name in names:
        entries = cfg.acls[name]
        elements = 0
        body: list[str] = []
        for number, entry in enumerate(entries, start=1):
            prefix = f"access-list {name} line {number}"
            if entry.startswith("remark"):
                body.append(f"{prefix} {entry}")
                continue
            shown = " ".join(_log(entry.split()))
            expanded = _expand(cfg, entry)
            elements += len(expanded) or 1
            body.append(f"{prefix} {shown} (hitcnt=0) {_hash(name, entry)} ")
            body += [f"  {prefix} {' '.join(_log(e.split()))} (hitcnt=0) {_hash(name, e)} " for e in expanded]
        lines.append(f"access-list {name}; {elements} elements; name hash: {_hash(name)}")
        lines += body
    return "\n".join(lines)
