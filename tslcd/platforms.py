"""The one table of what differs per platform.

Everything that depends on the platform name reads it from here; nothing else in tslcd branches on
``platform == ...``. Adding a platform means adding one `Platform` entry (plus its audit parser
and lab model, named here by import path so this module stays at the bottom of the layering).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

from tslcd.errors import UnknownPlatformError


@dataclass(frozen=True)
class Platform:
    """How tslcd talks to, stores, audits and simulates one kind of device."""

    name: str  # Netmiko device_type, also the Nornir platform name in the inventory
    display: str
    napalm_driver: str | None  # None: no maintained NAPALM driver, Netmiko is used
    config_command: str  # Netmiko command that prints the running configuration
    facts_command: str  # Netmiko command parsed for facts when NAPALM cannot be used
    save_command: str | None  # how the running config is made persistent (None: saved on commit)
    hier_config_os: str | None  # hier_config Platform name for remediation, if supported
    audit_parser: str  # "module:function" that parses a stored config into the rule model
    lab_model: str  # "module:Class" of the lab's stateful device model
    # containerlab kind and the vrnetlab image name operators build for `lab export containerlab`
    containerlab: tuple[str, str] | None = None
    comment_prefix: str = "!"
    # Applied before a config is stored (tslcd.sanitize). Well-known default SNMP communities
    # (public, private) are findings, not secrets, and stay visible. Secret patterns are re.MULTILINE
    # substitutions over the whole text (a pattern may span lines, e.g. a block and its key);
    # scoped ones apply only to lines inside a block whose header matches the first regex.
    secret_patterns: tuple[tuple[str, str], ...] = ()  # (pattern, replacement)
    scoped_secret_patterns: tuple[tuple[str, str, str], ...] = ()  # (block header, pattern, repl.)
    volatile_patterns: tuple[str, ...] = ()  # lines starting with a match are dropped
    # Parts of kept lines that change on an unchanged device (who saved last): (pattern,
    # replacement), re.MULTILINE, applied before storing so such a change is no diff.
    volatile_substitutions: tuple[tuple[str, str], ...] = ()
    # Output that means the device refused a command (what a prompt-returning CLI prints).
    error_pattern: str = r"^% ?(?:Invalid input|Incomplete command|Ambiguous command|Unknown command)"
    # A fetched config without this is not a config (a truncated or foreign output).
    config_marker: str = r"^hostname \S+"
    # `tslcd cmd`: commands that only read (the whole command before any `|`, case-insensitive),
    # and the output filters that may follow one `|` (anything that writes is refused).
    read_only_commands: tuple[str, ...] = (r"sh(?:o|ow)?\s+\S.*",)
    read_only_filters: tuple[str, ...] = (
        r"(?:i|in|inc|incl|inclu|includ|include|e|ex|exc|excl|exclu|exclud|exclude|b|be|beg|begi"
        r"|begin|s|se|sec|sect|secti|sectio|section|c|co|cou|coun|count)\s+\S.*",
    )
    read_only_help: tuple[str, str] = ("show ...", "include, exclude, begin, section, count")
    # Lines only this platform's config has (re.MULTILINE): `detect_platform` names the platform
    # of a file given without --platform by the most patterns found in it.
    detect_patterns: tuple[str, ...] = ()
    # Facts when no NAPALM driver: one regex per fact (model, serial, os_version, uptime) whose
    # first group is taken from the facts_command output.
    facts_patterns: dict[str, str] = field(default_factory=dict)
    # Template push (tslcd.push): "napalm" merges through the NAPALM driver (device-side diff,
    # commit, configure-replace rollback); "cli" sends hier_config remediation lines over Netmiko.
    push_method: str = "cli"
    # hier_config rules the library lacks: settings where a new value replaces the old one. Each
    # entry is one regex per level (parent first); capture groups form the setting's identity.
    push_idempotent: tuple[tuple[str, ...], ...] = ()
    # Sections a template owns whole when it contains them: running children it omits are removed.
    push_owned_sections: tuple[str, ...] = ()
    # Sections whose entries a template owns: running entries it omits are removed, the entries it
    # lists are merged (a FortiOS policy table: the standard policy replaces the old rules).
    push_owned_entries: tuple[str, ...] = ()
    # Top-level line families a template owns: when one of its lines matches a regex, every running
    # line matching it with the same capture groups and missing from the template is removed
    # (ssh access lines: the template says who may log in; an ACL: its entries are exactly these).
    push_owned_lines: tuple[str, ...] = ()
    # Owned line families whose order matters (ASA access-list entries are matched top-down).
    push_ordered_lines: tuple[str, ...] = ()
    # Ordered families the device removes whole: negating any one line drops them all (an ASA's
    # "no banner login TEXT" ignores TEXT), so a change rewrites such a family from its first line.
    push_whole_families: tuple[str, ...] = ()
    # How a line is negated where "<negation prefix> line" is wrong: (regex, replacement) on the
    # line (a FortiOS table entry is deleted, an IOS banner is removed without its text).
    push_negations: tuple[tuple[str, str], ...] = ()
    # Lines that are not configuration (headers, comments) and are dropped before diffing.
    push_ignore_lines: tuple[str, ...] = ()
    # Line prefixes renamed while diffing, (device form, diff form): hier_config reads any line
    # starting "banner " as a multi-line banner, which an ASA's one-line banners are not.
    push_line_aliases: tuple[tuple[str, str], ...] = ()
    # True where a double-quoted value may span lines (a FortiOS ``set buffer "..."`` banner): the
    # diff sees such a value as one line and the device gets it back on several.
    multiline_quotes: bool = False
    # Lines after which the device prints no prompt (a quoted value going on to the next line): a
    # change holding one is sent without waiting for each echo and prompt, as Netmiko does for IOS
    # banners (None: Netmiko's default, lines starting "banner ").
    push_unverified_lines: str | None = None
    # True where a setting that is off is simply absent (ASA "no http server enable" shows nothing):
    # a template's negation of an absent line is then already satisfied.
    push_absent_is_negated: bool = False
    # Commit-confirm, the device's own dead-man's switch while a change is verified:
    # "napalm": NAPALM commit_config(revert_in=...) arms the device's timer, confirm_commit() stops
    # it (IOS: archive revert timer, `configure confirm`);
    # "revert-mode": confirm_arm lines go first, confirm_save once verified, then confirm_restore
    # puts the settings confirm_settings reads from the pre-change config back (FortiOS cfg-save);
    # "save": the device has no timer: the change is saved (save_command) only once verified.
    confirm_method: str = "save"
    confirm_arm: tuple[str, ...] = ()  # str.format fields: {seconds}, {minutes}
    confirm_save: tuple[str, ...] = ()
    # (regex whose group is the setting's value in the pre-change config, value when absent)
    confirm_settings: tuple[tuple[str, str], ...] = ()
    confirm_restore: tuple[str, ...] = ()  # str.format fields {0}, {1}...: confirm_settings' values
    # Matches a config whose switch is still armed (a change nobody confirmed): confirm_restore with
    # confirm_settings' defaults disarms it before anything else is done to the device.
    confirm_armed: str | None = None
    confirm_max_minutes: int = 120
    # Secrets the device re-encodes reversibly (IOS type 7 after `service password-encryption`):
    # (clear type word, encoded type word, "module:function" decoding it). A restore puts back a
    # masked clear-text secret by decoding the device's own encoded line; nothing is stored.
    push_decodable_secrets: tuple[tuple[str, str, str], ...] = ()

    @property
    def volatile_res(self) -> list[re.Pattern[str]]:
        """Compiled volatile-line patterns."""
        return [re.compile(p) for p in self.volatile_patterns]


def load_object(ref: str) -> Any:
    """Import ``module:attribute`` lazily, so the registry never imports upper layers at load."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


