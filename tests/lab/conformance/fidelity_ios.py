"""Cisco IOS fidelity: the lab IOS model measured against real IOS material (see `fidelity`).

- commands / template fields: for each command tslcd and its users run, the real captures in
  ``fixtures/real/cisco_ios/ntc/<command>/*.raw`` and the lab's output of the same command go
  through the same ntc-templates template.
  A few commands get configuration first (a VRF, a BGP neighbour, ``lldp run``) so that the
  lab has what the real captures show; the lab renders it, the captures stay untouched.
- real lines accepted: every configuration line of the real configs in ``configs/`` is typed into
  a factory-fresh lab device with that config's hardware; it counts when the device takes it and
  prints it back in ``show running-config`` unchanged (two allowances, both IOS-XE's own print
  form: ``version N`` shows the device's version, ACL entries gain sequence numbers).
- invalid lines rejected: real configuration lines broken the ways operators break them (a bad
  or inconsistent mask, hardware the model lacks, an out-of-range value, a truncated or
  misspelled command, a second BGP AS), typed after the whole config in its context; each counts
  when the lab refuses it with IOS's text (the rules are in `invalid_cases`).
- getters, commit-confirm: NAPALM's ios driver against a lab device over SSH (``ios_getters``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.lab.conformance import fidelity as fd
from tests.lab.conformance import ios_getters
from tslcd.lab.models.ios import IosDevice
from tslcd.lab.models.ios_config import ensure_physical
from tslcd.lab.models.ios_session import IosCliSession

PLATFORM = "cisco_ios"
NTC = fd.REAL / PLATFORM / "ntc"
CONFIGS = fd.REAL / PLATFORM / "configs"
INVALID = "% Invalid input detected at '^' marker."

ROUTER = {"name": "stttt-r1", "hostname": "127.21.1.1", "platform": PLATFORM, "agency_code": "STTTT",
          "agency_name": "Sở Thông tin và Truyền thông", "agency_type": "so", "district": "long-xuyen",
          "role": "router", "lan_prefix": "10.10.1.0/24", "wan_prefix": "10.254.0.4/30",
          "circuit_id": "TSLCD-AGG-0001", "bandwidth_mbps": 100}
SWITCH = {**ROUTER, "name": "ttdl-sf-sw1", "hostname": "127.20.0.3", "role": "switch",
          "agency_code": "TTDL", "lan_prefix": "10.0.20.0/24"}

# Configuration some commands need before they have anything to show (a VRF, a sub-interface,
# a BGP neighbour, LLDP on): the lab renders it; what the real captures show comes from their own.
VRF = ("vrf definition CAMERA", " rd 65010:20", " address-family ipv4",
       "interface GigabitEthernet0/0/2", " vrf forwarding CAMERA", " ip address 10.20.1.1 255.255.255.0",
       " ip helper-address 10.250.0.20", " ip access-group LAN-IN out", " no shutdown")
SUBIF = ("interface GigabitEthernet0/0/1.20", " encapsulation dot1Q 20",
         " ip address 10.10.20.1 255.255.255.0")
BGP = ("router bgp 65010", " neighbor 10.254.0.6 remote-as 65000")
ACL_RANGES = ("time-range GIO-HANH-CHINH", " periodic weekdays 7:00 to 17:30",
              "ip access-list extended LAN-IN",
              " 55 permit tcp 10.10.1.0 0.0.0.255 range 1024 65535 host 10.200.1.40 range 8000 8080",
              " 56 permit tcp 10.10.1.0 0.0.0.255 host 10.200.1.50 eq 443 time-range GIO-HANH-CHINH")

# ntc-templates command folder -> (command typed on the lab, which lab device, lines configured first)
COMMANDS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "show_version": ("show version", ROUTER, ()),
    "show_ip_interface_brief": ("show ip interface brief", ROUTER, ()),
    "show_ip_interface": ("show ip interface", ROUTER, VRF),
    "show_interfaces": ("show interfaces", ROUTER, SUBIF),
    "show_ip_route": ("show ip route", ROUTER, ()),
    "show_inventory": ("show inventory", ROUTER, ()),
    "show_cdp_neighbors_detail": ("show cdp neighbors detail", ROUTER, ()),
    "show_arp": ("show arp", ROUTER, ()),
    "show_ip_arp": ("show ip arp", ROUTER, ()),
    "show_vlan": ("show vlan brief", SWITCH, ()),
    "show_logging": ("show logging", ROUTER, ("service sequence-numbers",)),
    "show_ip_access-lists": ("show ip access-lists", ROUTER, ACL_RANGES),
    "show_clock": ("show clock", ROUTER, ()),
    "show_users": ("show users", ROUTER, ()),
    "show_lldp_neighbors": ("show lldp neighbors", ROUTER, ("lldp run",)),
    "show_ip_bgp_summary": ("show ip bgp all summary", ROUTER, BGP),
    "show_vrf": ("show vrf", ROUTER, VRF),
}

# Captures of a variant of their folder's command: the lab runs the same variant.
VARIANTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cisco_ios_show_ip_route_vrf.raw": ("show ip route vrf CAMERA",
                                        (*VRF, "ip route vrf CAMERA 0.0.0.0 0.0.0.0 10.20.1.254")),
}


def lab_session(host: dict[str, Any], setup: tuple[str, ...] = ()) -> IosCliSession:
    """A privileged session on a fresh in-memory lab device, with ``setup`` configured."""
    device = IosDevice(host["name"], host)
    session = fd.login(device)
    assert isinstance(session, IosCliSession)
    if setup:
        session.handle("configure terminal")
        bad = fd.feed(session, setup)
        assert not bad, f"setup refused: {bad}"
        session.handle("end")
    return session


def commands() -> tuple[fd.Figure, fd.Figure]:
    """(commands, template fields) over every real capture of every command."""
    cmd_fig: list[fd.Figure] = []
    field_fig: list[fd.Figure] = []
    for folder, (command, host, setup) in COMMANDS.items():
        lab = lab_session(host, setup).handle(command)
        parsed = []
        for raw in sorted((NTC / folder).glob("*.raw")):
            if raw.name in VARIANTS:
                variant, variant_setup = VARIANTS[raw.name]
                output = lab_session(host, variant_setup).handle(variant)
                parsed.append(fd.compare_fields(PLATFORM, variant, fd.read(raw), output))
            else:
                parsed.append(fd.compare_fields(PLATFORM, command, fd.read(raw), lab))
        cmd_fig.append((min(p[0][0] for p in parsed), 1))
        field_fig.extend(p[1] for p in parsed)
    return fd.add(*cmd_fig), fd.add(*field_fig)


# --- real configuration lines --------------------------------------------------------------------
_NOT_CONFIG = re.compile(r"^(Building configuration|Current configuration|Using \d+ out of|"
                         r"!|end$|\s*$|\S+#|: )")


def config_lines(text: str) -> list[str]:
    """The configuration lines of a saved running-config, in order, banners as one line each."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if _NOT_CONFIG.match(line) or line.strip().startswith("!"):
            continue
        m = re.match(r"^banner (\S+) (\^C|\S)(.*)$", line)
        if m and m.group(2) not in m.group(3):
            while i < len(lines) and m.group(2) not in lines[i]:
                line += "\n" + lines[i].rstrip("\n")
                i += 1
            if i < len(lines):
                line += "\n" + lines[i].rstrip()
                i += 1
        out.append(line)
    return out


