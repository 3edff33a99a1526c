"""Huawei VRP V5 (AR routers, S switches, USG firewalls): ``display current-configuration``."""

from __future__ import annotations

from tslcd.platforms.model import Platform

PLATFORM = Platform(
    name="huawei",
    display="Huawei VRP V5 (AR, S, USG)",
    napalm_driver=None,
    config_command="display current-configuration",
    facts_command="display version",
    save_command="save",
    hier_config_os="HUAWEI_VRP",
    audit_parser="tslcd.audit.parsers.huawei:parse",
    lab_model="tslcd.lab.models.huawei:HuaweiDevice",
    comment_prefix="#",
    config_marker=r"^sysname \S+",
    read_only_commands=(r"dis(?:p|pl|pla|play)?\s+\S.*",),
    # VRP-only lines: rule syntax, views and commands no other platform here writes.
    detect_patterns=(
        r"^sysname \S+",
        r"^acl (?:ipv6 )?(?:number|name) \S+",
        r"^ rule \d+ (?:permit|deny)\b",
        r"^user-interface (?:vty|con)",
        r"^ traffic-filter ",
        r"^info-center ",
        r"^snmp-agent",
        r"^security-policy$",
        r"^ip (?:address|service)-set \S+ type",
        r"^return$",
        r"^\[V\d{3}R\d{3}C",
        r"^ protocol inbound ",
    ),
)
