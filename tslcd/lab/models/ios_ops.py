"""Operational show commands of the lab IOS device, in the layouts real IOS-XE prints.

The layouts follow real device output (ntc-templates' test captures and NAPALM's mocked data,
see ``tests/lab/conformance``) closely enough for the same templates and NAPALM getters to read
them; the contents follow from the device's configuration through `ios_state`.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from tslcd.lab.models import ios_state as st
from tslcd.lab.models.ios_initial import serial_number

if TYPE_CHECKING:
    from tslcd.lab.models.ios import IosDevice


def short_name(name: str) -> str:
    """``GigabitEthernet0/0/1`` -> ``Gi0/0/1`` (CDP, LLDP, VLAN and VRF tables abbreviate)."""
    for long, short in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"),
                        ("FastEthernet", "Fa"), ("Port-channel", "Po"), ("Loopback", "Lo"),
                        ("Tunnel", "Tu"), ("Vlan", "Vl")):
        if name.startswith(long):
            return short + name[len(long):]
    return name


def _counters(device: IosDevice, iface: st.Interface) -> tuple[int, int, int, int]:
    """Packets/bytes in and out: grow with the device's uptime, zero while shut down."""
    if not iface.up:
        return 0, 0, 0, 0
    seconds = int(device.uptime_seconds())
    seed = int(iface.mac.replace(".", "")[-4:], 16) % 7 + 1
    pkts_in, pkts_out = seconds * seed, seconds * seed + seconds // 3
    return pkts_in, pkts_in * 412, pkts_out, pkts_out * 388


def _hardware(device: IosDevice, name: str) -> str:
    if name.startswith("Loopback"):
        return "Loopback"
    if name.startswith("Vlan"):
        return "Ethernet SVI"
    model = device.hardware.model.split("/")[0]
    if name == "GigabitEthernet0" or name == "GigabitEthernet0/0":
        return "RP management port"
    return f"{model}-3x1GE" if model.startswith("ISR") else "Gigabit Ethernet"


def show_interfaces(device: IosDevice, wanted: str | None) -> str | None:
    """``show interfaces [IF]`` with the counter block NAPALM's counters getter reads."""
    out: list[str] = []
    for i in st.interfaces(device):
        if wanted and i.name != wanted:
            continue
        state = "administratively down" if i.shutdown else "up"
        proto = "down" if i.shutdown else "up"
        loop = i.name.startswith("Loopback")
        out.append(f"{i.name} is {state}, line protocol is {proto} ")
        out.append(f"  Hardware is {_hardware(device, i.name)}"
                   + ("" if loop else f", address is {i.mac} (bia {i.mac})"))
        if i.description:
            out.append(f"  Description: {i.description}")
        if i.address:
            out.append(f"  Internet address is {i.address.ip}/{i.address.network.prefixlen}")
        bw, dly = (8000000, 5000) if loop else (1000000, 10)
        pin, bin_, pout, bout = _counters(device, i)
        out += [f"  MTU {1514 if loop else 1500} bytes, BW {bw} Kbit/sec, DLY {dly} usec, ",
                "     reliability 255/255, txload 1/255, rxload 1/255",
                f"  Encapsulation {'LOOPBACK' if loop else 'ARPA'}, loopback not set"]
        if loop:
            out.append("  Keepalive set (10 sec)")
        else:
            out += ["  Keepalive not supported ",
                    "  Full Duplex, 1000Mbps, link type is auto, media type is RJ45",
                    "  output flow-control is off, input flow-control is off",
                    "  ARP type: ARPA, ARP Timeout 04:00:00"]
        last = "never" if i.shutdown else "00:00:00"
        out += [f"  Last input {last}, output {last}, output hang never",
                "  Last clearing of \"show interface\" counters never",
                "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
                "  Queueing strategy: fifo",
                "  Output queue: 0/40 (size/max)",
                "  5 minute input rate 0 bits/sec, 0 packets/sec",
                "  5 minute output rate 0 bits/sec, 0 packets/sec",
                f"     {pin} packets input, {bin_} bytes, 0 no buffer",
                f"     Received {pin // 50} broadcasts (0 IP multicasts)",
                "     0 runts, 0 giants, 0 throttles ",
                "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
                "     0 watchdog, 0 multicast, 0 pause input",
                f"     {pout} packets output, {bout} bytes, 0 underruns",
                "     Output 0 broadcasts (0 IP multicasts)",
                "     0 output errors, 0 collisions, 0 interface resets",
                "     0 unknown protocol drops",
                "     0 babbles, 0 late collision, 0 deferred",
                "     0 lost carrier, 0 no carrier, 0 pause output",
                "     0 output buffer failures, 0 output buffers swapped out"]
    if wanted and not out:
        return None
    return "\n".join(out) + "\n"


