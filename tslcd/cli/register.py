"""Which module holds each top-level command, so a command loads only its own module.

`tslcd backup ...` imports `tslcd.cli.backup` alone; `--help`, a bare `tslcd` or an unknown
word imports them all (every command attaches itself to the root app on import). A test checks
this table against what the modules register.
"""

from __future__ import annotations

import importlib

COMMANDS: dict[str, str] = {
    "audit": "audit", "explain": "audit",
    "backup": "backup", "facts": "backup", "history": "backup", "diff": "backup", "show": "backup",
    "changed": "backup", "grep": "backup",
    "cmd": "command",
    "compliance": "compliance",
    "impact": "impact",
    "inventory": "inventory",
    "lab": "lab",
    "listen": "listen",
    "render": "push", "push": "push", "changes": "push", "rollback": "push",
    "run": "run", "schedule": "run",
    "tui": "tui",
}
ROOT_OPTIONS_WITH_VALUE = ("-c", "--config")


def command_word(argv: list[str]) -> str | None:
    """The first word of ``argv`` that is not a root option (None: there is none)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(argv: list[str]) -> None:
    """Import the module of the command ``argv`` names, or every command module."""
    word = command_word(argv)
    if word is None and "--version" in argv:  # answered by the root callback: nothing to load
        return
    modules = [COMMANDS[word]] if word in COMMANDS else sorted(set(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"tslcd.cli.{module}")
