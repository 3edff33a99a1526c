"""The one place an error is shown: a modal with the cause, never a traceback."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tslcd.errors import TslcdError
from tslcd.textsafe import neutralise


def describe(error: BaseException) -> str:
    """The cause as an operator reads it: a tslcd error as written, anything else with its type.

    Chained causes follow on their own lines, so "connection refused" is not hidden behind a wrapper.
    """
    lines = [str(error) if isinstance(error, TslcdError) else f"{type(error).__name__}: {error}"]
    cause = error.__cause__ or error.__context__
    while cause is not None and len(lines) < 5:
        lines.append(f"caused by {type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


class ErrorScreen(ModalScreen[None]):
    """What failed and why; Enter or Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="error-title")
            yield Static(Text(neutralise(self.message)), id="error-message")
            yield Button("Close", id="error-close", variant="error")

    def on_button_pressed(self) -> None:
        self.dismiss()
