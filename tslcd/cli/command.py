"""`tslcd cmd`: one read-only command on the selected devices, answers grouped when identical."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape

from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    HostsArgument,
    JsonOption,
    LabOption,
    WorkersOption,
    console,
    err_console,
    get_config,
    print_json,
    reports_errors,
    selection,
)
from tslcd.cli.progress import cancel_on_interrupt, host_progress
from tslcd.errors import EXIT_PARTIAL
from tslcd.logsetup import file_logging


def _record_line(host: str, record: dict[str, object]) -> str:
    fields = " ".join(f"{key}={value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
                      for key, value in record.items())
    return f"{host}: {fields}"


@app.command("cmd")
@reports_errors
def cmd(ctx: typer.Context,
        command: str = typer.Argument(..., help='A read-only command, e.g. "show run | include snmp".'),
        hosts: list[str] | None = HostsArgument, filters: list[str] | None = FilterOption,
        lab: bool = LabOption, workers: int | None = WorkersOption,
        parse: bool = typer.Option(False, "--parse", help="Structured records (ntc-templates TextFSM)."),
        ttp: Path | None = typer.Option(None, "--ttp", exists=True, dir_okay=False,
                                        help="Parse with this TTP template instead."),
        as_json: bool = JsonOption) -> None:
    """Run one read-only command (show / get / read-only diagnose) on the selected devices.

    Anything not on the platform's read-only list is refused with the reason (exit 2); identical
    answers are printed once with the hosts that gave them; the answers are kept with the run.
    """
    from tslcd.services.command import run_command  # Nornir and the drivers load only here

    config = get_config(ctx)
    with file_logging(config), host_progress() as progress, cancel_on_interrupt() as stop:
        report = run_command(config, command, selection(filters, hosts), lab=lab, workers=workers,
                             parse=parse, ttp_template=ttp, progress=progress, stop=stop)
    if as_json:
        print_json(report.as_dict())
    elif parse or ttp:
        for host in sorted(report.parsed):
            for record in report.parsed[host] or [{}]:
                sys.stdout.write(_record_line(host, record) + "\n")
        for host, why in sorted(report.parse_errors.items()):
            err_console.print(f"[yellow]{escape(host)}: not parsed: {escape(why)}[/]")
    else:
        for answer in report.answers():
            count = f" ({len(answer.hosts)} hosts)" if len(answer.hosts) > 1 else ""
            console.print(f"[bold]== {escape(', '.join(answer.hosts))}{count} ==[/]")
            sys.stdout.flush()
            sys.stdout.write(answer.output if answer.output.endswith("\n") or not answer.output
                             else answer.output + "\n")
        err_console.print(f"[dim]cmd run {report.run_id}: {len(report.outputs)} answered, "
                          f"{len(report.failed)} failed, {len(report.answers())} distinct answers[/]")
    if report.failed:
        err_console.print(f"[bold red]{len(report.failed)} host(s) failed:[/]")
        for host, (error_class, message) in sorted(report.failed.items()):
            err_console.print(f"  {escape(host)}: {escape(error_class)}: {escape(message)}")
        raise typer.Exit(EXIT_PARTIAL)
