"""Operational exec commands of an IOS login: the grammar rows and their handlers.

A mixin of `IosCliSession`: the rows join its exec grammar, the ``cmd_*`` methods render through
`ios_ops` from the device state. Kept apart from the session so that file stays about modes,
files and configuration.
"""

from __future__ import annotations

from tslcd.lab.models import ios_neighbours, ios_ops, ios_ops_system, ios_state
from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_syntax import Match, ParseError

#: Exec commands every privilege level has (IOS lets level 1 run these shows too).
OPS_USER_EXEC: list[tuple[str, str]] = [
    ("show ip interface [IF]", "show_ip_interface"), ("show ipv6 interface", "show_ipv6_interface"),
    ("show interfaces summary", "show_interface_summary"),
    ("show arp [vrf WORD]", "show_arp"), ("show ip arp [vrf WORD]", "show_arp"),
    ("show ip route [vrf WORD]", "show_ip_route"),
    ("show ip route [vrf WORD] A [M]", "show_ip_route_entry"),
    ("show ip protocols", "show_ip_protocols"),
    ("show vrf [detail]", "show_vrf"), ("show ip vrf", "show_ip_vrf"),
    ("show inventory", "show_inventory"), ("show cdp neighbors detail", "show_cdp_detail"),
    ("show lldp neighbors [detail]", "show_lldp"), ("show vlan brief", "show_vlan_brief"),
    ("show logging", "show_logging"), ("show users [all]", "show_users"),
    ("show snmp chassis", "show_snmp_chassis"), ("show ntp associations", "show_ntp_associations"),
    ("show bgp all summary", "show_bgp_summary"), ("show ip bgp [all] summary", "show_bgp_summary"),
    ("show bgp ipv4|ipv6|vpnv4|vpnv6 unicast|multicast|mdt [all] neighbors", "show_bgp_neighbors"),
    ("ping [vrf WORD] A|WORD [LINE]", "ping"), ("traceroute [vrf WORD] A|WORD [LINE]", "traceroute"),
]
#: Privileged-only operational commands.
OPS_PRIV_EXEC: list[tuple[str, str]] = [
    ("show processes cpu [sorted]", "show_proc_cpu"), ("show memory statistics", "show_memory"),
    ("show environment temperature status", "show_env_temperature"),
]


def _options(text: str, names: tuple[str, ...]) -> dict[str, str] | None:
    """``repeat 5 size 100 timeout 2``: keyword/value pairs (None: a word IOS would refuse)."""
    words = text.split()
    out: dict[str, str] = {}
    i = 0
    while i < len(words):
        hits = [n for n in names if n.startswith(words[i].lower())]
        if len(hits) != 1 or i + 1 >= len(words):
            return None
        need = 2 if hits[0] == "ttl" else 1
        out[hits[0]] = " ".join(words[i + 1:i + 1 + need])
        i += 1 + need
    return out


