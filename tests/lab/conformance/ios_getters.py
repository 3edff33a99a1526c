"""NAPALM's ios driver against a lab IOS device over SSH: the getters and commit-confirm figures.

Each getter counts when its result has the shape NAPALM's own models give it (``napalm.base.models``,
the checks of NAPALM's getter test-suite) AND agrees with the device's configuration (the
interfaces, addresses, static default, VRFs, SNMP, NTP servers, users, BGP neighbour configured).
``ping`` and ``traceroute`` count twice: to the WAN peer they succeed with the hop, to an address
beyond the lab they fail as a real device whose upstream does not answer does.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from napalm import get_network_driver
from napalm.base import models
from napalm.base.test.helpers import test_model as napalm_fits

from tests.lab.conformance import fidelity as fd

HOST = "stttt-r1"
WAN_PEER = "10.254.0.6"  # the PE end of stttt-r1's WAN /30 (inventory wan_prefix 10.254.0.4/30)
BEYOND = "8.8.8.8"  # routed through the default route; nothing in the lab answers for it
SETUP = (
    "lldp run",
    "vrf definition CAMERA", " rd 65010:20", " address-family ipv4", " exit-address-family",
    "interface GigabitEthernet0/0/2", " vrf forwarding CAMERA",
    " ip address 10.20.1.1 255.255.255.0", " no shutdown",
    "router bgp 65010", " neighbor 10.254.0.6 remote-as 65000",
    " neighbor 10.254.0.6 description PE TSLCD",
)


@contextmanager
def lab_driver() -> Iterator[Any]:
    """NAPALM's ios driver logged in to a fresh one-router lab, `SETUP` configured."""
    from tests.conftest import start_lab  # the tests' own in-process lab

    with tempfile.TemporaryDirectory(prefix="tslcd-fidelity-") as tmp:
        lab = start_lab(Path(tmp), filters=[f"name={HOST}"])
        try:
            args = lab.netmiko_args(HOST)
            driver = get_network_driver("ios")(
                args["host"], args["username"], args["password"], timeout=20,
                optional_args={"port": args["port"], "secret": args["secret"],
                               "dest_file_system": "flash:"})
            driver.open()
            try:
                driver.device.send_config_set(list(SETUP))
                yield driver
            finally:
                driver.close()
        finally:
            lab.thread.stop()


def fits(model: Any, data: Any) -> bool:
    """NAPALM's model check, without the report it prints on a mismatch."""
    with contextlib.redirect_stdout(io.StringIO()):
        return napalm_fits(model, data)


def _all(model: Any, items: Any) -> bool:
    return all(fits(model, item) for item in items)


def _config(dev: Any) -> str:
    return dev.get_config(retrieve="running")["running"]


def _interfaces(running: str) -> list[str]:
    return [ln.split()[1] for ln in running.splitlines() if ln.startswith("interface ")]


def _addresses(running: str) -> dict[str, ipaddress.IPv4Interface]:
    out, current = {}, ""
    for ln in running.splitlines():
        if ln.startswith("interface "):
            current = ln.split()[1]
        elif ln.startswith(" ip address ") and ln.split()[2][0].isdigit():
            out[current] = ipaddress.IPv4Interface("/".join(ln.split()[2:4]))
    return out


def check_facts(dev: Any) -> bool:
    """get_facts: NAPALM's FactsDict; hostname and interface list as configured."""
    facts, running = dev.get_facts(), _config(dev)
    return (fits(models.FactsDict, facts) and f"hostname {facts['hostname']}" in running
            and set(facts["interface_list"]) == set(_interfaces(running)))


def check_interfaces(dev: Any) -> bool:
    """get_interfaces: every configured interface, enabled unless shut down."""
    result, running = dev.get_interfaces(), _config(dev)
    return (_all(models.InterfaceDict, result.values()) and set(result) == set(_interfaces(running))
            and all(v["is_enabled"] == (f"interface {k}\n shutdown" not in running
                                        and not _shut(running, k)) for k, v in result.items()))


