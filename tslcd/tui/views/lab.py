"""The Lab tab: is the lab up, its devices and their faults; start, stop, inject and clear faults."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from tslcd.lab.control import LabNotRunning
from tslcd.services import lab
from tslcd.tui.screens.confirm import TypedConfirmScreen
from tslcd.tui.screens.fault import FaultChoice, FaultScreen
from tslcd.tui.session import Session
from tslcd.tui.views.base import View


class LabStatus(Message):
    """The lab's status as `lab_status` returns it; None when no lab runs for this data folder."""

    def __init__(self, status: dict[str, Any] | None, note: str = "") -> None:
        super().__init__()
        self.status = status
        self.note = note


def _faults(faults: dict[str, Any]) -> str:
    return ", ".join(k if v is None else f"{k}={v:g}" for k, v in faults.items())


class LabView(View):
    """The lab of this project's data folder (the one `tslcd lab up` starts)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # letters no other tab uses (one key, one meaning across tabs)
        Binding("u", "start", "Start"),
        Binding("o", "stop", "Stop (off)"),
        Binding("i", "fault", "Inject fault"),
        Binding("e", "clear", "Clear faults"),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.status: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="lab-status")
        yield DataTable(id="lab-devices", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#lab-devices", DataTable)
        for label in ("device", "platform", "address", "faults"):
            table.add_column(label, key=label)

    def activated(self) -> None:
        """Ask the lab how it is whenever the tab is shown."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the lab's status again."""
        self._call(lambda: None, "")

    def action_start(self) -> None:
        """Start the lab in the background (nothing happens when it already runs)."""
        self._status(Text("starting the lab...", style="bold"))
        self._call(lambda: lab.lab_up(self.session.config), "lab started")

    def action_stop(self) -> None:
        """Stop the lab this data folder's start began, once the operator confirms (every lab
        device and its open sessions go away)."""
        def confirmed(yes: bool | None) -> None:
            if yes:
                self._call(lambda: lab.lab_down(self.session.config), "lab stopped")

        self.app.push_screen(TypedConfirmScreen("Stop the lab?", Text(
            "Every lab device stops; sessions open on them are cut. Saved device configs stay."),
            {"yes"}), confirmed)

    def action_fault(self) -> None:
        """Choose a fault for the highlighted device and inject it now."""
        host = self._highlighted()
        if host is not None:
            self.app.push_screen(FaultScreen(host), lambda choice: self._inject(host, choice))

    def _inject(self, host: str, choice: FaultChoice | None) -> None:
        if choice is not None:
            kind, value = choice
            self._call(lambda: lab.set_fault(self.session.config, host, kind, value),
                       f"{host}: {kind} injected")

    def action_clear(self) -> None:
        """Clear every fault of the highlighted device."""
        host = self._highlighted()
        if host is not None:
            self._call(lambda: lab.clear_faults(self.session.config, host), f"{host}: faults cleared")

    def _highlighted(self) -> str | None:
        table = self.query_one("#lab-devices", DataTable)
        if self.status is None or not table.row_count:
            self.notify("the lab is not running: u starts it", severity="warning")
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @work(thread=True, exclusive=True, group="lab", exit_on_error=False, name="Lab")
    def _call(self, action: Any, note: str) -> None:
        """Run one lab action, then read the status (a stopped lab is a status, not an error)."""
        action()
        try:
            status: dict[str, Any] | None = lab.lab_status(self.session.config)
        except LabNotRunning:
            status = None
        self.post_message(LabStatus(status, note))

    @on(LabStatus)
    def _show(self, message: LabStatus) -> None:
        self.status = message.status
        table = self.query_one("#lab-devices", DataTable)
        if message.status is None:
            table.clear()
            self._status(Text(f"{message.note + ': ' if message.note else ''}the lab is not running "
                              "for this data folder; u starts it", style="bold"))
            return
        devices = message.status["devices"]
        if set(table.rows) != {d["name"] for d in devices}:
            table.clear()
            for d in devices:
                table.add_row(d["name"], d["platform"], d["address"], "", key=d["name"])
        for d in devices:
            faults = _faults(d["faults"]) or ("" if d["listening"] else "not listening")
            table.update_cell(d["name"], "faults", Text(faults, style="bold red" if faults else ""),
                              update_width=True)
        faulted = sum(1 for d in devices if d["faults"])
        head = f"{message.note}. " if message.note else ""
        self._status(Text(f"{head}lab running: {len(devices)} devices on port {message.status['port']} "
                          f"(pid {message.status['pid']}), {faulted} with faults"))

    def _status(self, text: Text) -> None:
        self.query_one("#lab-status", Static).update(text)