class OpsCommands:
    """``cmd_*`` handlers of the operational commands (mixed into the IOS session)."""

    device: IosDeviceView
    username: str

    @staticmethod
    def _vrf_ok(m: Match) -> str | None:
        """The VRF a command names (None: the global table)."""
        if "vrf" in m.words:
            return m.words[m.words.index("vrf") + 1]
        return None

    def _unknown_vrf(self, vrf: str | None) -> str | None:
        if vrf is not None and vrf not in {v[0] for v in ios_state.vrfs(self.device)}:
            return f"% IP routing table {vrf} does not exist\n"
        return None

    def cmd_show_ip_interface(self, m: Match) -> str:
        """``show ip interface [IF]`` (an interface the device lacks is invalid input)."""
        out = ios_ops.show_ip_interface(self.device, m.args[0] if m.args else None)
        return out if out is not None else self._invalid_at(3)

    def cmd_show_ipv6_interface(self, m: Match) -> str:
        """``show ipv6 interface``."""
        return ios_ops.show_ipv6_interface(self.device)

    def cmd_show_interface_summary(self, m: Match) -> str:
        """``show interfaces summary``."""
        return ios_ops.show_interface_summary(self.device)

    def cmd_show_arp(self, m: Match) -> str:
        """``show [ip] arp [vrf V]``."""
        vrf = self._vrf_ok(m)
        return self._unknown_vrf(vrf) or ios_ops.show_arp(self.device, vrf)

    def cmd_show_ip_route(self, m: Match) -> str:
        """``show ip route [vrf V]``."""
        vrf = self._vrf_ok(m)
        return self._unknown_vrf(vrf) or ios_ops.show_ip_route(self.device, vrf)

    def cmd_show_ip_route_entry(self, m: Match) -> str:
        """``show ip route [vrf V] A [M]``."""
        vrf = self._vrf_ok(m)
        addrs = m.args[1:] if vrf else m.args
        return self._unknown_vrf(vrf) or ios_ops.show_ip_route_entry(
            self.device, addrs[0], addrs[1] if len(addrs) > 1 else None, vrf)

    def cmd_show_ip_protocols(self, m: Match) -> str:
        """``show ip protocols``: the routing processes configured."""
        out = ["*** IP Routing is NSF aware ***", ""]
        for n in self.device.root.children:
            if n.text.startswith(("router bgp ", "router ospf ", "router eigrp ")):
                out += [f"Routing Protocol is \"{n.text.split(None, 1)[1]}\"",
                        "  Outgoing update filter list for all interfaces is not set",
                        "  Incoming update filter list for all interfaces is not set", ""]
        return "\n".join(out) + "\n"

    def cmd_show_vrf(self, m: Match) -> str:
        """``show vrf [detail]``."""
        if "detail" in m.words:
            return ios_ops.show_vrf_detail(self.device)
        return ios_ops.show_vrf(self.device)

    def cmd_show_ip_vrf(self, m: Match) -> str:
        """``show ip vrf``."""
        return ios_ops.show_vrf(self.device, ipv4_only=True)

    def cmd_show_inventory(self, m: Match) -> str:
        """``show inventory``."""
        return ios_ops_system.show_inventory(self.device)

    def cmd_show_cdp_detail(self, m: Match) -> str:
        """``show cdp neighbors detail``."""
        return ios_neighbours.show_cdp_neighbors_detail(self.device)

    def cmd_show_lldp(self, m: Match) -> str:
        """``show lldp neighbors [detail]``."""
        if "detail" in m.words:
            return ios_neighbours.show_lldp_neighbors_detail(self.device)
        return ios_neighbours.show_lldp_neighbors(self.device)

    def cmd_show_vlan_brief(self, m: Match) -> str:
        """``show vlan brief`` (a router has no VLAN database: invalid input at ``vlan``)."""
        out = ios_ops_system.show_vlan_brief(self.device)
        return out if out is not None else self._invalid_at(1)

    def cmd_show_logging(self, m: Match) -> str:
        """``show logging``."""
        return ios_ops_system.show_logging(self.device)

    def cmd_show_users(self, m: Match) -> str:
        """``show users``."""
        return ios_ops_system.show_users(self.device, self.username, 2, "10.250.0.10")

    def cmd_show_snmp_chassis(self, m: Match) -> str:
        """``show snmp chassis``."""
        return ios_ops_system.show_snmp_chassis(self.device)

    def cmd_show_ntp_associations(self, m: Match) -> str:
        """``show ntp associations``."""
        return ios_neighbours.show_ntp_associations(self.device)

    def cmd_show_bgp_summary(self, m: Match) -> str:
        """``show bgp all summary`` / ``show ip bgp summary``."""
        return ios_neighbours.show_bgp_summary(self.device, all_families="all" in m.words)

    def cmd_show_bgp_neighbors(self, m: Match) -> str:
        """``show bgp AFI SAFI [all] neighbors``."""
        if m.words[2:4] != ["ipv4", "unicast"]:
            return ""
        return ios_neighbours.show_bgp_neighbors(self.device)

    def cmd_show_proc_cpu(self, m: Match) -> str:
        """``show processes cpu``."""
        return ios_ops_system.show_proc_cpu(self.device)

    def cmd_show_memory(self, m: Match) -> str:
        """``show memory statistics``."""
        return ios_ops_system.show_memory_statistics(self.device)

    def cmd_show_env_temperature(self, m: Match) -> str:
        """``show environment temperature status``."""
        return ios_ops_system.show_env_temperature(self.device)

    def cmd_ping(self, m: Match) -> str:
        """``ping [vrf V] A [repeat N] [size N] [timeout N] [source IF]``."""
        vrf = self._vrf_ok(m)
        rest = m.args[-1] if len(m.words) > (3 if vrf else 1) + 1 else ""
        target = m.words[3] if vrf else m.words[1]
        opts = _options(rest, ("repeat", "size", "timeout", "source", "df-bit", "validate"))
        if opts is None or not all(opts.get(k, "1").isdigit() for k in ("repeat", "size", "timeout")):
            return self._invalid_at(len(m.words) - 1)
        return self._unknown_vrf(vrf) or ios_neighbours.ping(
            self.device, target, vrf, int(opts.get("repeat", 5)), int(opts.get("size", 100)),
            int(opts.get("timeout", 2)))

    def cmd_traceroute(self, m: Match) -> str:
        """``traceroute [vrf V] A [source X] [ttl MIN MAX] [timeout N] [probe N]``."""
        vrf = self._vrf_ok(m)
        rest = m.args[-1] if len(m.words) > (3 if vrf else 1) + 1 else ""
        target = m.words[3] if vrf else m.words[1]
        opts = _options(rest, ("source", "ttl", "timeout", "probe", "numeric", "port"))
        ttl = (opts or {}).get("ttl", "1 30").split()
        if opts is None or len(ttl) != 2 or not all(t.isdigit() and int(t) <= 255 for t in ttl):
            return self._invalid_at(len(m.words) - 1)
        return self._unknown_vrf(vrf) or ios_neighbours.traceroute(self.device, target, vrf, int(ttl[1]))

    def _invalid_at(self, word: int) -> str:
        """Invalid input under word ``word`` of the command being run."""
        command, base = self._current  # type: ignore[attr-defined]
        starts = [i for i, c in enumerate(command) if c != " " and (i == 0 or command[i - 1] == " ")]
        col = starts[min(word, len(starts) - 1)] if starts else 0
        return self.error_text(ParseError("invalid", col), command, base)  # type: ignore[attr-defined]
