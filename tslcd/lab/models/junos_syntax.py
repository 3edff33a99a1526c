"""What a JunOS CLI refuses in a configuration statement, with the device's own error texts.

The device checks every word against its schema as it is typed. The lab knows the top of the
schema (the hierarchy's first level and the statements under ``system`` and ``security``, from
Juniper's CLI reference) and the value types its users type most: IPv4 addresses and prefixes,
port numbers and ranges. A refusal names the word it stopped at, as JunOS puts a caret under it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

TOP_LEVEL = frozenset({
    "access", "access-profile", "accounting-options", "applications", "apply-groups",
    "apply-groups-except", "bridge-domains", "chassis", "class-of-service", "dynamic-profiles",
    "ethernet-switching-options", "event-options", "firewall", "forwarding-options", "groups",
    "interfaces", "logical-systems", "multi-chassis", "multicast-snooping-options", "poe",
    "policy-options", "protocols", "routing-instances", "routing-options", "schedulers", "security",
    "services", "smtp", "snmp", "switch-options", "system", "tenants", "unified-edge", "version",
    "virtual-chassis", "vlans", "vmhost", "wlan",
})
UNDER: dict[str, frozenset[str]] = {
    "system": frozenset({
        "accounting", "allow-configuration", "apply-groups", "archival", "arp", "authentication-order",
        "auto-snapshot", "backup-router", "commit", "compress-configuration-files", "config-button",
        "default-address-selection", "dhcp-local-server", "diag-port-authentication", "domain-name",
        "domain-search", "dump-device", "extensions", "host-name", "inet6-backup-router",
        "internet-options", "license", "location", "login", "management-instance",
        "max-configurations-on-flash",
        "name-resolution", "name-server", "no-multicast-echo", "no-ping-record-route",
        "no-ping-time-stamp", "no-redirects", "no-redirects-ipv6", "ntp", "phone-home", "ports",
        "processes", "radius-options", "radius-server", "root-authentication", "scripts", "security-profile",
        "services", "static-host-mapping", "syslog", "tacplus-options", "tacplus-server", "time-zone",
        "tracing",
    }),
    "security": frozenset({
        "address-book", "alg", "application-tracking", "authentication-key-chains", "certificates",
        "dynamic-address", "flow", "forwarding-options", "forwarding-process", "gprs", "idp", "ike",
        "ipsec", "ipsec-policy", "log", "nat", "pki", "policies", "screen", "ssh-known-hosts", "utm",
        "zones", "intrusion-detection", "macsec", "tcp-encap", "user-identification", "key-chain",
    }),
}
#: Keywords followed by a port number or range.
PORT_WORDS = frozenset({"destination-port", "source-port", "port"})
_DOTTED = re.compile(r"^\d+\.\d+\.\d+\.\d+(?:/\d+(?:\.\d+\.\d+\.\d+)?)?$")
_PORT = re.compile(r"^(\d+)(?:-(\d+))?$")
PORT_MAX = 65535


@dataclass(frozen=True)
class Refusal:
    """Why a statement was refused: the word the caret points at and the message."""

    word: int  # index of the offending word in the statement (after set/delete)
    message: str


def _address(word: str) -> str | None:
    """JunOS's complaint about a dotted address or prefix (None: it is valid)."""
    address, _, length = word.partition("/")
    try:
        ipaddress.IPv4Address(address)
        if "." in length:  # a wildcard mask (address/mask)
            ipaddress.IPv4Address(length)
    except ValueError:
        return f"invalid ip address or hostname: {word}"
    if length and "." not in length and int(length) > 32:
        return f"invalid prefix length: {length}"
    return None


def _port(word: str) -> str | None:
    match = _PORT.match(word)
    if match is None:
        return None  # a named port (https, ssh): the schema's enumeration, not modelled
    for value in match.groups():
        if value is not None and int(value) > PORT_MAX:
            return f"Value {value} is not within range (0..{PORT_MAX})"
    return None


def check(path: list[str]) -> Refusal | None:
    """The refusal of ``set <path>`` (None: the device takes it)."""
    if not path or path[0] not in TOP_LEVEL:
        return Refusal(0, "syntax error.")
    allowed = UNDER.get(path[0])
    if allowed is not None and len(path) > 1 and path[1] not in allowed:
        return Refusal(1, "syntax error.")
    for i, word in enumerate(path):
        bare = word.strip('"')
        if _DOTTED.match(bare) and (problem := _address(bare)):
            return Refusal(i, "error: " + problem)
        if i > 0 and path[i - 1] in PORT_WORDS and (problem := _port(bare)):
            return Refusal(i, "error: " + problem)
    return None


def caret(prompt_width: int, words: list[str], index: int, line: str) -> str:
    """The caret line under the refused word, as JunOS prints it below the typed line."""
    at = 0
    for i, word in enumerate(words):
        at = line.find(word, at)
        if i == index:
            break
        at += len(word)
    return " " * (prompt_width + max(at, 0)) + "^"
