"""Palo Alto Networks PAN-OS firewalls (and Panorama exports, for the audit).

The audit reads every form PAN-OS exports its configuration in: XML (``show config running`` in
XML output, the XML API, a Panorama export), ``set`` commands and the default brace text.
"""

from __future__ import annotations

from tslcd.platforms.model import Platform

PLATFORM = Platform(
    name="paloalto_panos",
    display="Palo Alto Networks PAN-OS",
    napalm_driver=None,
    config_command="show config running",
    facts_command="show system info",
    save_command=None,
    hier_config_os=None,
    audit_parser="tslcd.audit.parsers.panos:parse",
    lab_model="tslcd.lab.models.panos:PanosDevice",
    comment_prefix="#",
    config_marker=r"(?:<config\b|^\s*deviceconfig\s*\{|^set deviceconfig )",
    detect_patterns=(
        r"^\s*<config\b[^>]*(?:urldb|detail-version)=",
        r"<devices>\s*$|^\s*<entry name=\"localhost\.localdomain\"",
        r"^\s*<(?:pre-|post-)?rulebase>$"
        r"|^set (?:vsys \S+ |device-group \S+ (?:pre-|post-))?rulebase security rules ",
        r"^\s*<deviceconfig>$|^set deviceconfig system |^\s*deviceconfig \{$",
        r"^\s*<(?:from|to|source|destination|application)>$"
        r"|^set (?:shared |vsys \S+ )?(?:address|service) \S+ (?:ip-netmask|ip-range|fqdn|protocol) ",
        r"^\s*rulebase \{$|^\s*security \{$",
        r"^\s*(?:<)?(?:mgt-config|device-group|vsys)(?:>| \{)$|^set (?:mgt-config|device-group) ",
    ),
)
