"""The Backups tab: back up the targets with live per-host progress; versions of a device; diffs."""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState

from tslcd.errors import InputError
from tslcd.services import backup, history, impact
from tslcd.services.backup import BackupReport
from tslcd.services.history import HostHistory
from tslcd.store.records import RunRecord
from tslcd.textsafe import neutralise
from tslcd.timefmt import local, zone_label
from tslcd.tui.messages import Progress
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.session import Session
from tslcd.tui.views.base import View
from tslcd.tui.widgets.host_progress import HostProgressTable, status_text

RUN_GROUP = "backup-run"




class BackupDone(Message):
    """run_backup returned."""

    def __init__(self, report: BackupReport) -> None:
        super().__init__()
        self.report = report


class HistoryLoaded(Message):
    """The highlighted host's versions and backup attempts were read."""

    def __init__(self, history: HostHistory | None, host: str) -> None:
        super().__init__()
        self.history = history
        self.host = host


class RunsLoaded(Message):
    """The recent backup runs were read (newest first)."""

    def __init__(self, runs: list[RunRecord]) -> None:
        super().__init__()
        self.runs = runs


class DiffReady(Message):
    """A diff between two versions of a host was computed, with what it does to traffic."""

    def __init__(self, title: str, text: str, impact: list[str]) -> None:
        super().__init__()
        self.title = title
        self.text = text
        self.impact = impact


