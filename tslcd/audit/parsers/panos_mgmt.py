"""PAN-OS management-plane facts for the hardening checks.

Management services (``deviceconfig system service disable-telnet/disable-http`` and the interface
management profiles), who may reach management (``permitted-ip``), SNMP communities, syslog and NTP
servers, the administrators' idle timeout, and IKE/IPsec crypto profiles.
"""

from __future__ import annotations

from tslcd.audit.model import Evidence, ParsedConfig
from tslcd.audit.parsers.panos_tree import PNode

MAX_IDLE_MINUTES = 15  # longer (or 0: never) leaves an unattended admin session open
_DEFAULT_IDLE_MINUTES = 60  # PAN-OS's idle timeout when none is set
_WEAK_CIPHERS = {"des", "3des"}
_WEAK_HASHES = {"md5", "sha1"}
_WEAK_DH = {"group1", "group2", "group5"}


def management(parsed: ParsedConfig, root: PNode) -> None:
    """Gather every management fact of the device (and of a Panorama's own deviceconfig)."""
    devices = root.entries("devices") or [root]
    for dev in devices:
        config = dev.child("deviceconfig")
        if config is not None:
            _system(parsed, config)
        for profile in dev.entries("network", "profiles", "interface-management-profile"):
            _profile(parsed, profile)
        _crypto(parsed, dev.child("network", "ike", "crypto-profiles"))
        for vsys in [dev, *dev.entries("vsys")]:
            _syslog(parsed, vsys)
    _syslog(parsed, root.child("shared") or PNode("", 0))
    _syslog(parsed, root)


def _system(parsed: ParsedConfig, config: PNode) -> None:
    mgmt = parsed.mgmt
    system = config.child("system") or PNode("system", 0)
    for key, facts, label in (("disable-telnet", mgmt.telnet, "telnet"), ("disable-http", mgmt.http, "http")):
        node = system.child("service", key)
        if node is not None and node.values[-1:] == ["no"]:
            facts.append(Evidence(node.line, f"deviceconfig system service {key} no ({label} on management)"))
    if not system.entries("permitted-ip") and not system.members("permitted-ip"):
        mgmt.unrestricted.append(Evidence(system.line, "deviceconfig system: no permitted-ip"))
    community = system.child("snmp-setting", "access-setting", "version", "v2c", "snmp-community-string")
    if community is not None and community.values and community.values[-1].lower() in ("public", "private"):
        mgmt.snmp_weak.append(Evidence(community.line, f"snmp-community-string {community.values[-1]}"))
    for server in ("primary-ntp-server", "secondary-ntp-server"):
        address = system.get("ntp-servers", server, "ntp-server-address")
        if address:
            mgmt.ntp_servers.append(address)
    idle = config.child("setting", "management", "idle-timeout")
    if idle is None:
        mgmt.idle_timeout.append(
            Evidence(system.line, f"no idle-timeout (PAN-OS default {_DEFAULT_IDLE_MINUTES} minutes)")
        )
    elif idle.values and idle.values[-1].isdigit():
        minutes = int(idle.values[-1])
        if minutes == 0 or minutes > MAX_IDLE_MINUTES:
            shown = "never" if minutes == 0 else f"{minutes} minutes"
            mgmt.idle_timeout.append(Evidence(idle.line, f"idle-timeout {idle.values[-1]} ({shown})"))


def _profile(parsed: ParsedConfig, profile: PNode) -> None:
    """An interface management profile: telnet/http on a data interface, and from where."""
    enabled = [s for s in ("telnet", "http", "https", "ssh", "snmp") if profile.get(s) == "yes"]
    for service, facts in (("telnet", parsed.mgmt.telnet), ("http", parsed.mgmt.http)):
        if service in enabled:
            node = profile.child(service)
            facts.append(Evidence(node.line if node else profile.line,
                                  f"interface-management-profile {profile.name}: {service} yes"))
    if enabled and not profile.entries("permitted-ip") and not profile.members("permitted-ip"):
        parsed.mgmt.unrestricted.append(
            Evidence(profile.line, f"interface-management-profile {profile.name}: no permitted-ip")
        )


def _syslog(parsed: ParsedConfig, node: PNode) -> None:
    for profile in node.entries("log-settings", "syslog"):
        for server in profile.entries("server"):
            address = server.get("server")
            if address and address not in parsed.mgmt.syslog_servers:
                parsed.mgmt.syslog_servers.append(address)


def _crypto(parsed: ParsedConfig, profiles: PNode | None) -> None:
    """IKE and IPsec crypto profiles proposing DES/3DES, MD5/SHA1 or DH groups below 14."""
    if profiles is None:
        return
    for kind, fields in (
        ("ike-crypto-profiles", ("encryption", "hash", "dh-group")),
        ("ipsec-crypto-profiles", (("esp", "encryption"), ("esp", "authentication"), "dh-group")),
    ):
        for profile in profiles.entries(kind):
            for key in fields:
                path = key if isinstance(key, tuple) else (key,)
                node = profile.child(*path)
                if node is None:
                    continue
                weak = [v for v in node.values if v in _WEAK_CIPHERS | _WEAK_HASHES | _WEAK_DH]
                if weak:
                    parsed.mgmt.weak_crypto.append(
                        Evidence(node.line, f"{kind} {profile.name}: {' '.join(path)} {' '.join(weak)}")
                    )
