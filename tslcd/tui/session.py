"""What every tab shares: the project config, lab mode and the targets the inventory filter picked."""

from __future__ import annotations

from dataclasses import dataclass, field

from tslcd.audit.result import AuditResult
from tslcd.config import Config
from tslcd.inventory import HostInfo


@dataclass
class Session:
    """One per app; the Inventory tab sets the targets, the other tabs act on them."""

    config: Config
    lab: bool = False
    filters: list[str] = field(default_factory=list)
    targets: list[HostInfo] = field(default_factory=list)
    audit: AuditResult | None = None  # the latest audit run (stored or run here): the detail pane counts it

    @property
    def scope(self) -> str:
        """The targets in words, for status lines and confirmations."""
        where = f"filter {', '.join(self.filters)}" if self.filters else "whole inventory"
        return f"{len(self.targets)} devices ({where})"