_IF_NAME = re.compile(r"^interface (\S+)")


def hardware_of(lines: list[str]) -> tuple[str, ...]:
    """Physical interfaces a real config names: the ports of the device it came from."""
    logical = ("Loopback", "Tunnel", "Vlan", "Port-channel", "BDI", "Virtual-", "Dialer", "NVI",
               "Null", "Multilink", "BVI")
    names = [m.group(1).split(".")[0] for m in map(_IF_NAME.match, lines) if m]
    return tuple(dict.fromkeys(n for n in names if not n.startswith(logical)))


def device_for(lines: list[str]) -> IosDevice:
    """A factory-fresh lab IOS device with the hardware a real configuration was taken from."""
    device = IosDevice("fidelity-r1", {**ROUTER, "name": "fidelity-r1"})
    ports = hardware_of(lines) or device.hardware.physical
    device.hardware = dataclasses.replace(device.hardware, physical=ports)
    device.root.children.clear()
    ensure_physical(device.root, ports)
    return device


_ACE = re.compile(r"^( +)\d+ ((?:permit|deny|remark)\b.*)$")


def _shown(running: str) -> set[str]:
    """Lines of a running-config; access-list entries also without the sequence number IOS-XE
    prints (IOS 15 configs list them without), which is the same entry."""
    out = set()
    for line in running.splitlines():
        out.add(line.rstrip())
        m = _ACE.match(line)
        if m:
            out.add(f"{m.group(1)}{m.group(2)}".rstrip())
    return out