# An SNMP community other than the well-known defaults (those are findings, not secrets).
_COMMUNITY = r"(?!(?i:public|private)(?:\s|$))\S+"

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            name="cisco_ios",
            display="Cisco IOS / IOS-XE",
            napalm_driver="ios",
            config_command="show running-config",
            facts_command="show version",
            save_command="write memory",
            hier_config_os="CISCO_IOS",
            audit_parser="tslcd.audit.parsers.ios:parse",
            lab_model="tslcd.lab.models.ios:IosDevice",
            containerlab=("cisco_iol", "vrnetlab/cisco_iol:17.12.01"),
            push_method="napalm",
            confirm_method="napalm",
            detect_patterns=(r"^version \d+\.\d+\s*$", r"^boot-start-marker$",
                             r"^ip access-list (?:standard|extended) ", r"^line vty \d",
                             r"^ip vrf |^vrf definition "),
            push_idempotent=(
                (r"^(hostname) ",), (r"^(ip domain name) ",), (r"^(ip ssh version) ",),
                (r"^(ip ssh time-out) ",), (r"^(ip ssh authentication-retries) ",),
                (r"^(logging trap) ",), (r"^(logging source-interface) ",), (r"^(ntp source) ",),
                (r"^(username \S+) ",), (r"^(enable secret) ",), (r"^(clock timezone) ",),
                (r"^(snmp-server location) ",), (r"^(snmp-server contact) ",),
                (r"^(banner \S+) ",),
                (r"^line ", r"^(access-class) \S+ (in|out)"), (r"^line ", r"^(exec-timeout) "),
                (r"^line ", r"^(login)\b"), (r"^line ", r"^(transport input) "),
                (r"^interface ", r"^(encapsulation) "), (r"^interface ", r"^(bandwidth) "),
                (r"^interface ", r"^(vrf forwarding) "),
                (r"^interface ", r"^(ip access-group) \S+ (in|out)$"),
                (r"^vrf definition ", r"^(rd) "), (r"^vrf definition ", r"^(description) "),
            ),
            push_owned_sections=(r"^ip access-list ",),
            push_owned_lines=(r"^ntp server ", r"^logging host "),
            push_negations=((r"(?s)^banner (\S+) .*$", r"no banner \1"),),
            push_decodable_secrets=(("0", "7", "netutils.password:decrypt_type7"),),
            # From Cisco's command references, Oxidized's ios model and netutils' examples; a type
            # digit (0, 5, 6, 7, 8, 9) stays visible, the value after it is masked.
            secret_patterns=(
                (r"^(enable (?:secret|password)(?: level \d+)?(?: \d{1,2})?) .+$", r"\1 <removed>"),
                (r"^(username \S+(?: .*?)? (?:password|secret)(?: \d{1,2})?) .+$", r"\1 <removed>"),
                (r"^(\s+(?:password|secret)(?: \d{1,2})?) .+$", r"\1 <removed>"),
                (r"^(snmp-server community) " + _COMMUNITY, r"\1 <removed>"),
                # SNMPv3 hosts name a user, not a community: shown.
                (r"^(snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))?)"
                 r" (?!(?:version|informs|traps|vrf) )" + _COMMUNITY, r"\1 <removed>"),
                (r"^(snmp-server user .*? auth (?:md5|sha)) \S+", r"\1 <removed>"),
                (r"^(snmp-server user .*? priv (?:des|3des|aes(?: \d+)?)) \S+", r"\1 <removed>"),
                (r"^((?:tacacs|radius)-server (?:.+ )?key(?: \d)?) .+$", r"\1 <removed>"),
                (r"^(\s*server-private \S+(?: .*?)? key(?: \d)?) .+$", r"\1 <removed>"),
                (r"^(.*\bserver-key(?: \d)?) .+$", r"\1 <removed>"),
                (r"^(key config-key (?:password-encrypt|1)) .+$", r"\1 <removed>"),
                (r"^(crypto isakmp key(?: \d)?) \S+", r"\1 <removed>"),
                (r"^(\s+pre-shared-key (?:address|hostname) .*?key(?: \d)?) \S+$", r"\1 <removed>"),
                (r"^(\s+pre-shared-key(?: local| remote)?(?: \d)?) (?!address |hostname )\S+$",
                 r"\1 <removed>"),
                (r"^(\s+authentication (?:local|remote) pre-share key(?: \d)?) \S+$", r"\1 <removed>"),
                (r"^(\s+ip ospf message-digest-key \d+ md5(?: \d)?) \S+$", r"\1 <removed>"),
                (r"^(\s+ip ospf authentication-key(?: \d)?) \S+$", r"\1 <removed>"),
                (r"^(\s+ip nhrp authentication) \S+", r"\1 <removed>"),
                (r"^(\s+neighbor \S+ password(?: \d)?) .+$", r"\1 <removed>"),
                (r"^(\s+key-string(?: \d)?) .+$", r"\1 <removed>"),
                (r"^(\s+(?:standby|vrrp|glbp) (?:\d+ )?authentication md5 key-string(?: \d)?) \S+",
                 r"\1 <removed>"),
                (r"^(\s+standby (?:\d+ )?authentication(?: text)?) (?!md5 )\S+$", r"\1 <removed>"),
                (r"^(\s+(?:vrrp|glbp) \d+ authentication text) \S+$", r"\1 <removed>"),
                (r"^(\s*ppp (?:chap|pap) (?:password|sent-username \S+ password)(?: \d)?) \S+",
                 r"\1 <removed>"),
                (r"^(\s+l2tp tunnel password(?: \d)?) \S+", r"\1 <removed>"),
                (r"^(\s+(?:domain|area)-password) \S+", r"\1 <removed>"),
                (r"^(\s+isis password) \S+", r"\1 <removed>"),
                (r"^(ntp authentication-key \d+ md5) \S+", r"\1 <removed>"),
                (r"^(ip (?:ftp|http client) password(?: \d)?) \S+", r"\1 <removed>"),
                (r"^(.*wpa-psk ascii \d) \S+$", r"\1 <removed>"),
                (r"^(\s+security wpa psk set-key (?:ascii|hex) \d) .+$", r"\1 <removed>"),
                (r"^(\s+dot1x username \S+ password \d) .+$", r"\1 <removed>"),
                (r"^(\s+mgmtuser username \S+ password \d) .+? (secret \d) .+$",
                 r"\1 <removed> \2 <removed>"),
                (r"^(.*\bkey 7) \S+", r"\1 <removed>"),
            ),
            scoped_secret_patterns=(
                (r"(?:tacacs|radius) server ", r"^(\s+key(?: \d)?) .+$", r"\1 <removed>"),
                (r"crypto isakmp client configuration group ", r"^(\s+key(?: \d)?) .+$", r"\1 <removed>"),
            ),
            volatile_patterns=(
                r"Building configuration",
                r"Current configuration : \d+ bytes",
                r"! Last configuration change at ",
                r"! NVRAM config last updated at ",
                r"! No configuration change since last restart",
                r"ntp clock-period ",
            ),
        ),
        Platform(
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
            push_ignore_lines=(r"^:", r"^\s*!"),
            read_only_commands=(r"sh(?:o|ow)?\s+\S.*", r"more\s+system:running-config"),
            read_only_filters=(r"(?:i|in|inc|incl|inclu|includ|include|e|ex|exc|excl|exclu|exclud|exclude"
                               r"|b|be|beg|begi|begin|g|gr|gre|grep)\s+\S.*",),
            read_only_help=("show ..., more system:running-config", "include, exclude, begin, grep"),
            detect_patterns=(r"^ASA Version \S+", r"^: Saved", r"^access-list \S+ extended ",
                             r"^\s+nameif \S+", r"^\s+security-level \d+", r"^access-group \S+ (?:in|out) "),
            push_line_aliases=(("banner ", "banner-line "),),
            push_absent_is_negated=True,
            push_idempotent=(
                (r"^(hostname) ",), (r"^(domain-name) ",), (r"^(username \S+) ",),
                (r"^(ssh version) ",), (r"^(ssh timeout) ",), (r"^(ssh key-exchange group) ",),
                (r"^(logging trap) ",), (r"^(access-group) \S+ (in|out) (interface \S+)$",),
                (r"^object network ", r"^(host|subnet|range|fqdn) "),
                (r"^object network ", r"^(description) "),
            ),
            push_owned_lines=(r"^(?:ssh|telnet) \d", r"^ntp server ", r"^logging host ",
                              r"^banner login ", r"^access-list (\S+) "),
            push_ordered_lines=(r"^access-list (\S+) ", r"^banner (\S+) "),
            push_whole_families=(r"^banner (\S+) ",),
            secret_patterns=(
                (r"^(enable password(?: level \d+)?) \S+", r"\1 <removed>"),
                (r"^(passwd) \S+", r"\1 <removed>"),
                (r"^(username \S+ password) \S+", r"\1 <removed>"),
                (r"^(snmp-server community) " + _COMMUNITY, r"\1 <removed>"),
                (r"^(snmp-server host .*? community) " + _COMMUNITY, r"\1 <removed>"),
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
        ),
        Platform(
            name="fortinet",
            display="Fortinet FortiGate (FortiOS)",
            napalm_driver=None,
            config_command="show full-configuration",
            facts_command="get system status",
            save_command=None,
            hier_config_os="FORTINET_FORTIOS",
            audit_parser="tslcd.audit.parsers.fortinet:parse",
            lab_model="tslcd.lab.models.fortinet:FortinetDevice",
            containerlab=("fortinet_fortigate", "vrnetlab/fortinet_fortigate:7.2.8"),
            push_ignore_lines=(r"^#",),
            read_only_commands=(
                r"show(?:\s+\S.*)?", r"get\s+\S.*",
                r"diagnose\s+(?:sys\s+(?:session\s+(?:list|stat|full-stat)|top(?:-summary)?(?:\s+\d+)*"
                r"|ha\s+status|performance\s+status|arp\s+list)|ip\s+(?:arp|route|address)\s+list"
                r"|hardware\s+deviceinfo\s+(?:nic|disk)(?:\s+\S+)?|firewall\s+iprope\s+list"
                r"|vpn\s+(?:tunnel|ike\s+gateway)\s+list)",
            ),
            read_only_filters=(r"grep(?:\s+-[a-zA-Z]+)*\s+\S.*",),
            read_only_help=("get ..., show ..., diagnose sys session list|top|ha status|..., "
                            "diagnose ip arp|route|address list, ...", "grep [-OPTIONS] PATTERN"),
            detect_patterns=(r"^#config-version=", r"^config system global$",
                             r"^config firewall (?:policy|address)$", r"^\s*edit \S+$", r"^\s*next$"),
            push_negations=((r"^edit (.+)$", r"delete \1"),),
            push_owned_entries=(r"^config firewall policy$",),
            multiline_quotes=True,
            confirm_method="revert-mode",
            confirm_arm=("config system global", "set cfg-save revert",
                         "set cfg-revert-timeout {seconds}", "end"),
            confirm_save=("execute cfg save",),
            confirm_settings=((r"^\s*set cfg-save (\S+)$", "automatic"),
                              (r"^\s*set cfg-revert-timeout (\d+)$", "600")),
            confirm_restore=("config system global", "set cfg-save {0}", "set cfg-revert-timeout {1}",
                             "end"),
            confirm_armed=r"^\s*set cfg-save revert$",
            push_unverified_lines=r'^\s*set \S+ "(?:[^"\\]|\\.)*$',
            comment_prefix="#",
            secret_patterns=(
                # Any value FortiOS stores encrypted (ENC), then the names that may also hold a
                # plain value (as pushed, or on older firmware); FortiOS CLI reference and
                # Oxidized's fortios model. Toggles such as `set save-password enable` stay.
                (r"^(\s*set \S+ ENC) .+$", r"\1 <removed>"),
                (r"^(\s*set (?:password|passwd|psksecret|psksecret-remote|secret|\S+-secret|key"
                 r"|secondary-key|tertiary-key|passphrase|auth-pwd|priv-pwd|sso-password|ppk-secret"
                 r"|login-password|server-key|mgmt-password|api-key|proxy-password|authentication-key"
                 r"|ddns-password|sae-password|secret-key|fmg-password|group-password|auth-password"
                 r"|auth-password-l[12]|key-string|history[01]|md5-key(?: \d+)?)) (?!ENC ).+$",
                 r"\1 <removed>"),
                (r'^(\s*set private-?key) "[^"]*"', r'\1 "<removed>"'),
                (r"^(#private-encryption-key=).+$", r"\1<removed>"),
            ),
            scoped_secret_patterns=(
                (r"config system snmp community$", r'^(\s*set name) (?!"?(?i:public|private)"?$).+$',
                 r'\1 "<removed>"'),
            ),
            volatile_patterns=(r"#conf_file_ver=",),
            # The header names whoever logged in for the last change; the firmware part is kept.
            volatile_substitutions=((r"^(#config-version=\S*?):user=\S*$", r"\1"),),
            error_pattern=r"^(?:Command fail\. Return code|Unknown action|command parse error)",
            config_marker=r"^\s*set hostname \S+",
            facts_patterns={
                "model": r"^Version:\s*(\S+)",
                "serial": r"^Serial-Number:\s*(\S+)",
                "os_version": r"^Version:\s*\S+\s+v?([^,\s]+)",
                "uptime": r"^Uptime:\s*(.+)$",
            },
        ),
    )
}


def detect_platform(text: str) -> Platform | None:
    """The platform whose config ``text`` most looks like (None when no platform stands out).

    Why: a config file handed to the audit without --platform is read as what it plainly is,
    and the caller says which platform it chose.
    """
    scores = {name: sum(1 for pattern in p.detect_patterns if re.search(pattern, text, re.MULTILINE))
              for name, p in PLATFORMS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return PLATFORMS[ranked[0][0]]


def get_platform(name: str) -> Platform:
    """Look a platform up by its Netmiko name; an unknown name is an input error listing the known ones."""
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise UnknownPlatformError(f"unknown platform {name!r} (known: {known})") from None
