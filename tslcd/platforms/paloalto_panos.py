"""Palo Alto Networks PAN-OS firewalls (and Panorama exports, for the audit).

The audit reads every form PAN-OS exports its configuration in: XML (``show config running`` in
XML output, the XML API, a Panorama export), ``set`` commands and the default brace text.

Backups fetch ``show config running`` in **set format** (``set cli config-output-format set``,
sent once per session): one complete path per line, so a stored backup diffs line by line, a
change is a list of ``set``/``delete`` lines hier_config can compute, and the lines go back to
the firewall exactly as they are (the XML form is one element per line with the path spread over
its ancestors, and netmiko's driver would have to page it through the same channel anyway).

Push: PAN-OS edits a candidate configuration and applies it with ``commit``; there is no commit
confirmed. The nearest dead-man's switch (ConfirmRules method "commit"): the candidate is first
reverted to the running config (nobody's half-typed edit rides along) and saved on the firewall
as ``tslcd-pre-change`` (``load config from tslcd-pre-change`` + ``commit`` puts it back by hand),
the change is committed, tslcd verifies it from a fresh session, and a failed verify rolls back
at once with the lines computed from what the firewall holds then, committed the same way; a
process that dies in between leaves its journal, and ``tslcd changes recover`` does the same.
"""

from __future__ import annotations

from tslcd.platforms.common import COMMUNITY
from tslcd.platforms.model import ConfirmRules, Platform, PushRules

#: The words after which PAN-OS holds a secret (set, brace and XML forms alike): administrator
#: password hashes, IKE/IPsec keys, RADIUS/TACACS+/BGP secrets, LDAP bind passwords, SNMPv3
#: passwords, certificate private keys, API keys, proxy passwords, NTP authentication keys.
SECRET_WORDS = (
    r"phash|password|password-hash|passwd|key|secret|shared-secret|pre-shared-key|auth-key"
    r"|authentication-key|bind-password|private-key|private-key-passphrase|passphrase|api-key"
    r"|authpwd|privpwd|auth-password|priv-password|secure-proxy-password|psk|local-key"
    r"|remote-key|auth-code"
)
_VALUE = r'(?:"(?:[^"\\]|\\.)*"|\S+)'

