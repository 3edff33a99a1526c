"""The help screen: every key of every tab, read from the same bindings the footer shows."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# (section title, [(keys, description)])
HelpSections = list[tuple[str, list[tuple[str, str]]]]


class HelpScreen(ModalScreen[None]):
    """Keys per tab; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]
    AUTO_FOCUS = "#help-dialog"  # the arrows, Page Up/Down scroll it at once

    def __init__(self, sections: HelpSections) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action", ratio=1)
        for title, rows in self.sections:
            table.add_row(Text(title, style="underline"), "")
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("tslcd: keys (Ctrl+P opens the command palette)", style="bold"))
            yield Static(table)
