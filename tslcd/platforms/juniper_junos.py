"""Juniper JunOS (SRX firewalls, MX/EX routers and switches): ``display set`` configs, ``$9$``
secrets, two-stage commit with ``commit confirmed`` as the dead-man's switch.

The configuration is fetched as ``show configuration | display set``: one statement per line,
each naming its whole hierarchy, so a stored backup diffs line by line in git, a masked secret is
masked on its own line, and hier_config's JUNIPER_JUNOS driver (which works on ``set``/``delete``
lines) plans a change from it directly; the audit reads this form as well as the hierarchical one.
"""

from __future__ import annotations

from tslcd.platforms.model import ConfirmRules, Platform, PushRules

#: A value as JunOS lists it: quoted (with blanks, or an encrypted secret) or one word.
_VALUE = r'(?:"[^"\n]*"|\S+)'
#: A community other than the well-known defaults (those are findings, not secrets).
_COMMUNITY = r'(?!"?(?i:public|private)"?(?:\s|$))' + _VALUE

PLATFORM = Platform(
    name="juniper_junos",
    display="Juniper JunOS (SRX)",
    # NAPALM's junos driver speaks NETCONF; tslcd reads and changes JunOS over the CLI with
    # Netmiko (the same path as the lab and as devices with NETCONF closed).
    napalm_driver=None,
    config_command="show configuration | display set",
    facts_command="show version",
    facts_extra=("show chassis hardware", "show system uptime"),
    # JunOS saves on commit: the commit rules below make a change active and persistent.
    save_command=None,
    hier_config_os="JUNIPER_JUNOS",
    audit_parser="tslcd.audit.parsers.junos:parse",
    lab_model="tslcd.lab.models.junos:JunosDevice",
    containerlab=("juniper_vsrx", "vrnetlab/juniper_vsrx:23.2R1.13"),
    comment_prefix="#",
    read_only_commands=(
        r"show\s+\S.*",
        r"ping\s+\S+\s+count\s+\d+(?:\s+\S+)*",
        r"traceroute\s+\S+(?:\s+\S+)*",
    ),
    read_only_filters=(
        r"(?:match|except|find)\s+\S.*", r"count", r"no-more", r"last(?:\s+\d+)?",
        r"display\s+(?:set|xml|json|inheritance|omit)", r"trim\s+\d+",
    ),
    read_only_help=("show ..., ping HOST count N, traceroute HOST",
                    "match, except, find, count, last N, no-more, display set|xml|json"),
    # The audit's choice: both formats, display set statements and the braces hierarchy.
    detect_patterns=(
        r"^(?:set system host-name \S+$|\s+host-name \S+;$)",
        r"^(?:set|deactivate) (?:interfaces|security|firewall|applications|policy-options"
        r"|routing-options|routing-instances|protocols|snmp|system|chassis|vlans|class-of-service) \S",
        r"^(?:system|interfaces|security|firewall|applications|routing-options|policy-options"
        r"|protocols|snmp|chassis) \{$",
        r"^\s+(?:unit \d+ \{|family inet6? \{|from-zone \S+ to-zone \S+ \{|term \S+ \{)$",
        r"^(?:version \d+\.\d+\S*;|set version \d+\.\d+\S*)$",
        r"^(?:#RANCID-CONTENT-TYPE: juniper|## Last (?:commit|changed): )",
    ),
    # Juniper's configuration reference and Oxidized's junos model: every form JunOS stores a
    # secret in ($9$ reversible, $1$/$5$/$6$ hashes) and every keyword that carries one, in the
    # set form and in the hierarchical one. SNMP community names are secrets (public and
    # private stay visible: findings).
    secret_patterns=(
        (r'"\$9\$[^"\n]*"', '"<removed>"'),
        (r'"\$[156]\$[^"\n]*"', '"<removed>"'),
        (r"(?<![\w\"])\$9\$\S+", "<removed>"),
        (r"(?<![\w\"])\$[156]\$\S+", "<removed>"),
        (r"^(.*\b(?:encrypted-password|plain-text-password-value|authentication-key|simple-password"
         r"|pre-shared-key (?:ascii-text|hexadecimal)|ascii-text|hexadecimal|secret|shared-secret"
         r"|key-string|md5 \d+ key|hmac-md5-96 key|auth-password|privacy-password|authentication-password"
         r"|(?:authentication|privacy)-(?:md5|sha|sha224|sha256|sha384|sha512|des|3des|aes128) "
         r"(?:authentication|privacy)-(?:key|password)|password)) " + _VALUE + r"(;?)$",
         r"\1 <removed>\2"),
        (r"^(.*\bauthentication-key \d+(?: type \S+)? value) " + _VALUE + r"(;?)$", r"\1 <removed>\2"),
        (r"^(.*\bkey) (?!chain\b|\d+\b)" + _VALUE + r"(;?)$", r"\1 <removed>\2"),
        (r"^(set snmp community) " + _COMMUNITY, r"\1 <removed>"),
        (r"^(set snmp trap-group) " + _COMMUNITY, r"\1 <removed>"),
        (r"^(\s*community) " + _COMMUNITY + r"( \{|;)$", r"\1 <removed>\2"),
    ),
    volatile_patterns=(r"## Last changed: ", r"## Last commit: "),
    error_pattern=(r"(?m)^(?:syntax error|unknown command|error: |missing argument|invalid "
                   r"|warning: statement not found)"),
    config_marker=r"^(?:set system host-name \S+|\s*host-name \S+;)",
    facts_patterns={
        "model": r"^Model:\s*(\S+)",
        "serial": r"^Chassis\s+(\S+)\s{2,}\S",
        "os_version": r"^Junos:\s*(\S+)",
        "uptime": r"\bup\s+(.+?),\s+\d+\s+users?,",
    },
    push=PushRules(
        # A value of these statements replaces the previous one (no `delete` needed first).
        idempotent=(
            (r"^set (system host-name) ",), (r"^set (system domain-name) ",),
            (r"^set (system time-zone) ",), (r"^set (system login message) ",),
            (r"^set (system root-authentication encrypted-password) ",),
            (r"^set (system login user \S+ authentication encrypted-password) ",),
            (r"^set (system login user \S+ class) ",), (r"^set (system login class \S+ idle-timeout) ",),
            (r"^set (interfaces \S+ description) ",), (r"^set (interfaces \S+ unit \d+ description) ",),
            (r"^set (security address-book \S+ address \S+ description) ",),
            (r"^set (security policies from-zone \S+ to-zone \S+ policy \S+ description) ",),
            (r"^set (security policies from-zone \S+ to-zone \S+ policy \S+ then) (?:permit|deny|reject)",),
            (r"^set (applications application \S+ (?:protocol|destination-port)) ",),
        ),
        # The standard policy owns the policies of each zone pair it writes, in its order: the
        # others are deleted; from the first policy out of place on, the device's are deleted and
        # the template's created again (JunOS appends a new policy to its zone pair).
        owned_lines=(r"^set security policies from-zone (\S+) to-zone (\S+) policy ",
                     r"^set system ntp server ", r"^set system syslog host "),
        ordered_lines=(r"^set security policies from-zone (\S+) to-zone (\S+) policy ",),
        ignore_lines=(r"^#", r"^\s*$", r"^## "),
        # A statement that is off is absent: a template's `delete` of an absent one is satisfied.
        absent_is_negated=True,
    ),
    confirm=ConfirmRules(
        method="commit-confirmed",
        # In configuration mode before the change: drop whatever another session left uncommitted
        # in the shared candidate, so only this change is committed.
        arm=("rollback 0",),
        armed=r"^0\s.*commit confirmed, rollback in \d+mins",
        armed_command="show system commit",
        max_minutes=120,
    ),
)
