"""A one-line question asked of the targets, answered below it: a read-only command on the
devices (`tslcd cmd`) or a search of their stored configs (`tslcd grep`)."""

from __future__ import annotations

from collections.abc import Callable
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
from tslcd.services.search import SearchResult, search
from tslcd.tui.session import Session

Answer = tuple[Text, Text]  # (the answer, a one-line status)
Asker = Callable[[str], Answer]  # runs in a worker thread


def command_text(report: CommandReport) -> Answer:
    """Each distinct answer under the hosts that gave it, then the failures (device text as Text:
    never read as markup)."""
    parts: list[Text] = []
    for answer in report.answers():
        count = f" ({len(answer.hosts)} hosts)" if len(answer.hosts) > 1 else ""
        parts.append(Text(f"== {', '.join(answer.hosts)}{count} ==", style="bold"))
        parts.append(Text(answer.output.rstrip("\n") or "(no output)"))
    for host, (error_class, message) in sorted(report.failed.items()):
        parts.append(Text(f"FAILED {host}: {error_class}: {message}", style="bold red"))
    status = Text(f"run {report.run_id}: {len(report.outputs)} answered, {len(report.failed)} failed, "
                  f"{len(report.answers())} distinct answers",
                  style="bold red" if report.failed else "bold green")
    return Text("\n").join(parts), status


def search_text(result: SearchResult, missing: bool) -> Answer:
    """Matching lines (host, file:line, line) or the devices lacking one, then counts per agency."""
    if missing:
        parts = [Text(f"{host}  ({result.agency_of[host]})") for host in result.missing]
        status = f"{len(result.missing)} devices without a matching line"
    else:
        parts = [Text.assemble((m.host, "bold"), f"  {m.path}:{m.line}  ", m.text) for m in result.matches]
        status = f"{len(result.matches)} lines on {len(result.matching_hosts)} devices"
    parts.append(Text(""))
    parts += [Text(f"{agency}: {n['matching']} matching, {n['missing']} missing of {n['hosts']}",
                   style="dim") for agency, n in sorted(result.agencies.items())]
    return Text("\n").join(parts), Text(f"{status} at {result.revision[:10]}", style="bold green")


def command_asker(session: Session) -> Asker:
    """Run the typed command on the targets."""
    return lambda command: command_text(run_command(session.config, command, session.filters,
                                                    lab=session.lab, interactive=False))


def search_asker(session: Session, missing: bool) -> Asker:
    """Search the targets' stored configs for the typed regular expression."""
    return lambda pattern: search_text(search(session.config, pattern, session.filters), missing)


class QueryScreen(ModalScreen[None]):
    """Type, Enter asks (in a worker), the answer scrolls below; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]
    AUTO_FOCUS = "#query-input"

    def __init__(self, title: str, placeholder: str, ask: Asker) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.ask = ask

    def compose(self) -> ComposeResult:
        with Vertical(id="query-dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(placeholder=self.placeholder, id="query-input")
            yield Static("", id="query-status")
            with VerticalScroll(id="query-scroll"):
                yield Static("", id="query-output")

    @on(Input.Submitted, "#query-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self._show(Text(""), Text(f"running `{text}` ...", style="bold yellow"))
            self._run(text)

    @work(thread=True, exclusive=True, group="query")
    def _run(self, text: str) -> None:
        try:
            answer, status = self.ask(text)
        except TslcdError as exc:  # refused, bad pattern, no host, missing credentials: say why
            answer, status = Text(""), Text(str(exc), style="bold red")
        self.app.call_from_thread(self._show, answer, status)

    def _show(self, answer: Text, status: Text) -> None:
        self.query_one("#query-output", Static).update(answer)
        self.query_one("#query-status", Static).update(status)
