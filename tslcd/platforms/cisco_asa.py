"""Cisco ASA: Netmiko CLI push, ordered access-lists, saved only once verified (no timer)."""

from __future__ import annotations

from tslcd.platforms.common import COMMUNITY
from tslcd.platforms.model import Platform, PushRules

PLATFORM = Platform(
    name="cisco_asa",
    display="Cisco ASA",
    napalm_driver=None,
    # show running-config prints SNMP communities as *****; this shows them (as Oxidized
    # does), so the audit sees a weak one and sanitize masks the rest.
    config_command="more system:running-config",
    facts_command="show version",
    save_command="write memory",
    hier_config_os="GENERIC",
    audit_parser="tslcd.audit.parsers.asa:parse",
    lab_model="tslcd.lab.models.asa:AsaDevice",
    containerlab=("cisco_asav", "vrnetlab/cisco_asav:9-20-2"),
    read_only_commands=(r"sh(?:o|ow)?\s+\S.*", r"more\s+system:running-config"),
    read_only_filters=(r"(?:i|in|inc|incl|inclu|includ|include|e|ex|exc|excl|exclu|exclud|exclude"
                       r"|b|be|beg|begi|begin|g|gr|gre|grep)\s+\S.*",),
    read_only_help=("show ..., more system:running-config", "include, exclude, begin, grep"),
    detect_patterns=(r"^ASA Version \S+", r"^: Saved", r"^access-list \S+ extended ",
                     r"^\s+nameif \S+", r"^\s+security-level \d+", r"^access-group \S+ (?:in|out) "),
    secret_patterns=(
        (r"^(enable password(?: level \d+)?) \S+", r"\1 <removed>"),
        (r"^(passwd) \S+", r"\1 <removed>"),
        (r"^(username \S+ password) \S+", r"\1 <removed>"),
        (r"^(snmp-server community) " + COMMUNITY, r"\1 <removed>"),
        (r"^(snmp-server host .*? community) " + COMMUNITY, r"\1 <removed>"),
        (r"^(snmp-server user .*? auth (?:md5|sha\d*)) \S+", r"\1 <removed>"),
        (r"^(snmp-server user .*? priv (?:des|3des|aes(?: \d+)?)) \S+", r"\1 <removed>"),
        (r"^(\s+(?:ikev1 )?pre-shared-key(?: [08]| hex)?) \S+", r"\1 <removed>"),
        (r"^(\s+ikev2 (?:local|remote)-authentication pre-shared-key(?: [08]| hex)?) \S+",
         r"\1 <removed>"),
        (r"^((?:crypto )?isakmp key) \S+", r"\1 <removed>"),
        (r"^(\s+ldap-login-password) \S+", r"\1 <removed>"),
        (r"^(failover key) .+$", r"\1 <removed>"),
        (r"^(ntp authentication-key \d+ md5(?: [08])?) \S+", r"\1 <removed>"),
        (r"^(\s+ospf message-digest-key \d+ md5(?: [08])?) \S+", r"\1 <removed>"),
        (r"^(\s+ospf authentication-key(?: [08])?) \S+", r"\1 <removed>"),
        (r"^(\s+neighbor \S+ password(?: \d)?) \S+", r"\1 <removed>"),
        (r"^(\s+authentication key eigrp \d+) \S+", r"\1 <removed>"),
        (r"^(vpdn username \S+ password) \S+", r"\1 <removed>"),
    ),
    scoped_secret_patterns=(
        (r"aaa-server \S+ (?:\(\S+\) )?host ", r"^(\s+(?:key|radius-common-pw)) \S+",
         r"\1 <removed>"),
    ),
    volatile_patterns=(
        r": Written by ",
        r"Cryptochecksum:",
        r"ntp clock-period ",
    ),
    error_pattern=r"^(?:ERROR: )?% ?(?:Invalid input|Incomplete command|Ambiguous command)",
    facts_patterns={
        "model": r"^Hardware:\s*([^,\n]+)",
        "serial": r"^Serial Number:\s*(\S+)",
        "os_version": r"Adaptive Security Appliance Software Version (\S+)",
        "uptime": r"^\S+ up (.+)$",
    },
    push=PushRules(
        ignore_lines=(r"^:", r"^\s*!"),
        line_aliases=(("banner ", "banner-line "),),
        absent_is_negated=True,
        idempotent=(
            (r"^(hostname) ",), (r"^(domain-name) ",), (r"^(username \S+) ",),
            (r"^(ssh version) ",), (r"^(ssh timeout) ",), (r"^(ssh key-exchange group) ",),
            (r"^(logging trap) ",), (r"^(access-group) \S+ (in|out) (interface \S+)$",),
            (r"^object network ", r"^(host|subnet|range|fqdn) "),
            (r"^object network ", r"^(description) "),
        ),
        owned_lines=(r"^(?:ssh|telnet) \d", r"^ntp server ", r"^logging host ",
                          r"^banner login ", r"^access-list (\S+) "),
        ordered_lines=(r"^access-list (\S+) ", r"^banner (\S+) "),
        whole_families=(r"^banner (\S+) ",),
    ),
)
