"""The lab as a process: run in the foreground, or start, find and stop a background one.

Files in ``<data>/lab/``: ``lab.lock`` (held by the running lab: one lab per data folder),
``lab.pid``, ``lab.log`` (the background lab's output) and ``control.sock`` (see `control`).
A lab is "up" when it answers on its control socket; ``down`` asks it to stop over that socket,
so it can only ever stop the lab of this data folder (also when that lab runs in a container).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.lab.assemble import assemble_lab
from tslcd.lab.control import LabNotRunning, request, serve_control, socket_path
from tslcd.lab.credentials import lab_dir
from tslcd.lab.server import Lab

PID_FILE = "lab.pid"
LOG_FILE = "lab.log"
LOCK_FILE = "lab.lock"

Ready = Callable[[dict[str, Any], Lab], None]


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold the data folder's lab lock; a second lab on the same folder is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = (folder / PID_FILE).read_text().strip() if (folder / PID_FILE).exists() else "?"
            raise InputError(f"a lab already runs for {folder.parent} (pid {pid}); "
                             "stop it with: tslcd lab down") from None
        yield


def _lock_free(folder: Path) -> bool:
    if not (folder / LOCK_FILE).exists():
        return True
    with open(folder / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)  # one line per connection otherwise
    # Clients that still choose finite-field Diffie-Hellman (netmiko's fortinet) are legitimate.
    warnings.filterwarnings("ignore", message="Diffie-Hellman over finite fields")


def run_foreground(config: Config, filters: Sequence[str] = (), extra_sites: int = 0,
                   on_ready: Ready | None = None) -> None:
    """Serve the lab until SIGINT or SIGTERM; ``on_ready(info, lab)`` runs once it listens."""
    folder = lab_dir(config.data_dir)
    with _exclusive(folder):
        _configure_logging()
        began = time.perf_counter()
        lab = assemble_lab(config, filters, extra_sites)
        asyncio.run(_serve(lab, folder, began, on_ready))


async def _serve(lab: Lab, folder: Path, began: float, on_ready: Ready | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await lab.start()
    control = None
    try:
        info = {"pid": os.getpid(), "port": lab.port, "data_dir": str(folder.parent),
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "startup_seconds": round(time.perf_counter() - began, 3)}
        control = await serve_control(lab, folder, info, stop.set)
        (folder / PID_FILE).write_text(f"{os.getpid()}\n")
        logging.getLogger(__name__).info("lab ready: %d devices, port %d, pid %d, %.3f s",
                                         len(lab.devices), lab.port, os.getpid(),
                                         info["startup_seconds"])
        if on_ready:
            on_ready(info, lab)
        await stop.wait()
    finally:
        if control:
            control.close()
        (folder / PID_FILE).unlink(missing_ok=True)
        socket_path(folder).unlink(missing_ok=True)
        await lab.stop()


def status(config: Config) -> dict[str, Any]:
    """The running lab's status (pid, port, start time, devices); `LabNotRunning` if none."""
    return request(lab_dir(config.data_dir), {"op": "status"})


def start_background(config: Config, filters: Sequence[str] = (), extra_sites: int = 0,
                     timeout: float = 60) -> tuple[bool, dict[str, Any]]:
    """Start the lab as a background process; (False, status) when it was already up."""
    folder = lab_dir(config.data_dir)
    with contextlib.suppress(LabNotRunning):
        return False, status(config)
    folder.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "tslcd.lab", "--extra-sites", str(extra_sites)]
    if config.source:
        argv += ["--config", str(config.source)]
    for expression in filters:
        argv += ["--filter", expression]
    with open(folder / LOG_FILE, "ab") as log:
        child = subprocess.Popen(argv, cwd=config.root, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(LabNotRunning):
            return True, status(config)
        if child.poll() is not None:
            with contextlib.suppress(LabNotRunning):
                return False, status(config)  # another `up` won the race
            raise InputError(f"the lab did not start (see {folder / LOG_FILE}):\n"
                             + _tail(folder / LOG_FILE))
        time.sleep(0.05)
    child.terminate()
    raise InputError(f"the lab did not answer within {timeout:.0f} s (see {folder / LOG_FILE})")


def stop_background(config: Config, timeout: float = 15) -> int | None:
    """Stop this data folder's running lab; returns its pid, or None when none was running."""
    folder = lab_dir(config.data_dir)
    try:
        pid = int(request(folder, {"op": "stop"})["pid"])
    except LabNotRunning:
        if _lock_free(folder):
            (folder / PID_FILE).unlink(missing_ok=True)
        return None
    deadline = time.monotonic() + timeout
    while not _lock_free(folder):
        if time.monotonic() > deadline:
            raise InputError(f"the lab (pid {pid}) did not stop within {timeout:.0f} s")
        time.sleep(0.05)
    return pid


def _tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])