def load_real(path: Path) -> tuple[list[str], list[tuple[str, str]], set[str]]:
    """Type a real configuration into a lab device: (its lines, refusals, lines shown after)."""
    lines = config_lines(fd.read(path))
    device = device_for(lines)
    session = fd.login(device)
    session.handle("configure terminal")
    bad = []
    for line in lines:
        for part_no, part in enumerate(line.split("\n")):
            answer = session.handle(part)
            if part_no == 0 and fd.is_error(answer):
                bad.append((line, answer))
    session.handle("end")
    return lines, bad, _shown(session.handle("show running-config"))


def real_lines(report: Callable[[str], None] | None = None) -> fd.Figure:
    """Lines of real configs accepted and shown back verbatim."""
    ok = total = 0
    for path in sorted(CONFIGS.glob("*.txt")):
        lines, bad, shown = load_real(path)
        refused = {line for line, _ in bad}
        for line in lines:
            total += 1
            first = line.split("\n")[0].rstrip()
            # "version N" is taken and replaced by the device's own version, as on a real device
            if line not in refused and (first in shown or first.startswith("version ")):
                ok += 1
            elif report:
                report(f"{path.name}: {'refused' if line in refused else 'not shown'}: {first!r}")
    return ok, total


# --- invalid lines -------------------------------------------------------------------------------
def _mask_breaks(line: str) -> Iterator[tuple[str, str]]:
    m = re.match(r"^(\s*ip address )(\S+) (\S+)(.*)$", line)
    if m and m.group(3).count(".") == 3:
        addr = ipaddress.IPv4Interface(f"{m.group(2)}/{m.group(3)}")
        yield f"{m.group(1)}{m.group(2)} 255.0.255.0{m.group(4)}", "Bad mask"
        if addr.network.prefixlen < 31:
            yield f"{m.group(1)}{addr.network.network_address} {m.group(3)}{m.group(4)}", "Bad mask"
    m = re.match(r"^(ip route (?:vrf \S+ )?)(\S+) (\S+)( .*)$", line)
    if m and m.group(3).count(".") == 3 and m.group(3) != "0.0.0.0":
        net = ipaddress.IPv4Network(f"{m.group(2)}/{m.group(3)}")
        host = net.network_address + 1
        yield f"{m.group(1)}{host} {m.group(3)}{m.group(4)}", "% Inconsistent address and mask"


