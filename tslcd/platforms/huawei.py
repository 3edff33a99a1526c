"""Huawei VRP V5 (AR routers, S switches, USG firewalls): changes apply at once, ``save`` keeps them.

VRP V5 has no commit-confirm timer: the nearest dead-man's switch is to leave a change unsaved
until it is verified (a reboot brings the saved config back), with the change journal and a
rollback computed from the device's config for the rest, as on an ASA.
"""

from __future__ import annotations

from tslcd.platforms.huawei_common import (
    CONFIG_MARKER,
    ERROR_PATTERN,
    FACTS_PATTERNS,
    PUSH,
    READ_ONLY_COMMANDS,
    READ_ONLY_FILTERS,
    READ_ONLY_HELP,
    SAVE_QUESTION,
    SECRET_PATTERNS,
    VOLATILE_PATTERNS,
)
from tslcd.platforms.model import ConfirmRules, Platform

PLATFORM = Platform(
    name="huawei",
    display="Huawei VRP V5 (AR, S, USG)",
    napalm_driver=None,
    config_command="display current-configuration",
    facts_command="display version",
    facts_extra=("display esn",),
    save_command="save",
    hier_config_os="HUAWEI_VRP",
    audit_parser="tslcd.audit.parsers.huawei:parse",
    lab_model="tslcd.lab.models.huawei:HuaweiDevice",
    containerlab=("huawei_vrp", "vrnetlab/huawei_vrp:ar-v300r019"),
    comment_prefix="#",
    secret_patterns=SECRET_PATTERNS,
    volatile_patterns=VOLATILE_PATTERNS,
    error_pattern=ERROR_PATTERN,
    config_marker=CONFIG_MARKER,
    read_only_commands=READ_ONLY_COMMANDS,
    read_only_filters=READ_ONLY_FILTERS,
    read_only_help=READ_ONLY_HELP,
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
        r"^!Software Version V[1-7]\d\dR",  # AR V300R..., S V200R... (V8 prints V800R...)
        r"^ protocol inbound ",
    ),
    facts_patterns=FACTS_PATTERNS,
    push=PUSH,
    confirm=ConfirmRules(method="save", save_question=SAVE_QUESTION),
)
