"""Management-plane checks, from the facts each platform's parser gathered."""

from __future__ import annotations

from tslcd.audit.checks.registry import finding
from tslcd.audit.model import Evidence, Finding, ParsedConfig

# (check id, MgmtFacts attribute, message)
_EVIDENCE_CHECKS = (
    ("mgmt-telnet", "telnet", "telnet management enabled"),
    ("mgmt-http", "http", "HTTP management enabled"),
    ("mgmt-unrestricted", "unrestricted", "management access not restricted by source"),
    ("ssh-v1", "ssh_v1", "SSH version 1 allowed"),
    ("snmp-weak", "snmp_weak", "weak SNMP community"),
    ("weak-crypto", "weak_crypto", "weak IKE/IPsec parameter"),
    ("plaintext-password", "plaintext_passwords", "password stored in clear text"),
    ("mgmt-idle-timeout", "idle_timeout", "management sessions idle too long"),
)


def management_findings(parsed: ParsedConfig) -> list[Finding]:
    """One finding per line that shows a weak management setting, plus missing syslog / NTP."""
    out: list[Finding] = []
    for check, attr, message in _EVIDENCE_CHECKS:
        evidence: list[Evidence] = getattr(parsed.mgmt, attr)
        for ev in evidence:
            out.append(finding(check, parsed, f"{message}: {ev.text}", line=ev.line, text=ev.text))
    if not parsed.mgmt.syslog_servers:
        out.append(finding("no-remote-syslog", parsed, "no remote syslog server configured"))
    if not parsed.mgmt.ntp_servers:
        out.append(finding("no-ntp", parsed, "no NTP server configured"))
    return out
