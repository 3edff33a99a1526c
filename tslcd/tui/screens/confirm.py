"""A confirmation that must be typed: the change ticket or "yes", never a single keypress."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TypedConfirmScreen(ModalScreen[bool]):
    """True only when the operator types one of ``answers``; Escape is always "no"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, title: str, body: RenderableType, answers: set[str]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.answers = answers

    def compose(self) -> ComposeResult:
        words = " or ".join(f'"{a}"' for a in sorted(self.answers, key=lambda a: a == "yes"))
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="confirm-title")
            with VerticalScroll(id="confirm-body"):
                yield Static(self.body)
            yield Static(Text(f"Type {words} and press Enter to go ahead; Escape cancels."),
                         id="confirm-prompt")
            yield Input(id="confirm-answer")

    def on_mount(self) -> None:
        self.query_one("#confirm-answer", Input).focus()

    @on(Input.Submitted, "#confirm-answer")
    def _answered(self, event: Input.Submitted) -> None:
        if event.value.strip() in self.answers:
            self.dismiss(True)
        else:
            self.query_one("#confirm-prompt", Static).update(
                Text(f"{event.value.strip()!r} is not the confirmation; Escape cancels.", style="bold red"))
