"""Builds the Nornir object every device action runs on, from the validated inventory.

Credentials are attached here (never read from the inventory), the lab's port and credentials
replace the real ones for ``--lab`` runs, and no host outside the allowed networks gets through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nornir.core import Nornir
from nornir.core.configuration import Config as NornirConfig
from nornir.core.inventory import ConnectionOptions, Defaults, Group, Groups, Host, Hosts, ParentGroups
from nornir.core.inventory import Inventory as NornirInventory
from nornir.plugins.inventory.simple import _get_defaults, _get_inventory_element
from nornir.plugins.runners import ThreadedRunner

from tslcd import netguard
from tslcd.config import Config
from tslcd.inventory.credentials import CredentialResolver, Credentials
from tslcd.inventory.model import HostInfo, Inventory
from tslcd.inventory.validate import ADDRESS_KEYS, CONNECTIONS
from tslcd.platforms import PLATFORMS

#: Extras keys that name the address, most specific first (Netmiko: ``ip`` beats ``host``;
#: NAPALM: ``hostname`` beats the connection's own hostname).
_ADDRESS_ORDER = ("ip", "host", "hostname")


@dataclass(frozen=True)
class Target:
    """Where one connection of a host really goes, as Nornir resolves it (host > groups > defaults)."""

    connection: str
    name: str  # the address as written (IP or DNS name)
    port: int
    extras: dict[str, Any]  # the inventory's extras, address and port keys taken out


def _effective(params: ConnectionOptions, connection: str) -> Target:
    extras = dict(params.extras or {})
    optional = dict(extras.get("optional_args") or {})
    address = params.hostname
    for key in reversed(_ADDRESS_ORDER):  # most specific last, so it wins
        if extras.get(key):
            address = extras[key]
    port = optional.get("port") or extras.get("port") or params.port or 22
    for key in (*ADDRESS_KEYS, "port"):
        extras.pop(key, None)
        optional.pop(key, None)
    if "optional_args" in extras:
        extras["optional_args"] = optional
    return Target(connection, str(address or ""), int(port), extras)


def targets(host: Host) -> list[Target]:
    """Every connection tslcd may open to ``host`` and where Nornir would send it."""
    return [_effective(host.get_connection_parameters(name), name) for name in CONNECTIONS]


class NornirBuilder:
    """Nornir hosts built from the raw inventory, exactly as Nornir's SimpleInventory would."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.defaults: Defaults = _get_defaults(inventory.defaults)
        self.groups = Groups()
        for name, entry in inventory.groups.items():
            self.groups[name] = _get_inventory_element(Group, entry, name, self.defaults)
        for group in self.groups.values():
            group.groups = ParentGroups([self.groups[g] for g in group.groups])

    def host(self, info: HostInfo) -> Host:
        """The host with its inventory connection options, groups and defaults attached."""
        host: Host = _get_inventory_element(Host, dict(self.inventory.raw_hosts[info.name]),
                                            info.name, self.defaults)
        host.groups = ParentGroups([self.groups[g] for g in host.groups])
        host.hostname = info.hostname
        host.platform = info.platform
        host.port = info.port
        return host


def check_targets(config: Config, inventory: Inventory, hosts: Sequence[HostInfo]) -> list[str]:
    """Problems (``file:line: ...``) with any address a connection of ``hosts`` would use.

    Names are resolved here, so ``inventory check`` also catches a name whose DNS answer lies
    outside the allowed networks.
    """
    builder = NornirBuilder(inventory)
    problems: list[str] = []
    for info in hosts:
        for target in targets(builder.host(info)):
            try:
                netguard.resolve_checked(target.name, config.safety.allowed_networks,
                                         f"host {info.name!r} {target.connection} connection")
            except netguard.NotAllowedError as exc:
                where = f"{inventory.directory / 'hosts.yaml'}:{info.line}" if info.line else info.name
                problems.append(f"{where}: {exc}")
    return list(dict.fromkeys(problems))


