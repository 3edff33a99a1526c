"""JunOS management-plane facts for the hardening checks (tslcd/audit/checks/management.py).

``system services telnet`` -> mgmt-telnet; ``web-management http`` -> mgmt-http; SSH, telnet,
web or NETCONF reachable while no lo0 input filter restricts sources -> mgmt-unrestricted (on
an SRX, each zone's ``host-inbound-traffic system-services`` that lets them in); ``ssh
protocol-version v1`` -> ssh-v1; SNMP community public/private -> snmp-weak; IKE/IPsec DES,
3DES, MD5, SHA-1 or DH group < 14 -> weak-crypto; ``system syslog host`` and ``system ntp
server`` -> remote syslog / NTP.
"""

from __future__ import annotations

from tslcd.audit.model import Evidence, ParsedConfig
from tslcd.audit.parsers.junos_tree import Config, Stmt

_MGMT_SERVICES = {"ssh", "telnet", "web-management", "netconf", "rest", "all"}
_WEAK = {
    "dh-group": {"group1", "group2", "group5"},
    "encryption-algorithm": {"des-cbc", "3des-cbc"},
    "authentication-algorithm": {"md5", "sha1", "hmac-md5-96", "hmac-sha1-96"},
}


def management(parsed: ParsedConfig, config: Config) -> None:
    """Fill ``parsed.mgmt`` from the active statements."""
    mgmt = parsed.mgmt
    services: list[Stmt] = []
    for s in config.stmts:
        if s.inactive:
            continue
        w = s.words
        text = " ".join(w)
        if w[:2] == ("system", "services") and len(w) > 2:
            services.append(s)
            if w[2] == "telnet":
                _once(mgmt.telnet, s, text)
            elif w[2] == "web-management" and w[3:4] == ("http",):
                _once(mgmt.http, s, text)
            elif w[2] == "ssh" and w[3:5] == ("protocol-version", "v1"):
                mgmt.ssh_v1.append(Evidence(s.line, text))
        elif (
            w[0] == "snmp"
            and w[1:2] == ("community",)
            and len(w) > 2
            and w[2].lower() in ("public", "private")
        ):
            _once(mgmt.snmp_weak, s, f"snmp community {w[2]}")
        elif w[:2] == ("system", "syslog") and w[2:3] == ("host",) and len(w) > 3:
            if w[3] not in mgmt.syslog_servers:
                mgmt.syslog_servers.append(w[3])
        elif w[:2] == ("system", "ntp") and w[2:3] == ("server",) and len(w) > 3:
            if w[3] not in mgmt.ntp_servers:
                mgmt.ntp_servers.append(w[3])
        elif w[1:2] in (("ike",), ("ipsec",)) and w[0] == "security" and _weak_proposal(w):
            mgmt.weak_crypto.append(Evidence(s.line, text))
    _unrestricted(parsed, config, services)


def _weak_proposal(w: tuple[str, ...]) -> bool:
    """``security ike|ipsec proposal P KEY VALUE`` with a weak value."""
    return w[2:3] == ("proposal",) and len(w) > 5 and w[5] in _WEAK.get(w[4], ())


def _once(evidence: list[Evidence], s: Stmt, text: str) -> None:
    """One piece of evidence per statement head (``telnet`` and its options are one finding)."""
    if not evidence or evidence[-1].text.split()[:3] != text.split()[:3]:
        evidence.append(Evidence(s.line, text))


def _unrestricted(parsed: ParsedConfig, config: Config, services: list[Stmt]) -> None:
    enabled = [s for s in services if s.words[2] in _MGMT_SERVICES]
    if not enabled or any(
        b.where.startswith("interface lo0") and b.where.endswith("input") for b in parsed.bindings
    ):
        return
    zones = [
        s
        for s in config.under("security", "zones", "security-zone")
        if "host-inbound-traffic" in s.words
        and "system-services" in s.words
        and s.words[-1] in _MGMT_SERVICES | {"http", "https"}
        and "except" not in s.words
    ]
    if config.under("security", "zones"):
        for s in zones:
            parsed.mgmt.unrestricted.append(
                Evidence(s.line, f"zone {s.words[3]} admits {s.words[-1]} (no lo0 input filter)")
            )
        return
    first = enabled[0]
    names = sorted({s.words[2] for s in enabled})
    parsed.mgmt.unrestricted.append(
        Evidence(first.line, f"system services {' '.join(names)} (no lo0 input filter)")
    )
