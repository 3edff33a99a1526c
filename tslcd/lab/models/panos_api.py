"""What a PAN-OS session needs from the firewall it runs on.

The device (`panos.PanosDevice`) creates sessions; sessions only see this view of it, so neither
imports the other's module. PAN-OS keeps one candidate configuration per firewall, shared by
every administrator's session, next to the running one that ``commit`` replaces.
"""

from __future__ import annotations

from typing import Any, Protocol

from tslcd.lab.models.panos_config import Tree


class PanosDeviceView(Protocol):
    """A lab firewall as its sessions see it."""

    name: str
    host: dict[str, Any]
    serial: str
    running: Tree
    candidate: Tree
    snapshots: dict[str, Tree]
    commit_lock: str | None  # the administrator holding the commit lock

    @property
    def hostname(self) -> str:
        """The configured hostname (the prompt's)."""

    def commit(self, user: str) -> tuple[int, list[str]]:
        """Validate and commit the candidate: (job id, validation errors; empty when committed)."""

    def system_info(self) -> str:
        """``show system info``."""

    def management_interface(self) -> str:
        """``show interface management``."""

    def jobs(self) -> str:
        """``show jobs all``."""
