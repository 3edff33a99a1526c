"""The detail pane: what the inventory says about the highlighted host, or counts for a branch."""

from __future__ import annotations

from typing import Any

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tslcd.store.records import HostAttempt
from tslcd.textsafe import neutralise

# data keys shown first, in this order, with readable labels; every other key follows
MAIN_FIELDS = (("agency_name", "agency"), ("agency_code", "code"), ("agency_type_name", "type"),
               ("district_name", "district"), ("role_name", "role"))


def _value(value: Any) -> Text:
    """Plain text, never markup: a name with brackets shows as written."""
    return Text(neutralise(", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)))


def _table(title: str) -> Table:
    table = Table(title=Text(title), title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 1), expand=True)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold", ratio=1)
    return table


def _uptime(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    days, rest = divmod(int(seconds), 86400)
    return f"{days}d {rest // 3600}h {rest % 3600 // 60}m"


def status_table(facts: dict[str, Any] | None, last_backup: HostAttempt | None,
                 findings: dict[str, int] | None, audit_run: int | None) -> Table:
    """What the tool knows about the device beyond the inventory: facts, last backup, open findings."""
    table = _table("status")
    if facts:
        table.add_row("model", _value(f"{facts.get('model') or '-'} (serial {facts.get('serial') or '-'})"))
        uptime = _uptime(facts.get("uptime_seconds"))
        table.add_row("OS", _value(f"{facts.get('os_version') or '-'}, up {uptime}"))
        table.add_row("facts at", _value(str(facts.get("collected_at", ""))[:16].replace("T", " ")))
    else:
        table.add_row("facts", Text("none collected yet (tslcd facts)", style="dim"))
    if last_backup is None:
        table.add_row("last backup", Text("never", style="dim"))
    else:
        record = last_backup.record
        line = Text(f"{last_backup.started_at[:16].replace('T', ' ')} ")
        line.append(record.status, style="bold red" if record.status == "failed" else "green")
        if record.status == "failed":
            line.append(f" ({record.error_class}: {record.message})")
        table.add_row("last backup", line)
    if findings is None:
        table.add_row("findings", Text("not in the latest audit run (Audit tab: a)", style="dim"))
    else:
        counts = ", ".join(f"{n} {name}" for name, n in findings.items() if n) or "none"
        table.add_row("findings", _value(f"{counts} (audit run {audit_run})"))
    return table


class HostDetail(Static):
    """A read-only pane redrawn from plain service data (no markup: names are shown as written)."""

    def show_host(self, detail: dict[str, Any], extra: list[RenderableType] | None = None) -> None:
        """One host: address, platform, agency and groups; then ``extra`` (status); then all other data."""
        table = _table(detail["name"])
        table.add_row("address", _value(f"{detail['hostname']}:{detail['port']}"))
        table.add_row("platform", _value(detail["platform"]))
        data = detail["data"]
        for key, label in MAIN_FIELDS:
            if key in data:
                table.add_row(label, _value(data[key]))
        table.add_row("groups", _value(detail["groups"] + detail["inherited_groups"]))
        shown = {key for key, _ in MAIN_FIELDS}
        rest = _table("data")
        for key, value in data.items():
            if key not in shown:
                rest.add_row(key, _value(value))
        self.update(RichGroup(table, *(extra or []), rest))

    def show_counts(self, title: str, counts: dict[str, dict[str, int]]) -> None:
        """A branch of the tree: how many devices per agency type, district, role and platform."""
        table = _table(title)
        for field, values in counts.items():
            table.add_row(field, Text(", ".join(f"{value} {n}" for value, n in values.items())))
        self.update(table)
