"""`tslcd audit` and `tslcd explain`: the firewall audit and a packet's path through the rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from tslcd.audit.model import Finding, Severity
from tslcd.audit.reports import FORMATS, render
from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    HostsArgument,
    err_console,
    get_config,
    print_rows,
    reports_errors,
    selection,
)
from tslcd.errors import EXIT_PARTIAL, InputError
from tslcd.platforms import PLATFORMS
from tslcd.textsafe import neutralise, neutralised

if TYPE_CHECKING:
    from tslcd.audit.result import AuditResult

_STYLE = {"critical": "bold magenta", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
_FORMATS = ("table", *FORMATS)


_STATUS_STYLE = {"accepted": "dim"}
_FINDING_COLUMNS = ("severity", "host", "agency", "check", "list", "rule/line", "finding", "status")


def _status(result: AuditResult, f: Finding) -> str:
    waived = result.waiver(f)
    if waived is None:
        return ""
    return f"waiver expired {waived.waiver.expires}" if waived.expired else "accepted"


def _severity_first(findings: list[Finding]) -> list[Finding]:
    from tslcd.audit.result import by_severity_first

    return by_severity_first(findings)


def _print_findings(title: str, findings: list[Finding], result: AuditResult) -> None:
    rows = [(f.severity.name, f.host, result.device(f.host).agency_name, f.check, f.list_name,
             f.rule or (str(f.line) if f.line else ""), f.message, _status(result, f))
            for f in _severity_first(findings)]
    print_rows(_FINDING_COLUMNS, rows, title=title, keep=("severity", "host", "check"),
               styles={"severity": _STYLE, "status": _STATUS_STYLE})


def _print_table(result: AuditResult, folded: int, new_only: bool) -> None:
    c = result.comparison
    if not new_only:
        accepted = len(result.accepted)
        title = f"{len(result.active)} findings on {len(result.devices)} device(s)"
        title += f", {accepted} accepted" if accepted else ""
        _print_findings(title, result.findings, result)
    err_console.print(f"[bold]Covered:[/] {escape(result.covered())}")
    if folded:
        err_console.print(f"[dim]{folded} info finding(s) folded: --show-info lists them[/]")
    for f in result.expired:
        waived = result.waiver(f)
        if waived is not None:
            err_console.print(f"[yellow]warning:[/] {escape(f.host)} {f.check}: {escape(waived.label())} "
                              f"({escape(waived.waiver.where)})")
    if not new_only:
        print_rows(("severity", "findings"), [(sev, str(n)) for sev, n in result.by_severity().items()],
                   title="By severity (accepted risks left out)", keep=("severity",),
                   styles={"severity": _STYLE})
        print_rows(("agency", *result.by_severity()),
                   [(f"{name} ({code})", *(str(v) for v in counts.values()))
                    for code, name, counts in result.by_agency()], title="By agency", keep=("agency",))
    if c is not None:
        err_console.print(f"[bold]Baseline:[/] {escape(c.label())}")
        _print_findings(f"New: {len(c.new)}", c.new, result)
        if not new_only:
            _print_findings(f"Resolved: {len(c.resolved)}", c.resolved, result)


def _severity(option: str, value: str | None) -> Severity | None:
    if value is not None and value not in Severity.__members__:
        raise InputError(f"{option} {value!r}: choose one of {', '.join(Severity.__members__)}")
    return None if value is None else Severity[value]


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
    names: list[str] | None = HostsArgument,
    filters: list[str] | None = FilterOption,
    file: Path | None = typer.Option(
        None, "--file", help="Audit this configuration file instead of backups."
    ),
    platform: str | None = typer.Option(
        None, "--platform",
        help=f"Platform of --file ({', '.join(sorted(PLATFORMS))}; default: detected from the content).",
    ),
    fmt: str = typer.Option("table", "--format", help=f"Output format: {', '.join(_FORMATS)}."),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a shown finding that counts (not an accepted risk) is at least this severe "
        "(info, low, medium, high, critical); with --new-only, only new findings count.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to this file (an export: never a baseline)."
    ),
    compare: bool = typer.Option(
        False, "--compare", help="Show new and resolved findings against the baseline (the last full audit)."
    ),
    new_only: bool = typer.Option(
        False, "--new-only", help="Show only findings new since the baseline (implies --compare)."
    ),
    min_severity: str | None = typer.Option(
        None, "--min-severity", help="Show only findings at least this severe."
    ),
    checks: list[str] | None = typer.Option(None, "--check", help="Show only this check (repeatable)."),
    hosts: list[str] | None = typer.Option(
        None, "--host", help="Show only this host's findings (globs allowed, repeatable)."
    ),
    show_info: bool = typer.Option(
        False, "--show-info", help="List info findings in the table (folded into a count by default)."
    ),
) -> None:
    """Audit firewall rules and management settings in the latest backups (or one --file).

    A run with no --filter, --file or --output covers the whole inventory and becomes the baseline
    that later runs are compared with; waived findings (inventory/waivers.yaml) show as accepted.
    """
    from tslcd.services import audit as service  # the audit engine loads only for this command

    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r}: choose one of {', '.join(_FORMATS)}")
    threshold = _severity("--fail-on", fail_on)
    floor = _severity("--min-severity", min_severity)
    from tslcd.audit.checks.registry import CHECKS  # the checks themselves: loaded to run them

    unknown = sorted(set(checks or []) - set(CHECKS))
    if unknown:
        raise InputError(f"--check {', '.join(unknown)}: unknown check (checks: {', '.join(sorted(CHECKS))})")
    if file is not None:
        platform = _file_platform(file, platform)
    result, missing = service.run_audit(get_config(ctx), selection(filters, names), file, platform,
                                        compare or new_only,
                                        export=str(output) if output is not None else None)
    for host in missing:
        err_console.print(f"[yellow]warning:[/] {host}: no stored configuration, not audited")
    table = fmt == "table" and output is None
    selected = result.filtered(floor, checks or [], hosts or [])
    if new_only and selected.comparison is not None:
        selected = replace(selected, findings=list(selected.comparison.new))
    shown = selected if not table or show_info else selected.filtered(show_info=False)
    folded = len(selected.findings) - len(shown.findings)
    if table:
        _print_table(neutralised(shown), folded, new_only)
    else:
        text = render(shown, "markdown" if fmt == "table" else fmt)
        if output is not None:
            output.write_text(text, encoding="utf-8")
            err_console.print(
                f"report written to {output} ({len(shown.findings)} findings, run {result.run_id}, "
                f"{escape(neutralise(result.covered()))})"
            )
        else:
            typer.echo(text, nl=False)
    worst = selected.worst()  # folding info findings away in the table does not change the exit code
    if threshold is not None and worst is not None and worst >= threshold:
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
    rows = [(e.list_name, e.action, e.rule + ("" if e.exact else " (rule has conditions not modelled)"),
             str(e.line or ""), e.text) for e in rows]
    print_rows(("list", "action", "rule", "line", "configuration"), rows, title=f"{dev.host}: {shown}",
               keep=("list", "action"), styles={"action": {"permit": "green", "deny": "red"}})
