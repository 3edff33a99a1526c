"""Huawei VRP V8 (NE, CE, newer AR): two-stage commit, ``commit trial`` as the dead-man's switch.

Lines go to a candidate; ``commit trial N`` applies it and rolls it back by itself after N
seconds (60-65535) unless ``commit`` confirms it (Huawei's "configuration trial run"; ``abort
trial`` rolls back at once). ``save`` still writes the running config to the startup file.
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
    name="huawei_vrpv8",
    display="Huawei VRP V8 (two-stage commit)",
    napalm_driver=None,
    config_command="display current-configuration",
    facts_command="display version",
    facts_extra=("display esn",),
    save_command="save",
    hier_config_os="HUAWEI_VRP",
    audit_parser="tslcd.audit.parsers.huawei:parse_v8",
    lab_model="tslcd.lab.models.huawei:HuaweiV8Device",
    containerlab=("huawei_vrp", "vrnetlab/huawei_vrp:ne40e-v800r011"),
    comment_prefix="#",
    secret_patterns=SECRET_PATTERNS,
    volatile_patterns=VOLATILE_PATTERNS,
    error_pattern=ERROR_PATTERN,
    config_marker=CONFIG_MARKER,
    read_only_commands=READ_ONLY_COMMANDS,
    read_only_filters=READ_ONLY_FILTERS,
    read_only_help=READ_ONLY_HELP,
    # A V8 configuration opens with "!Software Version V800R..." / "!Last configuration was ...".
    detect_patterns=(
        r"^sysname \S+",
        r"^!Software Version V[89]\d\dR",  # V800R...: VRP V8 (V5 AR/S print V200R/V300R)
        r"^acl (?:ipv6 )?(?:number|name) \S+",
        r"^ rule \d+ (?:permit|deny)\b",
        r"^user-interface (?:vty|con)",
        r"^ traffic-filter ",
        r"^info-center ",
        r"^snmp-agent",
        r"^return$",
        r"^ protocol inbound ",
    ),
    facts_patterns=FACTS_PATTERNS,
    push=PUSH,
    confirm=ConfirmRules(
        method="trial",
        arm=("commit trial {seconds}",),
        save=("commit",),
        commit=("commit",),
        cancel=("abort trial",),
        save_question=SAVE_QUESTION,
        max_minutes=1092,  # commit trial takes at most 65535 seconds
    ),
)
