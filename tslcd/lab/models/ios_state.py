"""Operational state of a lab IOS device, derived from its configuration and nothing else.

Routes, ARP entries, neighbours and reachability all follow from the running configuration, so
every show command and NAPALM getter agrees with ``show running-config`` and with each other:
an interface that is shut has no connected route, an ``ip route`` whose next hop is on a
connected subnet is installed, a point-to-point peer answers ARP, CDP and ping. Nothing beyond
the first hop exists in the lab, so traffic routed further goes unanswered, as on a real device
whose upstream is unreachable.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_config import Node

IPv4 = ipaddress.IPv4Address
Net = ipaddress.IPv4Network
#: The device every point-to-point WAN link of the province ends on (the MPLS provider's PE).
PE_NAME = "tslcd-pe1.tslcd.gov.vn"
PE_PLATFORM = "cisco ASR1001-X"


def mac_for(*parts: str) -> str:
    """A stable Cisco-format MAC address (``00a3.xxxx.xxxx``) for a device/interface pair."""
    seed = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"00a3.{seed[:4]}.{seed[4:8]}"


@dataclass
class Interface:
    """One configured interface as the data plane sees it."""

    name: str
    node: Node
    description: str | None
    address: ipaddress.IPv4Interface | None
    secondaries: list[ipaddress.IPv4Interface]
    vrf: str | None
    shutdown: bool
    mac: str

    @property
    def up(self) -> bool:
        """Line protocol up: not shut down (every lab cable is plugged in)."""
        return not self.shutdown

    @property
    def point_to_point(self) -> bool:
        """A /30 or /31 link: the other address is the peer router."""
        return self.address is not None and self.address.network.prefixlen >= 30

    def peer(self) -> IPv4 | None:
        """The other end of a point-to-point link."""
        if not self.point_to_point or self.address is None:
            return None
        hosts = [h for h in (self.address.network.hosts() if self.address.network.prefixlen == 30
                             else self.address.network) if h != self.address.ip]
        return hosts[0] if hosts else None


@dataclass
class Route:
    """One installed route."""

    vrf: str | None
    network: Net
    code: str  # C, L, S
    interface: str | None
    next_hop: IPv4 | None = None
    distance: int = 0
    metric: int = 0


def _words(node: Node, prefix: str) -> list[str] | None:
    for child in node.children:
        if child.text.startswith(prefix):
            return child.text.split()
    return None


def interfaces(device: IosDeviceView) -> list[Interface]:
    """Every configured interface in running-config order."""
    out = []
    for node in device.root.children:
        if node.mode != "if":
            continue
        name = node.text.split()[1]
        desc = next((c.text.split(None, 1)[1] for c in node.children
                     if c.text.startswith("description ")), None)
        address = None
        secondaries = []
        for c in node.children:
            w = c.text.split()
            if c.text.startswith("ip address ") and len(w) >= 4 and w[2][0].isdigit():
                iface = ipaddress.IPv4Interface(f"{w[2]}/{w[3]}")
                if w[-1] == "secondary":
                    secondaries.append(iface)
                else:
                    address = iface
        vrf_words = _words(node, "vrf forwarding ") or _words(node, "ip vrf forwarding ")
        out.append(Interface(
            name=name, node=node, description=desc, address=address, secondaries=secondaries,
            vrf=vrf_words[-1] if vrf_words else None,
            shutdown=any(c.text == "shutdown" for c in node.children),
            mac=mac_for(device.name, name)))
    return out


def vrfs(device: IosDeviceView) -> list[tuple[str, str | None, list[str]]]:
    """(name, rd, address families) of every VRF, ``vrf definition`` and ``ip vrf`` alike."""
    out = []
    for node in device.root.children:
        if node.mode in ("vrf-def", "ip-vrf"):
            rd = next((c.text.split()[1] for c in node.children if c.text.startswith("rd ")), None)
            afs = [c.text.split()[1] for c in node.children if c.text.startswith("address-family ")]
            out.append((node.text.split()[-1], rd, afs or (["ipv4"] if node.mode == "ip-vrf" else [])))
    return out


def routes(device: IosDeviceView) -> list[Route]:
    """Connected, local and static routes installed in every routing table."""
    table: list[Route] = []
    up = [i for i in interfaces(device) if i.up]
    for i in up:
        for addr in filter(None, [i.address, *i.secondaries]):
            table.append(Route(i.vrf, addr.network, "C", i.name))
            if addr.network.prefixlen < 32:
                table.append(Route(i.vrf, Net(f"{addr.ip}/32"), "L", i.name))
    for node in device.root.children:
        if not node.text.startswith("ip route "):
            continue
        w = node.text.split()[2:]
        vrf = None
        if w[0] == "vrf":
            vrf, w = w[1], w[2:]
        try:
            net = Net(f"{w[0]}/{w[1]}")
        except ValueError:
            continue
        rest = w[2:]
        iface = next((i for i in up if rest and i.name == rest[0]), None)
        if iface is not None:
            rest = rest[1:]
        hop = IPv4(rest[0]) if rest and rest[0][0].isdigit() and rest[0].count(".") == 3 else None
        distance = int(rest[1]) if hop and len(rest) > 1 and rest[1].isdigit() else 1
        if hop is not None and iface is None:
            iface = next((i for i in up if i.vrf == vrf and connected_to(i, hop)), None)
        if iface is None:  # no usable interface, or a next hop on no connected subnet: not installed
            continue
        table.append(Route(vrf, net, "S", iface.name if hop is None else None, hop, distance))
    return table


def connected_to(iface: Interface, address: IPv4) -> bool:
    """True when ``address`` is on one of the interface's subnets."""
    return any(address in a.network for a in filter(None, [iface.address, *iface.secondaries]))