def _truncations(line: str) -> Iterator[tuple[str, str]]:
    words = line.split()
    required = {"hostname": 2, "ip address": 4, "ip route": 5, "username": 3, "ntp server": 3,
                "logging host": 3, "snmp-server community": 3, "ip domain name": 4, "description": 2,
                "encapsulation dot1Q": 3, "ip access-group": 4, "exec-timeout": 2}
    for head, need in required.items():
        if line.strip().startswith(head + " ") and len(words) >= need:
            yield " ".join(words[:need - 1]), "% Incomplete command."


def _misspellings(line: str) -> Iterator[tuple[str, str]]:
    words = line.split()
    if len(words) >= 2 and words[0].isalpha() and len(words[0]) > 3 and words[0] not in ("no",):
        yield line.replace(words[0], words[0][:-1] + "q", 1), INVALID
    if len(words) >= 3 and words[0] == "ip" and words[1].isalpha() and len(words[1]) > 3:
        yield f"ip {words[1][:-1]}q {' '.join(words[2:])}", INVALID


def _ranges(line: str) -> Iterator[tuple[str, str]]:
    for rx, value in ((r"^(\s*exec-timeout )\d+", "99999"), (r"^(vlan )\d+$", "4095"),
                      (r"^(\s*encapsulation dot1Q )\d+", "4095"), (r"^(logging buffered )\d+", "100"),
                      (r"^(\s*privilege level )\d+", "16"), (r"^(username \S+ privilege )\d+", "16"),
                      (r"^(\s*ip tcp adjust-mss )\d+", "100"), (r"^(\s*load-interval )\d+", "700")):
        m = re.match(rx, line)
        if m:
            yield m.group(1) + value + line[m.end():], INVALID


def invalid_cases(lines: list[str]) -> list[tuple[str | None, str, str]]:
    """(section header or None, broken line, the error IOS prints) derived from real lines."""
    cases: list[tuple[str | None, str, str]] = []
    header: str | None = None
    ports = hardware_of(lines)
    for line in lines:
        if not line.startswith(" "):
            header = line if not line.startswith(("ip route", "hostname", "username")) else None
        ctx = header if line.startswith(" ") else None
        for maker in (_mask_breaks, _truncations, _misspellings, _ranges):
            for broken, error in maker(line):
                cases.append((ctx, broken.lstrip() if ctx is None else broken.strip(), error))
        m = _IF_NAME.match(line)
        if m and m.group(1).split(".")[0] in ports:
            kind = re.match(r"[A-Za-z-]+", m.group(1))
            if kind:
                cases.append((None, f"interface {kind.group()}9/9/9", INVALID))
        m = re.match(r"^router bgp (\d+)$", line)
        if m:
            cases.append((None, f"router bgp {int(m.group(1)) + 1}",
                          f"% BGP is already running; AS is {m.group(1)}"))
    return cases


def invalid_lines(report: Callable[[str], None] | None = None) -> fd.Figure:
    """Broken real lines the lab refuses with IOS's error text."""
    ok = total = 0
    for path in sorted(CONFIGS.glob("*.txt")):
        lines = config_lines(fd.read(path))
        device = device_for(lines)
        session = fd.login(device)
        session.handle("configure terminal")
        for line in lines:
            for part in line.split("\n"):
                session.handle(part)
        session.handle("end")
        for ctx, broken, error in dict.fromkeys(invalid_cases(lines)):
            session.handle("configure terminal")
            if ctx:
                session.handle(ctx)
            answer = session.handle(broken)
            session.handle("end")
            total += 1
            if error in answer:
                ok += 1
            elif report:
                report(f"{path.name}: accepted or wrong text: {ctx or ''} / {broken!r} -> {answer.strip()!r}")
    return ok, total


def measure() -> dict[str, fd.Figure]:
    """Every IOS figure; getters and commit-confirm run NAPALM over SSH against an in-process lab."""
    cmds, fields = commands()
    return {"getters": ios_getters.getters(), "commands": cmds, "template fields": fields,
            "real lines accepted": real_lines(), "invalid lines rejected": invalid_lines(),
            "commit-confirm": ios_getters.commit_confirm()}
