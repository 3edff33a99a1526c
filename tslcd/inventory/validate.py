"""Inventory checks. Every check appends to one list, so the operator sees all problems at once."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from tslcd.inventory.yamlfile import LocatedMapping
from tslcd.platforms import PLATFORMS

HOST_KEYS = {"hostname", "port", "username", "platform", "groups", "data", "connection_options"}
GROUP_KEYS = HOST_KEYS
SECRET_KEYS = {"password", "secret"}


def check_entries(doc: LocatedMapping, kind: str, problems: list[str]) -> None:
    """Shape checks per host or group: known keys, types, no credentials, known platform."""
    for name, entry in doc.values.items():
        where = doc.where(name)
        if not isinstance(entry, dict):
            problems.append(f"{where}: {kind} {name!r} must be a mapping")
            continue
        for key in entry:
            if key in SECRET_KEYS:
                problems.append(
                    f"{doc.where(name, key)}: {kind} {name!r}: {key!r} must not be stored in the "
                    "inventory (use TSLCD_PASSWORD / TSLCD_SECRET or the keyring)"
                )
            elif key not in HOST_KEYS:
                problems.append(
                    f"{doc.where(name, key)}: {kind} {name!r}: unknown key {key!r} "
                    f"(valid: {', '.join(sorted(HOST_KEYS))})"
                )
        _check_types(doc, kind, name, entry, problems)
        platform = entry.get("platform")
        if platform is not None and platform not in PLATFORMS:
            problems.append(
                f"{doc.where(name, 'platform')}: {kind} {name!r}: unknown platform {platform!r} "
                f"(known: {', '.join(sorted(PLATFORMS))})"
            )


def _check_types(doc: LocatedMapping, kind: str, name: str, entry: dict[str, Any],
                 problems: list[str]) -> None:
    expected: dict[str, tuple[type, ...]] = {
        "hostname": (str,), "port": (int,), "username": (str,), "platform": (str,),
        "groups": (list,), "data": (dict,), "connection_options": (dict,),
    }
    for key, types in expected.items():
        value = entry.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            problems.append(
                f"{doc.where(name, key)}: {kind} {name!r}: {key!r} must be "
                f"{types[0].__name__}, got {type(value).__name__}"
            )


def check_group_refs(doc: LocatedMapping, kind: str, defined: Iterable[str],
                     problems: list[str]) -> None:
    """Every group a host or group names must be defined in groups.yaml."""
    known = set(defined)
    for name, entry in doc.values.items():
        if not isinstance(entry, dict):
            continue
        for group in entry.get("groups") or []:
            if group not in known:
                problems.append(
                    f"{doc.where(name, 'groups')}: {kind} {name!r}: group {group!r} is not "
                    "defined in groups.yaml"
                )


def check_group_cycles(groups: LocatedMapping, problems: list[str]) -> None:
    """A group may not be its own ancestor (Nornir would recurse forever)."""
    def parents(name: str) -> list[str]:
        entry = groups.values.get(name)
        return list(entry.get("groups") or []) if isinstance(entry, dict) else []

    for start in groups.values:
        seen: set[str] = set()
        stack = parents(start)
        while stack:
            current = stack.pop()
            if current == start:
                problems.append(f"{groups.where(start, 'groups')}: group {start!r} is its own ancestor")
                break
            if current not in seen:
                seen.add(current)
                stack.extend(parents(current))


def check_unique_addresses(hosts: LocatedMapping, resolved: dict[str, dict[str, Any]],
                           problems: list[str]) -> None:
    """Two hosts with one management address (and port) would be the same device."""
    owner: dict[tuple[str, int], str] = {}
    for name, info in resolved.items():
        address = info.get("hostname")
        if not address:
            continue
        key = (str(address).lower(), int(info.get("port") or 22))
        if key in owner:
            first = owner[key]
            problems.append(
                f"{hosts.where(name, 'hostname')}: host {name!r}: management address {address} "
                f"is already used by host {first!r} ({hosts.where(first, 'hostname')})"
            )
        else:
            owner[key] = name


def check_resolved(hosts: LocatedMapping, resolved: dict[str, dict[str, Any]],
                   required_data: list[str], problems: list[str]) -> None:
    """After inheritance: management address, platform and required data are present."""
    for name, info in resolved.items():
        where = hosts.where(name)
        if not info.get("hostname"):
            problems.append(f"{where}: host {name!r}: no management address (hostname)")
        else:
            _check_address(hosts, name, str(info["hostname"]), problems)
        if not info.get("platform"):
            problems.append(f"{where}: host {name!r}: no platform (set it on the host or a group)")
        data = info.get("data") or {}
        for key in required_data:
            if data.get(key) in (None, ""):
                problems.append(f"{where}: host {name!r}: missing required data {key!r}")
        _check_level(hosts, name, data, problems)
        for key in ("lan_prefix", "wan_prefix"):
            value = data.get(key)
            if value:
                try:
                    ipaddress.ip_network(str(value), strict=False)
                except ValueError:
                    problems.append(
                        f"{hosts.where(name, 'data.' + key)}: host {name!r}: {key} {value!r} is "
                        "not a valid prefix"
                    )


def _check_level(hosts: LocatedMapping, name: str, data: dict[str, Any], problems: list[str]) -> None:
    """The agency system's security level (cấp độ, Decree 85/2016): 1 to 5, set here or inherited."""
    level = data.get("security_level")
    if level is not None and (isinstance(level, bool) or level not in (1, 2, 3, 4, 5)):
        problems.append(f"{hosts.where(name, 'data.security_level')}: host {name!r}: security_level "
                        f"{level!r} must be a level from 1 to 5 (set on the host or inherited from a group)")


def _check_address(hosts: LocatedMapping, name: str, address: str, problems: list[str]) -> None:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        if not all(part.replace("-", "").isalnum() for part in address.split(".")):
            problems.append(
                f"{hosts.where(name, 'hostname')}: host {name!r}: management address {address!r} "
                "is neither an IP address nor a host name"
            )
