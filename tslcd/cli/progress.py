"""Per-host progress on the terminal: a live bar, or plain lines when stderr is not a terminal.

Every device command (backup, facts, push, rollback, run) shows progress through this one
consumer of `tslcd.progress` events; each finished host is also written to the run log.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from tslcd.cli.common import err_console
from tslcd.progress import HostDone, ProgressCallback, ProgressEvent, RunStarted

log = logging.getLogger("tslcd.run")


def _host_line(event: HostDone) -> str:
    tries = f", {event.attempts} attempts" if event.attempts > 1 else ""
    if event.failed:
        return f"FAILED {event.host}: {event.error_class}: {event.message}{tries}"
    return f"ok     {event.host} ({event.duration:.1f} s{tries})"


@contextmanager
def host_progress() -> Iterator[ProgressCallback]:
    """A live bar with a line per finished host on a terminal; plain lines on stderr otherwise."""

    def logged(event: ProgressEvent) -> None:
        if isinstance(event, HostDone):
            (log.warning if event.failed else log.info)("%s %s", event.task, _host_line(event))

    if not err_console.is_terminal:
        def plain(event: ProgressEvent) -> None:
            logged(event)
            if isinstance(event, HostDone):
                sys.stderr.write(f"{event.task}: {_host_line(event)}\n")
                sys.stderr.flush()
        yield plain
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                   console=err_console, transient=True)
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


