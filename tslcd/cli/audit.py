"""`tslcd audit` and `tslcd explain`: the firewall audit and a packet's path through the rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tslcd.audit.model import Finding, Severity
from tslcd.audit.reports import FORMATS, render
from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    HostsArgument,
    console,
    err_console,
    get_config,
    reports_errors,
    selection,
)
from tslcd.errors import EXIT_PARTIAL, InputError
from tslcd.textsafe import neutralise, neutralised

if TYPE_CHECKING:
    from tslcd.audit.result import AuditResult

_STYLE = {"critical": "bold magenta", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
_FORMATS = ("table", *FORMATS)


def _findings_table(title: str, findings: list[Finding], result: AuditResult) -> Table:
    table = Table(title=title, show_header=True, header_style="bold", show_lines=False)
    for column in ("severity", "host", "agency", "check", "list", "rule/line", "finding"):
        table.add_column(column, overflow="fold")
    for f in findings:
        sev = f.severity.name
        table.add_row(
            f"[{_STYLE[sev]}]{sev}[/]",
            escape(f.host),
            escape(result.device(f.host).agency_name),
            escape(f.check),
            escape(f.list_name),
            escape(f.rule or (str(f.line) if f.line else "")),
            escape(f.message),
        )
    return table


def _print_table(result: AuditResult) -> None:
    console.print(
        _findings_table(
            f"{len(result.findings)} findings on {len(result.devices)} device(s)", result.findings, result
        )
    )
    totals = Table(title="By severity", header_style="bold")
    totals.add_column("severity")
    totals.add_column("findings", justify="right")
    for sev, n in result.by_severity().items():
        totals.add_row(f"[{_STYLE[sev]}]{sev}[/]", str(n))
    console.print(totals)
    agencies = Table(title="By agency", header_style="bold")
    agencies.add_column("agency", overflow="fold")
    for sev in result.by_severity():
        agencies.add_column(sev, justify="right")
    for code, name, counts in result.by_agency():
        agencies.add_row(escape(f"{name} ({code})"), *(str(v) for v in counts.values()))
    console.print(agencies)
    if result.comparison is not None:
        c = result.comparison
        label = f"run {c.previous_run}" if c.previous_run is not None else "no earlier run"
        console.print(_findings_table(f"New since {label}: {len(c.new)}", c.new, result))
        console.print(_findings_table(f"Resolved since {label}: {len(c.resolved)}", c.resolved, result))


def _file_platform(file: Path, platform: str | None) -> str:
    from tslcd.services.files import file_platform

    name, detected = file_platform(file, platform)
    if detected:
        err_console.print(f"{escape(str(file))}: platform {name} (detected from the content; "
                          "--platform overrides)")
    return name


@app.command()
@reports_errors
def audit(
    ctx: typer.Context,
    hosts: list[str] | None = HostsArgument,
    filters: list[str] | None = FilterOption,
    file: Path | None = typer.Option(
        None, "--file", help="Audit this configuration file instead of backups."
    ),
    platform: str | None = typer.Option(
        None, "--platform",
        help="Platform of --file (cisco_ios, cisco_asa, fortinet; default: detected from the content).",
    ),
    fmt: str = typer.Option("table", "--format", help=f"Output format: {', '.join(_FORMATS)}."),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a finding is at least this severe (info, low, medium, high, critical).",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    compare: bool = typer.Option(
        False, "--compare", help="Show new and resolved findings against the previous run."
    ),
) -> None:
    """Audit firewall rules and management settings in the latest backups (or one --file)."""
    from tslcd.services import audit as service  # the audit engine loads only for this command

    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r}: choose one of {', '.join(_FORMATS)}")
    if fail_on is not None and fail_on not in Severity.__members__:
        raise InputError(f"--fail-on {fail_on!r}: choose one of {', '.join(Severity.__members__)}")
    if file is not None:
        platform = _file_platform(file, platform)
    result, missing = service.run_audit(get_config(ctx), selection(filters, hosts), file, platform,
                                        compare)
    for host in missing:
        err_console.print(f"[yellow]warning:[/] {host}: no stored configuration, not audited")
    if fmt == "table" and output is None:
        _print_table(neutralised(result))
    else:
        text = render(result, "markdown" if fmt == "table" else fmt)
        if output is not None:
            output.write_text(text, encoding="utf-8")
            err_console.print(
                f"report written to {output} ({len(result.findings)} findings, run {result.run_id})"
            )
        else:
            typer.echo(text, nl=False)
    worst = result.worst()
    if fail_on is not None and worst is not None and worst >= Severity[fail_on]:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
@reports_errors
def explain(
    ctx: typer.Context,
    host: str | None = typer.Argument(None, help="Inventory host whose latest backup is used."),
    packet: str = typer.Option(
        ..., "--packet", "-p", help='"SRC DST PROTO [DPORT] [SPORT]", e.g. "10.10.1.5 10.250.10.10 tcp 443".'
    ),
    file: Path | None = typer.Option(None, "--file", help="Use this configuration file instead of a backup."),
    platform: str | None = typer.Option(None, "--platform",
                                        help="Platform of --file (default: detected from the content)."),
    list_name: str | None = typer.Option(None, "--list", help="Only this ACL / interface pair."),
) -> None:
    """Which rule takes a packet, and what happens to it, in each list of a device."""
    from tslcd.services import audit as service

    if (host is None) == (file is None):
        raise InputError("give either HOST or --file PATH [--platform P]")
    if file is not None:
        dev = service.file_device(file, _file_platform(file, platform))
    else:
        dev = service.host_device(get_config(ctx), host or "")
    shown, rows = neutralised(service.explain_packet(dev, packet, list_name))
    table = Table(title=Text(neutralise(f"{dev.host}: {shown}")), header_style="bold")
    for column in ("list", "action", "rule", "line", "configuration"):
        table.add_column(column, overflow="fold")
    for e in rows:
        style = "green" if e.action == "permit" else "red"
        note = "" if e.exact else " [dim](rule has conditions not modelled)[/]"
        table.add_row(
            escape(e.list_name),
            f"[{style}]{e.action}[/]",
            escape(e.rule) + note,
            str(e.line or ""),
            escape(e.text),
        )
    console.print(table)
