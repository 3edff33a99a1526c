"""TUI test helpers: a project over the sample inventory, driving the app, deterministic rendering."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path

import netmiko
import pytest
import textual.constants
from rich.console import Console
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import RunningLab
from tslcd.config import Config, load_config
from tslcd.tui.app import TslcdApp

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch: pytest.MonkeyPatch) -> None:
    """TEXTUAL_ANIMATIONS=none for the apps made in a test (Textual reads it once, at import)."""
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """The sample inventory with a data folder of this test's own (folder name fixed for snapshots)."""
    root = tmp_path / "project"
    root.mkdir()
    path = root / "tslcd.yaml"
    path.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    return load_config(str(path))


def steady(app: TslcdApp, theme: str = "textual-dark") -> None:
    """No blinking cursor and a fixed theme: a screenshot must not depend on when or where it is taken
    (the app picks the ANSI theme itself in a 16-colour terminal)."""
    app.theme = theme
    for field in app.query(Input):
        field.cursor_blink = False


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker finished and the messages they posted were handled.

    A worker that failed is the app's business (its error modal): tests assert on that, so its
    exception is not raised here.
    """
    for _ in range(2):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)),
                             return_exceptions=True)
        await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Let the app run until ``condition`` holds (a loaded machine may need more than one pause)."""
    await settle(pilot)
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "the app did not reach the expected state in time"


def drive(app: TslcdApp, scenario: Callable[[Pilot[None]], Awaitable[None]],
          messages: list[Message] | None = None) -> None:
    """Run ``scenario`` against the app at 80x24 once the inventory has loaded (no async plugin needed).

    Every message handled is appended once to ``messages`` when given (a bubbling message is
    handled at each level): tests assert on them.
    """
    seen: set[int] = set()

    def hook(message: Message) -> None:
        if messages is not None and id(message) not in seen:
            seen.add(id(message))
            messages.append(message)

    async def main() -> None:
        async with app.run_test(size=SIZE, message_hook=hook if messages is not None else None) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


def plain_text(widget: Static, width: int = 80) -> str:
    """What a Static shows (Rich tables included), as plain text: assert on it, not on pixels."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def set_filter(pilot: Pilot[None], text: str) -> None:
    """Type a whole filter into the Inventory filter box at once (as a paste would), once the
    inventory has loaded (a filter typed before is not applied), and wait until it is applied."""
    await until(pilot, lambda: bool(pilot.app.session.targets))
    pilot.app.query_one("#filter", Input).value = text
    await until(pilot, lambda: pilot.app.session.filters == ([text] if text.strip() else []))


def configure(lab: RunningLab, host: str, lines: list[str]) -> None:
    """Change a lab device's configuration the way an engineer at its console would."""
    with netmiko.ConnectHandler(**lab.netmiko_args(host)) as conn:
        conn.enable()
        conn.send_config_set(lines)


async def type_filter(pilot: Pilot[None], *keys: str) -> None:
    """Press / and type ``keys`` once the filter box has the focus (the focus moves a frame later:
    keys typed before it would land in the tree)."""
    await until(pilot, lambda: bool(pilot.app.session.targets))  # the inventory is loaded
    await pilot.press("slash")
    await until(pilot, lambda: isinstance(pilot.app.focused, Input))
    await pilot.press(*keys)
