"""Whether an ad-hoc command (`tslcd cmd`) only reads: the platform's read-only list decides.

An operator types the command, but it reaches every selected device, so it is checked as hostile
input: one line, no command separator, a head on the platform's read-only list, at most one
output filter from its list, and nothing after a `|` that could write (`redirect`, `tee`,
`append` and their abbreviations), wherever that `|` stands.
"""

from __future__ import annotations

import re

from tslcd.platforms import Platform

MAX_LENGTH = 300
# Output modifiers that write somewhere (IOS, ASA, NX-OS): refused after any "|", abbreviated or not.
WRITING_MODIFIERS = ("redirect", "tee", "append", "save", "copy", "write")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def refusal(command: str, platform: Platform) -> str | None:
    """Why ``command`` may not run on ``platform`` (None: it only reads and may run)."""
    if not command.strip():
        return "the command is empty"
    if len(command) > MAX_LENGTH:
        return f"the command is longer than {MAX_LENGTH} characters"
    if _CONTROL.search(command):
        return "the command holds a newline or another control character (one command, one line)"
    if ";" in command:
        return "the command holds `;` (one command at a time)"
    head, bar, rest = command.strip().partition("|")
    head = head.strip()
    if not any(re.fullmatch(p, head, re.IGNORECASE) for p in platform.read_only_commands):
        return f"`{head}` is not on the read-only list of {platform.name} ({platform.read_only_help[0]})"
    if not bar:
        return None
    for segment in rest.split("|"):
        word = (segment.split() or [""])[0].lower()
        writing = [m for m in WRITING_MODIFIERS if word and m.startswith(word)]
        if writing:
            return f"`| {word}` may write ({writing[0]}): only read-only output filters are allowed"
    if not any(re.fullmatch(p, rest.strip(), re.IGNORECASE) for p in platform.read_only_filters):
        return (f"`| {rest.strip()}` is not a read-only output filter on {platform.name} "
                f"({platform.read_only_help[1]})")
    return None
