"""What a platform entry holds: how tslcd talks to, stores, audits, pushes to and simulates a device.

The per-platform modules fill these in; nothing outside the registry branches on a platform name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PushRules:
    """How a template change is computed and sent (tslcd.push), where the platform differs."""

    # "napalm" merges through the NAPALM driver (device-side diff, commit, configure-replace
    # rollback); "cli" sends hier_config remediation lines over Netmiko.
    method: str = "cli"
    # hier_config rules the library lacks: settings where a new value replaces the old one. Each
    # entry is one regex per level (parent first); capture groups form the setting's identity.
    idempotent: tuple[tuple[str, ...], ...] = ()
    # Sections a template owns whole when it contains them: running children it omits are removed.
    owned_sections: tuple[str, ...] = ()
    # Sections whose entries a template owns: running entries it omits are removed, the entries it
    # lists are merged (a FortiOS policy table: the standard policy replaces the old rules).
    owned_entries: tuple[str, ...] = ()
    # Top-level line families a template owns: when one of its lines matches a regex, every running
    # line matching it with the same capture groups and missing from the template is removed
    # (ssh access lines: the template says who may log in; an ACL: its entries are exactly these).
    owned_lines: tuple[str, ...] = ()
    # Owned line families whose order matters (ASA access-list entries are matched top-down).
    ordered_lines: tuple[str, ...] = ()
    # Ordered families the device removes whole: negating any one line drops them all (an ASA's
    # "no banner login TEXT" ignores TEXT), so a change rewrites such a family from its first line.
    whole_families: tuple[str, ...] = ()
    # How a line is negated where "<negation prefix> line" is wrong: (regex, replacement) on the
    # line (a FortiOS table entry is deleted, an IOS banner is removed without its text).
    negations: tuple[tuple[str, str], ...] = ()
    # Lines that are not configuration (headers, comments) and are dropped before diffing.
    ignore_lines: tuple[str, ...] = ()
    # Line prefixes renamed while diffing, (device form, diff form): hier_config reads any line
    # starting "banner " as a multi-line banner, which an ASA's one-line banners are not.
    line_aliases: tuple[tuple[str, str], ...] = ()
    # True where a double-quoted value may span lines (a FortiOS ``set buffer "..."`` banner): the
    # diff sees such a value as one line and the device gets it back on several.
    multiline_quotes: bool = False
    # Lines after which the device prints no prompt (a quoted value going on to the next line): a
    # change holding one is sent without waiting for each echo and prompt, as Netmiko does for IOS
    # banners (None: Netmiko's default, lines starting "banner ").
    unverified_lines: str | None = None
    # True where a setting that is off is simply absent (ASA "no http server enable" shows nothing):
    # a template's negation of an absent line is then already satisfied.
    absent_is_negated: bool = False
    # Secrets the device re-encodes reversibly (IOS type 7 after `service password-encryption`):
    # (clear type word, encoded type word, "module:function" decoding it). A restore puts back a
    # masked clear-text secret by decoding the device's own encoded line; nothing is stored.
    decodable_secrets: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ConfirmRules:
    """Commit-confirm, the device's own dead-man's switch while a change is verified.

    method "napalm": NAPALM commit_config(revert_in=...) arms the device's timer, confirm_commit()
    stops it (IOS: archive revert timer, `configure confirm`);
    "revert-mode": `arm` lines go first, `save` once verified, then `restore` puts the settings
    `settings` reads from the pre-change config back (FortiOS cfg-save);
    "save": the device has no timer: the change is saved (save_command) only once verified;
    "commit-confirmed": a candidate committed in two stages (JunOS): `arm` lines go first in
    configuration mode, the change is committed with ``commit confirmed N`` (Netmiko
    ``commit(confirm=True)``), a plain ``commit`` once verified stops the timer; what
    `armed_command` prints matching `armed` is an unconfirmed commit (a dead process's),
    confirmed before anything else is done.
    "commit": a candidate configuration without commit confirmed (PAN-OS): `arm` lines prepare
    the candidate, every change and restore is followed by `commit`; a commit the device refuses
    is dropped with `discard`, so the candidate holds nothing half-applied.
    "trial": a two-stage commit device (VRP V8): the change goes to a candidate, `arm` lines
    end it in the same configuration session (``commit trial N`` rolls back by itself unless
    confirmed), `save` lines confirm it, `commit` lines end every other change (a restore),
    `cancel` lines end a trial nobody confirmed (answered with an error when none is pending).
    """

    method: str = "save"
    arm: tuple[str, ...] = ()  # str.format fields: {seconds}, {minutes}
    save: tuple[str, ...] = ()
    # (regex whose group is the setting's value in the pre-change config, value when absent)
    settings: tuple[tuple[str, str], ...] = ()
    restore: tuple[str, ...] = ()  # str.format fields {0}, {1}...: settings' values
    # Matches a config whose switch is still armed (a change nobody confirmed): `restore` with
    # `settings`' defaults disarms it before anything else is done to the device.
    armed: str | None = None
    # Command whose output `armed` is matched against (None: the running config).
    armed_command: str | None = None
    # Config-mode lines that make the candidate the running config, and that drop a candidate.
    commit: tuple[str, ...] = ()
    discard: tuple[str, ...] = ()
    # Config-mode lines that end a trial nobody confirmed (VRP V8 ``abort trial``).
    cancel: tuple[str, ...] = ()
    # What the device asks before save_command writes the startup config (answered "y").
    save_question: str | None = None
    max_minutes: int = 120


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
    # Commands sent once when a Netmiko session opens, before any other (PAN-OS: the listing
    # format `config_command` prints in).
    session_commands: tuple[str, ...] = ()
    # Netmiko connection arguments for this platform (NAPALM passes them on to its Netmiko
    # session); the inventory's extras override them host by host.
    ssh_options: dict[str, Any] = field(default_factory=dict)
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
    # Further commands whose output facts_patterns also search, where one command does not print
    # every fact (JunOS: serial in `show chassis hardware`, uptime in `show system uptime`; VRP:
    # serial only under ``display esn``).
    facts_extra: tuple[str, ...] = ()
    push: PushRules = field(default_factory=PushRules)
    confirm: ConfirmRules = field(default_factory=ConfirmRules)

    @property
    def volatile_res(self) -> list[re.Pattern[str]]:
        """Compiled volatile-line patterns."""
        return [re.compile(p) for p in self.volatile_patterns]
