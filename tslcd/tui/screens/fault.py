"""Pick a fault for a lab device: its kind (with what it imitates) and, for some kinds, a value."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from tslcd.lab.faults import FAULT_KINDS

FaultChoice = tuple[str, str | None]  # (kind, value as typed; None: the kind's default)


class FaultScreen(ModalScreen[FaultChoice | None]):
    """Enter injects the chosen fault, Escape gives up."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host

    def compose(self) -> ComposeResult:
        with Vertical(id="fault-dialog", classes="dialog"):
            yield Static(Text(f"Inject a fault on {self.host}", style="bold"))
            yield Select([(f"{k.name}: {k.help}", k.name) for k in FAULT_KINDS.values()],
                         prompt="fault kind", id="fault-kind", allow_blank=False)
            yield Input(placeholder="value (empty: the default)", id="fault-value")
            yield Static("", id="fault-help")
            yield Button("Inject", id="fault-inject", variant="warning")

    def on_mount(self) -> None:
        self._describe(str(self.query_one("#fault-kind", Select).value))

    @on(Select.Changed, "#fault-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._describe(str(event.value))

    def _describe(self, kind: str) -> None:
        spec = FAULT_KINDS[kind]
        takes = "takes no value" if spec.default is None else f"value: default {spec.default:g}"
        self.query_one("#fault-value", Input).disabled = spec.default is None
        self.query_one("#fault-help", Static).update(Text(takes, style="dim"))

    @on(Button.Pressed, "#fault-inject")
    @on(Input.Submitted, "#fault-value")
    def _inject(self) -> None:
        value = self.query_one("#fault-value", Input).value.strip()
        self.dismiss((str(self.query_one("#fault-kind", Select).value), value or None))
