"""Operational ``show`` commands of a lab SRX, laid out as a real one prints them.

The layouts follow real SRX output (ntc-templates' samples parse them with the same templates);
the values come from the device's configuration and inventory data: the model, serial and
package list of an SRX1500 on Junos 21.4, ARP entries for its configured neighbours, routes from
its interfaces and static routes.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import UTC, datetime

from tslcd.lab.models.junos_api import JunosDeviceView
from tslcd.lab.models.junos_tree import find, leaves

MODEL = "srx1500"
VERSION = "21.4R3-S5.4"
BUILD = "20230526.093519_builder_junos_214_r3_s5"
STABLE = "20230221.fb0e2d0_builder_stable_12"
#: Packages ``show version`` lists on an SRX1500 (name, version is the build or the release).
PACKAGES: tuple[tuple[str, str], ...] = (
    ("JUNOS OS Kernel 64-bit ", STABLE), ("JUNOS OS libs", STABLE), ("JUNOS OS runtime", STABLE),
    ("JUNOS OS time zone information", STABLE), ("JUNOS OS libs compat32", STABLE),
    ("JUNOS OS 32-bit compatibility", STABLE), ("JUNOS py extensions2", BUILD),
    ("JUNOS py extensions", BUILD), ("JUNOS py base2", BUILD), ("JUNOS py base", BUILD),
    ("JUNOS OS vmguest", STABLE), ("JUNOS OS crypto", STABLE), ("JUNOS network stack and utilities", BUILD),
    ("JUNOS libs", BUILD), ("JUNOS libs compat32", BUILD), ("JUNOS runtime", BUILD),
    ("JUNOS na telemetry", VERSION), ("JUNOS Web Management Platform Package", BUILD),
    ("JUNOS srx libs compat32", BUILD), ("JUNOS srx runtime", BUILD),
    ("JUNOS srx platform support", BUILD), ("JUNOS common platform support", BUILD),
    ("JUNOS srxtvp runtime", BUILD), ("Redis", BUILD), ("JUNOS pppoe", BUILD),
    ("JUNOS Openconfig", VERSION), ("JUNOS mtx network modules", BUILD), ("JUNOS modules", BUILD),
    ("JUNOS srx libs", BUILD), ("JUNOS srx Data Plane Crypto Support", BUILD),
    ("JUNOS daemons", BUILD), ("JUNOS srx daemons", BUILD), ("JUNOS Extension Toolkit", BUILD),
    ("JUNOS Phone-home", BUILD), ("JUNOS Online Documentation", BUILD), ("JUNOS jail runtime", STABLE),
    ("JUNOS FIPS mode utilities", BUILD),
)


def serial_number(name: str) -> str:
    """A stable SRX-style chassis serial for a lab device."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**6
    return f"DA{digits:06d}AF"


def version(device: JunosDeviceView) -> str:
    """``show version``."""
    lines = [f"Hostname: {device.hostname}", f"Model: {MODEL}", f"Junos: {VERSION}"]
    lines += [f"{name} [{build}]" for name, build in PACKAGES]
    return "\n".join(lines) + "\n"


