"""What a FortiOS session and its show/execute commands need from the device they run on.

The device (`fortinet.FortinetDevice`) creates sessions; sessions only see this view of it, so
neither imports the other's module and the layers stay one-directional.
"""

from __future__ import annotations

from typing import Any, Protocol

from tslcd.lab.models.fortinet_schema import Node


class FortinetDeviceView(Protocol):
    """A lab FortiGate as its sessions see it: the committed tree and who saved it."""

    name: str
    host: dict[str, Any]
    serial: str
    tree: Node
    saved_by: str
    conf_file_ver: int

    @property
    def hostname(self) -> str:
        """The configured hostname."""

    @property
    def model_name(self) -> str:
        """The FortiGate model, as ``get system status`` names it."""

    def show(self, full: bool) -> str:
        """``show`` (changed settings) or ``show full-configuration``."""

    def commit(self, work: Node, user: str) -> None:
        """Apply a session's working tree as ``user`` (FortiOS applies at next/end)."""

    def persist(self) -> None:
        """Write the committed tree to the device's state folder."""

    def restore(self, tree: Node, conf_file_ver: int, saved_by: str) -> None:
        """Put a previous tree back (revert-mode timer, reboot to saved config)."""

    def performance(self) -> str:
        """``get system performance status``."""

    def status(self) -> str:
        """``get system status``."""
