"""The run lock: a second run is refused naming the holder; a SIGKILLed holder's lock is recovered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tslcd.schedule.lock import AlreadyRunning, RunLock

HOLDER = """
import sys, time
from pathlib import Path
from tslcd.schedule.lock import RunLock
lock = RunLock(Path(sys.argv[1]), "backup")
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_run_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    holder = start_holder(path)
    try:
        started = time.monotonic()
        with pytest.raises(AlreadyRunning) as info:
            RunLock(path, "audit").acquire()
        assert time.monotonic() - started < 1.0
        assert f"already running: pid {holder.pid}" in str(info.value)
        assert info.value.exit_code == 3
    finally:
        holder.terminate()
        holder.wait()


def test_lock_of_a_sigkilled_run_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    holder = start_holder(path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert path.read_text()  # the dead run's record is still in the file
    lock = RunLock(path, "backup")
    info = lock.acquire()
    try:
        assert info.stale_holder is not None and info.stale_holder["pid"] == holder.pid
        assert f'"pid": {os.getpid()}' in path.read_text()
    finally:
        lock.release()
    assert path.read_text() == ""
    with RunLock(path, "backup") as again:
        assert again.info.stale_holder is None
