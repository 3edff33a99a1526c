"""Turns a device's raw configuration into what may be stored: secrets masked, volatile lines gone.

Masking happens before a config leaves the worker that fetched it, so no secret reaches the
store, a log or a report. Dropping volatile lines (byte counts, timestamps, clock drift, file
versions) and volatile parts of lines (the FortiOS header's last user) makes an unchanged device
produce byte-identical text, hence no diff and no commit. The patterns are platform data in
`tslcd.platforms`; netutils' `clean_config` and `sanitize_config` apply them.
"""

from __future__ import annotations

import re
from functools import cache

from netutils.config.clean import clean_config, sanitize_config

from tslcd.platforms import Platform, get_platform

MASK = "<removed>"


@cache
def _filters(name: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Volatile-line filters for clean_config; volatile-part and secret substitutions for
    sanitize_config."""
    platform = get_platform(name)
    volatile = [{"regex": rf"^(?:{p})[^\n]*(?:\n|$)"} for p in platform.volatile_patterns]
    substitutions = [{"regex": p, "replace": r}
                     for p, r in (*platform.volatile_substitutions, *platform.secret_patterns)]
    return volatile, substitutions


@cache
def _scoped(name: str) -> list[tuple[re.Pattern[str], re.Pattern[str], str]]:
    return [(re.compile(header), re.compile(pattern), repl)
            for header, pattern, repl in get_platform(name).scoped_secret_patterns]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mask_scoped(text: str, platform: Platform) -> str:
    """Apply patterns that are secrets only inside some blocks (FortiOS SNMP `set name`, AAA keys).

    A block is a header line and the lines indented deeper below it, which is how both IOS-style
    and FortiOS output nest.
    """
    rules = _scoped(platform.name)
    if not rules:
        return text
    lines = text.split("\n")
    headers: list[tuple[int, str]] = []  # enclosing (indent, header text), innermost last
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        depth = _indent(line)
        while headers and headers[-1][0] >= depth:
            headers.pop()
        for header_re, pattern, repl in rules:
            if any(header_re.match(h) for _, h in headers):
                lines[i] = pattern.sub(repl, lines[i])
        headers.append((depth, line.strip()))
    return "\n".join(lines)


def sanitize(raw: str, platform: Platform) -> str:
    """The storable form of ``raw``: LF line ends, no trailing blanks, volatile lines and empty
    header dropped, secrets masked, exactly one final newline."""
    text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    volatile, secrets = _filters(platform.name)
    text = clean_config(text, volatile)
    text = sanitize_config(text, secrets)
    text = _mask_scoped(text, platform)
    return _strip_header(text, platform.comment_prefix)


def _strip_header(text: str, comment: str) -> str:
    """Drop the blank and bare-comment lines before the first config line: drivers (NAPALM's
    get_config) blank out volatile header lines instead of removing them, so the header's shape
    changes with the device's change history."""
    lines = text.strip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() not in ("", comment)), len(lines))
    return "\n".join(lines[start:]) + "\n"