PLATFORM = Platform(
    name="paloalto_panos",
    display="Palo Alto Networks PAN-OS",
    napalm_driver=None,
    config_command="show config running",
    session_commands=("set cli config-output-format set",),
    facts_command="show system info",
    save_command=None,
    hier_config_os="GENERIC",
    audit_parser="tslcd.audit.parsers.panos:parse",
    lab_model="tslcd.lab.models.panos:PanosDevice",
    containerlab=("paloalto_panos", "vrnetlab/vr-pan:10.2.9"),
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
        r"^\s*rulebase \{$",
        r"^set (?:vsys \S+ )?(?:network (?:interface|virtual-router|profiles|ike) |zone \S+ network "
        r"|shared )",
        r"^set (?:shared |vsys \S+ |device-group \S+ )?(?:address-group|service-group|application-group"
        r"|application|external-list|tag|profiles|log-settings|import) ",
        r"^set (?:config devices \S+ )?deviceconfig system hostname \S+$|^\s*<hostname>[^<]+</hostname>$"
        r"|^\s*hostname [^\s;]+;$",
        r"^set config (?:devices|shared|mgt-config) ",
        r"^\s*(?:<)?(?:mgt-config|device-group|vsys)(?:>| \{)$|^set (?:mgt-config|device-group) ",
    ),
    secret_patterns=(
        # set form: the secret word ends the path, its value ends the line
        (rf"^(set (?:\S+ )*?(?:{SECRET_WORDS})) {_VALUE}$", r"\1 <removed>"),
        (rf"^(set (?:\S+ )*?(?:snmp-community-string|community)) {COMMUNITY}$", r"\1 <removed>"),
        # brace form: `phash $5$...;`
        (rf"^(\s*(?:{SECRET_WORDS})) {_VALUE};$", r"\1 <removed>;"),
        (rf"^(\s*(?:snmp-community-string|community)) {COMMUNITY};$", r"\1 <removed>;"),
        # XML form: <phash>...</phash>, a private key spanning lines included
        (rf"(<({SECRET_WORDS})>)[^<]*(</\2>)", r"\1<removed>\3"),
        (r"(<(snmp-community-string|community)>)(?!(?i:public|private)<)[^<]*(</\2>)",
         r"\1<removed>\3"),
    ),
    # The context line configuration mode prints before each prompt (netmiko strips only the
    # last one) is not configuration.
    volatile_patterns=(r"\[edit(?: [^\]]*)?\]$",),
    # XML listings of the candidate carry who edited an entry last and when.
    volatile_substitutions=((r' (?:admin|dirtyId|time)="[^"]*"', ""),),
    error_pattern=(r"^\s*(?:Invalid syntax\.|Unknown command: |Server error ?:|Validation Error:"
                   r"|Commit failed|Error: )"),
    read_only_commands=(r"show(?:\s+\S.*)?", r"test\s+(?:security-policy-match|nat-policy-match"
                        r"|routing\s+fib-lookup)\s+\S.*"),
    read_only_filters=(r"(?:match|except)\s+\S.*",),
    read_only_help=("show ..., test security-policy-match|nat-policy-match|routing fib-lookup ...",
                    "match PATTERN, except PATTERN"),
    facts_patterns={
        "model": r"^model:\s*(\S+)",
        "serial": r"^serial:\s*(\S+)",
        "os_version": r"^sw-version:\s*(\S+)",
        "uptime": r"^uptime:\s*(.+)$",
    },
    push=PushRules(
        ignore_lines=(r"^\s*#", r"^\s*$"),
        negations=(
            # A security rule goes whole: its lines are rewritten in order from the first change
            # (ordered_lines), so the rules end in the template's order.
            (r'^set (rulebase security rules (?:"[^"]*"|\S+)) .*$', r"delete \1"),
            # An object goes whole with the line that says what it is (PAN-OS keeps an entry
            # whose last attribute is deleted, and refuses it at commit); `idempotent` makes a
            # changed value of such a line a replacement, never a removal.
            (r"^set (address \S+) (?:ip-netmask|ip-range|ip-wildcard|fqdn) .*$", r"delete \1"),
            (r"^set (address-group \S+) (?:static|dynamic) .*$", r"delete \1"),
            (r"^set ((?:service|service-group) \S+) (?:protocol|members) .*$", r"delete \1"),
            (r"^set (mgt-config users \S+) permissions .*$", r"delete \1"),
            (r"^set (shared log-settings syslog \S+) server \S+ server .*$", r"delete \1"),
            # An entry listed alone (a permitted-ip) is deleted by its name.
            (r"^set (deviceconfig system permitted-ip \S+)$", r"delete \1"),
            # Any other line: the path without its value (a member list goes whole).
            (rf"^set (.+?) (?:\[ .* \]|{_VALUE})$", r"delete \1"),
        ),
        idempotent=(
            (r"^(set address \S+) (?:ip-netmask|ip-range|ip-wildcard|fqdn) ",),
            (r"^(set address-group \S+) (?:static|dynamic) ",),
            (r"^(set service \S+ protocol) ",), (r"^(set service-group \S+ members) ",),
            (r"^(set mgt-config users \S+ permissions) ",),
            (r"^(set shared log-settings syslog \S+ server \S+ server) ",),
        ),
        owned_lines=(r"^set rulebase security rules ", r"^set deviceconfig system permitted-ip "),
        ordered_lines=(r"^set rulebase security rules ",),
        whole_families=(r"^set rulebase security rules ",),
    ),
    confirm=ConfirmRules(
        method="commit",
        arm=("save config to tslcd-pre-change",),
        commit=("commit",),
        discard=("revert config",),
    ),
)
