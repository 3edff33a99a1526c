"""Imports every command module so each attaches its commands to the root app."""

from tslcd.cli import (
    audit,  # noqa: F401
    backup,  # noqa: F401
    command,  # noqa: F401
    compliance,  # noqa: F401
    impact,  # noqa: F401
    inventory,  # noqa: F401
    lab,  # noqa: F401
    listen,  # noqa: F401
    push,  # noqa: F401
    run,  # noqa: F401
    tui,  # noqa: F401
)
