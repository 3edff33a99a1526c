"""Operational show commands of the lab IOS device, in the layouts real IOS-XE prints.

The layouts follow real device output (ntc-templates' test captures and NAPALM's mocked data,
see ``tests/lab/conformance``) closely enough for the same templates and NAPALM getters to read
them; the contents follow from the device's configuration through `ios_state`.
"""

from __future__ import annotations

import ipaddress

from tslcd.lab.models import ios_state as st
from tslcd.lab.models.ios_api import IosDeviceView


def short_name(name: str) -> str:
    """``GigabitEthernet0/0/1`` -> ``Gi0/0/1`` (CDP, LLDP, VLAN and VRF tables abbreviate)."""
    for long, short in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"),
                        ("FastEthernet", "Fa"), ("Port-channel", "Po"), ("Loopback", "Lo"),
                        ("Tunnel", "Tu"), ("Vlan", "Vl")):
        if name.startswith(long):
            return short + name[len(long):]
    return name


def _counters(device: IosDeviceView, iface: st.Interface) -> tuple[int, int, int, int]:
    """Packets/bytes in and out: grow with the device's uptime, zero while shut down."""
    if not iface.up:
        return 0, 0, 0, 0
    seconds = int(device.uptime_seconds())
    seed = int(iface.mac.replace(".", "")[-4:], 16) % 7 + 1
    pkts_in, pkts_out = seconds * seed, seconds * seed + seconds // 3
    return pkts_in, pkts_in * 412, pkts_out, pkts_out * 388


def _hardware(device: IosDeviceView, name: str) -> str:
    if name.startswith("Loopback"):
        return "Loopback"
    if name.startswith("Vlan"):
        return "Ethernet SVI"
    model = device.hardware.model.split("/")[0]
    if name == "GigabitEthernet0" or name == "GigabitEthernet0/0":
        return "RP management port"
    return f"{model}-3x1GE" if model.startswith("ISR") else "Gigabit Ethernet"


def show_interfaces(device: IosDeviceView, wanted: str | None) -> str | None:
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
        dot1q = next((c.text.split()[2] for c in i.node.children
                      if c.text.startswith("encapsulation dot1Q ")), None)
        encapsulation = ("LOOPBACK" if loop else f"802.1Q Virtual LAN, Vlan ID  {dot1q}." if dot1q
                         else "ARPA")
        out += [f"  MTU {1514 if loop else 1500} bytes, BW {bw} Kbit/sec, DLY {dly} usec, ",
                "     reliability 255/255, txload 1/255, rxload 1/255",
                f"  Encapsulation {encapsulation}, loopback not set"]
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


def show_interface_summary(device: IosDeviceView) -> str:
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


def show_ip_interface(device: IosDeviceView, wanted: str | None = None) -> str | None:
    """``show ip interface [IF]``: addresses, MTU, ACLs per interface (NAPALM's get_interfaces_ip);
    None when the device has no interface ``wanted``."""
    out: list[str] = []
    for i in st.interfaces(device):
        if wanted and i.name != wanted:
            continue
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
                f"  Proxy ARP is {'disabled' if has_line(i, 'no ip proxy-arp') else 'enabled'}",
                "  Local Proxy ARP is disabled",
                "  Security level is default",
                "  Split horizon is enabled",
                f"  ICMP redirects are {'never' if has_line(i, 'no ip redirects') else 'always'} sent",
                f"  ICMP unreachables are {'never' if has_line(i, 'no ip unreachables') else 'always'} sent",
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
    if wanted and not out:
        return None
    return "\n".join(out) + "\n"


def has_line(iface: st.Interface, text: str) -> bool:
    return any(c.text == text for c in iface.node.children)


def show_ipv6_interface(device: IosDeviceView) -> str:
    """``show ipv6 interface``: interfaces with IPv6 enabled (none prints nothing, as on IOS)."""
    out: list[str] = []
    for i in st.interfaces(device):
        v6 = [c.text.split()[2] for c in i.node.children if c.text.startswith("ipv6 address ")
              and "/" in c.text]
        if not v6 and not has_line(i, "ipv6 enable"):
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


def show_arp(device: IosDeviceView, vrf: str | None = None) -> str:
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


def show_ip_route(device: IosDeviceView, vrf: str | None = None) -> str:
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


def show_ip_route_entry(device: IosDeviceView, address: str, mask: str | None,
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


def show_vrf(device: IosDeviceView, ipv4_only: bool = False) -> str:
    """``show vrf`` (name, RD, protocols, interfaces) or ``show ip vrf`` (IPv4 VRFs, no protocols);
    empty output when no VRF exists."""
    vrfs = [v for v in st.vrfs(device) if not ipv4_only or "ipv4" in v[2]]
    if not vrfs:
        return ""
    members = _vrf_members(device)
    protocols = "" if ipv4_only else "Protocols   "
    lines = [f"  Name                             Default RD            {protocols}Interfaces"]
    for name, rd, afs in vrfs:
        ifs = [short_name(n) for n in members.get(name, [])] or [""]
        afs_col = "" if ipv4_only else f"{','.join(afs):<11} "
        lines.append(f"  {name:<32} {rd or '<not set>':<21} {afs_col}{ifs[0]}".rstrip())
        lines += [" " * (57 + len(protocols)) + n for n in ifs[1:]]
    return "\n".join(lines) + "\n"


def _vrf_members(device: IosDeviceView) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for i in st.interfaces(device):
        if i.vrf:
            members.setdefault(i.vrf, []).append(i.name)
    return members


def show_vrf_detail(device: IosDeviceView) -> str:
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