def chassis_hardware(device: JunosDeviceView) -> str:
    """``show chassis hardware`` of an SRX1500 with one SFP+ fitted."""
    rows = [
        ("Chassis", "", "", device.serial, "SRX1500"),
        ("Midplane", "REV 09", "750-058562", f"ACMF{device.serial[2:6]}", "SRX1500"),
        ("Pseudo CB 0", "", "", "", ""),
        ("Routing Engine 0", "REV 10", "711-062603", f"ACMH{device.serial[2:6]}", "SRX Routing Engine"),
        ("FPC 0", "REV 09", "711-062603", f"ACMH{device.serial[2:6]}", "FPC"),
        ("  CPU", "", "BUILTIN", "BUILTIN", "FPC CPU"),
        ("  PIC 0", "", "BUILTIN", "BUILTIN", "12xGE,4x10GE Base PIC"),
        ("    Xcvr 12", "REV 01", "740-021308", f"AM17{device.serial[2:8]}", "SFP+-10G-SR"),
        ("Power Supply 0", "REV 04", "740-055227", f"1EDB54{device.serial[2:8]}", "JPSU-400W-AC-AFO"),
        ("Fan Tray 0", "", "", "", "SRX1500 0, Front to Back Airflow - AFO"),
        ("Fan Tray 1", "", "", "", "SRX1500 1, Front to Back Airflow - AFO"),
    ]
    lines = ["Hardware inventory:", "Item             Version  Part number  Serial number     Description"]
    for item, rev, part, serial, text in rows:
        line = f"{item:<17}{rev:<9}{part:<13}{serial:<18}{text}" if rev or part or serial or text else item
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _ago(seconds: float) -> str:
    seconds = int(seconds)
    weeks, rest = divmod(seconds, 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    text = (f"{weeks}w" if weeks else "") + (f"{days}d " if weeks or days else "")
    return f"{text}{hours:02d}:{rest // 60:02d}"


def _up(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = ([f"{days} days"] if days else []) + [f"{hours}:{minutes:02d}" if hours else f"{minutes} mins"]
    return ", ".join(parts)


def system_uptime(device: JunosDeviceView, now: datetime) -> str:
    """``show system uptime``."""
    up = (now - device.booted).total_seconds()
    last = device.history[0] if device.history else None
    lines = [f"Current time: {_stamp(now)}", "Time Source:  NTP CLOCK",
             f"System booted: {_stamp(device.booted)} ({_ago(up)} ago)",
             f"Protocols started: {_stamp(device.booted)} ({_ago(max(0.0, up - 240))} ago)"]
    if last is not None:
        lines.append(f"Last configured: {_stamp(last.when)} ({_ago((now - last.when).total_seconds())} ago)"
                     f" by {last.user}")
    clock = now.astimezone(UTC).strftime("%I:%M%p").lstrip("0")
    lines.append(f"{clock:>7}  up {_up(up)}, 1 user, load averages: 0.08, 0.06, 0.01")
    return "\n".join(lines) + "\n"


def _interfaces(device: JunosDeviceView) -> list[tuple[str, ipaddress.IPv4Interface]]:
    found = []
    for path in leaves(device.committed):
        if (len(path) >= 8 and path[0] == "interfaces" and path[2] == "unit"
                and path[4:7] == ("family", "inet", "address")):
            try:
                found.append((f"{path[1]}.{path[3]}", ipaddress.IPv4Interface(path[7])))
            except ValueError:
                continue
    return found


def _mac(seed: str) -> str:
    raw = hashlib.sha256(seed.encode()).digest()[:5]
    return "00:" + ":".join(f"{b:02x}" for b in raw)


def arp(device: JunosDeviceView) -> str:
    """``show arp no-resolve``: the next host on each connected subnet (the CPE, a LAN server)."""
    lines = ["MAC Address       Address         Interface                Flags"]
    count = 0
    for name, iface in _interfaces(device):
        hosts = [h for h in iface.network.hosts() if h != iface.ip][:1]
        for host in hosts:
            lines.append(f"{_mac(device.name + str(host))} {host!s:<15} {name:<24} none")
            count += 1
    lines.append(f"Total entries: {count}")
    return "\n".join(lines) + "\n"


def route_summary(device: JunosDeviceView) -> str:
    """``show route summary``: direct and local routes of the interfaces, static routes."""
    connected = len(_interfaces(device))
    static = sum(1 for p in leaves(device.committed) if p[:3] == ("routing-options", "static", "route")
                 and len(p) > 4 and p[4] in ("next-hop", "discard", "reject"))
    router_id = next((str(i.ip) for _, i in _interfaces(device)), "0.0.0.0")
    total = 2 * connected + static
    lines = ["Autonomous system number: 65010", f"Router ID: {router_id}", "",
             f"inet.0: {total} destinations, {total} routes ({total} active, 0 holddown, 0 hidden)",
             f"              Direct: {connected:>6} routes, {connected:>6} active",
             f"               Local: {connected:>6} routes, {connected:>6} active"]
    if static:
        lines.append(f"              Static: {static:>6} routes, {static:>6} active")
    return "\n".join(lines) + "\n"


def interfaces_terse(device: JunosDeviceView) -> str:
    """``show interfaces terse``: each configured interface and unit, with its IPv4 addresses."""
    node = find(device.committed, ["interfaces"])
    lines = ["Interface               Admin Link Proto    Local                 Remote"]
    for name, physical in (node.children.items() if node else ()):
        if physical.inactive:
            continue
        lines.append(f"{name:<24}up    up")
        units = find(physical, ["unit"])
        for unit, logical in (units.children.items() if units else ()):
            family = find(logical, ["family", "inet"])
            listed = find(family, ["address"]) if family else None
            addresses = list(listed.children) if listed else []
            proto = "inet" if family else ""
            first = addresses[0] if addresses else ""
            lines.append(f"{name + '.' + unit:<24}up    up   {proto:<8} {first}".rstrip())
            lines += [f"{'':<24}{'':<6}{'':<5}{'':<9}{extra}" for extra in addresses[1:]]
    return "\n".join(lines) + "\n"


def security_policies(device: JunosDeviceView) -> str:
    """``show security policies``: active policies per zone pair, in the order they match."""
    policies = find(device.committed, ["security", "policies", "from-zone"])
    lines = ["Default policy: deny-all", "Pre ID default policy: permit-all"]
    index = 3
    for source, by_source in (policies.children.items() if policies else ()):
        pairs = find(by_source, ["to-zone"])
        for destination, pair in (pairs.children.items() if pairs else ()):
            if by_source.inactive or pair.inactive:
                continue
            lines.append(f"From zone: {source}, To zone: {destination}")
            named = find(pair, ["policy"])
            sequence = 0
            for name, policy in (named.children.items() if named else ()):
                if policy.inactive:
                    continue
                index += 1
                sequence += 1
                lines.append(f"  Policy: {name}, State: enabled, Index: {index}, Scope Policy: 0, "
                             f"Sequence number: {sequence}")
                for label, path in (("Source addresses", ["match", "source-address"]),
                                    ("Destination addresses", ["match", "destination-address"]),
                                    ("Applications", ["match", "application"])):
                    values = find(policy, path)
                    lines.append(f"    {label}: {', '.join(values.children) if values else 'any'}")
                then = find(policy, ["then"])
                words = list(then.children) if then else []
                action = next((w for w in words if w in ("permit", "deny", "reject")), "deny")
                lines.append(f"    Action: {action}" + (", log" if "log" in words else ""))
    return "\n".join(lines) + "\n"
