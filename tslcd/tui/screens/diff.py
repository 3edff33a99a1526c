"""A unified diff in colour, full screen: added lines green, removed red, hunk headers cyan."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tslcd.textsafe import neutralise

LINE_STYLES = (("+++", "bold"), ("---", "bold"), ("+", "green"), ("-", "red"), ("@@", "cyan"))


def colour_diff(text: str) -> Text:
    """The diff as Rich text (no markup parsing: config lines may contain brackets; control bytes
    from the device neutralised)."""
    out = Text()
    for line in neutralise(text).splitlines():
        style = next((s for prefix, s in LINE_STYLES if line.startswith(prefix)), "")
        out.append(line + "\n", style=style)
    return out


def impact_text(lines: list[str]) -> Text:
    """What the change does to traffic, above the diff: new openings red, new closings yellow."""
    out = Text("Traffic impact\n", style="bold")
    styles = {"now permits": "red", "now denies": "yellow"}
    for line in lines:
        style = next((s for prefix, s in styles.items() if line.startswith(prefix)), "dim")
        out.append(neutralise(line) + "\n", style=style)
    return out


class DiffScreen(ModalScreen[None]):
    """Read a diff; Escape or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, title: str, diff: str, impact: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.diff = diff
        self.impact = impact or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="diff-scroll"):
            yield Static(Text(neutralise(self.title_text), style="bold"), id="diff-title")
            if self.impact:
                yield Static(impact_text(self.impact), id="diff-impact")
            yield Static(colour_diff(self.diff) if self.diff.strip() else Text("no difference"),
                         id="diff-text")
        yield Footer()
