"""Every check the audit runs: id, severity, the platforms it applies to, and how to fix what it finds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tslcd.audit.model import Finding, ParsedConfig, Rule, Severity
from tslcd.platforms import PLATFORMS

ALL_PLATFORMS = frozenset(PLATFORMS)
CISCO = frozenset({"cisco_ios", "cisco_asa"})
# lists bound by name; SSH 1 can be switched on
NAMED_LISTS = CISCO | {"juniper_junos", "huawei", "huawei_vrpv8"}


@dataclass(frozen=True)
class Check:
    """One kind of finding."""

    id: str
    severity: Severity
    title: str
    remediation: str
    platforms: frozenset[str] = ALL_PLATFORMS


_S = Severity
CHECKS: dict[str, Check] = {
    c.id: c
    for c in (
        Check(
            "any-any-permit",
            _S.critical,
            "Permit from any source to any destination, any service",
            "Replace with rules naming the source, destination and service actually needed.",
        ),
        Check(
            "permit-any-to-internal",
            _S.high,
            "Permit from any source to internal networks",
            "Restrict the source to the zones that need the service (see inventory/zones.yaml).",
        ),
        Check(
            "wide-service",
            _S.medium,
            "Wide port range or ALL service permitted",
            "Name the ports the application uses instead of a range or ALL.",
        ),
        Check(
            "cleartext-service",
            _S.high,
            "Clear-text service permitted from an untrusted zone",
            "Use the encrypted equivalent (SSH, SFTP/HTTPS, SNMPv3) and limit the source to management.",
        ),
        Check(
            "dangerous-service",
            _S.high,
            "SMB/NetBIOS/RDP/database port permitted from an untrusted zone",
            "Allow these only from the hosts that need them, through the data integration centre.",
        ),
        Check(
            "permit-no-log",
            _S.low,
            "Permit without logging",
            "Add 'log' (Cisco) or 'set logtraffic all' (FortiGate) so accepted traffic can be traced.",
        ),
        Check(
            "rule-disabled",
            _S.low,
            "Disabled or inactive rule",
            "Delete the rule if it is no longer needed, or re-enable it on purpose.",
        ),
        Check(
            "rule-after-catch-all",
            _S.medium,
            "Rules after a catch-all rule",
            "Move the rules above the catch-all or delete them: they never match.",
        ),
        Check(
            "shadowed-rule",
            _S.high,
            "Rule never matches: earlier rules with a different action take its packets",
            "Reorder so the intended rule comes first, or delete it: the device does the opposite "
            "of what the rule says.",
        ),
        Check(
            "redundant-rule",
            _S.medium,
            "Rule never matches: earlier rules with the same action take its packets",
            "Delete the redundant rule.",
        ),
        Check(
            "empty-rule",
            _S.medium,
            "Rule matches no packet at all (empty group or impossible match)",
            "Fill the group or delete the rule.",
        ),
        Check(
            "correlated-rules",
            _S.info,
            "Rules overlap partly and have different actions (Al-Shaer correlation)",
            "Check that the order gives the intended result for the overlapping packets.",
        ),
        Check(
            "generalised-rule",
            _S.info,
            "Rule generalises an earlier rule with a different action",
            "Usually intended (an exception before a general rule); confirm it is.",
        ),
        Check("object-unused", _S.low, "Object or group defined but never used", "Delete the unused object."),
        Check(
            "object-undefined",
            _S.high,
            "Reference to an undefined object",
            "Define the object or correct the name; the rule matches less than it says.",
        ),
        Check(
            "group-empty", _S.medium, "Empty object group", "Add members or delete the group and its rules."
        ),
        Check(
            "acl-unbound",
            _S.low,
            "Access list defined but applied nowhere",
            "Apply it where intended or delete it.",
            NAMED_LISTS,
        ),
        Check(
            "acl-undefined",
            _S.high,
            "Access list applied but not defined",
            "Define the access list: an undefined list may permit everything on some platforms.",
            NAMED_LISTS,
        ),
        Check(
            "mgmt-telnet",
            _S.high,
            "Telnet enabled for management",
            "Disable telnet ('transport input ssh', remove 'telnet' / allowaccess telnet).",
        ),
        Check(
            "mgmt-http",
            _S.medium,
            "HTTP (clear-text) management enabled",
            "Disable the HTTP server; use HTTPS from the management network only.",
        ),
        Check(
            "mgmt-unrestricted",
            _S.high,
            "Management access not restricted by source",
            "Restrict management to the management network (access-class / trusthost / ssh ADDR MASK).",
        ),
        Check("ssh-v1", _S.high, "SSH version 1 allowed",
              "Set 'ip ssh version 2' / 'ssh version 2' (JunOS: 'protocol-version v2'; VRP: "
              "'undo ssh server compatible-ssh1x enable').", NAMED_LISTS),
        Check(
            "snmp-weak",
            _S.high,
            "SNMP community public/private or read-write",
            "Use SNMPv3, or a strong read-only community limited by an ACL.",
        ),
        Check(
            "weak-crypto",
            _S.medium,
            "Weak IKE/IPsec parameters (DES/3DES/MD5/SHA1/DH < 14)",
            "Use AES-256, SHA-256 or better and DH group 14 or higher.",
        ),
        Check(
            "plaintext-password",
            _S.high,
            "Password stored in clear text",
            "Use 'secret' / 'service password-encryption' / encrypted passwords.",
        ),
        Check(
            "mgmt-idle-timeout",
            _S.low,
            "Idle management sessions stay open too long (or never time out)",
            "Set the administrators' idle timeout to 15 minutes or less.",
        ),
        Check(
            "no-remote-syslog",
            _S.medium,
            "No remote syslog server",
            "Send logs to the province's syslog server.",
        ),
        Check("no-ntp", _S.low, "No NTP server", "Synchronise time with the province's NTP servers."),
        Check(
            "zone-flow-not-allowed",
            _S.high,
            "Permits a flow the zone policy does not allow",
            "Remove or narrow the rule so it permits only flows listed in inventory/zones.yaml.",
        ),
        Check(
            "zone-required-blocked",
            _S.medium,
            "Blocks a flow the zone policy requires",
            "Add or reorder a permit rule for the required flow.",
        ),
        Check(
            "not-analysed",
            _S.info,
            "Configuration not (fully) analysed",
            "Review this construct by hand; the audit over-approximates it.",
        ),
        Check(
            "parse-error",
            _S.high,
            "Configuration could not be parsed",
            "Check the stored configuration; the device's other findings are missing.",
        ),
    )
}


def finding(
    check_id: str,
    parsed: ParsedConfig,
    message: str,
    *,
    list_name: str = "",
    rule: Rule | None = None,
    line: int = 0,
    text: str = "",
    details: dict[str, Any] | None = None,
) -> Finding:
    """A finding of a registered check on one device, pointing at a rule or a line."""
    check = CHECKS[check_id]
    if rule is not None:
        line, text = rule.line, rule.text
    return Finding(
        check=check.id,
        severity=check.severity,
        host=parsed.host,
        platform=parsed.platform,
        message=message,
        remediation=check.remediation,
        list_name=list_name,
        rule=rule.key if rule is not None else "",
        line=line,
        text=text,
        details=details or {},
    )