def _base_extras(config: Config, connection: str, creds: Credentials,
                 platform: str | None) -> dict[str, Any]:
    """tslcd's timeouts and the platform's SSH options, as ``connection``'s plugin takes them."""
    t = config.timeouts
    timeouts = {"conn_timeout": t.connect, "banner_timeout": t.banner, "auth_timeout": t.auth,
                "read_timeout_override": t.command}
    ssh = dict(PLATFORMS[platform].ssh_options) if platform in PLATFORMS else {}
    if connection == "napalm":
        return {"timeout": int(t.command), "optional_args": {"secret": creds.secret, **timeouts, **ssh}}
    return {"secret": creds.secret, **timeouts, **ssh}


def _merged(base: dict[str, Any], inventory_extras: dict[str, Any], creds: Credentials) -> dict[str, Any]:
    """tslcd's timeouts, overridden by the inventory's extras; the secret always tslcd's own."""
    merged = {**base, **inventory_extras}
    if "optional_args" in base:
        merged["optional_args"] = {**base["optional_args"], **(inventory_extras.get("optional_args") or {}),
                                   "secret": creds.secret}
    else:
        merged["secret"] = creds.secret
        merged["ssh_config_file"] = None  # ~/.ssh/config may name another HostName or a ProxyCommand
    return merged


def pinned_targets(host: Host, config: Config) -> list[tuple[Target, str]]:
    """Every connection of ``host`` with the one checked address it must use (each name looked
    up once); raises NotAllowedError before any credential is asked for."""
    pinned: dict[str, str] = {}
    plan = []
    for target in targets(host):
        if target.name not in pinned:
            pinned[target.name] = netguard.resolve_checked(
                target.name, config.safety.allowed_networks,
                f"host {host.name!r} {target.connection} connection")
        plan.append((target, pinned[target.name]))
    return plan


def pin_connections(host: Host, plan: list[tuple[Target, str]], config: Config, creds: Credentials,
                    lab_port: int | None) -> None:
    """Make Nornir open each connection to exactly its checked address, with tslcd's options."""
    for target, address in plan:
        host.connection_options[target.connection] = ConnectionOptions(
            hostname=address, port=lab_port or target.port,
            username=creds.username, password=creds.password,
            platform=host.platform,
            extras=_merged(_base_extras(config, target.connection, creds, host.platform),
                           target.extras, creds))
    host.hostname = plan[0][1] if plan else host.hostname
    host.username = creds.username
    host.password = creds.password


def make_nornir(config: Config, inventory: Inventory, hosts: Sequence[HostInfo], *,
                lab_credentials: Credentials | None = None,
                resolver: CredentialResolver | None = None,
                workers: int | None = None) -> Nornir:
    """A Nornir object over ``hosts`` with credentials attached and the safety guard applied.

    ``lab_credentials`` set means a ``--lab`` run: every host gets the lab's credentials and port.
    """
    resolver = resolver or CredentialResolver()
    credentials_for: Callable[[HostInfo], Credentials] = (
        (lambda _h: lab_credentials) if lab_credentials else resolver.for_host
    )
    builder = NornirBuilder(inventory)
    nornir_hosts = Hosts()
    for info in hosts:
        host = builder.host(info)
        plan = pinned_targets(host, config)
        pin_connections(host, plan, config, credentials_for(info),
                        config.lab.port if lab_credentials else None)
        nornir_hosts[info.name] = host
    nornir_inventory = NornirInventory(hosts=nornir_hosts, groups=builder.groups,
                                       defaults=builder.defaults)
    nornir_config = NornirConfig(runner={"plugin": "threaded",
                                         "options": {"num_workers": workers or config.workers}})
    return Nornir(inventory=nornir_inventory, config=nornir_config,
                  runner=ThreadedRunner(num_workers=workers or config.workers))