def show_interface_summary(device: IosDevice) -> str:
    """``show interface summary``: the queue-drop table NAPALM reads discards from."""
    lines = ["", " *: interface is up",
             " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
             " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
             " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
             " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
             " TRTL: throttle count", "",
             "  Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS"
             "      TXBS      TXPS      TRTL",
             "-" * 113]
    for i in st.interfaces(device):
        mark = "*" if i.up else " "
        lines.append(f"{mark} {i.name:<26}" + "".join(f"{0:>10}" for _ in range(9)))
    return "\n".join(lines) + "\n"


def show_ip_interface(device: IosDevice, brief_names: bool = False) -> str:
    """``show ip interface``: addresses, MTU, ACLs per interface (NAPALM's get_interfaces_ip)."""
    out: list[str] = []
    for i in st.interfaces(device):
        state = "administratively down" if i.shutdown else "up"
        out.append(f"{i.name} is {state}, line protocol is {'down' if i.shutdown else 'up'}")
        if i.address is None:
            out.append("  Internet protocol processing disabled")
            continue
        acl = {d: next((c.text.split()[2] for c in i.node.children
                        if c.text.startswith("ip access-group ") and c.text.endswith(" " + d)), None)
               for d in ("in", "out")}
        helper = [c.text.split()[2] for c in i.node.children if c.text.startswith("ip helper-address ")]
        out += [f"  Internet address is {i.address.ip}/{i.address.network.prefixlen}",
                "  Broadcast address is 255.255.255.255",
                "  Address determined by non-volatile memory"]
        out += [f"  Secondary address {a.ip}/{a.network.prefixlen}" for a in i.secondaries]
        out += [f"  MTU is {1514 if i.name.startswith('Loopback') else 1500} bytes",
                f"  Helper address is {helper[0] if helper else 'not set'}",
                "  Directed broadcast forwarding is disabled",
                "  Outgoing Common access list is not set",
                f"  Outgoing access list is {acl['out'] or 'not set'}",
                "  Inbound Common access list is not set",
                f"  Inbound  access list is {acl['in'] or 'not set'}",
                f"  Proxy ARP is {'disabled' if _has(i, 'no ip proxy-arp') else 'enabled'}",
                "  Local Proxy ARP is disabled",
                "  Security level is default",
                "  Split horizon is enabled",
                f"  ICMP redirects are {'never' if _has(i, 'no ip redirects') else 'always'} sent",
                f"  ICMP unreachables are {'never' if _has(i, 'no ip unreachables') else 'always'} sent",
                "  ICMP mask replies are never sent",
                "  IP fast switching is enabled",
                "  IP Flow switching is disabled",
                "  IP CEF switching is enabled",
                "  IP CEF switching turbo vector",
                "  IP Null turbo vector",
                "  Associated unicast routing topologies:",
                "        Topology \"base\", operation state is " + ("DOWN" if i.shutdown else "UP"),
                "  IP multicast fast switching is enabled",
                "  IP multicast distributed fast switching is disabled",
                "  IP route-cache flags are Fast, CEF",
                "  Router Discovery is disabled",
                "  IP output packet accounting is disabled",
                "  IP access violation accounting is disabled",
                "  TCP/IP header compression is disabled",
                "  RTP/IP header compression is disabled",
                "  Probe proxy name replies are disabled",
                "  Policy routing is disabled",
                "  Network address translation is disabled",
                "  BGP Policy Mapping is disabled",
                "  Input features: MCI Check",
                "  IPv4 WCCP Redirect outbound is disabled",
                "  IPv4 WCCP Redirect inbound is disabled",
                "  IPv4 WCCP Redirect exclude is disabled"]
        if i.vrf:
            out.insert(out.index("  Network address translation is disabled", len(out) - 12),
                       f"  VPN Routing/Forwarding \"{i.vrf}\"")
    return "\n".join(out) + "\n"


