"""Builds the Nornir object every device action runs on, from the validated inventory.

Credentials are attached here (never read from the inventory), the lab's port and credentials
replace the real ones for ``--lab`` runs, and no host outside the allowed networks gets through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any

from nornir.core import Nornir
from nornir.core.configuration import Config as NornirConfig
from nornir.core.inventory import Defaults, Group, Groups, Host, Hosts, ParentGroups
from nornir.core.inventory import Inventory as NornirInventory
from nornir.plugins.inventory.simple import _get_defaults, _get_inventory_element
from nornir.plugins.runners import ThreadedRunner

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory.credentials import CredentialResolver, Credentials
from tslcd.inventory.model import HostInfo, Inventory


def check_allowed(host: HostInfo, networks: Sequence[str]) -> None:
    """Refuse a host whose management address lies outside the allowed networks."""
    allowed = [ipaddress.ip_network(n, strict=False) for n in networks]
    try:
        addresses = [ipaddress.ip_address(host.hostname)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host.hostname, None)
        except OSError as exc:
            raise InputError(f"host {host.name!r}: cannot resolve {host.hostname!r}: {exc}") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not any(address in net for net in allowed):
            raise InputError(
                f"host {host.name!r}: management address {address} is outside the allowed networks "
                f"({', '.join(networks)}); tslcd will not connect to it (see safety.allowed_networks)"
            )


def _connection_options(config: Config, creds: Credentials, napalm_extra: dict[str, Any]) -> dict:
    t = config.timeouts
    netmiko_extras = {
        "secret": creds.secret, "conn_timeout": t.connect, "banner_timeout": t.banner,
        "auth_timeout": t.auth, "read_timeout_override": t.command,
    }
    optional_args = {"secret": creds.secret, "conn_timeout": t.connect,
                     "banner_timeout": t.banner, "auth_timeout": t.auth,
                     "read_timeout_override": t.command, **napalm_extra.get("optional_args", {})}
    return {
        "netmiko": {"extras": netmiko_extras},
        "napalm": {"extras": {"timeout": int(t.command), "optional_args": optional_args}},
    }


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
    defaults: Defaults = _get_defaults(inventory.defaults)
    groups = Groups()
    for name, entry in inventory.groups.items():
        groups[name] = _get_inventory_element(Group, entry, name, defaults)
    for group in groups.values():
        group.groups = ParentGroups([groups[g] for g in group.groups])
    nornir_hosts = Hosts()
    for info in hosts:
        check_allowed(info, config.safety.allowed_networks)
        creds = credentials_for(info)
        entry = dict(inventory.raw_hosts[info.name])
        napalm_extra = (
            ((inventory.groups.get(info.platform) or {}).get("connection_options") or {})
            .get("napalm", {}).get("extras", {})
        )
        entry["connection_options"] = _connection_options(config, creds, napalm_extra)
        host: Host = _get_inventory_element(Host, entry, info.name, defaults)
        host.groups = ParentGroups([groups[g] for g in host.groups])
        host.hostname = info.hostname
        host.platform = info.platform
        host.port = config.lab.port if lab_credentials else info.port
        host.username = creds.username
        host.password = creds.password
        nornir_hosts[info.name] = host
    nornir_inventory = NornirInventory(hosts=nornir_hosts, groups=groups, defaults=defaults)
    nornir_config = NornirConfig(runner={"plugin": "threaded",
                                         "options": {"num_workers": workers or config.workers}})
    return Nornir(inventory=nornir_inventory, config=nornir_config,
                  runner=ThreadedRunner(num_workers=workers or config.workers))