def _shut(running: str, name: str) -> bool:
    block = running.split(f"interface {name}\n", 1)[1].split("\n!", 1)[0]
    return "\n shutdown" in "\n" + block


def check_interfaces_ip(dev: Any) -> bool:
    """get_interfaces_ip: every configured address with its prefix length."""
    result, running = dev.get_interfaces_ip(), _config(dev)
    want = {k: {str(a.ip): a.network.prefixlen} for k, a in _addresses(running).items()}
    got = {k: {ip: d["prefix_length"] for ip, d in v.get("ipv4", {}).items()} for k, v in result.items()}
    return bool(result) and want == got and all(
        _all(models.InterfacesIPDictEntry, v.get("ipv4", {}).values()) for v in result.values())


def check_counters(dev: Any) -> bool:
    """get_interfaces_counters: NAPALM's counter dict for every interface."""
    result, running = dev.get_interfaces_counters(), _config(dev)
    return (set(result) == set(_interfaces(running))
            and _all(models.InterfaceCounterDict, result.values()))


def check_arp(dev: Any) -> bool:
    """get_arp_table: own addresses and the WAN peer that answered."""
    result = dev.get_arp_table()
    return bool(result) and _all(models.ARPTableDict, result) and WAN_PEER in {e["ip"] for e in result}


def check_environment(dev: Any) -> bool:
    """get_environment: NAPALM's models for fans, power, temperature, CPU and memory."""
    env = dev.get_environment()
    return (_all(models.FanDict, env["fans"].values()) and _all(models.PowerDict, env["power"].values())
            and _all(models.TemperatureDict, env["temperature"].values())
            and "invalid" not in env["temperature"]
            and _all(models.CPUDict, env["cpu"].values()) and fits(models.MemoryDict, env["memory"])
            and 0 < env["memory"]["used_ram"] < env["memory"]["available_ram"])


def check_route_to(dev: Any) -> bool:
    """get_route_to: the static default through the WAN peer, and a connected subnet."""
    default = dev.get_route_to("0.0.0.0/0")
    connected = dev.get_route_to("10.254.0.4/30")
    routes = default.get("0.0.0.0/0", []) + connected.get("10.254.0.4/30", [])
    # IOS prints no age for static and connected routes: NAPALM then gives "" (as for a real device)
    aged = [{**r, "age": 0 if r["age"] == "" else r["age"]} for r in routes]
    return (len(routes) == 2 and _all(models.RouteDict, aged)
            and (routes[0]["protocol"], routes[0]["next_hop"]) == ("static", WAN_PEER)
            and routes[1]["protocol"] == "connected")


def check_snmp(dev: Any) -> bool:
    """get_snmp_information: communities, location, contact as configured; serial as chassis id."""
    snmp, running = dev.get_snmp_information(), _config(dev)
    facts = dev.get_facts()
    communities = {ln.split()[2] for ln in running.splitlines() if ln.startswith("snmp-server community ")}
    return (fits(models.SNMPDict, snmp) and _all(models.SNMPCommunityDict, snmp["community"].values())
            and set(snmp["community"]) == communities and snmp["chassis_id"] == facts["serial_number"]
            and f"snmp-server location {snmp['location']}" in running)


def check_network_instances(dev: Any) -> bool:
    """get_network_instances: the default instance and the CAMERA VRF with its interface."""
    result = dev.get_network_instances()
    ok = all(fits(models.NetworkInstanceDict, v) and fits(models.NetworkInstanceStateDict, v["state"])
             and fits(models.NetworkInstanceInterfacesDict, v["interfaces"]) for v in result.values())
    camera = result.get("CAMERA", {})
    vrfs = {ln.split()[2] for ln in _config(dev).splitlines() if ln.startswith("vrf definition ")}
    return (ok and set(result) == {"default", *vrfs} and "CAMERA" in vrfs
            and camera.get("state", {}).get("route_distinguisher") == "65010:20"
            and set(camera["interfaces"]["interface"]) == {"GigabitEthernet0/0/2"}
            and "GigabitEthernet0/0/2" not in result["default"]["interfaces"]["interface"])


