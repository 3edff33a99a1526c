"""Out-of-band changes: configuration lines that changed with no recorded tslcd change behind them.

A backup diff is explained line by line: a line added or removed by a push (or rollback) that
tslcd recorded on that device since the previous backup is accounted for; whatever remains was
changed by someone outside tslcd (a console session, another tool) and is flagged with its lines.
Configs are compared as stored (secrets masked), on both sides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tslcd.push.changelog import ChangeRecord

APPLIED = ("applied", "rolled-back", "rollback-failed", "failed")  # any of these may have touched it


@dataclass(frozen=True)
class LineChanges:
    """Lines added and removed between two configs (as multisets, so repeated lines count)."""

    added: Counter[str]
    removed: Counter[str]

    @classmethod
    def between(cls, old: str, new: str) -> LineChanges:
        """Compare two configs line by line, ignoring blank lines and trailing spaces."""
        before = Counter(_lines(old))
        after = Counter(_lines(new))
        return cls(after - before, before - after)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def minus(self, explained: LineChanges) -> LineChanges:
        """What ``explained`` does not account for."""
        return LineChanges(self.added - explained.added, self.removed - explained.removed)

    def plus(self, other: LineChanges) -> LineChanges:
        """Both sets of changes together."""
        return LineChanges(self.added + other.added, self.removed + other.removed)

    def listing(self) -> list[str]:
        """``- line`` then ``+ line``, in a stable order, for messages and reports."""
        return ([f"- {line}" for line in sorted(self.removed.elements())]
                + [f"+ {line}" for line in sorted(self.added.elements())])


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def recorded_changes(host: str, changes: Iterable[ChangeRecord],
                     since: datetime | None) -> LineChanges:
    """Every line tslcd changed on ``host`` in changes that ended after ``since`` (all when None)."""
    total = LineChanges(Counter(), Counter())
    for change in changes:
        ended = datetime.fromisoformat(change.finished_at or change.started_at)
        if since is not None and ended < since:
            continue
        for entry in change.hosts:
            if entry.host == host and entry.status in APPLIED and entry.pre_config and entry.post_config:
                total = total.plus(LineChanges.between(entry.pre_config, entry.post_config))
    return total


def unexplained(old: str, new: str, host: str, changes: Iterable[ChangeRecord],
                since: datetime | None) -> LineChanges:
    """The part of the old -> new diff that no recorded change explains."""
    return LineChanges.between(old, new).minus(recorded_changes(host, changes, since))
