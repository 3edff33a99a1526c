"""Device configurations in git: one file per device, laid out by agency, one commit per run.

Layout: ``<data>/backups/<agency_type>/<agency_code>/<host>.cfg``, so an engineer can browse the
network by agency with any git tool. Host names are unique, so a host is found by its file name
wherever its agency puts it (a host that changes agency is moved, its history kept).
Everything stored here is already masked (see tslcd.sanitize).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tslcd.paths import inside
from tslcd.store.gitrepo import GitRepo, Revision
from tslcd.store.lock import writer_lock

BACKUP_DIR = "backups"
LOCK_NAME = "backups.lock"
SUFFIX = ".cfg"


def _safe(part: object) -> str:
    return re.sub(r"[^\w.-]+", "-", str(part or "")).strip(".-") or "unknown"


def layout_path(name: str, agency_type: object, agency_code: object) -> str:
    """Where a host's file lives in the repository (relative, POSIX)."""
    return f"{_safe(agency_type)}/{_safe(agency_code)}/{_safe(name)}{SUFFIX}"


def _host_of(path: str) -> str | None:
    pure = PurePosixPath(path)
    return pure.name[: -len(SUFFIX)] if pure.suffix == SUFFIX else None


def _pathspec(host_name: str) -> str:
    return f"*/{_safe(host_name)}{SUFFIX}"


@dataclass(frozen=True)
class StoredConfig:
    """A configuration to store for one host at its layout path."""

    host: str
    path: str
    text: str


class ConfigStore:
    """The configuration history in ``<data_dir>/backups`` (a git repository)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.repo = GitRepo(data_dir / BACKUP_DIR)

    def writer(self) -> AbstractContextManager[None]:
        """The exclusive writer lock; hold it around `prepare`, `write` and `commit`."""
        return writer_lock(self.data_dir / LOCK_NAME)

    def prepare(self) -> None:
        """Create the repository or repair what an interrupted run left (under the writer lock)."""
        self.repo.ensure()
        self.repo.recover()

    def _paths(self, rev: str = "HEAD") -> dict[str, str]:
        return {host: path for path in self.repo.files(rev) if (host := _host_of(path))}

    def locate(self, host_name: str, rev: str = "HEAD") -> str | None:
        """The host's file path at ``rev``; None when it has no stored config there."""
        if not self.repo.exists:
            return None
        return self._paths(rev).get(_safe(host_name))

    def read(self, host_name: str, rev: str = "HEAD") -> str | None:
        """The host's stored (masked) config at ``rev`` (default: the latest); None if none."""
        path = self.locate(host_name, rev)
        return self.repo.show(rev, path) if path else None

    def read_many(self, host_names: list[str], rev: str = "HEAD") -> dict[str, str]:
        """The stored configs of several hosts at ``rev`` (hosts without one are left out), with
        three git calls whatever the number of hosts."""
        if not self.repo.exists:
            return {}
        paths = self._paths(rev)
        wanted = {h: paths[_safe(h)] for h in host_names if _safe(h) in paths}
        texts = self.repo.show_many(rev, list(wanted.values()))
        return {h: texts[p] for h, p in wanted.items() if p in texts}

    def hosts(self) -> list[str]:
        """Every host with a stored config, sorted."""
        return sorted(self._paths()) if self.repo.exists else []

    def write(self, configs: Iterable[StoredConfig]) -> list[str]:
        """Put configs in the work tree (atomically, only those that differ); the changed hosts.

        A host whose layout path changed is moved. Nothing is committed yet (see `commit`).
        """
        current = self._paths()
        changed: list[str] = []
        for config in configs:
            old = current.get(_safe(config.host))
            target = inside(self.repo.path, *PurePosixPath(config.path).parts)
            if old is not None and old != config.path:
                self._remove(old)
            elif target.is_file() and target.read_text(encoding="utf-8") == config.text:
                continue
            _atomic_write(target, config.text)
            changed.append(config.host)
        return changed

    def _remove(self, path: str) -> None:
        """Delete a file and the agency folders it leaves empty."""
        target = self.repo.path / path
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == self.repo.path or any(folder.iterdir()):
                break
            folder.rmdir()

    def commit(self, message: str, author: str | None = None) -> str | None:
        """Commit the work tree as one commit (authored by ``author`` if given); None when nothing
        changed."""
        return self.repo.commit_all(message, author)

    def history(self, host_name: str) -> list[Revision]:
        """Commits that changed the host's config, newest first (across moves)."""
        return self.repo.log(_pathspec(host_name)) if self.repo.exists else []

    def device_authors(self, host_name: str, old: str, new: str = "HEAD") -> list[str]:
        """The users devices named as changing the host between two commits (the authors of the
        commits `listen` made for a device's own change message, which carry an ``@device``
        address), oldest first, each once."""
        out = self.repo.git("log", "--reverse", "--format=%an%x1f%ae", f"{old}..{new}", "--",
                            _pathspec(host_name))
        names = [name for name, _, email in (line.partition("\x1f") for line in out.splitlines())
                 if email.endswith("@device")]
        return list(dict.fromkeys(names))

    def diff(self, host_name: str, old: str, new: str | None) -> str:
        """Unified diff of the host's config between two commits (``new`` None: the latest)."""
        revs = [old] if new is None else [old, new]
        return self.repo.git("diff", "-M", "--no-color", *revs, "--", _pathspec(host_name))

    def changed_between(self, old: str, new: str = "HEAD") -> list[str]:
        """Hosts whose config differs between two commits (a host moved between agencies counts)."""
        names = self.repo.git("diff", "--name-only", "--no-renames", old, new).splitlines()
        return sorted({host for host in map(_host_of, names) if host})

    def resolve(self, rev: str) -> str | None:
        """The commit ``rev`` names (hash, prefix, HEAD~N, ...), None when none."""
        return self.repo.resolve(rev) if self.repo.exists else None

    def commit_before(self, when: str) -> str | None:
        """The last commit made at or before ``when`` (anything `git --before` understands)."""
        if not self.repo.exists or self.repo.head() is None:
            return None
        return self.repo.git("rev-list", "-1", f"--before={when}", "HEAD").strip() or None

    def changed_since(self, when: str) -> dict[str, list[Revision]]:
        """Hosts whose config changed after ``when``, with those commits (newest first)."""
        if not self.repo.exists or self.repo.head() is None:
            return {}
        out = self.repo.git("log", f"--since={when}", "--format=\x1e%H\x1f%cI\x1f%s", "--name-only",
                            "--no-renames")
        changes: dict[str, list[Revision]] = {}
        for block in out.split("\x1e")[1:]:
            head, _, names = block.partition("\n")
            revision = Revision(*head.split("\x1f", 2))
            for path in names.split("\n"):
                host = _host_of(path.strip())
                if host and revision not in changes.setdefault(host, []):
                    changes[host].append(revision)
        return dict(sorted(changes.items()))


def _atomic_write(target: Path, text: str) -> None:
    """Write to a temporary name and rename: a reader or a crash never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, target)
