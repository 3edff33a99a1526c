"""Pick a change from the change log (to roll it back, or to recover it)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tslcd.push.changelog import ChangeRecord


class ChangesScreen(ModalScreen[ChangeRecord | None]):
    """The latest changes, newest first; Enter picks the highlighted one, Escape none."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, records: list[ChangeRecord], question: str = "Roll back which change?") -> None:
        super().__init__()
        self.records = {str(r.id): r for r in records}
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="changes-dialog", classes="dialog"):
            yield Static(Text(self.question, style="bold"))
            yield DataTable(id="changes", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#changes", DataTable)
        table.add_columns("id", "when", "kind", "template", "status", "devices")
        for key, r in self.records.items():
            counts = ", ".join(f"{n} {s}" for s, n in r.counts().items())
            table.add_row(key, r.started_at[:16].replace("T", " "), r.kind, Text(r.template), r.status,
                          counts, key=key)
        table.focus()

    @on(DataTable.RowSelected, "#changes")
    def _picked(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.records.get(str(event.row_key.value)))
