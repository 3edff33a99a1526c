"""Per-host progress on the terminal: a live bar, or plain lines when stderr is not a terminal.

Every device command (backup, facts, push, rollback, run) shows progress through this one
consumer of `tslcd.progress` events; each finished host is also written to the run log. The
devices still being contacted are shown with how long they have been waited on (on the bar; as
a line every `WAIT_LINE_EVERY` seconds when plain), so a hung device is named while it hangs.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from tslcd.cli.common import err_console

if TYPE_CHECKING:
    from rich.progress import Task

    from tslcd.progress import HostDone, ProgressCallback, ProgressEvent

log = logging.getLogger("tslcd.run")
WAIT_LINE_EVERY = 10.0  # seconds between two "still waiting on" lines in plain output
SHOWN_WAITING = 3  # hosts named in the waiting list; the rest are counted


def _host_line(event: HostDone) -> str:
    tries = f", {event.attempts} attempts" if event.attempts > 1 else ""
    if event.failed:
        return f"FAILED {event.host}: {event.error_class}: {event.message}{tries}"
    return f"ok     {event.host} ({event.duration:.1f} s{tries})"


def waiting_text(started: dict[str, float], now: float, at_least: float = 0.0) -> str:
    """The hosts still being contacted, longest first: ``stc-fw1 42 s, stc-r1 3 s (+2 more)``."""
    waits = sorted(((now - since, host) for host, since in started.items() if now - since >= at_least),
                   reverse=True)
    shown = ", ".join(f"{host} {seconds:.0f} s" for seconds, host in waits[:SHOWN_WAITING])
    more = len(waits) - SHOWN_WAITING
    return f"{shown} (+{more} more)" if more > 0 else shown


class _WaitingColumn(ProgressColumn):
    """The progress bar's column naming the hosts being waited on, refreshed with the bar."""

    def __init__(self, waits: _Waits) -> None:
        super().__init__()
        self._waits = waits

    def render(self, task: Task) -> Text:
        text = waiting_text(self._waits.of(task.description), time.monotonic(), 1.0)
        return Text(f"waiting: {text}" if text else "", style="yellow")


class _Waits:
    """Which hosts each task is contacting now, and since when (events arrive on worker threads)."""

    def __init__(self) -> None:
        self.started: dict[str, dict[str, float]] = {}
        self.lock = threading.Lock()

    def note(self, event: ProgressEvent) -> None:
        from tslcd.progress import HostDone, HostStarted

        with self.lock:
            if isinstance(event, HostStarted):
                self.started.setdefault(event.task, {})[event.host] = time.monotonic()
            elif isinstance(event, HostDone):
                self.started.get(event.task, {}).pop(event.host, None)

    def of(self, task: str) -> dict[str, float]:
        with self.lock:
            return dict(self.started.get(task, {}))

    def lines(self, at_least: float) -> list[str]:
        now = time.monotonic()
        with self.lock:
            snapshot = {task: dict(hosts) for task, hosts in self.started.items()}
        return [f"{task}: still waiting on {text}" for task, hosts in snapshot.items()
                if (text := waiting_text(hosts, now, at_least))]


@contextmanager
def host_progress(wait_line_every: float = WAIT_LINE_EVERY) -> Iterator[ProgressCallback]:
    """A live bar with a line per finished host on a terminal; plain lines on stderr otherwise."""
    from tslcd.progress import HostDone, RunStarted

    waits = _Waits()

    def logged(event: ProgressEvent) -> None:
        waits.note(event)
        if isinstance(event, HostDone):
            (log.warning if event.failed else log.info)("%s %s", event.task, _host_line(event))

    if not err_console.is_terminal:
        done = threading.Event()

        def report_waits() -> None:
            while not done.wait(wait_line_every):
                for line in waits.lines(wait_line_every):
                    sys.stderr.write(line + "\n")
                    sys.stderr.flush()

        def plain(event: ProgressEvent) -> None:
            logged(event)
            if isinstance(event, HostDone):
                sys.stderr.write(f"{event.task}: {_host_line(event)}\n")
                sys.stderr.flush()

        ticker = threading.Thread(target=report_waits, name="tslcd-waiting", daemon=True)
        ticker.start()
        try:
            yield plain
        finally:
            done.set()
            ticker.join()
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                   _WaitingColumn(waits), console=err_console, transient=True)
    task_ids: dict[str, int] = {}

    def live(event: ProgressEvent) -> None:
        logged(event)
        if isinstance(event, RunStarted):  # only now: a credential prompt may come before
            bar.start()
            task_ids[event.task] = bar.add_task(event.task, total=len(event.hosts), failed=0)
        elif isinstance(event, HostDone):
            task_id = task_ids[event.task]
            failed = bar.tasks[task_id].fields["failed"] + int(event.failed)
            bar.update(task_id, advance=1, failed=failed)
            style = "red" if event.failed else "green"
            bar.console.print(Text(_host_line(event), style=style))

    try:
        yield live
    finally:
        bar.stop()


@contextmanager
def cancel_on_interrupt() -> Iterator[threading.Event]:
    """An event set by the first Ctrl-C, so a read-only run closes its sessions and reports what
    it fetched; a second Ctrl-C quits at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_interrupt(_signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err_console.print(escape("cancelling: closing the sessions in flight (Ctrl-C again quits "
                                 "at once); what was fetched is kept"), style="bold yellow")

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