def check_lldp(dev: Any) -> bool:
    """get_lldp_neighbors (``lldp run``): the PE on the WAN interface."""
    result = dev.get_lldp_neighbors()
    return (set(result) == {"GigabitEthernet0/0/0"}
            and all(_all(models.LLDPNeighborDict, v) for v in result.values()))


def check_bgp(dev: Any) -> bool:
    """get_bgp_neighbors: the configured neighbour, up (it is the reachable WAN peer)."""
    result = dev.get_bgp_neighbors()
    peers = result.get("global", {}).get("peers", {})
    return (set(result) == {"global"} and isinstance(result["global"]["router_id"], str)
            and set(peers) == {WAN_PEER} and _all(models.PeerDict, peers.values())
            and peers[WAN_PEER]["is_up"] and peers[WAN_PEER]["remote_as"] == 65000
            and all(_all(models.AFDict, p["address_family"].values()) for p in peers.values()))


def _ntp_servers(running: str) -> set[str]:
    return {ln.split()[2] for ln in running.splitlines() if ln.startswith("ntp server ")}


def check_ntp_servers(dev: Any) -> bool:
    """get_ntp_servers: the configured servers."""
    return set(dev.get_ntp_servers()) == _ntp_servers(_config(dev)) != set()


def check_ntp_peers(dev: Any) -> bool:
    """get_ntp_peers: NAPALM's ios driver lists every association, i.e. the configured servers."""
    return set(dev.get_ntp_peers()) == _ntp_servers(_config(dev)) != set()


def check_ntp_stats(dev: Any) -> bool:
    """get_ntp_stats: one NTPStats entry per configured server."""
    stats = dev.get_ntp_stats()
    return (_all(models.NTPStats, stats)
            and {s["remote"] for s in stats} == _ntp_servers(_config(dev)))


def check_users(dev: Any) -> bool:
    """get_users: the configured local users with their privilege."""
    users, running = dev.get_users(), _config(dev)
    names = {ln.split()[1] for ln in running.splitlines() if ln.startswith("username ")}
    return bool(users) and set(users) == names and _all(models.UsersDict, users.values())


def check_config(dev: Any) -> bool:
    """get_config: running and startup, IOS's headers stripped."""
    cfg = dev.get_config()
    return (fits(models.ConfigDict, cfg) and cfg["running"].rstrip().endswith("end")
            and "version 17.6" in cfg["startup"] and "Building configuration" not in cfg["running"])


def check_ping_reachable(dev: Any) -> bool:
    """ping the WAN peer: every probe answered."""
    result = dev.ping(WAN_PEER)
    ok = result.get("success", {})
    return (fits(models.PingDict, ok) and ok["packet_loss"] == 0 and ok["probes_sent"] == 5
            and _all(models.PingResultDictEntry, ok["results"]) and len(ok["results"]) == 5)


def check_ping_unreachable(dev: Any) -> bool:
    """ping beyond the lab: every probe lost, as on a device whose upstream does not answer."""
    ok = dev.ping(BEYOND).get("success", {})
    return fits(models.PingDict, ok) and ok["packet_loss"] == ok["probes_sent"] == 5 and not ok["results"]


def check_traceroute_reachable(dev: Any) -> bool:
    """traceroute to the WAN peer: one hop, the peer, three answered probes."""
    hops = dev.traceroute(WAN_PEER, ttl=5, timeout=1).get("success", {})
    probes = hops.get(1, {}).get("probes", {})
    return (list(hops) == [1] and _all(models.TracerouteDict, probes.values())
            and {p["ip_address"] for p in probes.values()} == {WAN_PEER})


def check_traceroute_unreachable(dev: Any) -> bool:
    """traceroute beyond the lab: the gateway answers, then only timeouts up to the TTL."""
    hops = dev.traceroute(BEYOND, ttl=5, timeout=1).get("success", {})
    first = {p["ip_address"] for p in hops.get(1, {}).get("probes", {}).values()}
    later = {p["ip_address"] for h in range(2, 6) for p in hops.get(h, {}).get("probes", {}).values()}
    return sorted(hops) == [1, 2, 3, 4, 5] and first == {WAN_PEER} and later == {""}


