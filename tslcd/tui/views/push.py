"""The Push tab: preview a template, grouped dry run, typed confirmation, live rollout, rollback."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group as RichGroup
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tslcd.push.changelog import UNDER_WAY, ChangeRecord, HostChange
from tslcd.push.render import Rendered
from tslcd.services import push
from tslcd.tui.messages import Progress
from tslcd.tui.push_text import groups_text, host_change_text, impact_overview, rendered_text
from tslcd.tui.screens.changes import ChangesScreen
from tslcd.tui.screens.confirm import TypedConfirmScreen
from tslcd.tui.session import Session
from tslcd.tui.views.base import View
from tslcd.tui.widgets.host_progress import HostProgressTable

RUN_GROUP = "push-run"
PHASES = {"push-dry-run": ("planning", "planned"), "backup": ("backing up", "backed up"),
          "push": ("pushing", "pushed"), "rollback": ("rolling back", "rolled back"),
          "recover": ("recovering", "recovered")}


class PushResult(Message):
    """A push service call returned: a RenderResult, DryRun, CommitReport or RollbackReport."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class ChangeLogRead(Message):
    """The change log was read (to pick a change to roll back)."""

    def __init__(self, records: list[ChangeRecord], recover: bool = False) -> None:
        super().__init__()
        self.records = records
        self.recover = recover


