"""The validated inventory: hosts with their inherited attributes and data resolved once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tslcd.config import Config
from tslcd.errors import InventoryError
from tslcd.inventory import validate
from tslcd.inventory.yamlfile import LocatedMapping, load_located

ATTRS = ("hostname", "port", "username", "platform")


@dataclass(frozen=True)
class HostInfo:
    """One device as the inventory describes it, after group and default inheritance."""

    name: str
    hostname: str
    port: int
    platform: str
    username: str | None
    groups: tuple[str, ...]  # as listed on the host
    all_groups: tuple[str, ...]  # with parent groups, in Nornir's lookup order
    data: dict[str, Any] = field(hash=False, compare=False)
    line: int | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """A data value (inherited from groups and defaults when the host has none)."""
        return self.data.get(key, default)

    def flat(self) -> dict[str, Any]:
        """Name, address, platform, groups and all data in one dict (lab models, templates, export)."""
        return {"name": self.name, "hostname": self.hostname, "port": self.port,
                "platform": self.platform, "groups": list(self.groups), **self.data}


@dataclass
class Inventory:
    """The whole inventory: validated hosts, the raw entries Nornir is built from, and their source."""

    directory: Path
    hosts: dict[str, HostInfo]
    groups: dict[str, dict[str, Any]]
    defaults: dict[str, Any]
    raw_hosts: dict[str, dict[str, Any]]

    def __iter__(self) -> Iterator[HostInfo]:
        return iter(self.hosts.values())

    def __len__(self) -> int:
        return len(self.hosts)


def _lineage(name: str, groups: dict[str, dict[str, Any]]) -> list[str]:
    order: list[str] = []

    def visit(group: str) -> None:
        if group in order or group not in groups:
            return
        order.append(group)
        for parent in groups[group].get("groups") or []:
            visit(parent)

    for group in groups.get(name, {}).get("groups") or []:
        visit(group)
    return order


def resolve_host(entry: dict[str, Any], groups: dict[str, dict[str, Any]],
                 defaults: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Nornir's inheritance: host first, then its groups depth-first in order, then defaults."""
    lineage: list[str] = []
    for group in entry.get("groups") or []:
        if group in groups and group not in lineage:
            lineage.append(group)
            lineage.extend(g for g in _lineage(group, groups) if g not in lineage)
    resolved: dict[str, Any] = {}
    for attr in ATTRS:
        value = entry.get(attr)
        for group in lineage:
            if value is not None:
                break
            value = groups[group].get(attr)
        resolved[attr] = value if value is not None else defaults.get(attr)
    data: dict[str, Any] = dict(defaults.get("data") or {})
    for group in reversed(lineage):
        data.update(groups[group].get("data") or {})
    data.update(entry.get("data") or {})
    resolved["data"] = data
    return resolved, lineage


def _defaults_dict(doc: LocatedMapping | None) -> dict[str, Any]:
    return dict(doc.values) if doc else {}


def load_inventory(config: Config) -> Inventory:
    """Read and validate hosts.yaml, groups.yaml and defaults.yaml; raise with every problem found."""
    directory = config.inventory_dir
    problems: list[str] = []
    if not directory.is_dir():
        raise InventoryError(f"inventory folder {directory} does not exist")
    hosts_doc = load_located(directory / "hosts.yaml", problems, required=True)
    groups_doc = load_located(directory / "groups.yaml", problems, required=False)
    defaults_doc = load_located(directory / "defaults.yaml", problems, required=False)

    allowed = config.safety.allowed_networks
    groups: dict[str, dict[str, Any]] = {}
    if groups_doc:
        validate.check_entries(groups_doc, "group", allowed, problems)
        validate.check_group_refs(groups_doc, "group", groups_doc.values, problems)
        validate.check_group_cycles(groups_doc, problems)
        groups = {k: v for k, v in groups_doc.values.items() if isinstance(v, dict)}
    if defaults_doc:
        validate.check_defaults(defaults_doc, allowed, problems)
    defaults = _defaults_dict(defaults_doc)

    hosts: dict[str, HostInfo] = {}
    raw_hosts: dict[str, dict[str, Any]] = {}
    if hosts_doc:
        validate.check_entries(hosts_doc, "host", allowed, problems)
        if groups_doc is not None:
            validate.check_group_refs(hosts_doc, "host", groups, problems)
        resolved_all: dict[str, dict[str, Any]] = {}
        lineages: dict[str, list[str]] = {}
        for name, entry in hosts_doc.values.items():
            if isinstance(entry, dict):
                resolved_all[name], lineages[name] = resolve_host(entry, groups, defaults)
                raw_hosts[name] = entry
        validate.check_resolved(hosts_doc, resolved_all, config.inventory_rules.required_data, problems)
        validate.check_unique_addresses(hosts_doc, resolved_all, problems)
        validate.check_paths(hosts_doc, resolved_all, problems)
        for name, info in resolved_all.items():
            hosts[name] = HostInfo(
                name=name, hostname=str(info.get("hostname") or ""), port=validate.port_of(info),
                platform=str(info.get("platform") or ""), username=info.get("username"),
                groups=tuple(raw_hosts[name].get("groups") or ()), all_groups=tuple(lineages[name]),
                data=info["data"], line=hosts_doc.lines.get(name),
            )
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InventoryError(f"inventory {directory} has {len(problems)} {noun}", problems)
    return Inventory(directory=directory, hosts=hosts, groups=groups, defaults=defaults,
                     raw_hosts=raw_hosts)
