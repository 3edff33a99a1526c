"""Looking back at stored configs: a host's history, diffs, a past version, what changed lately."""

from __future__ import annotations

from dataclasses import dataclass

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.push.changelog import ChangeLog, ChangeRecord
from tslcd.store.configs import ConfigStore
from tslcd.store.gitrepo import Revision
from tslcd.store.records import HostAttempt, RunLog, RunRecord


@dataclass(frozen=True)
class HostHistory:
    """The commits that changed a host's config and its recent backup attempts, newest first."""

    host: str
    revisions: list[Revision]
    attempts: list[HostAttempt]


def _revisions(store: ConfigStore, host: str) -> list[Revision]:
    revisions = store.history(host)
    if not revisions:
        raise InputError(f"no stored config for host {host!r} (run `tslcd backup` first)")
    return revisions


def _commit(store: ConfigStore, rev: str) -> str:
    sha = store.resolve(rev)
    if sha is None:
        raise InputError(f"{rev!r} is not a revision of the backup store (see `tslcd history HOST`)")
    return sha


def host_history(config: Config, host: str) -> HostHistory:
    """Why: one view answering "when did this device change, and did its backups work?"."""
    store = ConfigStore(config.data_dir)
    attempts = RunLog(config.data_dir).host_attempts(host, kind="backup")
    revisions = store.history(host)
    if not revisions and not attempts:
        raise InputError(f"no backup history for host {host!r}")
    return HostHistory(host, revisions, attempts)


def diff(config: Config, host: str, old: str | None = None, new: str | None = None) -> str:
    """Unified diff: no revision = the last change; one = from it to the latest; two = between them."""
    store = ConfigStore(config.data_dir)
    if old is None:
        revisions = _revisions(store, host)
        if len(revisions) < 2:
            raise InputError(f"host {host!r} has one stored version only ({revisions[0].short}): "
                             "nothing to compare yet")
        return store.diff(host, revisions[1].sha, revisions[0].sha)
    _revisions(store, host)
    return store.diff(host, _commit(store, old), _commit(store, new) if new else "HEAD")


def revision_at(store: ConfigStore, at: str) -> str:
    """The commit ``at`` names: a revision, or the last backup at or before a date/time."""
    sha = store.resolve(at) or store.commit_before(at)
    if not sha:
        raise InputError(f"no backup at or before {at!r}")
    return sha


def show(config: Config, host: str, at: str | None = None) -> tuple[str, str]:
    """The host's config at a revision or date (default: the latest) and the commit it came from."""
    store = ConfigStore(config.data_dir)
    revisions = _revisions(store, host)
    sha = revisions[0].sha if at is None else revision_at(store, at)
    text = store.read(host, sha)
    if text is None:
        raise InputError(f"host {host!r} had no stored config at {at!r}")
    return text, sha


def runs(config: Config, kind: str = "backup", limit: int = 50) -> list[RunRecord]:
    """Why: "did last night's backup run, and how did it go?" without naming a host. Newest first."""
    return RunLog(config.data_dir).runs(kind, limit)


def changed_since(config: Config, since: str) -> dict[str, list[Revision]]:
    """Hosts whose config changed after ``since`` (a date or anything git's --since accepts)."""
    return ConfigStore(config.data_dir).changed_since(since)


def changes(config: Config, limit: int = 50) -> list[ChangeRecord]:
    """The latest changes (push, rollback) from the change log, newest first (no driver loads)."""
    return ChangeLog(config.data_dir).list(limit)


def change(config: Config, change_id: int) -> ChangeRecord:
    """One change with every device's diff and result."""
    return ChangeLog(config.data_dir).get(change_id)
