"""Inventory checks. Every check appends to one list, so the operator sees all problems at once."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from tslcd import netguard
from tslcd.inventory.yamlfile import LocatedMapping
from tslcd.platforms import PLATFORMS
from tslcd.store.configs import layout_path

HOST_KEYS = {"hostname", "port", "username", "platform", "groups", "data", "connection_options"}
DEFAULTS_KEYS = HOST_KEYS - {"groups"}
#: The connection plugins tslcd opens; options for any other would be silently unused.
CONNECTIONS = ("netmiko", "napalm")
OPTION_KEYS = {"hostname", "port", "username", "extras"}
#: Keys inside ``extras`` (at any depth) that name the address a driver connects to.
ADDRESS_KEYS = {"host", "ip", "hostname"}
#: Keys inside ``extras`` that route a session around the address check: refused outright.
_ROUTE_KEY = re.compile(r"^(sock|sock_telnet|ssh_config_file|.*proxy.*|.*jump.*|.*tunnel.*)$", re.I)
#: Keys inside ``extras`` that pick another driver or transport (telnet sends the login in clear).
_DRIVER_KEY = re.compile(r"^(device_type|transport|protocol)$", re.I)
#: Keys inside ``extras`` that write the session (device secrets included) to a file of their choosing.
_FILE_KEY = re.compile(r"^session_log.*$", re.I)
#: A host or group name, and anything else that becomes part of a file path.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
_DNS_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
                       r"(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$")
_SECRET_WORDS = {"password", "passwd", "pass", "passphrase", "pwd", "secret", "secrets", "token",
                 "apikey", "psk", "community", "credential", "credentials"}
_SECRET_JOINED = ("password", "secret", "apikey", "privatekey", "presharedkey", "authkey")

Locate = Callable[[str], str]


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: object) -> bool:
    """Whether a mapping key names a credential (``password``, ``enable_secret``, ``api-key``...)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", str(key)).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    return bool(_SECRET_WORDS.intersection(words)) or any(j in "".join(words) for j in _SECRET_JOINED)


