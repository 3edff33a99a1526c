"""Huawei VRP V8 (NE, CE, newer AR): two-stage commit, ``commit trial`` as the dead-man's switch.

Lines go to a candidate; ``commit trial N`` applies it and rolls it back by itself after N
seconds (60-65535) unless ``commit`` confirms it (Huawei's "configuration trial run"; ``abort
trial`` rolls back at once). ``save`` still writes the running config to the startup file.
"""

from __future__ import annotations

from dataclasses import replace

from tslcd.platforms.huawei import PLATFORM as VRP_V5
from tslcd.platforms.model import ConfirmRules

# What V8 shares with V5 (fetching, masking, errors, read-only commands, push rules) is V5's entry;
# only the name, parser, lab model, detection and the commit model differ.
PLATFORM = replace(
    VRP_V5,
    name="huawei_vrpv8",
    display="Huawei VRP V8 (two-stage commit)",
    audit_parser="tslcd.audit.parsers.huawei:parse_v8",
    lab_model="tslcd.lab.models.huawei:HuaweiV8Device",
    containerlab=("huawei_vrp", "vrnetlab/huawei_vrp:ne40e-v800r011"),
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
    confirm=ConfirmRules(
        method="trial",
        arm=("commit trial {seconds}",),
        save=("commit",),
        commit=("commit",),
        cancel=("abort trial",),
        save_question=VRP_V5.confirm.save_question,
        max_minutes=1092,  # commit trial takes at most 65535 seconds
    ),
)
