"""Run one read-only command on the targets (`tslcd cmd` in the TUI): answers grouped by text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tslcd.errors import TslcdError
from tslcd.services.command import CommandReport, run_command
from tslcd.tui.session import Session


def report_text(report: CommandReport) -> Text:
    """Each distinct answer under the hosts that gave it, then the failures (device text as Text:
    never read as markup)."""
    parts: list[Text] = []
    for answer in report.answers():
        count = f" ({len(answer.hosts)} hosts)" if len(answer.hosts) > 1 else ""
        parts.append(Text(f"== {', '.join(answer.hosts)}{count} ==", style="bold"))
        parts.append(Text(answer.output.rstrip("\n") or "(no output)"))
    for host, (error_class, message) in sorted(report.failed.items()):
        parts.append(Text(f"FAILED {host}: {error_class}: {message}", style="bold red"))
    return Text("\n").join(parts)


class CommandScreen(ModalScreen[None]):
    """Type a command, Enter runs it on the targets; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]
    AUTO_FOCUS = "#command-input"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="command-dialog", classes="dialog"):
            yield Static(Text(f"Read-only command on {self.session.scope}", style="bold"))
            yield Input(placeholder="show / get / read-only diagnose, e.g. show run | include snmp",
                        id="command-input")
            yield Static("", id="command-status")
            with VerticalScroll(id="command-scroll"):
                yield Static("", id="command-output")

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        command = event.value.strip()
        if not command:
            return
        self._status(Text(f"running `{command}` ...", style="bold yellow"))
        self._run(command)

    def _status(self, text: Text) -> None:
        self.query_one("#command-status", Static).update(text)

    @work(thread=True, exclusive=True, group="command")
    def _run(self, command: str) -> None:
        try:
            report = run_command(self.session.config, command, self.session.filters,
                                 lab=self.session.lab, interactive=False)
        except TslcdError as exc:  # a refused command, no host, missing credentials: say why
            self.app.call_from_thread(self._status, Text(str(exc), style="bold red"))
            return
        self.app.call_from_thread(self._show, report)

    def _show(self, report: CommandReport) -> None:
        self.query_one("#command-output", Static).update(report_text(report))
        self._status(Text(f"run {report.run_id}: {len(report.outputs)} answered, {len(report.failed)} "
                          f"failed, {len(report.answers())} distinct answers",
                          style="bold red" if report.failed else "bold green"))