def _has(iface: st.Interface, text: str) -> bool:
    return any(c.text == text for c in iface.node.children)


def show_ipv6_interface(device: IosDevice) -> str:
    """``show ipv6 interface``: interfaces with IPv6 enabled (none prints nothing, as on IOS)."""
    out: list[str] = []
    for i in st.interfaces(device):
        v6 = [c.text.split()[2] for c in i.node.children if c.text.startswith("ipv6 address ")
              and "/" in c.text]
        if not v6 and not _has(i, "ipv6 enable"):
            continue
        mac = i.mac.replace(".", "")
        eui = f"FE80::2{mac[1:4].upper()}:{mac[4:6].upper()}FF:FE{mac[6:8].upper()}:{mac[8:].upper()}"
        out += [f"{i.name} is {'administratively down' if i.shutdown else 'up'}, "
                f"line protocol is {'down' if i.shutdown else 'up'}",
                f"  IPv6 is enabled, link-local address is {eui} ",
                "  No Virtual link-local address(es):"]
        if v6:
            out.append("  Global unicast address(es):")
            for a in v6:
                net = ipaddress.IPv6Interface(a)
                out.append(f"    {str(net.ip).upper()}, subnet is {str(net.network).upper()} ")
        out += ["  Joined group address(es):", "    FF02::1", "  MTU is 1500 bytes"]
    return "\n".join(out) + "\n" if out else ""