def _walk(value: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """Every mapping key at any depth as (dotted path, key, value); list items keep their parent's path."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key), item
            yield from _walk(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def port_of(info: dict[str, Any]) -> int:
    """The resolved port, 22 when unset or not a number (that is reported on its own)."""
    port = info.get("port")
    return port if isinstance(port, int) and not isinstance(port, bool) else 22


def check_names(doc: LocatedMapping, kind: str, problems: list[str]) -> None:
    """Host and group names end up in file paths, environment variables and commands."""
    for name in doc.values:
        if not SAFE_NAME.match(str(name)):
            problems.append(
                f"{doc.where(name)}: {kind} name {name!r} is not allowed (letters, digits, '.', "
                "'_', '-' only; not starting with '.' or '-'; at most 128 characters)")


def check_entry_body(entry: dict[str, Any], label: str, locate: Locate, allowed: Sequence[str],
                     problems: list[str]) -> None:
    """Checks every source of inventory data needs (hosts, groups, defaults.yaml): no credential
    anywhere, ports in range, connection options that only reach allowed addresses."""
    for path, key, _value in _walk(entry, ""):
        if is_secret_key(key):
            problems.append(
                f"{locate(path)}: {label}: {path!r} must not be stored in the inventory (it looks "
                "like a credential; use TSLCD_PASSWORD / TSLCD_SECRET or the keyring)")
    _check_port(entry.get("port"), "port", label, locate, problems)
    options = entry.get("connection_options")
    if isinstance(options, dict):
        _check_connection_options(options, label, locate, allowed, problems)


def _check_port(value: Any, path: str, label: str, locate: Locate, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
        problems.append(f"{locate(path)}: {label}: {path!r} {value!r} is not a port (1-65535)")


def _check_address(value: Any, path: str, label: str, locate: Locate, allowed: Sequence[str],
                   problems: list[str]) -> None:
    address = netguard.literal(value) if isinstance(value, str) else None
    if address is not None:
        if not netguard.is_allowed(address, allowed):
            problems.append(
                f"{locate(path)}: {label}: {path!r} {value} is outside the allowed networks "
                f"({', '.join(allowed)}); tslcd will not connect to it")
    elif not isinstance(value, str) or not _DNS_NAME.match(value):
        problems.append(f"{locate(path)}: {label}: {path!r} {value!r} is neither an IP address "
                        "nor a host name")


def _check_connection_options(options: dict[str, Any], label: str, locate: Locate,
                              allowed: Sequence[str], problems: list[str]) -> None:
    for connection, settings in options.items():
        base = f"connection_options.{connection}"
        if connection not in CONNECTIONS:
            problems.append(f"{locate(base)}: {label}: connection {connection!r} is never opened by "
                            f"tslcd (known: {', '.join(CONNECTIONS)})")
            continue
        if not isinstance(settings, dict):
            problems.append(f"{locate(base)}: {label}: {base!r} must be a mapping")
            continue
        for key, value in settings.items():
            path = f"{base}.{key}"
            if key not in OPTION_KEYS:
                if not is_secret_key(key):
                    problems.append(f"{locate(path)}: {label}: unknown key {path!r} "
                                    f"(valid: {', '.join(sorted(OPTION_KEYS))})")
            elif key == "hostname" and value is not None:
                _check_address(value, path, label, locate, allowed, problems)
            elif key == "port":
                _check_port(value, path, label, locate, problems)
            elif key == "extras" and value is not None:
                if not isinstance(value, dict):
                    problems.append(f"{locate(path)}: {label}: {path!r} must be a mapping")
                    continue
                _check_extras(value, path, label, locate, allowed, problems)


def _check_extras(extras: dict[str, Any], base: str, label: str, locate: Locate,
                  allowed: Sequence[str], problems: list[str]) -> None:
    for sub, key, value in _walk(extras, ""):
        path = f"{base}.{sub}"
        if _ROUTE_KEY.match(key):
            problems.append(
                f"{locate(path)}: {label}: {path!r} would route the session around the "
                "allowed-networks check (sockets, proxies, jump hosts and ssh config files are "
                "not taken from the inventory)")
        elif _DRIVER_KEY.match(key):
            problems.append(
                f"{locate(path)}: {label}: {path!r} would pick another driver or transport (telnet "
                "sends the login in clear); the driver comes from the host's platform")
        elif _FILE_KEY.match(key):
            problems.append(
                f"{locate(path)}: {label}: {path!r} would write the device session, secrets "
                "included, to a file outside the data folder; refused")
        elif key in ADDRESS_KEYS and value is not None:
            _check_address(value, path, label, locate, allowed, problems)
        elif key == "port":
            _check_port(value, path, label, locate, problems)


def check_entries(doc: LocatedMapping, kind: str, allowed: Sequence[str], problems: list[str]) -> None:
    """Shape checks per host or group: safe name, known keys, types, no credentials, known
    platform, connection options inside the allowed networks."""
    check_names(doc, kind, problems)
    for name, entry in doc.values.items():
        where = doc.where(name)
        if not isinstance(entry, dict):
            problems.append(f"{where}: {kind} {name!r} must be a mapping")
            continue
        for key in entry:
            if key not in HOST_KEYS and not is_secret_key(key):
                problems.append(
                    f"{doc.where(name, key)}: {kind} {name!r}: unknown key {key!r} "
                    f"(valid: {', '.join(sorted(HOST_KEYS))})"
                )
        _check_types(entry, f"{kind} {name!r}", lambda path, n=name: doc.where(n, path), problems)
        check_entry_body(entry, f"{kind} {name!r}", lambda path, n=name: doc.where(n, path),
                         allowed, problems)
        _check_platform(entry, f"{kind} {name!r}", lambda path, n=name: doc.where(n, path), problems)


def check_defaults(doc: LocatedMapping, allowed: Sequence[str], problems: list[str]) -> None:
    """defaults.yaml is inherited by every host: it gets the same checks as a host."""
    def locate(path: str) -> str:
        head, _, rest = path.partition(".")
        return doc.where(head, rest or None)

    for key in doc.values:
        if key not in DEFAULTS_KEYS and not is_secret_key(key):
            problems.append(f"{doc.where(key)}: defaults: unknown key {key!r} "
                            f"(valid: {', '.join(sorted(DEFAULTS_KEYS))})")
    _check_types(doc.values, "defaults", locate, problems)
    check_entry_body(doc.values, "defaults", locate, allowed, problems)
    _check_platform(doc.values, "defaults", locate, problems)


def _check_platform(entry: dict[str, Any], label: str, locate: Locate, problems: list[str]) -> None:
    platform = entry.get("platform")
    if platform is not None and platform not in PLATFORMS:
        problems.append(
            f"{locate('platform')}: {label}: unknown platform {platform!r} "
            f"(known: {', '.join(sorted(PLATFORMS))})"
        )


def _check_types(entry: dict[str, Any], label: str, locate: Locate, problems: list[str]) -> None:
    expected: dict[str, tuple[type, ...]] = {
        "hostname": (str,), "port": (int,), "username": (str,), "platform": (str,),
        "groups": (list,), "data": (dict,), "connection_options": (dict,),
    }
    for key, types in expected.items():
        value = entry.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            problems.append(
                f"{locate(key)}: {label}: {key!r} must be "
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
        key = (str(address).lower(), port_of(info))
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
        elif not (netguard.literal(str(info["hostname"])) or _DNS_NAME.match(str(info["hostname"]))):
            problems.append(
                f"{hosts.where(name, 'hostname')}: host {name!r}: management address "
                f"{info['hostname']!r} is neither an IP address nor a host name")
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


#: Host data that becomes folders of the backup repository (``<agency_type>/<agency_code>/<host>.cfg``).
PATH_DATA = ("agency_type", "agency_code")


def check_paths(hosts: LocatedMapping, resolved: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """Data used as a folder name is a safe name, and no two hosts share one backup file
    (``stc/r1`` and ``stc-r1`` once flattened to one path and overwrote each other)."""
    owner: dict[str, str] = {}
    for name, info in resolved.items():
        data = info.get("data") or {}
        for key in PATH_DATA:
            value = data.get(key)
            if value not in (None, "") and not SAFE_NAME.match(str(value)):
                problems.append(
                    f"{hosts.where(name, 'data.' + key)}: host {name!r}: {key} {value!r} names a "
                    "backup folder: letters, digits, '.', '_', '-' only, not starting with '.' or '-'")
        path = layout_path(name, data.get("agency_type"), data.get("agency_code")).casefold()
        if path in owner:
            problems.append(
                f"{hosts.where(name)}: host {name!r}: its backup file {path} is already host "
                f"{owner[path]!r}'s ({hosts.where(owner[path])})")
        else:
            owner[path] = name
