"""The Audit tab: run the audit on the targets; findings paged, sorted and filtered in Python; detail."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from tslcd.audit.model import Finding
from tslcd.audit.result import AuditResult, RunInfo
from tslcd.errors import FilterError
from tslcd.services import audit
from tslcd.textsafe import neutralise
from tslcd.tui import findings
from tslcd.tui.session import Session
from tslcd.tui.views.base import View
from tslcd.tui.widgets.finding_detail import FindingDetail, severity_text

PAGE_SIZE = 100  # DataTable rows are costly to add: a page stays well under a frame's budget
FULL_RUN_POLL = 30.0  # seconds between looks for a full run newer than the one shown
RUN_GROUP = "audit-run"
SHOWS = ("all", "new", "resolved")  # which findings the table lists


class AuditProgress(Message):
    """The audit finished one device (posted from the worker thread)."""

    def __init__(self, host: str, done: int, total: int) -> None:
        super().__init__()
        self.host = host
        self.done = done
        self.total = total


class AuditDone(Message):
    """run_audit returned: the result (compared with the previous run) and hosts never backed up."""

    def __init__(self, result: AuditResult, missing: list[str]) -> None:
        super().__init__()
        self.result = result
        self.missing = missing


class LatestAuditLoaded(Message):
    """A stored audit run was read: the latest at start-up, or the full run asked for (None: the
    audit never ran)."""

    def __init__(self, result: AuditResult | None, asked: bool = False) -> None:
        super().__init__()
        self.result = result
        self.asked = asked


class FullRunKnown(Message):
    """The latest full run of the inventory, when it is not the run shown (None: it is, or none)."""

    def __init__(self, info: RunInfo | None) -> None:
        super().__init__()
        self.info = info


class AuditView(View):
    """Findings of one audit run (what it covered, and new and resolved ones against its baseline,
    the last full run); offers the latest full run when another run is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "run_audit", "Run audit"),
        Binding("x", "cancel", "Cancel"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("v", "cycle_show", "New/resolved"),
        Binding("f", "show_full", "Latest full run"),
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]", show=False),
        Binding("left_square_bracket", "page(-1)", "Previous page", key_display="[", show=False),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.result: AuditResult | None = None
        self.changes: dict[int, str] = {}  # id(finding) -> "new" / "resolved"
        self.waived: dict[int, str] = {}  # id(finding) -> "accepted" / "waiver expired"
        # the findings each 'show' choice lists: all of the run, the new ones, the resolved ones
        self.pools: dict[str, findings.FindingSet] = {s: findings.FindingSet([]) for s in SHOWS}
        self.selected: list[Finding] = []
        self.shown: list[Finding] = []
        self.sort = next(iter(findings.SORTS))
        self.show_which = SHOWS[0]
        self.page = 0
        self.missing: list[str] = []
        self.cancelled = False
        self.full_run: RunInfo | None = None  # the latest full run when another run is shown

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: severity>=high host=stc* check=shadowed-rule telnet",
                    id="audit-filter", compact=True)
        yield Static("no audit run yet: a runs it on the targets", id="audit-status")
        yield ProgressBar(show_eta=False, id="audit-bar")
        yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="finding-scroll"):
            yield FindingDetail(id="finding-detail")

    def on_mount(self) -> None:
        table = self.query_one("#findings", DataTable)
        for label, key in (("severity", "severity"), ("", "change"), ("device", "device"),
                           ("check", "check"), ("rule", "rule"), ("line", "line")):
            table.add_column(label, key=key)
        self.query_one("#audit-bar").display = False
        self._load_latest()
        self.set_interval(FULL_RUN_POLL, self._check_full_run)

    @work(thread=True, group="audit-latest", exit_on_error=False, name="Reading the latest audit")
    def _load_latest(self, asked: bool = False) -> None:
        """Findings of the latest full run (from the CLI, the scheduler or an earlier session)."""
        self.post_message(LatestAuditLoaded(audit.latest_result(self.session.config), asked))

    @on(LatestAuditLoaded)
    def _latest_loaded(self, message: LatestAuditLoaded) -> None:
        if message.result is None or self.running or (self.result is not None and not message.asked):
            return
        self.show_result(message.result)  # also what the Inventory detail pane counts

    @work(thread=True, group="audit-full", exclusive=True, exit_on_error=False, name="Looking for a full run")
    def _check_full_run(self) -> None:
        """Is there a full run other than the one shown (the scheduler's, or the baseline of a scoped
        run)? Then the status line offers it."""
        shown = self.result.run_id if self.result is not None else None
        info = audit.latest_full_run(self.session.config.data_dir)
        self.post_message(FullRunKnown(info if info is not None and info.id != shown else None))

    @on(FullRunKnown)
    def _full_run_known(self, message: FullRunKnown) -> None:
        self.full_run = message.info
        self._summary_now()

    def action_show_full(self) -> None:
        """Show the latest full run of the inventory (the whole picture and the next baseline)."""
        if self.full_run is None:
            self.notify("already showing the latest full run" if self.result else "no full audit run yet")
            return
        self._load_latest(asked=True)

    @property
    def running(self) -> bool:
        """An audit worker is running."""
        return any(w.group == RUN_GROUP and w.is_running for w in self.workers)

    # --- running the audit ------------------------------------------------------------------------

    def action_run_audit(self) -> None:
        """Audit the targets' latest backups, store the run, compare with the previous one."""
        if self.running:
            self.notify("an audit is already running", severity="warning")
            return
        self.cancelled = False
        bar = self.query_one("#audit-bar", ProgressBar)
        bar.display = True
        bar.update(total=max(1, len(self.session.targets)), progress=0)
        self._status(Text(f"auditing {self.session.scope}...", style="bold"))
        self._run_audit(list(self.session.filters))

    @work(thread=True, group=RUN_GROUP, exit_on_error=False, name="Audit")
    def _run_audit(self, filters: list[str]) -> None:
        result, missing = audit.run_audit(
            self.session.config, filters, compare=True,
            progress=lambda host, done, total: self.post_message(AuditProgress(host, done, total)))
        self.post_message(AuditDone(result, missing))

    @on(AuditProgress)
    def _progress(self, message: AuditProgress) -> None:
        if not self.cancelled:
            self.query_one("#audit-bar", ProgressBar).update(total=message.total, progress=message.done)

    @on(AuditDone)
    def _done(self, message: AuditDone) -> None:
        if self.cancelled:
            self.notify(f"the cancelled audit finished in the background as run {message.result.run_id}")
            return
        self.query_one("#audit-bar").display = False
        self.show_result(message.result, message.missing)

    def show_result(self, result: AuditResult, missing: list[str] | None = None) -> None:
        """Show a run's findings (the table keeps its filter, sort and 'show' choice)."""
        self.result = result
        self.session.audit = result
        comparison = result.comparison
        new, resolved = (comparison.new, comparison.resolved) if comparison else ([], [])
        self.changes = {id(f): "new" for f in new}
        self.changes.update({id(f): "resolved" for f in resolved})
        self.waived = {id(f): "waiver expired" if w.expired else "accepted"
                       for f in result.findings if (w := result.waiver(f)) is not None}
        self.pools = {"all": findings.FindingSet(result.findings), "new": findings.FindingSet(new),
                      "resolved": findings.FindingSet(resolved)}
        self.missing = missing or []
        self.page = 0
        self.full_run = None
        self._refilter()
        self._check_full_run()

    def action_cancel(self) -> None:
        """Stop following the audit (it finishes in the background; its result is not shown)."""
        if not self.running:
            return
        self.cancelled = True
        for worker in self.workers:
            if worker.group == RUN_GROUP:
                worker.cancel()
        self.query_one("#audit-bar").display = False
        self._status(Text("audit cancelled", style="bold yellow"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == RUN_GROUP and event.state == WorkerState.ERROR:
            self.query_one("#audit-bar").display = False
            if self.cancelled:
                return
            self._status(Text("audit failed", style="bold red"))
        super().on_worker_state_changed(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel shows only while an audit runs."""
        if action == "cancel":
            return self.running
        return True

    # --- the table --------------------------------------------------------------------------------


    def _refilter(self) -> None:
        text = self.query_one("#audit-filter", Input).value
        try:
            self.selected = findings.select(self.pools[self.show_which], text, self.sort)
        except FilterError as exc:
            self._status(Text(str(exc), style="bold red"))
            return
        self._draw_page()

    def _draw_page(self) -> None:
        rows, self.page, pages = findings.page_of(self.selected, self.page, PAGE_SIZE)
        self.shown = rows
        table = self.query_one("#findings", DataTable)
        table.clear()
        table.add_rows(
            [severity_text(f.severity),
             Text(self.changes.get(id(f)) or self.waived.get(id(f), ""), style="bold"),
             Text(neutralise(f.host)), Text(neutralise(f.check)),
             Text(neutralise(f"{f.list_name} {f.rule}".strip())), str(f.line)]
            for f in rows)
        if rows:
            self._show_detail(rows[0])
        else:
            self.query_one(FindingDetail).update("")
        self._summary(pages)

    def _summary_now(self) -> None:
        self._summary(findings.page_of(self.selected, self.page, PAGE_SIZE)[2])

    def _summary(self, pages: int) -> None:
        if self.result is None:
            return
        result = self.result
        counts = ", ".join(f"{n} {name}" for name, n in result.by_severity().items() if n)
        line = Text(f"run {result.run_id}: {len(result.active)} findings ({counts or 'none'})")
        if result.accepted:
            line.append(f", {len(result.accepted)} accepted")
        line.append(f" · {result.kind}: {neutralise(result.scope)}", style="dim")
        comparison = result.comparison
        if comparison is not None:
            b = comparison.baseline
            against = f"run {b.id} ({b.kind}, {b.started})" if b else "no baseline yet"
            line.append(f"\nagainst {against}: {len(comparison.new)} new, "
                        f"{len(comparison.resolved)} resolved")
        if self.full_run is not None:
            newer = "newer " if result.run_id is None or self.full_run.id > result.run_id else ""
            line.append(f"\n{newer}full run {self.full_run.id} ({self.full_run.started}): f shows it",
                        style="bold yellow")
        first = self.page * PAGE_SIZE + 1 if self.selected else 0
        last = self.page * PAGE_SIZE + len(self.shown)
        line.append(f"\nshowing {self.show_which}, by {self.sort}: {first}-{last} of {len(self.selected)}"
                    f" (page {self.page + 1}/{pages})", style="dim")
        if self.missing:
            line.append(f"; never backed up: {len(self.missing)}", style="yellow")
        self._status(line)

    def _status(self, text: Text) -> None:
        self.query_one("#audit-status", Static).update(text)

    @on(Input.Changed, "#audit-filter")
    def _filter_changed(self) -> None:
        self.page = 0
        self._refilter()

    @on(Input.Submitted, "#audit-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#findings", DataTable).focus()

    @on(DataTable.HeaderSelected, "#findings")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value in findings.SORTS:
            self.sort = str(event.column_key.value)
            self._refilter()

    @on(DataTable.RowHighlighted, "#findings")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self._show_detail(self.shown[event.cursor_row])

    def _show_detail(self, finding: Finding) -> None:
        host = next((h for h in self.session.targets if h.name == finding.host), None)
        agency = str(host.get("agency_name") or "") if host else ""
        self.query_one(FindingDetail).show(finding, self.changes.get(id(finding), ""), agency)

    def action_focus_filter(self) -> None:
        """Jump to the findings filter."""
        self.query_one("#audit-filter", Input).focus()

    def action_cycle_sort(self) -> None:
        """Sort by the next column: severity, device, check, rule."""
        names = list(findings.SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._refilter()

    def action_cycle_show(self) -> None:
        """Show all findings, only the new ones, or the resolved ones (against the previous run)."""
        self.show_which = SHOWS[(SHOWS.index(self.show_which) + 1) % len(SHOWS)]
        self.page = 0
        self._refilter()

    def action_page(self, step: int) -> None:
        """Next or previous page of findings."""
        self.page += step
        self._draw_page()
