"""The Compliance tab: a pack's controls on the targets' latest backups, with evidence per verdict."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static

from tslcd.compliance.evaluate import Status, Verdict
from tslcd.compliance.report import rate, visible
from tslcd.compliance.result import ComplianceResult
from tslcd.services import compliance
from tslcd.tui.session import Session
from tslcd.tui.views.base import View

RUN_GROUP = "compliance-run"
STYLE = {Status.passed: "green", Status.failed: "bold red", Status.manual: "yellow",
         Status.not_applicable: "dim"}
SHOWS = ("failed", "decided", "all")  # which verdicts the table lists


class ComplianceProgress(Message):
    """One device was evaluated (posted from the worker thread)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ComplianceDone(Message):
    """The run finished: its result."""

    def __init__(self, result: ComplianceResult) -> None:
        super().__init__()
        self.result = result


class ComplianceView(View):
    """Đạt / Không đạt / Không áp dụng / Cần kiểm tra thủ công for every control and device."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "run_check", "Check compliance"),
        Binding("n", "next_pack", "Next pack"),
        Binding("v", "cycle_show", "Failed/decided/all"),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.result: ComplianceResult | None = None
        self.pack: str | None = None
        self.show_which = SHOWS[0]
        self.rows: list[Verdict] = []

    def compose(self) -> ComposeResult:
        yield Static("no compliance check yet: k checks the targets' latest backups", id="compliance-status")
        yield ProgressBar(show_eta=False, id="compliance-bar")
        yield DataTable(id="verdicts", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="verdict-scroll"):
            yield Static("", id="verdict-detail")

    def on_mount(self) -> None:
        table = self.query_one("#verdicts", DataTable)
        for label in ("status", "device", "control", "requirement"):
            table.add_column(label, key=label)
        self.query_one("#compliance-bar").display = False

    @property
    def running(self) -> bool:
        """A compliance worker is running."""
        return any(w.group == RUN_GROUP and w.is_running for w in self.workers)

    def action_run_check(self) -> None:
        """Evaluate the chosen pack on the targets and store the run (the trend counts it)."""
        if self.running:
            self.notify("a compliance check is already running", severity="warning")
            return
        bar = self.query_one("#compliance-bar", ProgressBar)
        bar.display = True
        bar.update(total=max(1, len(self.session.targets)), progress=0)
        self._status(Text(f"checking {self.session.scope}...", style="bold"))
        self._run(list(self.session.filters), self.pack)

    @work(thread=True, group=RUN_GROUP, exit_on_error=False, name="Compliance check")
    def _run(self, filters: list[str], pack: str | None) -> None:
        result = compliance.run_compliance(
            self.session.config, pack, None, filters,
            progress=lambda _host, done, total: self.post_message(ComplianceProgress(done, total)))
        self.post_message(ComplianceDone(result))

    @on(ComplianceProgress)
    def _progress(self, message: ComplianceProgress) -> None:
        self.query_one("#compliance-bar", ProgressBar).update(total=message.total, progress=message.done)

    @on(ComplianceDone)
    def _done(self, message: ComplianceDone) -> None:
        self.query_one("#compliance-bar").display = False
        self.result = message.result
        self.pack = message.result.pack.name
        self._draw()

    def action_next_pack(self) -> None:
        """Choose the next pack of compliance/ (the next check uses it)."""
        names = sorted(compliance.available_packs(self.session.config))
        if not names:
            self.notify("no compliance pack in the project", severity="warning")
            return
        self.pack = names[(names.index(self.pack) + 1) % len(names)] if self.pack in names else names[0]
        self._status(Text(f"pack {self.pack}: k checks the targets", style="bold"))

    def action_cycle_show(self) -> None:
        """Failed only, every decided verdict, or everything (not applicable included)."""
        self.show_which = SHOWS[(SHOWS.index(self.show_which) + 1) % len(SHOWS)]
        self._draw()

    def _wanted(self, verdict: Verdict) -> bool:
        if self.show_which == "failed":
            return verdict.status is Status.failed
        if self.show_which == "decided":
            return verdict.status is not Status.not_applicable
        return True

    def _draw(self) -> None:
        result = self.result
        if result is None:
            return
        counts = result.counts()
        summary = ", ".join(f"{s.label('vi')} {counts[s]}" for s in Status)
        self._status(Text(f"{result.pack.name} {result.pack.version} on {len(result.devices)} devices: "
                          f"{summary}; rate {rate(counts)} (run {result.run_id}; showing {self.show_which})"))
        self.rows = [v for d in result.devices for v in d.verdicts if self._wanted(v)]
        table = self.query_one("#verdicts", DataTable)
        table.clear()
        table.add_rows([Text(v.status.label("vi"), style=STYLE[v.status]), Text(v.host), Text(v.control.id),
                        Text(v.control.title.get("vi"))] for v in self.rows)
        self._detail(0)

    @on(DataTable.RowHighlighted, "#verdicts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        detail = self.query_one("#verdict-detail", Static)
        if not 0 <= row < len(self.rows):
            detail.update("")
            return
        v = self.rows[row]
        text = Text()
        text.append(f"{v.control.id} ", style="bold")
        text.append(v.status.label("vi"), style=STYLE[v.status])
        text.append(f"\n{v.control.title.get('vi')}\n{v.control.clause}\n")
        for e in v.evidence:
            text.append(f"{e.where} ", style="dim")
            text.append(visible(e.text) + "\n")
        if v.reason:
            text.append(v.reason + "\n", style="italic")
        if v.status is Status.failed:
            text.append("Khắc phục: ", style="bold")
            text.append(v.control.remediation.get("vi"))
        detail.update(text)

    def _status(self, text: Text) -> None:
        self.query_one("#compliance-status", Static).update(text)
