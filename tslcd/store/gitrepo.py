"""A git repository driven through the `git` command line: the config history's storage engine.

git's own object and ref writes are atomic (temporary file, then rename), so a process killed at
any moment leaves at worst a stale lock file and uncommitted work-tree changes; `recover` clears
both, and must only run while the caller holds the store's run lock (no other writer alive).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tslcd.errors import StorageError, TslcdError

_IDENTITY = ("-c", "user.name=tslcd", "-c", "user.email=tslcd@localhost",
             "-c", "core.autocrlf=false", "-c", "core.quotepath=false")
# The operator's own git settings (signing, hooks, pagers) must not reach the store's commits.
_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C.UTF-8", "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull}


_STORAGE_FAULTS = ("No space left on device", "Read-only file system", "Disk quota exceeded",
                   "Permission denied")


class GitError(TslcdError):
    """A git command failed (a broken or foreign repository in the data folder)."""

    exit_code = 1


@dataclass(frozen=True)
class Revision:
    """One commit touching a file: full hash, commit time (ISO 8601, UTC offset), subject."""

    sha: str
    date: str
    subject: str

    @property
    def short(self) -> str:
        """The abbreviated hash people type."""
        return self.sha[:10]


class GitRepo:
    """One repository (work tree at ``path``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _run(self, args: tuple[str, ...], stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *_IDENTITY, "-C", str(self.path), *args], capture_output=True,
                              input=stdin.encode("utf-8") if stdin is not None else None,
                              env={**os.environ, **_ENV}, check=False)

    def git(self, *args: str, ok_codes: tuple[int, ...] = (0,), stdin: str | None = None) -> str:
        """Run git in the repository; raise GitError (with git's own message) on failure."""
        proc = self._run(args, stdin)
        if proc.returncode not in ok_codes:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no message)"]
            storage = next((line for line in lines if any(s in line for s in _STORAGE_FAULTS)), None)
            if storage:
                raise StorageError(f"git {args[0]} failed in {self.path}: {storage} (is the data "
                                   "folder read-only or full?)")
            raise GitError(f"git {args[0]} failed in {self.path}: {lines[-1]}")
        return proc.stdout.decode("utf-8", "replace")

    @property
    def exists(self) -> bool:
        """True once the repository has been created."""
        return (self.path / ".git").is_dir()

    def ensure(self) -> None:
        """Create the repository on first use."""
        if not self.exists:
            self.path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", "main")

    def head(self) -> str | None:
        """The current commit, None before the first one."""
        out = self.git("rev-parse", "-q", "--verify", "HEAD^{commit}", ok_codes=(0, 1)).strip()
        return out or None

    def recover(self) -> None:
        """Undo what a killed writer left: stale lock files, staged or half-written changes.

        The store is by definition what HEAD holds, so anything newer in the work tree came from
        a run that never committed and is discarded.
        """
        git_dir = self.path / ".git"
        for lock in [git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "packed-refs.lock",
                     *(git_dir / "refs").rglob("*.lock")]:
            lock.unlink(missing_ok=True)
        if self.head():
            self.git("reset", "-q", "--hard", "HEAD")
        else:
            self.git("rm", "-r", "-q", "--cached", "--ignore-unmatch", ".")
        self.git("clean", "-q", "-f", "-d")

    def commit_all(self, message: str, author: str | None = None) -> str | None:
        """Commit every work-tree change in one commit; None when nothing changed.

        ``author`` (a plain account name) is recorded as the commit's author: who changed the
        device, when a device said so; tslcd stays the committer.
        """
        self.git("add", "-A")
        if not self.git("status", "--porcelain").strip():
            return None
        who = ("--author", f"{author} <{author}@device>") if author else ()
        self.git("commit", "-q", "--no-verify", *who, "-F", "-", stdin=message)
        return self.head()

    def files(self, rev: str = "HEAD") -> list[str]:
        """Every file path at ``rev`` (empty before the first commit)."""
        if self.head() is None:
            return []
        return self.git("ls-tree", "-r", "--name-only", "-z", rev).split("\0")[:-1]

    def show(self, rev: str, path: str) -> str | None:
        """A file's content at ``rev``; None when it does not exist there."""
        proc = self._run(("cat-file", "blob", f"{rev}:{path}"))
        return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None

    def show_many(self, rev: str, paths: list[str]) -> dict[str, str]:
        """Several files' contents at ``rev`` in one git call (missing ones left out): reading 500
        devices one ``git cat-file`` at a time costs seconds."""
        if not paths:
            return {}
        proc = self._run(("cat-file", "--batch"), "".join(f"{rev}:{p}\n" for p in paths))
        out, pos, found = proc.stdout, 0, {}
        for path in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[path] = out[pos:pos + size].decode("utf-8", "replace")
                pos += size + 1
        return found

    def log(self, pathspec: str, *extra: str) -> list[Revision]:
        """Commits touching ``pathspec`` (a git pathspec), newest first."""
        if self.head() is None:
            return []
        out = self.git("log", "--format=%H%x1f%cI%x1f%s", *extra, "--", pathspec)
        return [Revision(*line.split("\x1f", 2)) for line in out.splitlines() if line]

    def resolve(self, rev: str) -> str | None:
        """The full hash ``rev`` names, None when it names no commit (or looks like an option)."""
        if rev.startswith("-"):
            return None
        out = self.git("rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok_codes=(0, 1, 128))
        return out.strip() or None
