"""The one place that decides whether tslcd may connect to an address (``safety.allowed_networks``).

A name is looked up once; every address it resolves to must be allowed, and the caller connects to
the returned address, never to the name again, so a second DNS answer cannot redirect the
connection after the check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

from tslcd.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class NotAllowedError(InputError):
    """An address (or every address of a name) is outside ``safety.allowed_networks``."""


def networks(allowed: Sequence[str]) -> list[IPNetwork]:
    """The allowed networks as objects (the config loader has already checked they parse)."""
    return [ipaddress.ip_network(n, strict=False) for n in allowed]


def literal(value: str) -> IPAddress | None:
    """``value`` as an IP address, or None when it is a name."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_allowed(address: IPAddress, allowed: Sequence[str]) -> bool:
    """True when ``address`` lies inside one of the allowed networks."""
    return any(address in net for net in networks(allowed))


def resolve_checked(name: str, allowed: Sequence[str], what: str) -> str:
    """The one address to connect to for ``name``: looked up once, every answer checked.

    ``what`` names the connection in errors (``host 'stc-r1' netmiko``, ``webhook``).
    """
    address = literal(name)
    if address is not None:
        found = [address]
    else:
        try:
            infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            raise NotAllowedError(f"{what}: cannot resolve {name!r}: {exc}") from None
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        if not found:
            raise NotAllowedError(f"{what}: {name!r} resolves to no address")
    for address in found:
        if not is_allowed(address, allowed):
            shown = f"{name} ({address})" if str(address) != name else name
            raise NotAllowedError(
                f"{what}: address {shown} is outside safety.allowed_networks "
                f"({', '.join(allowed)}); tslcd will not connect to it")
    return str(found[0])
