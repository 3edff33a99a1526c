"""Turns a device's raw configuration into what may be stored: secrets masked, volatile lines gone.

Masking happens before a config leaves the worker that fetched it, so no secret reaches the
store, a log or a report. Dropping volatile lines (byte counts, timestamps, clock drift, file
versions) and volatile parts of lines (the FortiOS header's last user) makes an unchanged device
produce byte-identical text, hence no diff and no commit. The patterns are platform data in
`tslcd.platforms`; netutils' `clean_config` and `sanitize_config` apply them.

Other modules mask through this one: `mask` (a config or config lines: every line that is not a
secret is kept byte for byte, masking twice equals masking once) and `mask_message` (a message
that quotes a device command anywhere in a line, e.g. a rejected command in an error).
"""

from __future__ import annotations

import re
from functools import cache

from tslcd.errors import UnknownPlatformError
from tslcd.platforms import PLATFORMS, Platform, get_platform
from tslcd.textsafe import storable

MASK = "<removed>"


@cache
def _volatile(name: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Volatile-line filters for clean_config, volatile-part substitutions for sanitize_config."""
    platform = get_platform(name)
    lines = [{"regex": rf"^(?:{p})[^\n]*(?:\n|$)"} for p in platform.volatile_patterns]
    parts = [{"regex": p, "replace": r} for p, r in platform.volatile_substitutions]
    return lines, parts


@cache
def _secrets(name: str) -> list[dict[str, str]]:
    return [{"regex": p, "replace": r} for p, r in get_platform(name).secret_patterns]


@cache
def _scoped(name: str) -> list[tuple[re.Pattern[str], re.Pattern[str], str]]:
    return [(re.compile(header), re.compile(pattern), repl)
            for header, pattern, repl in get_platform(name).scoped_secret_patterns]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mask_scoped(text: str, name: str) -> str:
    """Apply patterns that are secrets only inside some blocks (FortiOS SNMP `set name`, AAA keys).

    A block is a header line and the lines indented deeper below it, which is how both IOS-style
    and FortiOS output nest.
    """
    rules = _scoped(name)
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


def clean_config(config: str, filters: list[dict[str, str]]) -> str:
    """netutils' `clean_config`, loaded on first use: netutils brings Jinja2, which a command that
    only reads the store (or prints --help) does not need to load."""
    from netutils.config.clean import clean_config as clean

    return clean(config, filters)


def sanitize_config(config: str, filters: list[dict[str, str]]) -> str:
    """netutils' `sanitize_config`, loaded on first use (see `clean_config`)."""
    from netutils.config.clean import sanitize_config as sanitize

    return sanitize(config, filters)


def _mask_tabs(text: str, name: str) -> str:
    """Lines whose words a tab separates (a device accepts ``username a<TAB>secret x``) are masked
    as if the tabs were spaces; such a line is stored with spaces once masked."""
    if "\t" not in text:
        return text
    secrets = _secrets(name)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\t" in line:
            spaced = line.replace("\t", " ")
            masked = sanitize_config(spaced, secrets)
            if masked != spaced:
                lines[i] = masked
    return "\n".join(lines)


def _platform_names(platform: Platform | str | None) -> tuple[str, ...]:
    """The platform's name; every platform's when it is unknown (a message must be masked anyway)."""
    if isinstance(platform, Platform):
        return (platform.name,)
    try:
        return (get_platform(platform).name,) if platform else tuple(PLATFORMS)
    except UnknownPlatformError:
        return tuple(PLATFORMS)


def mask(text: str, platform: Platform | str | None) -> str:
    """``text`` with every secret value the platform's patterns know replaced by ``<removed>``.

    Lines that hold no secret are returned unchanged; masking is idempotent. An unknown platform
    (None or a name not in the registry) gets every platform's patterns.
    """
    for name in _platform_names(platform):
        text = _mask_tabs(text, name)
        text = sanitize_config(text, _secrets(name))
        text = _mask_scoped(text, name)
    return text


_QUOTED = re.compile(r"`([^`\n]*)`|'([^'\n]*)'|\"([^\"\n]*)\"")
_WORD_START = re.compile(r"(?:^|(?<=[\s(:=,;`'\"]))\S")


def mask_command(text: str, platform: Platform | str | None) -> str:
    """One device command or output line taken out of its config (a rejected command, a line of
    an error): the text from each word on is tried as a config line, top-level and indented (a
    sub-command loses its block, so block-scoped patterns apply as if inside any block), and the
    first that holds a secret is masked to the end."""
    names = _platform_names(platform)
    for start in (m.start() for m in _WORD_START.finditer(text)):
        tail = text[start:]
        for prefix in ("", " "):
            candidate = prefix + tail
            masked = candidate
            for name in names:
                masked = mask(masked, name)
                for _, pattern, repl in _scoped(name):
                    masked = pattern.sub(repl, masked)
            if masked != candidate:
                return text[:start] + masked[len(prefix):]
    return text


def mask_message(text: str, platform: Platform | str | None) -> str:
    """A message (error, log line, notification) with every quoted device command (in backticks
    or quotes) masked by `mask_command`; the message's own words are left alone."""
    def one(match: re.Match[str]) -> str:
        quote = match.group(0)[0]
        inner = next(g for g in match.groups() if g is not None)
        return f"{quote}{mask_command(inner, platform)}{quote}"

    return _QUOTED.sub(one, text)


def sanitize(raw: str, platform: Platform) -> str:
    """The storable form of ``raw``: LF line ends, no trailing blanks, no NUL, volatile lines and
    empty header dropped, secrets masked, exactly one final newline."""
    text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    volatile_lines, volatile_parts = _volatile(platform.name)
    text = clean_config(storable(text), volatile_lines)
    text = sanitize_config(text, volatile_parts)
    text = mask(text, platform)
    return _strip_header(text, platform.comment_prefix)


def _strip_header(text: str, comment: str) -> str:
    """Drop the blank and bare-comment lines before the first config line: drivers (NAPALM's
    get_config) blank out volatile header lines instead of removing them, so the header's shape
    changes with the device's change history."""
    lines = text.strip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() not in ("", comment)), len(lines))
    return "\n".join(lines[start:]) + "\n"
