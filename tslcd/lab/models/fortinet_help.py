"""FortiOS's ``?``: the commands (with FortiOS's own one-line descriptions) or attributes or
configuration paths that may come next where the cursor is."""

from __future__ import annotations

from collections.abc import Iterable

#: FortiOS's descriptions of its CLI verbs.
VERBS = {
    "config": "Configure object.", "get": "Get dynamic and system information.",
    "show": "Show configuration.", "diagnose": "Diagnose facility.",
    "execute": "Execute static commands.", "exit": "Exit the CLI.",
    "edit": "Create new or edit existing object.", "delete": "Delete an object.",
    "purge": "Purge all objects.", "rename": "Rename an object.", "clone": "Clone an object.",
    "move": "Move an object.", "end": "End and save last config.",
    "abort": "End and discard last config.", "next": "Configure next table entry.",
    "set": "Modify value.", "unset": "Set to default value.", "append": "Append values.",
    "select": "Select values.", "unselect": "Unselect values.",
}


def listing(names: Iterable[str], typed: str) -> str | None:
    """The help lines for the ``names`` starting with ``typed`` (None when none does)."""
    chosen = sorted({n for n in names if n.startswith(typed)})
    if not chosen:
        return None
    width = max(len(n) for n in chosen) + 4
    return "\n".join(f"{n:<{width}}{VERBS.get(n, '')}".rstrip() for n in chosen) + "\n"


def next_words(paths: Iterable[str], typed: list[str]) -> set[str]:
    """The words that may follow ``typed`` in one of the configuration ``paths``."""
    return {words[len(typed)] for words in (p.split() for p in paths if "/" not in p)
            if words[: len(typed)] == typed and len(words) > len(typed)}
