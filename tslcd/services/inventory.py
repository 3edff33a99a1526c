"""Inventory user actions: select hosts, count them, describe one, export them."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tslcd.config import Config
from tslcd.errors import InputError, InventoryError
from tslcd.inventory import HostInfo, Inventory, load_inventory
from tslcd.inventory.filters import select

COUNT_FIELDS = ("agency_type", "district", "role", "platform")
EXPORT_FIELDS = ("name", "hostname", "platform", "agency_code", "agency_name", "agency_type",
                 "district", "role", "lan_prefix", "wan_prefix", "circuit_id", "bandwidth_mbps")


@dataclass
class Selection:
    """The inventory and the hosts a command works on."""

    inventory: Inventory
    hosts: list[HostInfo]


def load_selection(config: Config, filters: list[str] | None) -> Selection:
    """Validate the inventory and apply the --filter expressions."""
    inventory = load_inventory(config)
    return Selection(inventory, select(inventory, filters))


def check(config: Config) -> Selection:
    """``inventory check``: everything load_inventory checks, and every address each host's
    connections would use (names resolved) against ``safety.allowed_networks``."""
    from tslcd.inventory.runner import check_targets  # builds Nornir hosts: only this check needs it

    selection = load_selection(config, None)
    problems = check_targets(config, selection.inventory, selection.hosts)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InventoryError(f"inventory {config.inventory_dir} has {len(problems)} {noun}", problems)
    return selection


def _field(host: HostInfo, name: str) -> Any:
    if name in ("name", "hostname", "platform"):
        return getattr(host, name)
    return host.data.get(name)


def counts(hosts: list[HostInfo]) -> dict[str, dict[str, int]]:
    """How many hosts per agency type, district, role and platform (missing data counts as '-')."""
    return {
        name: dict(sorted(Counter(str(_field(h, name) or "-") for h in hosts).items()))
        for name in COUNT_FIELDS
    }


def host_record(host: HostInfo) -> dict[str, Any]:
    """One host as plain data for list output and JSON."""
    return {**{name: _field(host, name) for name in EXPORT_FIELDS},
            "groups": list(host.groups)}


def host_detail(selection: Selection, name: str) -> dict[str, Any]:
    """Everything the inventory says about one host, inherited data included."""
    host = selection.inventory.hosts.get(name)
    if host is None:
        raise InputError(f"no host named {name!r} in {selection.inventory.directory}")
    return {"name": host.name, "hostname": host.hostname, "port": host.port,
            "platform": host.platform, "groups": list(host.groups),
            "inherited_groups": [g for g in host.all_groups if g not in host.groups],
            "data": dict(host.data)}


def export(hosts: list[HostInfo], fmt: str) -> str:
    """The hosts as CSV (one row each, the inventory's main fields) or JSON (all data)."""
    if fmt == "json":
        return json.dumps([{**host_record(h), "data": h.data} for h in hosts],
                          ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*EXPORT_FIELDS, "groups"], lineterminator="\n")
        writer.writeheader()
        for host in hosts:
            row = host_record(host)
            row["groups"] = " ".join(row["groups"])
            writer.writerow(row)
        return out.getvalue()
    raise InputError(f"unknown export format {fmt!r} (use csv or json)")
