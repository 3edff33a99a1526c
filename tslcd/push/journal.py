"""Whether a change's process is still alive, and the journal a device task writes as it goes.

A process making a change holds a lock file named by a random token (stored in the change's row)
for as long as it runs. The kernel drops an ``flock`` when its process dies, however it dies, so a
free lock means the process is gone: no pid guessing, immune to pid reuse. Whoever opens the change
log next (any tslcd command, the scheduled run, the TUI) marks such a change ``needs-recovery``.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tslcd.errors import TslcdError
from tslcd.locks import exclusive
from tslcd.platforms import Platform, get_platform
from tslcd.push.changelog import ChangeLog, ChangeRecord, HostChange
from tslcd.sanitize import sanitize
from tslcd.store.db import DB_NAME

LOCK_DIR = "locks/changes"
# Test-only: "STEP" or "STEP:HOST" makes the process SIGKILL itself when a device reaches STEP
# (pending, sending, sent, verified, confirmed), so tests can kill a push at a chosen point.
KILL_ENV = "TSLCD_TEST_KILL_AT"


def _lock_path(data_dir: Path, token: str) -> Path:
    return data_dir / LOCK_DIR / f"{token}.lock"


@contextmanager
def holding(data_dir: Path) -> Iterator[str]:
    """Hold a fresh change lock for the block; yields its token (stored with the change)."""
    token = uuid.uuid4().hex
    path = _lock_path(data_dir, token)

    def busy(holder: dict) -> TslcdError:  # a fresh random name is never held
        return TslcdError(f"change lock {path} is held by pid {holder.get('pid', '?')}")

    with exclusive(path, "change", busy):
        yield token
    path.unlink(missing_ok=True)


def alive(data_dir: Path, token: str) -> bool:
    """True while the process holding the change's lock runs."""
    if not token:
        return False  # written by a tslcd without the journal: its process cannot be told
    path = _lock_path(data_dir, token)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def needing_recovery(data_dir: Path) -> list[ChangeRecord]:
    """Changes whose devices may be half-changed: running ones whose process is gone are marked
    ``needs-recovery`` first. Cheap when nothing is running."""
    if not (data_dir / DB_NAME).exists():
        return []  # no change log yet: nothing to recover, and nothing is created
    log = ChangeLog(data_dir)
    for record in log.running():
        if not alive(data_dir, record.lock_token):
            log.mark_needs_recovery(record.id, f"the process (pid {record.pid or '?'}) ended before "
                                               "the change finished")
    return log.list(limit=100, status="needs-recovery")


def checkpoint(step: str, host: str) -> None:
    """Test-only: die here (SIGKILL, no clean-up) when TSLCD_TEST_KILL_AT names this step."""
    wanted = os.environ.get(KILL_ENV, "")
    if wanted and wanted in (step, f"{step}:{host}"):
        os.kill(os.getpid(), signal.SIGKILL)


def kill_mid_send(host: str) -> bool:
    """Test-only: True when the process is to die half-way through sending (step ``sending``)."""
    return os.environ.get(KILL_ENV, "") in ("sending", f"sending:{host}")


# Where a config line may start inside a line of device output or commands: after a prompt
# (``HOST(config)#``, ``HOST (global) #``), a diff marker, or a negation.
_STARTS = re.compile(r"[#>]|^\s*[+\-!]|\bno(?=\s)")


@cache
def _secret_res(name: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p, re.MULTILINE), r) for p, r in get_platform(name).secret_patterns)


def mask_output(text: str, platform: Platform) -> str:
    """Device output, diffs or commands with secrets masked even where a config line does not start
    the line: echoed after a prompt, after a diff's ``+``, in a ``no username ...``."""
    rules = _secret_res(platform.name)
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        for start in [0, *(m.end() for m in _STARTS.finditer(line))]:
            for begin in {start, len(line) - len(line[start:].lstrip())}:
                head, tail = line[:begin], line[begin:]
                masked = tail
                for rx, repl in rules:
                    masked = rx.sub(repl, masked)
                if masked != tail:
                    line = head + masked
                    break
        out.append(line)
    return "\n".join(out)


def mask_lines(lines: Sequence[str], platform: Platform) -> str:
    """Config lines as the change log keeps them: masked like a backup (negations too)."""
    return mask_output(sanitize("\n".join(lines), platform).rstrip("\n"), platform) if lines else ""


@dataclass(frozen=True)
class Journal:
    """Where one device task writes its state: the change, the batch, the log."""

    data_dir: Path
    change_id: int
    batch: int = 0

    def begin(self, host: str, platform: str, pre_config: str, commands: str) -> None:
        """The device's row, ``pending``: its masked pre-change config and planned commands, written
        before the first command is sent."""
        ChangeLog(self.data_dir).record_hosts(self.change_id, [HostChange(
            host, platform, "pending", self.batch, pre_config=pre_config, commands=commands)])

    def update(self, host: str, **values: object) -> None:
        """Write part of the device's row now."""
        ChangeLog(self.data_dir).update_host(self.change_id, host, **values)
