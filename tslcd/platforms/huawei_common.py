"""What Huawei VRP V5 (AR, S, USG) and VRP V8 share: secrets, volatile lines, errors, facts, push.

Secrets: VRP stores most as ``cipher`` (reversible, ``%^%#...%^%#`` or ``%$%$...%$%$``) or
``irreversible-cipher`` (``$1a$...$``) values, older releases also as ``simple``/``plain`` clear
text; Oxidized's vrp model masks the ``%^%#`` form. Every value after one of those keywords is
masked, and so is any such encoded blob anywhere on a line (a backup-server password).
"""

from __future__ import annotations

from tslcd.platforms.common import COMMUNITY
from tslcd.platforms.model import PushRules

REMOVED = "<removed>"

SECRET_PATTERNS: tuple[tuple[str, str], ...] = (
    # Encoded blobs first, so the keyword rules below see them already masked.
    (r"%\^%#.*?%\^%#", REMOVED),
    (r"%\$%\$.*?%\$%\$", REMOVED),
    (r"%@%@.*?%@%@", REMOVED),
    (r"%#%#.*?%#%#", REMOVED),
    # `ssh server cipher aes256_ctr` names algorithms, not a secret.
    (r"(\birreversible-cipher|(?<!server )(?<!client )\bcipher|\bplain) (?!<removed>)\S+",
     r"\1 " + REMOVED),
    (r"(\bsimple) (?!cipher |plain |<removed>)\S+", r"\1 " + REMOVED),
    (r"^(\s*snmp-agent community (?:read|write)) (?!cipher )" + COMMUNITY, r"\1 " + REMOVED),
    (r"^(\s*snmp-agent usm-user .*?(?:authentication|privacy)-mode \S+) (?!cipher )\S+",
     r"\1 " + REMOVED),
    (r"(\b(?:pre-shared-key|shared-key)) (?!cipher |simple |<removed>)\S+", r"\1 " + REMOVED),
    (r"^(\s*(?:local-user \S+ )?password) (?!cipher |irreversible-cipher |simple |<removed>)\S+$",
     r"\1 " + REMOVED),
    (r"(\bpeer \S+ password) (?!cipher |simple |<removed>)\S+", r"\1 " + REMOVED),
    (r"(\bauthentication-mode (?:md5|hmac-md5|hmac-sha256|hmac-sha1|sha|md5-compatible)(?: \d+)?) "
     r"(?!\d+ |cipher |plain |<removed>)\S+", r"\1 " + REMOVED),
    (r"(\bpin verify(?: auto)?) \S+", r"\1 " + REMOVED),
)

# Lines that change on an unchanged device: who changed or saved it last, and when.
VOLATILE_PATTERNS: tuple[str, ...] = (
    r"!Last configuration was (?:updated|saved|committed) at ",
    r"!Software Version ",
    r"!Time:",
)

ERROR_PATTERN = r"^\s*Error:\s*\S"
CONFIG_MARKER = r"^\s*sysname \S+"

READ_ONLY_COMMANDS: tuple[str, ...] = (r"dis(?:p|pl|pla|play)?\s+\S.*",)
READ_ONLY_FILTERS: tuple[str, ...] = (
    r"(?:i|in|inc|incl|inclu|includ|include|e|ex|exc|excl|exclu|exclud|exclude|b|be|beg|begi"
    r"|begin|c|co|cou|coun|count)\s+\S.*",
)
READ_ONLY_HELP = ("display ...", "include, exclude, begin, count")

FACTS_PATTERNS = {
    "model": r"^VRP \(R\) software, Version \S+ \((\S+(?: \S+)*?) V\d+R\d+\S*\)",
    "serial": r"^\s*ESN of [^:]+:\s*(\S+)",
    "os_version": r"^VRP \(R\) software, Version \S+ \(.*?(V\d+R\d+\S*)\)",
    "uptime": r"\buptime is (.+)$",
}

PUSH = PushRules(
    ignore_lines=(r"^#", r"^!", r"^return$"),
    idempotent=(
        (r"^(sysname) ",),
        (r"^\S", r"^(description) "),
        (r"^interface ", r"^(ip address) \S+ \S+$"),
        (r"^user-interface ", r"^(authentication-mode) "),
        (r"^user-interface ", r"^(protocol inbound) "),
        (r"^user-interface ", r"^(idle-timeout) "),
        (r"^user-interface ", r"^(user privilege level) "),
        (r"^aaa$", r"^(local-user \S+ password) "),
        (r"^aaa$", r"^(local-user \S+ privilege level) "),
        (r"^aaa$", r"^(local-user \S+ service-type) "),
        (r"^security-policy$", r"^rule name ", r"^(action) "),
        (r"^(header (?:login|shell)) ",),
        (r"^(info-center timestamp \S+) ",),
        (r"^(clock timezone) ",),
    ),
    # An ACL the template names holds exactly its rules; the security policy's rules are the
    # template's (rules it does not list are removed); NTP servers and log hosts are its list.
    owned_lines=(r"^ntp-service unicast-server ", r"^info-center loghost "),
    owned_sections=(r"^acl (?:number|name) \S+",),
    owned_entries=(r"^security-policy$",),
)

# What ``save`` asks before writing the startup config (answered "y").
SAVE_QUESTION = r"[Cc]ontinue\?\s*\[Y/N\]"
