"""`tslcd impact`: which packets a configuration change newly permits or denies, and intents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from tslcd.cli import app
from tslcd.cli.common import FilterOption, console, err_console, get_config, reports_errors, selection
from tslcd.errors import EXIT_PARTIAL, InputError

if TYPE_CHECKING:  # the analysis loads when the command runs, not for `tslcd --help`
    from tslcd.audit.intent import ImpactReport, Intent

_FORMATS = ("table", "json", "markdown")
_VERDICT_STYLE = {"exact": "bold green", "already": "yellow"}


def print_impact(report: ImpactReport) -> None:
    """The regions of each changed list as tables, then the intents' verdicts."""
    from tslcd.audit.impact_report import region_line
    from tslcd.audit.packets import format_packet
    from tslcd.audit.space import box_corner

    console.print(f"[bold]{escape(report.host)}[/] ({report.platform}): "
                  f"{escape(report.before)} -> {escape(report.after)}")
    if not report.changed:
        console.print("no packet is decided differently")
    for impact in report.changed:
        table = Table(title=escape(impact.name) + ("" if impact.exact else " (not exact)"),
                      header_style="bold")
        for column in ("change", "traffic", "example", "before", "after"):
            table.add_column(column, overflow="fold")
        for r in impact.regions:
            style = "red" if r.newly == "permitted" else "yellow"
            table.add_row(f"[{style}]newly {r.newly}[/]", escape(region_line(r)),
                          escape(format_packet(r.example)), escape(r.before.label), escape(r.after.label))
        console.print(table)
        for note in impact.notes:
            console.print(f"[yellow]note:[/] {escape(note)}")
    for v in report.intents:
        style = _VERDICT_STYLE.get(v.verdict, "bold red")
        console.print(f"intent [bold]{escape(v.intent.text)}[/] on {escape(v.list_name)}: "
                      f"[{style}]{v.verdict}[/]")
        for box in v.missing:
            console.print(f"  missing: {escape(format_packet(box_corner(box)))} is not {v.intent.action}ted")
        for r in v.collateral:
            console.print(f"  collateral: newly {r.newly} {escape(region_line(r))}")


@app.command()
@reports_errors
def impact(
    ctx: typer.Context,
    host: str | None = typer.Argument(None, help="Inventory host: compare two stored versions."),
    revs: list[str] | None = typer.Argument(None, help="REV [REV]: before (and after; default the latest)."),
    before: Path | None = typer.Option(None, "--before", help="Configuration file before the change."),
    after: Path | None = typer.Option(None, "--after", help="Configuration file after the change."),
    platform: str | None = typer.Option(None, "--platform", help="Platform of --before/--after."),
    intents: list[str] | None = typer.Option(
        None, "--intent", help='What the change should do: "permit tcp 10.1.1.0/24 -> 10.2.2.0/27 eq 80".'),
    intent_file: Path | None = typer.Option(None, "--intent-file", help="YAML list of intents."),
    list_name: str | None = typer.Option(None, "--list", help="Only this ACL / policy list."),
    template: str | None = typer.Option(
        None, "--template", help="A push plan: this template applied offline to each host's latest backup."),
    vars_file: Path | None = typer.Option(None, "--vars", help="Change variables of --template (YAML)."),
    filters: list[str] | None = FilterOption,
    fmt: str = typer.Option("table", "--format", help=f"Output format: {', '.join(_FORMATS)}."),
) -> None:
    """Exactly which packets a change newly permits or denies (stored revisions, two files, or a
    push plan applied offline to the latest backups: HOST... --template T --vars F).

    Exit 1 when an intent is not met exactly (missing, collateral or already), or when a push plan
    newly permits a flow zones.yaml forbids.
    """
    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r}: choose one of {', '.join(_FORMATS)}")
    from tslcd.services import impact as service

    wanted = service.load_intents(intents or [], intent_file)
    if template is not None:
        if before or after or list_name:
            raise InputError("--template takes HOST... or --filter, not --before/--after/--list")
        _plan_mode(ctx, template, vars_file, selection(filters, [h for h in (host, *(revs or [])) if h]),
                   wanted, fmt)
        return
    if host is not None:
        if before or after:
            raise InputError("give either HOST [REV [REV]] or --before F --after F --platform P")
        rev_list = list(revs or [])
        if len(rev_list) > 2:
            raise InputError("at most two revisions: REV (before) and REV (after)")
        old, new = service.revisions(get_config(ctx), host, *rev_list)
    else:
        if not (before and after and platform):
            raise InputError("give HOST [REV [REV]], or --before F --after F --platform P")
        old, new = service.files(before, after, platform)
    report = service.compare(old, new, wanted, list_name)
    _print(report, fmt)
    if not report.exact:
        err_console.print("[yellow]warning:[/] the summary is not exact (see the notes)")
    if any(v.verdict != "exact" for v in report.intents):
        raise typer.Exit(EXIT_PARTIAL)


def _print(report: ImpactReport, fmt: str) -> None:
    from tslcd.audit.impact_report import to_json, to_markdown

    if fmt == "json":
        typer.echo(to_json(report))
    elif fmt == "markdown":
        typer.echo(to_markdown(report), nl=False)
    else:
        print_impact(report)


def _plan_mode(ctx: typer.Context, template: str, vars_file: Path | None, filters: list[str] | None,
               wanted: list[Intent], fmt: str) -> None:
    """A push plan applied to each selected host's latest backup, offline: impact per host."""
    from tslcd.audit.impact_report import to_data
    from tslcd.services import push  # hier_config loads only for this mode

    dry = push.plan_offline(get_config(ctx), template, filters, vars_file, wanted)
    impact = dry.impact
    if fmt == "json":
        typer.echo(json.dumps({
            "template": dry.rendered.template,
            "hosts": [to_data(impact.reports[h]) for h in dry.to_change if h in impact.reports],
            "unchanged": dry.unchanged, "not_analysed": impact.unanalysed, "failures": dry.failures,
            "forbidden": [f.as_dict() for f in impact.flows],
        }, ensure_ascii=False, indent=2))
    else:
        for host in dry.to_change:
            if host in impact.reports:
                _print(impact.reports[host], fmt)
            else:
                err_console.print(f"[yellow]{escape(host)}: {escape(impact.lines(host)[0])}[/]")
        if dry.unchanged:
            console.print(f"{len(dry.unchanged)} host(s) already have this change")
    for host, message in dry.failures.items():
        err_console.print(f"[red]{escape(host)}: {escape(message)}[/]")
    for flow in impact.flows:
        err_console.print(f"[bold red]FORBIDDEN[/] {escape(flow.line())}")
    if impact.flows or dry.failures or any(v.verdict != "exact" for r in impact.reports.values()
                                           for v in r.intents):
        raise typer.Exit(EXIT_PARTIAL)