class PushView(View):
    """Left: the targets with their state in the current step. Right: what the highlighted host gets."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "preview", "Preview"),
        Binding("t", "dry_run", "Dry run (trial)"),
        Binding("c", "commit", "Commit"),
        Binding("z", "rollback", "Roll back"),
        Binding("R", "recover", "Recover (shift+r)"),
        Binding("x", "cancel", "Cancel"),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.shown_targets: list[str] = []
        self.per_host: dict[str, Text] = {}  # what the right pane shows for each host
        self.overview = Text()  # shown when no host has its own text (the grouped dry run)
        self.cancelled = False
        self.stop: threading.Event | None = None  # set to start no further batch of a rollout

    def compose(self) -> ComposeResult:
        with Horizontal(id="push-choice"):
            templates = push.templates(self.session.config)
            yield Select([(f"{name} ({', '.join(where)})", name) for name, where in templates.items()],
                         prompt="template", id="push-template", compact=True)
            yield Input(placeholder="change variables file (YAML), optional", id="push-vars", compact=True)
        yield Static("", id="push-status")
        yield ProgressBar(show_eta=False, id="push-bar")
        with Horizontal(id="push-body"):
            yield HostProgressTable(id="push-hosts")
            with VerticalScroll(id="push-scroll"):
                yield Static("", id="push-preview")

    def on_mount(self) -> None:
        self.query_one("#push-bar").display = False

    def activated(self) -> None:
        """List the targets when the Inventory filter changed them (a shown result stays otherwise)."""
        names = [h.name for h in self.session.targets]
        if names != self.shown_targets and not self.running:
            self.shown_targets = names
            self.per_host, self.overview = {}, Text()
            self.query_one(HostProgressTable).begin(names, status="-")
            self._show_highlighted()
            self._status(Text(f"targets: {self.session.scope}. p preview, t dry run, c commit, "
                              "z roll back"))

    @property
    def running(self) -> bool:
        """A push, dry run or rollback worker is running."""
        return any(w.group == RUN_GROUP and w.is_running for w in self.workers)

    def _choice(self) -> tuple[str, Path | None] | None:
        select = self.query_one("#push-template", Select)
        template = select.value
        if not isinstance(template, str):  # nothing chosen yet (Select.BLANK / Select.NULL)
            self.notify("choose a template first", severity="warning")
            select.focus()
            select.expanded = True
            return None
        text = self.query_one("#push-vars", Input).value.strip()
        path = Path(text).expanduser() if text else None
        if path is not None and not path.is_absolute():
            path = self.session.config.root / path
        return str(template), path

    def _start(self, what: str) -> bool:
        if self.running:
            self.notify("a push step is already running", severity="warning")
            return False
        if not self.session.targets:
            self.notify("no targets: the Inventory filter selects no device", severity="warning")
            return False
        self.cancelled = False
        self.per_host, self.overview = {}, Text()
        self.query_one("#push-preview", Static).update("")
        self.query_one(HostProgressTable).begin([h.name for h in self.session.targets])
        bar = self.query_one("#push-bar", ProgressBar)
        bar.display = True
        bar.update(total=len(self.session.targets), progress=0)
        self._status(Text(f"{what} on {self.session.scope}...", style="bold"))
        return True

    # --- the four steps ---------------------------------------------------------------------------

    def action_preview(self) -> None:
        """Render the template for every target (nothing is contacted)."""
        choice = self._choice()
        if choice and self._start("rendering"):
            self._call(push.render, self.session.config, choice[0], list(self.session.filters), choice[1])

    def action_dry_run(self) -> None:
        """Plan the change against every target's running config; grouped by identical change."""
        choice = self._choice()
        if choice and self._start("dry run"):
            self._call(push.dry_run, self.session.config, choice[0], list(self.session.filters), choice[1],
                       lab=self.session.lab, interactive=False, progress=self._progress_callback())

    def action_commit(self) -> None:
        """Dry run, typed confirmation, then the rollout batch by batch with live progress."""
        choice = self._choice()
        if choice and self._start("commit: planning"):
            self.stop = threading.Event()
            self._call(push.commit, self.session.config, choice[0], list(self.session.filters), choice[1],
                       lab=self.session.lab, interactive=False, confirm=self._confirm,
                       progress=self._progress_callback(), stop=self.stop)

    def action_rollback(self) -> None:
        """Pick a change from the change log and restore its devices' previous configuration."""
        if not self.running:
            self._read_changes()

    def action_recover(self) -> None:
        """Pick a change a dying process left half-done and bring its devices back."""
        if not self.running:
            self._read_changes(recover=True)

    @work(thread=True, exclusive=True, group="push-log", exit_on_error=False, name="Reading the change log")
    def _read_changes(self, recover: bool = False) -> None:
        if recover:
            self.post_message(ChangeLogRead(push.pending_recovery(self.session.config), recover=True))
            return
        self.post_message(ChangeLogRead([c for c in push.changes(self.session.config) if c.kind == "push"]))

    @on(ChangeLogRead)
    def _pick_change(self, message: ChangeLogRead) -> None:
        if message.recover:
            if not message.records:
                self.notify("no change needs recovery", severity="information")
                return
            self.app.push_screen(ChangesScreen(message.records, "Recover which change?"),
                                 self._confirm_recover)
            return
        if not message.records:
            self.notify("the change log has no push to roll back", severity="warning")
            return
        self.app.push_screen(ChangesScreen(message.records), self._confirm_rollback)

    def _confirm_recover(self, record: ChangeRecord | None) -> None:
        if record is None:
            return
        hosts = [h.host for h in record.hosts if h.status in UNDER_WAY]
        body = Text(f"Change {record.id} ({record.template}, {record.started_at[:16]}) was cut short "
                    f"({record.message}).\n{len(hosts)} device(s) go back to their configuration "
                    f"before the change, computed from what each holds now: {', '.join(hosts)}.")
        self.app.push_screen(TypedConfirmScreen(f"Recover change {record.id}?", body, {"yes"}),
                             lambda ok: self._restore(push.recover, "recovering", record, hosts) if ok
                             else None)

    def _confirm_rollback(self, record: ChangeRecord | None) -> None:
        if record is None:
            return
        applied = [h.host for h in record.hosts if h.status == "applied"]
        body = Text(f"Change {record.id} ({record.template}, {record.started_at[:16]}) applied to "
                    f"{len(applied)} device(s): {', '.join(applied)}.\nTheir configuration before the "
                    "change will be restored.")
        self.app.push_screen(TypedConfirmScreen(f"Roll back change {record.id}?", body, {"yes"}),
                             lambda ok: self._restore(push.rollback, "rolling back", record, applied) if ok
                             else None)

    def _restore(self, function: Any, doing: str, record: ChangeRecord, hosts: list[str]) -> None:
        """Roll back or recover a change's devices, with live progress."""
        if self.running:
            return
        self.cancelled = False
        self.per_host, self.overview = {}, Text()
        self.query_one(HostProgressTable).begin(hosts)
        self.query_one("#push-bar").display = True
        self._status(Text(f"{doing} change {record.id}...", style="bold"))
        self._call(function, self.session.config, record.id, lab=self.session.lab, interactive=False,
                   progress=self._progress_callback())

    # --- running ----------------------------------------------------------------------------------

    def _progress_callback(self) -> Any:
        return lambda event: self.post_message(Progress(event))

    @work(thread=True, group=RUN_GROUP, exit_on_error=False, name="Push")
    def _call(self, function: Any, *args: Any, **kwargs: Any) -> None:
        self.post_message(PushResult(function(*args, **kwargs)))

    def _confirm(self, dry: push.DryRun) -> bool:
        """Called by commit on the worker thread: ask on the UI thread and wait for the answer."""
        worker = get_current_worker()
        answered = threading.Event()
        answer: list[bool] = []

        def done(ok: bool | None) -> None:
            answer.append(bool(ok))
            answered.set()

        self.app.call_from_thread(self._ask, dry, done)
        while not answered.wait(0.1):
            if worker.is_cancelled:
                return False
        return answer[0]

    def _ask(self, dry: push.DryRun, done: Any) -> None:
        self._show_dry_run(dry)
        ticket = str(dry.rendered.variables.get("ticket") or "")
        count = len(dry.to_change)
        body = RichGroup(Text(f"{count} device(s) will change; {len(dry.unchanged)} already have it; "
                              f"{len(dry.failures)} could not be planned.\n", style="bold"),
                         groups_text(dry.groups, [], {}, []), impact_overview(dry.impact, dry.to_change))
        self.app.push_screen(TypedConfirmScreen(f"Apply {dry.rendered.template} to {count} device(s)?",
                                                body, {"yes", ticket} - {""}), done)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self.cancelled:
            return
        words = PHASES.get(message.event.task, ("running", "done"))
        self.query_one(HostProgressTable).apply(message.event, self.query_one("#push-bar", ProgressBar),
                                                reset=False, words=words)

    @on(PushResult)
    def _result(self, message: PushResult) -> None:
        if self.cancelled:
            self.notify("the cancelled push step finished in the background; see the change log")
            return
        self.query_one("#push-bar").display = False
        result = message.result
        if isinstance(result, push.RenderResult):
            self._show_render(result.rendered)
        elif isinstance(result, push.DryRun):
            self._show_dry_run(result)
        elif isinstance(result, push.CommitReport):
            self._show_commit(result)
        elif isinstance(result, push.RollbackReport | list):
            reports = result if isinstance(result, list) else [result]
            for report in reports:
                self._show_changes(report.hosts)
            failed = sum(len(r.failed) for r in reports)
            restored = sum(len(r.hosts) for r in reports) - failed
            names = ", ".join(f"{r.kind} {r.change_id} of change {r.rolls_back}" for r in reports)
            self._status(Text(f"{names}: {restored} restored, {failed} failed",
                              style="bold red" if failed else "bold"))
        self._show_highlighted()

    def _show_render(self, rendered: list[Rendered]) -> None:
        table = self.query_one(HostProgressTable)
        for r in rendered:
            table.set_status(r.host, "skipped" if r.skipped else "rendered",
                             r.skipped or f"{len(r.lines)} lines")
            self.per_host[r.host] = rendered_text(r)
        self._status(Text(f"preview: {sum(not r.skipped for r in rendered)} rendered, "
                          f"{sum(bool(r.skipped) for r in rendered)} not applicable", style="bold"))

    def _show_dry_run(self, dry: push.DryRun) -> None:
        table = self.query_one(HostProgressTable)
        for r in dry.rendered.skipped:
            table.set_status(r.host, "skipped", r.skipped or "")
        forbidden = {f.host for f in dry.impact.flows}
        for plan in dry.plans:
            detail = "" if plan.empty else f"{len(plan.commands)} lines"
            if plan.host in forbidden:
                detail += "; opens a flow zones.yaml forbids"
            table.set_status(plan.host, "unchanged" if plan.empty else "changed", detail)
        for host, message in dry.failures.items():
            table.set_status(host, "failed", message)
        self.overview = groups_text(dry.groups, dry.unchanged, dry.failures, dry.rendered.skipped)
        self.overview.append_text(impact_overview(dry.impact, dry.to_change))
        flagged = f", {len(dry.impact.flows)} FORBIDDEN flow(s) (commit refuses)" if forbidden else ""
        self._status(Text(f"dry run: {len(dry.to_change)} to change in {len(dry.groups)} distinct "
                          f"change(s), {len(dry.unchanged)} unchanged, {len(dry.failures)} failed{flagged}",
                          style="bold red" if forbidden else "bold"))

    def _show_commit(self, report: push.CommitReport) -> None:
        if report.change_id is None:
            self._show_dry_run(report.dry_run)
            verb = "not applied (not confirmed)" if report.dry_run.to_change else "nothing to change"
            self._status(Text(f"commit: {verb}", style="bold yellow"))
            return
        self._show_changes(report.hosts)
        table = self.query_one(HostProgressTable)
        for host in report.not_reached:
            table.set_status(host, "skipped", "not reached: the rollout halted")
        counts: dict[str, int] = {}
        for h in report.hosts:
            counts[h.status] = counts.get(h.status, 0) + 1
        words = ", ".join(f"{n} {s}" for s, n in counts.items())
        halted = f"; HALTED: {report.halted}" if report.halted else ""
        self._status(Text(f"change {report.change_id}: {words}{halted} ({report.duration:.1f} s); "
                          "z rolls it back", style="bold red" if report.failed else "bold"))

    def _show_changes(self, changes: list[HostChange]) -> None:
        table = self.query_one(HostProgressTable)
        for change in changes:
            detail = f"{change.error_class}: {change.message}" if change.error_class else change.message
            table.set_status(change.host, change.status, detail)
            self.per_host[change.host] = host_change_text(change)

    @on(DataTable.RowHighlighted, "#push-hosts")
    def _show_highlighted(self) -> None:
        table = self.query_one(HostProgressTable)
        host = None
        if table.row_count:
            host = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.query_one("#push-preview", Static).update(self.per_host.get(str(host), self.overview))

    def action_cancel(self) -> None:
        """Stop following the step; a rollout already under way finishes its current batch."""
        if not self.running:
            return
        self.cancelled = True
        if self.stop is not None:
            self.stop.set()
        for worker in self.workers:
            if worker.group == RUN_GROUP:
                worker.cancel()
        self.query_one("#push-bar").display = False
        self._status(Text("cancelled: the batch under way finishes (each device verified or rolled "
                          "back), no further batch starts; the change log records them",
                          style="bold yellow"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == RUN_GROUP and event.state == WorkerState.ERROR:
            self.query_one("#push-bar").display = False
            if self.cancelled:
                return
            self._status(Text("push step failed", style="bold red"))
        super().on_worker_state_changed(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel shows only while a step runs."""
        if action == "cancel":
            return self.running
        return True

    def _status(self, text: Text) -> None:
        self.query_one("#push-status", Static).update(text)
