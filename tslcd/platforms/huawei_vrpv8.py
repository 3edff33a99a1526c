"""Huawei VRP V8 (NE, CE, two-stage commit): ``display current-configuration``."""

from __future__ import annotations

from tslcd.platforms.model import Platform

PLATFORM = Platform(
    name="huawei_vrpv8",
    display="Huawei VRP V8 (NE, CE)",
    napalm_driver=None,
    config_command="display current-configuration",
    facts_command="display version",
    save_command="save",
    hier_config_os="HUAWEI_VRP",
    audit_parser="tslcd.audit.parsers.huawei:parse_v8",
    lab_model="tslcd.lab.models.huawei:HuaweiV8Device",
    comment_prefix="#",
    config_marker=r"^sysname \S+",
    read_only_commands=(r"dis(?:p|pl|pla|play)?\s+\S.*",),
    # A V8 configuration opens with "!Software Version V800R..." / "!Last configuration was ...".
    detect_patterns=(
        r"^sysname \S+",
        r"^!Software Version V\d+R",
        r"^!Last configuration was",
        r"^acl (?:ipv6 )?(?:number|name) \S+",
        r"^ rule \d+ (?:permit|deny)\b",
        r"^user-interface (?:vty|con)",
        r"^ traffic-filter ",
        r"^info-center ",
        r"^snmp-agent",
        r"^return$",
        r"^ protocol inbound ",
    ),
)