GETTERS: dict[str, Callable[[Any], bool]] = {
    "get_facts": check_facts, "get_interfaces": check_interfaces,
    "get_interfaces_ip": check_interfaces_ip, "get_interfaces_counters": check_counters,
    "get_arp_table": check_arp, "get_environment": check_environment,
    "get_route_to": check_route_to, "get_snmp_information": check_snmp,
    "get_network_instances": check_network_instances, "get_lldp_neighbors": check_lldp,
    "get_bgp_neighbors": check_bgp, "get_ntp_servers": check_ntp_servers,
    "get_ntp_peers": check_ntp_peers, "get_ntp_stats": check_ntp_stats, "get_users": check_users,
    "get_config": check_config, "ping reachable": check_ping_reachable,
    "ping unreachable": check_ping_unreachable, "traceroute reachable": check_traceroute_reachable,
    "traceroute unreachable": check_traceroute_unreachable,
}


def run_getters(dev: Any) -> dict[str, bool | str]:
    """Each getter's verdict (an exception is a failure, reported by its text)."""
    out: dict[str, bool | str] = {}
    for name, check in GETTERS.items():
        try:
            out[name] = check(dev)
        except Exception as exc:  # a getter that raises is a getter that fails, as in NAPALM's suite
            out[name] = f"{type(exc).__name__}: {exc}"
    return out


def getters() -> fd.Figure:
    """(getters behaving like the real device's, getters measured)."""
    with lab_driver() as dev:
        verdicts = run_getters(dev)
    return sum(v is True for v in verdicts.values()), len(verdicts)


# --- commit-confirm ------------------------------------------------------------------------------
PROBE = "interface Loopback77\n description fidelity commit-confirm probe\n"


def _probe_present(dev: Any) -> bool:
    return "interface Loopback77" in _config(dev)


def commit_confirm_steps(dev: Any) -> dict[str, bool | str]:
    """NAPALM's confirmed commit on a merge: pending, confirmed, and reverted when not confirmed.

    Timers run at the lab's time scale (set by `commit_confirm`): 60 lab seconds take 2 s.
    """
    import time

    out: dict[str, bool | str] = {}

    def step(name: str, func: Callable[[], bool]) -> None:
        try:
            out[name] = bool(func())
        except Exception as exc:  # a step that raises is a step that fails
            out[name] = f"{type(exc).__name__}: {exc}"

    def commit(seconds: int) -> bool:
        dev.load_merge_candidate(config=PROBE)
        dev.commit_config(revert_in=seconds)
        return _probe_present(dev)

    step("commit with revert timer", lambda: commit(120))
    step("commit pending", dev.has_pending_commit)
    step("configure confirm", lambda: (dev.confirm_commit(), not dev.has_pending_commit())[1])
    time.sleep(4.5)
    step("confirmed change kept after the timer", lambda: out["configure confirm"] is True
         and _probe_present(dev))
    dev.device.send_config_set(["no interface Loopback77"])  # back to the start
    step("unconfirmed commit", lambda: commit(60) and dev.has_pending_commit())
    time.sleep(3)
    step("timer reverts the change", lambda: out["unconfirmed commit"] is True
         and not _probe_present(dev) and not dev.has_pending_commit())
    return out


def commit_confirm() -> fd.Figure:
    """(commit-confirm steps behaving as on IOS, steps measured)."""
    import os

    from tslcd.lab.models.base import TIME_SCALE_ENV

    old = os.environ.get(TIME_SCALE_ENV)
    os.environ[TIME_SCALE_ENV] = "30"
    try:
        with lab_driver() as dev:
            steps = commit_confirm_steps(dev)
    finally:
        if old is None:
            os.environ.pop(TIME_SCALE_ENV, None)
        else:
            os.environ[TIME_SCALE_ENV] = old
    return sum(v is True for v in steps.values()), len(steps)
