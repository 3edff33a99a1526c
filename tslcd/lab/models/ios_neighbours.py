"""Neighbours and reachability of the lab IOS device: CDP, LLDP, BGP, NTP, ping and traceroute.

Only the far end of a point-to-point link (the province's MPLS PE) and configured next hops
answer (``ios_state``); everything beyond them stays silent, as for a real device whose upstream
does not answer. Layouts follow real IOS-XE output (see ``ios_ops``).
"""

from __future__ import annotations

import ipaddress

from tslcd.lab.models import ios_state as st
from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_ops import has_line, short_name


def cdp_neighbours(device: IosDeviceView) -> list[tuple[st.Interface, ipaddress.IPv4Address]]:
    """Point-to-point links whose peer speaks CDP (CDP on globally and on the interface)."""
    if any(n.text == "no cdp run" for n in device.root.children):
        return []
    return [(i, i.peer()) for i in st.interfaces(device)  # type: ignore[misc]
            if i.up and i.peer() is not None and not has_line(i, "no cdp enable")]


def show_cdp_neighbors_detail(device: IosDeviceView) -> str:
    """``show cdp neighbors detail``: the provider edge router at the end of each WAN link."""
    if any(n.text == "no cdp run" for n in device.root.children):
        return "% CDP is not enabled\n"
    out = []
    for n, (iface, peer) in enumerate(cdp_neighbours(device)):
        out += ["-------------------------", f"Device ID: {st.PE_NAME}", "Entry address(es): ",
                f"  IP address: {peer}", f"Platform: {st.PE_PLATFORM},  Capabilities: Router IGMP ",
                f"Interface: {iface.name},  Port ID (outgoing port): GigabitEthernet0/1/{n}",
                "Holdtime : 158 sec", "", "Version :",
                "Cisco IOS Software [Amsterdam], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
                "Version 17.3.4a, RELEASE SOFTWARE (fc3)",
                "Technical Support: http://www.cisco.com/techsupport",
                "Copyright (c) 1986-2021 by Cisco Systems, Inc.",
                "Compiled Tue 20-Jul-21 04:59 by mcpre", "",
                "advertisement version: 2", "Duplex: full", "Management address(es): ",
                f"  IP address: {peer}", ""]
    out.append(f"\nTotal cdp entries displayed : {len(cdp_neighbours(device))}")
    return "\n".join(out) + "\n"


def lldp_enabled(device: IosDeviceView) -> bool:
    """``lldp run`` is configured (IOS-XE routers ship with LLDP off)."""
    return any(n.text == "lldp run" for n in device.root.children)


def show_lldp_neighbors(device: IosDeviceView) -> str:
    """``show lldp neighbors``."""
    if not lldp_enabled(device):
        return "% LLDP is not enabled\n"
    links = cdp_neighbours(device)
    lines = ["Capability codes:",
             "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
             "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other", "",
             "Device ID           Local Intf     Hold-time  Capability      Port ID"]
    lines += [f"{st.PE_NAME[:20]:<20}{short_name(i.name):<15}{120:<11}{'R':<16}Gi0/1/{n}"
              for n, (i, _) in enumerate(links)]
    lines += ["", f"Total entries displayed: {len(links)}"]
    return "\n".join(lines) + "\n"


def show_lldp_neighbors_detail(device: IosDeviceView) -> str:
    """``show lldp neighbors detail``."""
    if not lldp_enabled(device):
        return "% LLDP is not enabled\n"
    links = cdp_neighbours(device)
    out = []
    for n, (i, peer) in enumerate(links):
        out += ["------------------------------------------------",
                f"Local Intf: {short_name(i.name)}",
                f"Chassis id: {st.mac_for(st.PE_NAME, 'chassis')}",
                f"Port id: Gi0/1/{n}", f"Port Description: {i.description or 'WAN'}",
                f"System Name: {st.PE_NAME}", "", "System Description: ",
                "Cisco IOS Software [Amsterdam], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
                "Version 17.3.4a, RELEASE SOFTWARE (fc3)", "",
                "Time remaining: 104 seconds", "System Capabilities: B,R",
                "Enabled Capabilities: R", "Management Addresses:", f"    IP: {peer}",
                "Auto Negotiation - not supported",
                "Physical media capabilities - not advertised",
                "Media Attachment Unit type - not advertised", "Vlan ID: - not advertised", ""]
    out.append(f"\nTotal entries displayed: {len(links)}")
    return "\n".join(out) + "\n"


