"""Error types shared by every layer; each carries the exit code a front end should use."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


class TslcdError(Exception):
    """Base of every error tslcd reports to a person (never shown as a traceback)."""

    exit_code = EXIT_USAGE


class InputError(TslcdError):
    """Bad input from the operator: config, inventory, template, filter, file. Exit code 2."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class ConfigError(InputError):
    """tslcd.yaml is missing, malformed or has an unknown key / wrong type."""


class InventoryError(InputError):
    """The inventory failed validation; `problems` lists every problem found."""


class FilterError(InputError):
    """A --filter expression is malformed or names an unknown field."""


class UnknownPlatformError(InputError):
    """A platform name that the platform registry does not know."""


class CredentialError(InputError):
    """No credentials could be resolved for a host without prompting."""


class StorageError(TslcdError):
    """The data folder cannot be written or read (read-only, full, damaged). Exit code 2."""
