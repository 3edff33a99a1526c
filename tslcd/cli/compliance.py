"""`tslcd compliance`: the security-by-level and CIS controls, per agency and device."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from tslcd.cli import app
from tslcd.cli.common import FilterOption, console, err_console, get_config, print_rows, reports_errors
from tslcd.errors import EXIT_PARTIAL, InputError

if TYPE_CHECKING:
    from tslcd.compliance.result import ComplianceResult

_FORMATS = ("table", "json", "html")
_STYLE = {"passed": "green", "failed": "bold red", "manual": "yellow", "not_applicable": "dim"}


def _print_table(result: ComplianceResult, lang: str, show_all: bool) -> None:
    from tslcd.compliance.evaluate import Status
    from tslcd.compliance.report import STATUSES, rate, visible

    pack = result.pack
    err_console.print(f"[bold]{escape(pack.title.get(lang))}[/] ({pack.name} {pack.version})")
    styles = {status.label(lang): _STYLE[status.name] for status in Status}
    for code, name, devices in result.agencies():
        rows = []
        for device in devices:
            for v in device.verdicts:
                if v.status is Status.not_applicable and not show_all:
                    continue
                shown = v.evidence[:2]
                evidence = "; ".join(f"{e.where} {e.text}".strip() for e in shown) or v.reason
                status = v.status.label(lang) + (" (accepted)" if v.accepted else "")
                rows.append((device.info.host, v.control.id, status, visible(evidence)))
        print_rows(("device", "control", "status", "evidence"), rows, title=f"{name} ({code})",
                   keep=("device", "control"), styles={"status": styles})
    totals = result.counts()
    print_rows((*(s.label(lang) for s in STATUSES), "rate"), [(*(str(totals[s]) for s in STATUSES),
                                                               rate(totals))],
               title="Tổng hợp / Summary")


@app.command()
@reports_errors
def compliance(
    ctx: typer.Context,
    filters: list[str] | None = FilterOption,
    pack: str | None = typer.Option(None, "--pack", help="Pack name (see --list); default: the first."),
    level: int | None = typer.Option(None, "--level", help="Judge every device at this level (1-5) "
                                     "instead of its inventory security_level."),
    fmt: str = typer.Option("table", "--format", help=f"Output format: {', '.join(_FORMATS)}."),
    lang: str = typer.Option("vi", "--lang", help="Report language: vi or en."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    show_all: bool = typer.Option(False, "--all", help="Also list the controls that do not apply."),
    list_packs: bool = typer.Option(False, "--list", help="List the packs and their controls, then stop."),
    fail: bool = typer.Option(False, "--fail",
                              help="Exit 1 when a control is not met (accepted risks aside)."),
) -> None:
    """Check the latest backups against a compliance pack (compliance/*.yaml)."""
    from tslcd.compliance.evaluate import Status
    from tslcd.compliance.report import render_html, to_json
    from tslcd.services import compliance as service

    config = get_config(ctx)
    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r}: choose one of {', '.join(_FORMATS)}")
    if lang not in ("vi", "en"):
        raise InputError(f"--lang {lang!r}: choose vi or en")
    if list_packs:
        for found in service.available_packs(config).values():
            console.print(f"[bold]{found.name}[/] {found.version}: {escape(found.title.get(lang))} "
                          f"({len(found.controls)} controls, {found.path})")
        return
    result = service.run_compliance(config, pack, level, filters)
    missing = [d.info.host for d in result.devices if not d.backup]
    for host in missing:
        err_console.print(f"[yellow]warning:[/] {host}: no stored configuration (back it up first)")
    if fmt == "table" and output is None:
        _print_table(result, lang, show_all)
    else:
        if fmt == "html":
            text = render_html(result, lang, config.compliance.province, show_all=show_all)
        elif fmt == "json":
            text = to_json(result, lang)
        else:
            raise InputError("--format table prints to the terminal; use html or json with --output")
        if output is not None:
            output.write_text(text, encoding="utf-8")
            counts = result.counts()
            err_console.print(f"report written to {output} (run {result.run_id}: "
                              f"{counts[Status.passed]} pass, {counts[Status.failed]} fail, "
                              f"{counts[Status.manual]} manual)")
        else:
            typer.echo(text)
    if fail and result.open_failures():
        raise typer.Exit(EXIT_PARTIAL)