def show_ntp_associations(device: IosDeviceView) -> str:
    """``show ntp associations``: configured servers; only a reachable one is synchronised."""
    lines = ["", "  address         ref clock       st   when   poll reach  delay  offset   disp"]
    for n in device.root.children:
        w = n.text.split()
        if not n.text.startswith("ntp server "):
            continue
        addr = w[4] if w[2] == "vrf" else w[2]
        try:
            ip = ipaddress.IPv4Address(addr)
        except ValueError:
            continue
        reached = st.path(device, ip)
        if reached and reached[-1] == ip:
            lines.append(f"*~{addr:<15} {'.GPS.':<15} {1:>2}     54     64   377  1.186   0.122  0.659")
        else:
            lines.append(f" ~{addr:<15} {'.INIT.':<15} {16:>2}      -   1024     0  0.000   0.000 15937.")
    lines.append(" * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured")
    return "\n".join(lines) + "\n"


def ping(device: IosDeviceView, target: str, vrf: str | None, repeat: int, size: int, timeout: int) -> str:
    """``ping [vrf V] A [repeat N] [size N] [timeout N]``: answered only by what `ios_state` reaches."""
    try:
        ip = ipaddress.IPv4Address(target)
    except ValueError:
        return "% Unrecognized host or address, or protocol not running.\n"
    reached = st.path(device, ip, vrf)
    ok = reached is not None and bool(reached) and reached[-1] == ip
    head = (f"Type escape sequence to abort.\n"
            f"Sending {repeat}, {size}-byte ICMP Echos to {ip}, timeout is {timeout} seconds:\n")
    if ok:
        rtt = 1 if ip in st.own_addresses(device) else 2
        return head + "!" * repeat + (f"\nSuccess rate is 100 percent ({repeat}/{repeat}), "
                                      f"round-trip min/avg/max = {rtt}/{rtt}/{rtt + 1} ms\n")
    marks = "U.U.U" * (repeat // 5 + 1) if reached is None else "." * repeat
    return head + marks[:repeat] + f"\nSuccess rate is 0 percent (0/{repeat})\n"


def traceroute(device: IosDeviceView, target: str, vrf: str | None, max_ttl: int) -> str:
    """``traceroute [vrf V] A [ttl MIN MAX]``: hops that answer, then stars up to the maximum TTL."""
    try:
        ip = ipaddress.IPv4Address(target)
    except ValueError:
        return "% Unrecognized host or address, or protocol not running.\n"
    lines = ["Type escape sequence to abort.", f"Tracing the route to {ip}",
             "VRF info: (vrf in name/id, vrf out name/id)"]
    reached = st.path(device, ip, vrf) or []
    for n, hop in enumerate(reached, start=1):
        lines.append(f"{n:>3} {hop} {n} msec {n} msec {n + 1} msec")
    if not reached or reached[-1] != ip:
        lines += [f"{n:>3}  *  *  * " for n in range(len(reached) + 1, max_ttl + 1)]
    return "\n".join(lines) + "\n"



def bgp(device: IosDeviceView) -> tuple[str, str, list[tuple[str, str, str | None, bool]]] | None:
    """(local AS, router id, [(neighbour, remote AS, description, established)]); None: no BGP."""
    node = next((n for n in device.root.children if n.text.startswith("router bgp ")), None)
    if node is None:
        return None
    asn = node.text.split()[2]
    rid = next((c.text.split()[-1] for c in node.children if c.text.startswith("bgp router-id ")), None)
    if rid is None:
        own = sorted(st.own_addresses(device), reverse=True)
        rid = str(own[0]) if own else "0.0.0.0"
    peers: dict[str, list[str | None]] = {}
    for c in node.children:
        w = c.text.split()
        if w[0] == "neighbor" and len(w) >= 4 and w[2] == "remote-as":
            peers.setdefault(w[1], [None, None, None])[0] = w[3]
        elif w[0] == "neighbor" and len(w) >= 4 and w[2] == "description":
            peers.setdefault(w[1], [None, None, None])[1] = " ".join(w[3:])
        elif w[0] == "neighbor" and len(w) == 3 and w[2] == "shutdown":
            peers.setdefault(w[1], [None, None, None])[2] = "shutdown"
    out = []
    for addr, (remote, desc, shut) in peers.items():
        if remote is None:
            continue
        try:
            ip = ipaddress.IPv4Address(addr)
        except ValueError:
            continue
        up = shut is None and ip in st.neighbours(device)
        out.append((addr, remote, desc, up))
    return asn, rid, out


def show_bgp_summary(device: IosDeviceView, all_families: bool) -> str:
    """``show bgp all summary``: ``% BGP not active`` without a BGP process, as on IOS."""
    info = bgp(device)
    if info is None:
        return "% BGP not active\n\n"
    asn, rid, peers = info
    lines = (["For address family: IPv4 Unicast"] if all_families else []) + [
        f"BGP router identifier {rid}, local AS number {asn}",
        "BGP table version is 3, main routing table version 3",
        "2 network entries using 496 bytes of memory",
        "2 path entries using 272 bytes of memory",
        "BGP using 1032 total bytes of memory",
        "BGP activity 2/0 prefixes, 2/0 paths, scan interval 60 secs", "",
        "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"]
    for addr, remote, _, up in peers:
        state = "2" if up else "Idle" if remote == "shutdown" else "Active"
        when = "1d02h" if up else "never"
        lines.append(f"{addr:<15} 4 {remote:>12} {1620 if up else 0:>7} {1618 if up else 0:>7} "
                     f"{3 if up else 1:>8} {0:>4} {0:>4} {when:<8} {state:>8}")
    return "\n".join(lines) + "\n"


def show_bgp_neighbors(device: IosDeviceView) -> str:
    """``show bgp ipv4 unicast neighbors``: one block per configured neighbour."""
    info = bgp(device)
    if info is None:
        return "% BGP not active\n"
    asn, _, peers = info
    out: list[str] = []
    for addr, remote, desc, up in peers:
        kind = "internal" if remote == asn else "external"
        out.append(f"BGP neighbor is {addr},  remote AS {remote}, {kind} link")
        if desc:
            out.append(f" Description: {desc}")
        out += [f"  BGP version 4, remote router ID {addr if up else '0.0.0.0'}",
                f"  BGP state = {'Established, up for 1d02h' if up else 'Active'}",
                "  Last read 00:00:08, last write 00:00:01, hold time is 180, keepalive interval is "
                "60 seconds",
                "", " For address family: IPv4 Unicast",
                f"  Session: {addr}",
                "  BGP table version 3, neighbor version 3/0",
                "  Output queue size : 0",
                "                                 Sent       Rcvd",
                "  Prefix activity:               ----       ----",
                f"    Prefixes Current:               {1 if up else 0}          {1 if up else 0} "
                "(Consumes 136 bytes)",
                f"    Prefixes Total:                 {1 if up else 0}          {1 if up else 0}",
                "                                   Outbound    Inbound",
                "  Local Policy Denied Prefixes:    --------    -------",
                "    Total:                                0          0",
                "  Number of NLRIs in the update sent: max 1, min 0",
                "", f"  Connections established {1 if up else 0}; dropped 0",
                "  Last reset never", ""]
    return "\n".join(out) + "\n"