class BackupsView(View):
    """Left: the targets and their backup state, live during a run. Right: a host's versions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "backup_now", "Back up now"),
        Binding("x", "cancel", "Cancel"),
        Binding("space", "mark", "Mark version"),
        Binding("d", "diff", "Diff"),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.shown_targets: list[str] = []
        self.history: HostHistory | None = None
        self.marked: str | None = None
        self.cancelled = False  # the operator cancelled the current run
        self.stop: threading.Event | None = None  # set to cancel the current run

    def compose(self) -> ComposeResult:
        yield Static("", id="backup-status")
        yield ProgressBar(show_eta=False, id="backup-bar")
        with Horizontal(id="backup-body"):
            yield HostProgressTable(id="backup-hosts")
            with Vertical(id="versions-pane"):
                yield Static("", id="versions-title")
                yield DataTable(id="versions", cursor_type="row")
        yield Static("recent backup runs", id="runs-title")
        yield DataTable(id="backup-runs", cursor_type="row")

    @property
    def tz(self) -> str:
        """The zone times are shown in (stored times are UTC)."""
        return self.session.config.timezone

    def on_mount(self) -> None:
        versions = self.query_one("#versions", DataTable)
        # fixed widths: the table is laid out whole on its first paint, not re-flowed row by row
        versions.add_column("", width=1)
        versions.add_column("date", width=16)
        versions.add_column("commit", width=10)
        versions.add_column("subject")
        self.query_one("#backup-runs", DataTable).add_columns(
            "run", f"started ({zone_label(self.tz)})", "status", "changed", "failed", "commit")
        self.query_one("#backup-bar").display = False
        self._load_runs()

    def activated(self) -> None:
        """List the targets the Inventory filter picked (unless a run is showing its own)."""
        names = [h.name for h in self.session.targets]
        if names != self.shown_targets and not self.running:
            self.shown_targets = names
            self.query_one(HostProgressTable).begin(names, status="-")
            self._status(f"targets: {self.session.scope}. b backs them up.")

    @property
    def running(self) -> bool:
        """A backup worker is running (its Nornir run may still be going after a cancel)."""
        return any(w.group == RUN_GROUP and w.is_running for w in self.workers)

    def _status(self, text: str, style: str = "") -> None:
        self.query_one("#backup-status", Static).update(Text(text, style=style))

    # --- backing up -------------------------------------------------------------------------------

    def action_backup_now(self) -> None:
        """Back up every target now, one Nornir run, one commit."""
        if self.running:
            self.notify("a backup is already running", severity="warning")
            return
        if not self.session.targets:
            self.notify("no targets: the Inventory filter selects no device", severity="warning")
            return
        self.cancelled = False
        self.stop = threading.Event()
        bar = self.query_one("#backup-bar", ProgressBar)
        bar.display = True
        bar.update(total=len(self.session.targets), progress=0)
        self._status(f"backing up {self.session.scope}...", "bold")
        self._run_backup(list(self.session.filters), self.session.lab, self.stop)

    @work(thread=True, group=RUN_GROUP, exit_on_error=False, name="Backup")
    def _run_backup(self, filters: list[str], lab: bool, stop: threading.Event) -> None:
        # never prompt for a password: the terminal belongs to the TUI (missing credentials are an
        # error naming the variables to set, shown in the error modal)
        report = backup.run_backup(self.session.config, filters, lab=lab, interactive=False, stop=stop,
                                   progress=lambda event: self.post_message(Progress(event)))
        self.post_message(BackupDone(report))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if message.event.task == backup.TASK_NAME:
            self.query_one(HostProgressTable).apply(message.event, self.query_one("#backup-bar", ProgressBar))

    @on(BackupDone)
    def _done(self, message: BackupDone) -> None:
        report = message.report
        self.query_one("#backup-bar").display = False
        table = self.query_one(HostProgressTable)
        for result in report.hosts:
            if result.error_class == "cancelled":
                table.set_status(result.host, "cancelled", result.message)
                continue
            detail = f"{result.error_class}: {result.message}" if result.status == "failed" else (
                f"{result.duration:.1f} s")
            table.set_status(result.host, result.status, detail)
        cancelled = [h for h in report.failed if h.error_class == "cancelled"]
        counts = {s: len(report.with_status(s)) for s in ("changed", "unchanged", "failed")}
        counts["failed"] -= len(cancelled)
        commit = f", commit {report.commit[:10]}" if report.commit else ", nothing changed"
        stopped = f", {len(cancelled)} cancelled" if cancelled else ""
        self._status(f"run {report.run_id}: {counts['changed']} changed, {counts['unchanged']} unchanged, "
                     f"{counts['failed']} failed{stopped} in {report.duration:.1f} s{commit}",
                     "bold red" if counts["failed"] else "bold yellow" if cancelled else "bold")
        if self.history is not None:
            self._load_history(self.history.host)
        self._load_runs()

    # --- run history ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="backup-runs", exit_on_error=False,
          name="Reading the backup runs")
    def _load_runs(self) -> None:
        self.post_message(RunsLoaded(history.runs(self.session.config, "backup", limit=50)))

    @on(RunsLoaded)
    def _runs_loaded(self, message: RunsLoaded) -> None:
        table = self.query_one("#backup-runs", DataTable)
        table.clear()
        for run in message.runs:
            failed = Text("" if run.failed is None else str(run.failed),
                          style="bold red" if run.failed else "")
            table.add_row(str(run.id), local(run.started_at, self.tz), status_text(run.status),
                          "" if run.changed is None else str(run.changed), failed,
                          (run.commit_sha or "")[:10], key=str(run.id))

    def action_cancel(self) -> None:
        """Cancel the run: sessions in flight are closed, the devices not backed up are cancelled."""
        if not self.running or self.stop is None or self.stop.is_set():
            return
        self.cancelled = True
        self.stop.set()
        self._status("cancelling: closing the sessions in flight; what was fetched is kept", "bold yellow")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == RUN_GROUP and event.state == WorkerState.ERROR:
            self.query_one("#backup-bar").display = False
            self._status("backup failed", "bold red")
        super().on_worker_state_changed(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel shows only while a backup runs."""
        if action == "cancel":
            return self.running
        return True

    # --- versions and diffs -----------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#backup-hosts")
    def _host_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._load_history(event.row_key.value)

    @work(thread=True, exclusive=True, group="backup-history", exit_on_error=False,
          name="Reading the backup history")
    def _load_history(self, host: str) -> None:
        try:
            found: HostHistory | None = history.host_history(self.session.config, host)
        except InputError:
            found = None  # never backed up: not an error, the pane says so
        self.post_message(HistoryLoaded(found, host))

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        self.history = message.history
        self.marked = None
        table = self.query_one("#versions", DataTable)
        table.clear()
        title = self.query_one("#versions-title", Static)
        if message.history is None:
            title.update(Text(f"{message.host}: never backed up", style="dim"))
            return
        last = message.history.attempts[0] if message.history.attempts else None
        line = Text(f"{message.host}: {len(message.history.revisions)} versions", style="bold")
        if last is not None:
            line.append(f"\nlast backup {local(last.started_at, self.tz)} ")
            line.append_text(status_text(last.record.status))
            if last.record.status == "failed":
                line.append(f" {last.record.error_class}: {last.record.message}")
        title.update(line)
        for revision in message.history.revisions:
            table.add_row("", local(revision.date, self.tz), revision.short,
                          Text(neutralise(revision.subject)), key=revision.sha)

    def action_mark(self) -> None:
        """Mark the highlighted version as one side of the next diff."""
        table = self.query_one("#versions", DataTable)
        if self.history is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if self.marked is not None and self.marked in table.rows:
            table.update_cell(self.marked, table.ordered_columns[0].key, "")
        self.marked = None if key == self.marked else key
        if self.marked is not None:
            table.update_cell(self.marked, table.ordered_columns[0].key, Text("*", style="bold"))

    def action_diff(self) -> None:
        """Diff the highlighted version against the marked one, or against the version before it."""
        table = self.query_one("#versions", DataTable)
        if self.history is None or not table.row_count:
            self.notify("highlight a host with stored versions first", severity="warning")
            return
        shas = [r.sha for r in self.history.revisions]
        current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or shas[0]
        if self.marked is not None and self.marked != current:
            older, newer = sorted((self.marked, current), key=shas.index, reverse=True)
        else:
            index = shas.index(current)
            if index + 1 >= len(shas):
                self.notify("the first version: mark another one to compare", severity="warning")
                return
            older, newer = shas[index + 1], current
        self._diff(self.history.host, older, newer)

    @work(thread=True, exclusive=True, group="backup-diff", exit_on_error=False, name="Diff")
    def _diff(self, host: str, older: str, newer: str) -> None:
        config = self.session.config
        text = history.diff(config, host, older, newer)
        try:
            effect = impact.summary_lines(impact.compare(*impact.revisions(config, host, older, newer)))
        except InputError as exc:
            effect = [f"traffic impact not analysed: {exc}"]
        self.post_message(DiffReady(f"{host}: {older[:10]} → {newer[:10]}", text, effect))

    @on(DiffReady)
    def _show_diff(self, message: DiffReady) -> None:
        self.app.push_screen(DiffScreen(message.title, message.text, message.impact))
