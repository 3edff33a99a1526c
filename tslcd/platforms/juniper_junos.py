"""Juniper JunOS (SRX firewalls and MX/vMX routers): hierarchical or display-set configuration."""

from __future__ import annotations

from tslcd.platforms.model import Platform

PLATFORM = Platform(
    name="juniper_junos",
    display="Juniper JunOS (SRX, routers)",
    napalm_driver="junos",
    config_command="show configuration | display set",
    facts_command="show version",
    save_command=None,
    hier_config_os="JUNIPER_JUNOS",
    audit_parser="tslcd.audit.parsers.junos:parse",
    lab_model="tslcd.lab.models.junos:JunosDevice",
    comment_prefix="#",
    # Both formats: display set statements, and the braces hierarchy's top-level blocks.
    detect_patterns=(
        r"^set (?:system host-name|interfaces \S+ unit \d+ family|security (?:zones|policies)"
        r"|firewall (?:family inet6? )?filter) ",
        r"^set (?:system (?:services|login|syslog)|routing-options|protocols|policy-options) ",
        r"^(?:system|interfaces|security|firewall|routing-options|policy-options|protocols) \{$",
        r"^\s+(?:host-name \S+;|unit \d+ \{|family inet6? \{|from-zone \S+ to-zone \S+ \{)$",
        r"^version \d+\.\d+\S*;$",
    ),
    config_marker=r"^(?:set system host-name \S+|\s*host-name \S+;)",
)
