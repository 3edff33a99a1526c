"""FortiOS's ``| grep`` on command output: ``-i -v -c -n -A N -B N -C N -f`` as FortiOS has them.

``-f`` is FortiOS's own: each matching line with the ``config``/``edit`` lines it sits in and
their closing ``next``/``end``, so a match in a long configuration is shown in context.
"""

from __future__ import annotations

import re

from tslcd.lab.models.fortinet_config import parse_error, tokenize

_CONTEXT = {"-A": "after", "-B": "before", "-C": "both"}


def _options(words: list[str]) -> tuple[set[str], dict[str, int], str]:
    """(flags, context sizes, pattern) of ``grep [OPTIONS] PATTERN``."""
    if not words or words[0] != "grep" or len(words) < 2:
        raise parse_error(words[0] if words else "|")
    flags: set[str] = set()
    sizes = {"after": 0, "before": 0}
    rest = words[1:]
    while len(rest) > 1 and rest[0].startswith("-"):
        option, rest = rest[0], rest[1:]
        if option in _CONTEXT:
            if not rest[0].isdigit() or len(rest) < 2:
                raise parse_error(rest[0])
            count, rest = int(rest[0]), rest[1:]
            for key in ("after", "before") if _CONTEXT[option] == "both" else (_CONTEXT[option],):
                sizes[key] = count
        elif option in ("-i", "-v", "-c", "-n", "-f"):
            flags.add(option)
        else:
            raise parse_error(option)
    if len(rest) != 1:
        raise parse_error(rest[-1])
    return flags, sizes, rest[0]


def _enclosing(lines: list[str], hits: set[int]) -> set[int]:
    """The matched lines, the config/edit lines they sit in, and those blocks' closing lines."""
    keep = set(hits)
    stack: list[int] = []  # indexes of open config/edit lines
    opened: dict[int, int] = {}  # closing line -> its opening line
    for index, line in enumerate(lines):
        word = line.split()[0] if line.split() else ""
        if word in ("next", "end") and stack:
            opened[index] = stack.pop()
        elif word in ("config", "edit"):
            stack.append(index)
        if index in hits:
            keep.update(stack)
    keep.update(close for close, start in opened.items() if start in keep)
    return keep


def grep(output: str, pipe: str) -> str:
    """Apply a ``| grep ...`` to ``output``."""
    flags, sizes, pattern = _options(tokenize(pipe))
    try:
        regex = re.compile(pattern, re.I if "-i" in flags else 0)
    except re.error:
        raise parse_error(pattern) from None
    lines = output.splitlines()
    hits = {i for i, line in enumerate(lines) if bool(regex.search(line)) != ("-v" in flags)}
    if "-c" in flags:
        return str(len(hits))
    keep = set(hits)
    for index in hits:
        keep.update(range(max(0, index - sizes["before"]), min(len(lines), index + sizes["after"] + 1)))
    if "-f" in flags:
        keep = _enclosing(lines, keep)
    return "\n".join(f"{i + 1}:{lines[i]}" if "-n" in flags else lines[i] for i in sorted(keep))
