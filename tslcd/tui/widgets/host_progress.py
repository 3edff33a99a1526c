"""Live per-host progress of a device run: one row per host, updated in place by row key."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import DataTable, ProgressBar

from tslcd.progress import HostDone, HostStarted, ProgressEvent, RunStarted

# status word -> style; the word carries the meaning, the colour only helps (16-colour terminals)
STYLES = {"waiting": "dim", "running": "bold yellow", "done": "green", "ok": "green",
          "changed": "bold cyan", "unchanged": "green", "failed": "bold red", "skipped": "dim",
          "applied": "bold cyan", "rolled-back": "bold cyan", "halted": "bold red",
          "cancelled": "bold yellow"}


def status_text(status: str) -> Text:
    """A status word in its colour."""
    return Text(status, style=STYLES.get(status, ""))


class HostProgressTable(DataTable[Text]):
    """Host, status, detail; rows keyed by host name so an event touches one cell, not the table."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_column("host", key="host")
        self.add_column("status", key="status", width=11)
        self.add_column("detail", key="detail")
        self._started: dict[str, float] = {}  # hosts being contacted: since when (monotonic)
        self.set_interval(1.0, self._show_waits)

    def _show_waits(self) -> None:
        """A host being contacted shows for how long, so a hung device stands out."""
        now = time.monotonic()
        for host, since in self._started.items():
            if host in self.rows and now - since >= 2:
                self.update_cell(host, "detail", Text(f"waiting {now - since:.0f} s", style="yellow"),
                                 update_width=True)

    def begin(self, hosts: list[str], status: str = "waiting") -> None:
        """A run starts on these hosts (or they are listed before one): every row has ``status``."""
        self.clear()
        for host in hosts:
            self.add_row(Text(host), status_text(status), Text(""), key=host)

    def set_status(self, host: str, status: str, detail: str = "") -> None:
        """Show one host's state (a host not listed yet gets its row)."""
        if host not in self.rows:
            self.add_row(Text(host), status_text(status), Text(detail), key=host)
            return
        self.update_cell(host, "status", status_text(status))
        self.update_cell(host, "detail", Text(detail), update_width=True)

    def apply(self, event: ProgressEvent, bar: ProgressBar | None = None, *, reset: bool = True,
              words: tuple[str, str] = ("running", "done")) -> None:
        """Reflect one progress event (and advance the bar when a host finishes).

        A run made of several Nornir runs (push: plan, back up, push) keeps its rows (``reset``
        False) and names each phase with its own ``words`` (while running, when done).
        """
        if isinstance(event, RunStarted):
            self._started.clear()
            if reset or not self.row_count:
                self.begin(list(event.hosts))
            if bar is not None:
                bar.update(total=len(event.hosts), progress=0)
        elif isinstance(event, HostStarted):
            self._started[event.host] = time.monotonic()
            self.set_status(event.host, words[0])
        elif isinstance(event, HostDone):
            self._started.pop(event.host, None)
            if event.failed and event.error_class == "cancelled":  # the operator's doing: not a fault
                self.set_status(event.host, "cancelled", event.message)
            elif event.failed:
                self.set_status(event.host, "failed", f"{event.error_class}: {event.message}")
            else:
                retried = f", {event.attempts} tries" if event.attempts > 1 else ""
                self.set_status(event.host, words[1], f"{event.duration:.1f} s{retried}")
            if bar is not None:
                bar.advance(1)
