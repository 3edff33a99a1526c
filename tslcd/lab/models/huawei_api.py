"""What a VRP session and its display commands need from the device they run on.

The device (`huawei.HuaweiDevice`) creates sessions; sessions see only this view of it, so
neither imports the other's module.
"""

from __future__ import annotations

from typing import Any, Protocol

from tslcd.lab.models.huawei_config import Node


class HuaweiDeviceView(Protocol):
    """A lab VRP device as its sessions see it."""

    name: str
    host: dict[str, Any]
    root: Node
    two_stage: bool  # VRP V8: lines go to a candidate until ``commit``
    model: str
    software: str  # e.g. V300R019C10SPC300
    vrp_version: str  # e.g. 5.170
    serial: str
    hardware: tuple[str, ...]  # physical interfaces

    @property
    def hostname(self) -> str:
        """The configured sysname."""

    def running_config(self) -> str:
        """``display current-configuration``."""

    def saved_config(self) -> str:
        """``display saved-configuration``."""

    def apply(self, root: Node, user: str) -> None:
        """Make ``root`` the running configuration (a change by ``user``)."""

    def save(self, user: str) -> None:
        """``save``: the running configuration becomes the startup one."""
