"""FortiOS ``get``/``diagnose`` listings of the lab FortiGate, printed the way FortiOS 7.2 does.

Each listing is derived from the configuration tree (interfaces, static routes), so the
ntc-templates templates that read a real FortiGate read the lab's.
"""

from __future__ import annotations

import ipaddress

from tslcd.lab.models.fortinet_config import effective
from tslcd.lab.models.fortinet_schema import SCHEMA, Node, Table

ROUTE_CODES = """Codes: K - kernel, C - connected, S - static, R - RIP, B - BGP
       O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area
       * - candidate default"""


def _entries(root: Node, path: str) -> dict[str, Node]:
    table = root.children.get(path)
    return table.entries if isinstance(table, Table) else {}


def system_interface(root: Node) -> str:
    """``get system interface``: one ``== [ NAME ]`` record per interface."""
    block = SCHEMA["system interface"]
    lines = []
    for name, node in _entries(root, "system interface").items():
        values = {attr: effective(block, node, attr) or "" for attr in ("mode", "ip", "status", "type")}
        kind = values["type"] or "physical"
        rings = "   ring-rx: 0   ring-tx: 0" if kind == "physical" else ""
        switch = "    switch-controller-feature: none" if kind == "vlan" else ""
        lines += [f"== [ {name} ]",
                  f"name: {name}   mode: {values['mode']}    management-ip: 0.0.0.0 0.0.0.0"
                  f"   ip: {values['ip']}   status: {values['status']}"
                  f"    netbios-forward: disable    type: {kind}{rings}"
                  f"   netflow-sampler: disable    sflow-sampler: disable    src-check: enable"
                  f"    explicit-web-proxy: disable    explicit-ftp-proxy: disable"
                  f"    proxy-captive-portal: disable{switch}    mtu-override: disable    wccp: disable"
                  f"    drop-overlapped-fragment: disable    drop-fragment: disable"]
    return "\n".join(lines)


def routing_table(root: Node) -> str:
    """``get router info routing-table all``: static and connected routes."""
    routes: list[tuple[ipaddress.IPv4Network, str]] = []
    for node in _entries(root, "router static").values():
        block = SCHEMA["router static"]
        if effective(block, node, "status") != "enable":
            continue
        dst = ipaddress.IPv4Network((effective(block, node, "dst") or "0.0.0.0 0.0.0.0").replace(" ", "/"))
        gateway, device = effective(block, node, "gateway"), effective(block, node, "device")
        distance = effective(block, node, "distance")
        code = "S*" if dst.prefixlen == 0 else "S"
        routes.append((dst, f"{code:<8}{dst} [{distance}/0] via {gateway}, {device}"))
    for name, node in _entries(root, "system interface").items():
        ip = effective(SCHEMA["system interface"], node, "ip") or "0.0.0.0 0.0.0.0"
        net = ipaddress.IPv4Interface(ip.replace(" ", "/")).network
        if net.prefixlen and effective(SCHEMA["system interface"], node, "status") == "up":
            routes.append((net, f"{'C':<8}{net} is directly connected, {name}"))
    routes.sort(key=lambda item: (item[0].network_address, item[0].prefixlen))
    return "\n".join([ROUTE_CODES, "", "Routing table for VRF=0", *(text for _, text in routes)])


def ha_status(root: Node, model: str, hostname: str, serial: str) -> str:
    """``get system ha status``: a standalone unit, or (``config system ha`` in a-p/a-a mode) the
    cluster with its simulated secondary, which keeps in sync with this unit."""
    ha = root.children.get("system ha")
    attrs = ha.attrs if isinstance(ha, Node) else {}
    mode = (attrs.get("mode") or ["standalone"])[0]
    group = (attrs.get("group-id") or ["0"])[0]
    override = (attrs.get("override") or ["disable"])[0]
    head = ["HA Health Status: OK", f"Model: {model}"]
    if mode not in ("a-p", "a-a"):
        return "\n".join((*head, "Mode: Standalone", f"Group: {group}", "Debug: 0",
                          "Cluster Uptime: 0 days 0:0:0", "Cluster state change time: N/A",
                          "ses_pickup: disable, ses_pickup_delay=disable", f"override: {override}",
                          "System Usage stats:", "HBDEV stats:", "number of vcluster: 0"))
    mate = serial[:-1] + ("1" if serial[-1] != "1" else "2")
    hbdev = (attrs.get("hbdev") or ["ha"])[0]
    units = ((serial, "Primary", 0), (mate, "Secondary", 1))
    lines = [*head, f"Mode: HA {mode.upper()}", f"Group: {group}", "Debug: 0",
             "Cluster Uptime: 30 days 0:0:0", "Cluster state change time: 2026-01-05 08:15:02",
             "Primary selected using:",
             f"    <2026/01/05 08:15:02> {serial} is selected as the primary because it has the largest "
             "value of uptime.",
             "ses_pickup: disable, ses_pickup_delay=disable", f"override: {override}",
             "Configuration Status:",
             *(f"    {unit}(updated 1 seconds ago): in-sync" for unit, _, _ in units),
             "System Usage stats:"]
    for unit, _, _ in units:
        lines += [f"    {unit}(updated 1 seconds ago):",
                  "        sessions=12, average-cpu-user/nice/system/idle=0%/0%/0%/100%, memory=21%"]
    lines.append("HBDEV stats:")
    for unit, _, _ in units:
        lines += [f"    {unit}(updated 1 seconds ago):",
                  f"        {hbdev}: physical/1000auto, up, "
                  "rx-bytes/packets/dropped/errors=0/0/0/0, tx=0/0/0/0"]
    lines += [f"{role:<12}: {hostname:<15}, {unit}, HA cluster index = {index}"
              for unit, role, index in units]
    lines += ["number of vcluster: 1", "vcluster 1: work 169.254.0.1",
              *(f"{role}: {unit}, HA operating index = {index}" for unit, role, index in units)]
    return "\n".join(lines)


def diagnose_ha(root: Node, model: str, hostname: str, serial: str) -> str:
    """``diagnose sys ha status``: the HA daemon's view (mode, members, which one is primary)."""
    ha = root.children.get("system ha")
    attrs = ha.attrs if isinstance(ha, Node) else {}
    mode = (attrs.get("mode") or ["standalone"])[0]
    group = (attrs.get("group-id") or ["0"])[0]
    lines = ["HA information", "Statistics", "        traffic.local = s:0 p:0 b:0",
             "        traffic.total = s:0 p:0 b:0", "        activity.ha_id_changes = 0", "",
             f"Model={model.removeprefix('FortiGate-')}, Mode={mode} Group={group} Debug=0",
             f"nvcluster={0 if mode == 'standalone' else 1}, ses_pickup=0, delay=0", ""]
    if mode == "standalone":
        return "\n".join(lines)
    mate = serial[:-1] + ("1" if serial[-1] != "1" else "2")
    return "\n".join([*lines, "[Debug_Zone HA information]",
                      "HA group member information: is_manage_primary=1.",
                      f"{serial}: Primary, serialno_prio=0, usr_priority=128, hostname={hostname}",
                      f"{mate}: Secondary, serialno_prio=1, usr_priority=128, hostname={hostname}"])
