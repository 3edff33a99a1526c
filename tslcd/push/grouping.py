"""Identical changes grouped, so an operator reviews each distinct diff once with its host list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tslcd.push.diff import Plan


@dataclass(frozen=True)
class ChangeGroup:
    """One distinct change and every host that gets exactly it."""

    platform: str
    commands: tuple[str, ...]
    shown: tuple[str, ...]  # the device's diff where it gives one, else the commands
    hosts: tuple[str, ...]

    @property
    def summary(self) -> str:
        """E.g. ``29 hosts (cisco_ios) get these 6 lines``."""
        noun = "host" if len(self.hosts) == 1 else "hosts"
        lines = "line" if len(self.shown) == 1 else "lines"
        verb = "gets" if len(self.hosts) == 1 else "get"
        return f"{len(self.hosts)} {noun} ({self.platform}) {verb} these {len(self.shown)} {lines}"


def group_plans(plans: Iterable[Plan]) -> list[ChangeGroup]:
    """Non-empty plans grouped by platform, exact commands and device diff, largest group first."""
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for plan in plans:
        if not plan.empty:
            groups.setdefault((plan.platform, plan.commands, plan.shown), []).append(plan.host)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0][0], item[1][0]))
    return [ChangeGroup(platform, commands, shown, tuple(hosts))
            for (platform, commands, shown), hosts in ordered]
