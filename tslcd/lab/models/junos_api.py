"""What a JunOS session, its show commands and its commit engine need from the device they run on.

The device (`junos.JunosDevice`) creates sessions; sessions, show commands and commits only see
this view of it, so none of them imports the device module and the layers stay one-directional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tslcd.lab.models.junos_tree import Node


@dataclass
class Commit:
    """One entry of ``show system commit``: the configuration it made active and who made it."""

    tree: Node
    when: datetime
    user: str
    client: str = "cli"
    note: str = ""  # "commit confirmed, rollback in 10mins", a comment


class JunosDeviceView(Protocol):
    """A lab JunOS device as its sessions see it: committed tree, shared candidate, history."""

    name: str
    host: dict[str, Any]
    serial: str
    booted: datetime
    committed: Node
    candidate: Node
    history: list[Commit]  # newest first: history[0] is what is active (rollback 0)

    @property
    def hostname(self) -> str:
        """The configured host name (``system host-name``)."""

    def activate(self, tree: Node, user: str, note: str = "") -> None:
        """Make ``tree`` the active configuration as ``user`` (a commit), saved at once."""

    def candidate_changed(self) -> bool:
        """Whether the shared candidate differs from the active configuration."""