def show_arp(device: IosDevice, vrf: str | None = None) -> str:
    """``show arp`` / ``show ip arp``: own addresses (age ``-``) and neighbours that answered."""
    rows = []
    for addr, iface in st.own_addresses(device).items():
        if iface.vrf == vrf and not iface.name.startswith("Loopback"):
            rows.append((addr, "-", iface.mac, iface.name))
    for addr, (iface, mac) in st.neighbours(device).items():
        if iface.vrf == vrf:
            rows.append((addr, str(int(device.uptime_seconds()) // 60 % 240), mac, iface.name))
    rows.sort(key=lambda r: r[0])
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    lines += [f"Internet  {a!s:<15} {age:>5}   {mac}  ARPA   {name}" for a, age, mac, name in rows]
    return "\n".join(lines) + "\n"


_ROUTE_CODES = """Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area\x20
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2, m - OMP
       n - NAT, Ni - NAT inside, No - NAT outside, Nd - NAT DIA
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       H - NHRP, G - NHRP registered, g - NHRP registration summary
       o - ODR, P - periodic downloaded static route, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR
       & - replicated local route overrides by connected
"""


def show_ip_route(device: IosDevice, vrf: str | None = None) -> str:
    """``show ip route [vrf NAME]``: the table, grouped by classful network as IOS prints it."""
    table = [r for r in st.routes(device) if r.vrf == vrf]
    default = next((r for r in table if r.network.prefixlen == 0), None)
    head = _ROUTE_CODES + "\n"
    if vrf:
        head = f"\nRouting Table: {vrf}\n" + head
    if default is not None and default.next_hop is not None:
        head += f"Gateway of last resort is {default.next_hop} to network 0.0.0.0\n\n"
    else:
        head += "Gateway of last resort is not set\n\n"
    lines: list[str] = []
    if default is not None:
        lines.append(_route_line(default, "S*"))
    groups: dict[ipaddress.IPv4Network, list[st.Route]] = {}
    for r in table:
        if r.network.prefixlen == 0:
            continue
        first = r.network.network_address.packed[0]
        classful = 8 if first < 128 else 16 if first < 192 else 24
        major = ipaddress.IPv4Network(f"{r.network.network_address}/{classful}", strict=False)
        groups.setdefault(major, []).append(r)
    for major in sorted(groups):
        entries = sorted(groups[major], key=lambda r: (r.network.network_address, r.network.prefixlen))
        masks = {r.network.prefixlen for r in entries}
        if len(masks) > 1:
            lines.append(f"      {major} is variably subnetted, {len(entries)} subnets, {len(masks)} masks")
        elif entries[0].network.prefixlen > major.prefixlen:
            lines.append(f"      {major.network_address}/{entries[0].network.prefixlen} is subnetted, "
                         f"{len(entries)} subnet{'s' if len(entries) > 1 else ''}")
        lines += [_route_line(r, r.code, len(masks) == 1 and r.network.prefixlen > major.prefixlen)
                  for r in entries]
    return head + "\n".join(lines) + ("\n" if lines else "")


def _route_line(r: st.Route, code: str, bare: bool = False) -> str:
    net = str(r.network.network_address) if bare else str(r.network)
    if r.code in ("C", "L"):
        return f"{code:<9}{net} is directly connected, {r.interface}"
    if r.next_hop is None:
        return f"{code:<9}{net} is directly connected, {r.interface}"
    return f"{code:<9}{net} [{r.distance}/{r.metric}] via {r.next_hop}"


def show_ip_route_entry(device: IosDevice, address: str, mask: str | None,
                        vrf: str | None = None) -> str:
    """``show ip route [vrf V] A [M]``: the routing entry NAPALM's get_route_to reads."""
    try:
        target = ipaddress.IPv4Network(f"{address}/{mask or 32}", strict=mask is not None)
    except ValueError:
        return "%Inconsistent address and mask\n"
    table = [r for r in st.routes(device) if r.vrf == vrf]
    if mask is not None:
        hit = next((r for r in table if r.network == target and r.code != "L"), None)
        hit = hit or next((r for r in table if r.network == target), None)
    else:
        hit = st.lookup(device, target.network_address, vrf)
    if hit is None:
        return ("% Network not in table\n" if mask is not None else "% Subnet not in table\n")
    net = hit.network
    supernet = ", supernet" if net.prefixlen < 8 else ""
    name = {"C": "connected", "L": "connected", "S": "static"}[hit.code]
    lines = [f"Routing entry for {net}{supernet}"]
    if hit.code == "S":
        default = ", candidate default path" if net.prefixlen == 0 else ""
        lines += [f"  Known via \"static\", distance {hit.distance}, metric 0{default}",
                  "  Routing Descriptor Blocks:"]
        if hit.next_hop is not None:
            lines.append(f"  * {hit.next_hop}")
        else:
            lines.append(f"  * directly connected, via {hit.interface}")
    else:
        lines += [f"  Known via \"{name}\", distance 0, metric 0 (connected, via interface)",
                  "  Routing Descriptor Blocks:",
                  f"  * directly connected, via {hit.interface}"]
    lines.append("      Route metric is 0, traffic share count is 1")
    return "\n".join(lines) + "\n"


def show_vrf(device: IosDevice) -> str:
    """``show vrf``: name, RD, protocols, interfaces (empty output when no VRF exists)."""
    vrfs = st.vrfs(device)
    if not vrfs:
        return ""
    members = _vrf_members(device)
    lines = ["  Name                             Default RD            Protocols   Interfaces"]
    for name, rd, afs in vrfs:
        ifs = members.get(name, [])
        first = short_name(ifs[0]) if ifs else ""
        lines.append(f"  {name:<32} {rd or '<not set>':<21} {','.join(afs) or '':<11} {first}".rstrip())
        lines += [" " * 69 + short_name(n) for n in ifs[1:]]
    return "\n".join(lines) + "\n"


def show_ip_vrf(device: IosDevice) -> str:
    """``show ip vrf`` (IPv4 VRFs only)."""
    vrfs = [v for v in st.vrfs(device) if "ipv4" in v[2]]
    if not vrfs:
        return ""
    members = _vrf_members(device)
    lines = ["  Name                             Default RD            Interfaces"]
    for name, rd, _ in vrfs:
        ifs = members.get(name, [])
        lines.append(f"  {name:<32} {rd or '<not set>':<21} {short_name(ifs[0]) if ifs else ''}".rstrip())
        lines += [" " * 57 + short_name(n) for n in ifs[1:]]
    return "\n".join(lines) + "\n"


def _vrf_members(device: IosDevice) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for i in st.interfaces(device):
        if i.vrf:
            members.setdefault(i.vrf, []).append(i.name)
    return members


def show_vrf_detail(device: IosDevice) -> str:
    """``show vrf detail``: blocks separated by a blank line (NAPALM's get_network_instances)."""
    members = _vrf_members(device)
    blocks = []
    for n, (name, rd, afs) in enumerate(st.vrfs(device), start=1):
        ifs = members.get(name, [])
        lines = [f"VRF {name} (VRF Id = {n}); default RD {rd or '<not set>'}; default VPNID <not set>",
                 "  New CLI format, supports multiple address-families",
                 "  Flags: 0x180C"]
        if ifs:
            lines += ["  Interfaces:"] + [f"    {short_name(i)}" for i in ifs]
        else:
            lines.append("  No interfaces")
        for af in ("ipv4", "ipv6"):
            if af in afs:
                lines += [f"Address family {af} unicast (Table ID = 0x{n:X}):", "  Flags: 0x0",
                          "  No Export VPN route-target communities",
                          "  No Import VPN route-target communities", "  No import route-map",
                          "  No global export route-map", "  No export route-map",
                          "  VRF label distribution protocol: not configured",
                          "  VRF label allocation mode: per-prefix"]
            else:
                lines.append(f"Address family {af} unicast not active")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def show_proc_cpu(device: IosDevice) -> str:
    """``show processes cpu``: the utilisation line and a few processes."""
    procs = [(1, 10, 193, 51, "Chunk Manager"), (2, 5032, 3335727, 1, "Load Meter"),
             (3, 0, 1, 0, "Connection Mgr"), (4, 134047, 7159038, 18, "Check heaps"),
             (5, 333, 277978, 1, "Pool Manager"), (12, 356620, 1375208, 259, "ARP Input"),
             (88, 4120, 55873, 73, "SSH Process")]
    lines = ["CPU utilization for five seconds: 3%/0%; one minute: 2%; five minutes: 2%",
             " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process "]
    lines += [f"{pid:>4}{rt:>12}{inv:>12}{us:>11}  0.00%  0.00%  0.00%   0 {name:<16} "
              for pid, rt, inv, us, name in procs]
    return "\n".join(lines) + "\n"


def show_memory_statistics(device: IosDevice) -> str:
    """``show memory statistics``: processor and I/O pools."""
    return ("                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
            "Processor  7F2D5A8010   1838983552   312894816  1526088736  1482736944  1524615180\n"
            "      I/O  7F2E1C1000     6291456     2475392     3816064     3807360     3813212\n")


def show_env_temperature(device: IosDevice) -> str:
    """``show env temperature status``."""
    return ("System Temperature Value: 38 Degree Celsius\n"
            "System Temperature State: GREEN\n"
            "Yellow Threshold : 88 Degree Celsius\n"
            "Red Threshold    : 93 Degree Celsius\n")


def show_inventory(device: IosDevice) -> str:
    """``show inventory``: chassis, power supply and built-in ports."""
    hw = device.hardware
    pid = hw.model
    sn = serial_number(device.name)
    rows = [("Chassis", f"Cisco {pid.split('/')[0]} Chassis", pid, "V04", sn)]
    if pid.startswith("ISR"):
        rows += [("Power Supply Module 0", "250W AC Power Supply for Cisco ISR 4330", "PWR-4330-AC",
                  "V02", "PST" + sn[3:]),
                 ("module 0", f"Cisco {pid.split('/')[0]} Built-In NIM controller", pid, "", ""),
                 ("NIM subslot 0/0", "Front Panel 3 ports Gigabitethernet Module", "ISR4331-3x1GE",
                  "V01", ""),
                 ("module R0", f"Cisco {pid.split('/')[0]} Route Processor", pid, "V04", "FOC" + sn[3:]),
                 ("module F0", f"Cisco {pid.split('/')[0]} Forwarding Processor", pid, "", "")]
    else:
        rows += [("Switch 1", "C9300-24T", pid, "V02", sn),
                 ("Switch 1 - Power Supply A", "Switch 1 - Power Supply A", "PWR-C1-350WAC-P",
                  "V01", "DCC" + sn[3:])]
    out = []
    for name, descr, p, vid, serial in rows:
        out += [f"NAME: \"{name}\", DESCR: \"{descr}\"",
                f"PID: {p:<18}, VID: {vid:<5}, SN: {serial}", ""]
    return "\n".join(out) + "\n"


def cdp_neighbours(device: IosDevice) -> list[tuple[st.Interface, ipaddress.IPv4Address]]:
    """Point-to-point links whose peer speaks CDP (CDP on globally and on the interface)."""
    if any(n.text == "no cdp run" for n in device.root.children):
        return []
    return [(i, i.peer()) for i in st.interfaces(device)  # type: ignore[misc]
            if i.up and i.peer() is not None and not _has(i, "no cdp enable")]


def show_cdp_neighbors_detail(device: IosDevice) -> str:
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


def lldp_enabled(device: IosDevice) -> bool:
    """``lldp run`` is configured (IOS-XE routers ship with LLDP off)."""
    return any(n.text == "lldp run" for n in device.root.children)


def show_lldp_neighbors(device: IosDevice) -> str:
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


def show_lldp_neighbors_detail(device: IosDevice) -> str:
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


def show_vlan_brief(device: IosDevice) -> str | None:
    """``show vlan brief`` (switches only; None on a router, where the command does not exist)."""
    if not device.hardware.model.startswith("C9"):
        return None
    vlans: dict[int, tuple[str, list[str]]] = {1: ("default", [])}
    for n in device.root.children:
        if n.mode == "vlan":
            name = next((c.text.split(None, 1)[1] for c in n.children if c.text.startswith("name ")),
                        f"VLAN{int(n.text.split()[1]):04d}")
            vlans[int(n.text.split()[1])] = (name, [])
    for i in st.interfaces(device):
        if not i.name.startswith("GigabitEthernet1/"):
            continue
        w = next((c.text.split() for c in i.node.children if c.text.startswith("switchport access vlan ")),
                 None)
        trunk = _has(i, "switchport mode trunk")
        if not trunk:
            vid = int(w[-1]) if w else 1
            vlans.setdefault(vid, (f"VLAN{vid:04d}", []))[1].append(short_name(i.name))
    lines = ["", "VLAN Name                             Status    Ports",
             "---- -------------------------------- --------- -------------------------------"]
    for vid in sorted(vlans):
        name, ports = vlans[vid]
        chunks = [", ".join(ports[k:k + 4]) for k in range(0, len(ports), 4)] or [""]
        lines.append(f"{vid:<4} {name[:32]:<32} {'active':<9} {chunks[0]}".rstrip())
        lines += [" " * 48 + c for c in chunks[1:]]
    for vid, name in ((1002, "fddi-default"), (1003, "token-ring-default"), (1004, "fddinet-default"),
                      (1005, "trnet-default")):
        lines.append(f"{vid:<4} {name:<32} act/unsup ")
    return "\n".join(lines) + "\n"


def show_logging(device: IosDevice) -> str:
    """``show logging``: settings from the configuration, then the log buffer."""
    cfg = [n.text for n in device.root.children]
    buffered = next((t for t in cfg if t.startswith("logging buffered")), None)
    size = buffered.split()[2] if buffered and len(buffered.split()) > 2 and buffered.split()[2].isdigit() \
        else "8192"
    hosts = [t.split()[-1] for t in cfg if t.startswith("logging host ")]
    src = next((t.split()[2] for t in cfg if t.startswith("logging source-interface ")), "")
    messages = device.log_buffer()
    console = ("disabled" if "no logging console" in cfg
               else "level debugging, 0 messages logged, xml disabled,")
    lines = ["Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, "
             "0 overruns, xml disabled, filtering disabled)", "",
             "No Active Message Discriminator.", "", "", "", "No Inactive Message Discriminator.", "", "",
             f"    Console logging: {console}",
             "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
             "                     filtering disabled",
             f"    Buffer logging:  level informational, {len(messages)} messages logged, xml disabled,",
             "                    filtering disabled",
             "    Exception Logging: size (4096 bytes)",
             "    Count and timestamp logging messages: disabled",
             "    Persistent logging: disabled", "", "No active filter modules.", "",
             f"    Trap logging: level informational, {len(messages)} message lines logged"]
    for h in hosts:
        lines += [f"        Logging to {h}  (udp port 514, audit disabled,", "              link up),",
                  f"              {len(messages)} message lines logged,",
                  "              0 message lines rate-limited,",
                  "              0 message lines dropped-by-MD,",
                  "              xml disabled, sequence number disabled",
                  "              filtering disabled"]
    lines.append("        Logging Source-Interface:       VRF Name:")
    if src:
        lines.append(f"        {src:<32}")
    lines += ["", f"Log Buffer ({size} bytes):", "", *messages]
    return "\n".join(lines) + "\n"


def show_users(device: IosDevice, username: str, line_no: int, peer: str) -> str:
    """``show users``: this login on its vty line."""
    return ("    Line       User       Host(s)              Idle       Location\n"
            f"*{line_no:>3} vty {line_no - 866:<5} {username:<10} idle                 00:00:00 {peer}\n"
            "\n  Interface    User               Mode         Idle     Peer Address\n\n")


def show_snmp_chassis(device: IosDevice) -> str:
    """``show snmp chassis``: the configured chassis-id, else the serial number."""
    configured = next((n.text.split(None, 2)[2] for n in device.root.children
                       if n.text.startswith("snmp-server chassis-id ")), None)
    return (configured or serial_number(device.name)) + "\n"


def show_ntp_associations(device: IosDevice) -> str:
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


def ping(device: IosDevice, target: str, vrf: str | None, repeat: int, size: int, timeout: int) -> str:
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


def traceroute(device: IosDevice, target: str, vrf: str | None, max_ttl: int) -> str:
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



def bgp(device: IosDevice) -> tuple[str, str, list[tuple[str, str, str | None, bool]]] | None:
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


def show_bgp_summary(device: IosDevice, all_families: bool) -> str:
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


def show_bgp_neighbors(device: IosDevice) -> str:
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
                "", f"  Connections established {1 if up else 0}; dropped 0",
                "  Last reset never", ""]
    return "\n".join(out) + "\n"