def lookup(device: IosDeviceView, address: IPv4, vrf: str | None = None) -> Route | None:
    """The longest-prefix match for an address (the local /32 wins over the connected subnet)."""
    best = None
    for r in routes(device):
        if r.vrf == vrf and address in r.network and (
                best is None or r.network.prefixlen > best.network.prefixlen):
            best = r
    return best


def neighbours(device: IosDeviceView) -> dict[IPv4, tuple[Interface, str]]:
    """Addresses that answer on connected subnets: point-to-point peers and static next hops."""
    out: dict[IPv4, tuple[Interface, str]] = {}
    ifs = [i for i in interfaces(device) if i.up]
    for i in ifs:
        peer = i.peer()
        if peer is not None:
            out[peer] = (i, mac_for(PE_NAME, str(peer)))
    for r in routes(device):
        if r.code == "S" and r.next_hop is not None and r.next_hop not in out:
            iface = next((i for i in ifs if i.vrf == r.vrf and connected_to(i, r.next_hop)), None)
            if iface is not None:
                out[r.next_hop] = (iface, mac_for(PE_NAME, str(r.next_hop)))
    return out


def own_addresses(device: IosDeviceView) -> dict[IPv4, Interface]:
    """This device's own addresses on interfaces that are up."""
    return {a.ip: i for i in interfaces(device) if i.up
            for a in filter(None, [i.address, *i.secondaries])}


def path(device: IosDeviceView, address: IPv4, vrf: str | None = None) -> list[IPv4] | None:
    """Hops that answer on the way to ``address``: [] unroutable, [..., address] reachable.

    None means there is no route at all; a list ending before ``address`` means the packets
    leave (through those hops) but nothing answers beyond them.
    """
    if address in own_addresses(device):
        return [address]
    route = lookup(device, address, vrf)
    if route is None:
        return None
    if route.code in ("C", "L"):
        return [address] if address in neighbours(device) else []
    if route.next_hop is not None:
        hop_route = lookup(device, route.next_hop, vrf)
        if hop_route is not None and hop_route.code in ("C", "L") and route.next_hop in neighbours(device):
            return [route.next_hop]
    return []
