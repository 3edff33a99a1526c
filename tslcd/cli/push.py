"""`tslcd render | push | changes | rollback`: template changes, reviewed once per distinct diff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

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
    print_rows,
    reports_errors,
    selection,
)
from tslcd.cli.progress import host_progress
from tslcd.errors import EXIT_PARTIAL
from tslcd.logsetup import file_logging
from tslcd.push.changelog import ChangeRecord, HostChange
from tslcd.push.rollout import RolloutPolicy
from tslcd.timefmt import local, zone_label

if TYPE_CHECKING:
    from tslcd.services import push as service

TemplateArgument = typer.Argument(..., help="Template name: templates/<platform>/<NAME>.j2.")
VarsOption = typer.Option(None, "--vars", exists=True, dir_okay=False,
                          help="Change variables (YAML): shared keys, and hosts: {NAME: {...}} overrides.")


def _show_skipped(result: service.RenderResult) -> None:
    if result.skipped:
        reasons: dict[str, list[str]] = {}
        for r in result.skipped:
            reasons.setdefault(r.skipped or "", []).append(r.host)
        for reason, hosts in reasons.items():
            err_console.print(f"[dim]not applicable ({escape(reason)}): {len(hosts)} host(s)[/]")


@app.command("render")
@reports_errors
def render_command(ctx: typer.Context, template: str = TemplateArgument,
                   hosts: list[str] | None = HostsArgument,
                   filters: list[str] | None = FilterOption, vars_file: Path | None = VarsOption,
                   as_json: bool = JsonOption) -> None:
    """Show the config a template renders to for each selected host (nothing is contacted)."""
    from tslcd.services import push as service  # drivers load only for this command

    result = service.render(get_config(ctx), template, selection(filters, hosts), vars_file)
    if as_json:
        print_json({"template": result.template,
                    "hosts": {r.host: r.text for r in result.applicable},
                    "skipped": {r.host: r.skipped for r in result.skipped}})
        return
    for r in result.applicable:
        console.print(f"[bold]# {escape(r.host)} ({r.platform}, {escape(result.template)})[/]")
        console.print(escape(r.text), end="")
    _show_skipped(result)


def _show_plan(dry: service.DryRun) -> None:
    for group in dry.groups:
        console.print(f"[bold]{escape(group.summary)}:[/] {escape(', '.join(group.hosts))}")
        for line in group.shown:
            console.print(f"  [green]{escape(line)}[/]")
        console.print()
    if dry.unchanged:
        console.print(f"{len(dry.unchanged)} host(s) already have this change: "
                      f"{escape(', '.join(dry.unchanged))}")
    _show_skipped(dry.rendered)
    for host, message in dry.failures.items():
        err_console.print(f"[red]FAILED {escape(host)}: {escape(message)}[/]")


def _dry_json(dry: service.DryRun) -> dict[str, object]:
    return {"template": dry.rendered.template, "duration": round(dry.duration, 3),
            "groups": [{"platform": g.platform, "hosts": list(g.hosts), "commands": list(g.commands),
                        "device_diff": list(g.shown) if g.shown != g.commands else None}
                       for g in dry.groups],
            "unchanged": dry.unchanged, "failures": dry.failures,
            "not_applicable": {r.host: r.skipped for r in dry.rendered.skipped}}


def _confirm(yes: bool, as_json: bool) -> Callable[[service.DryRun], bool]:
    """The confirmation step: show the grouped diff once, then ask (unless --yes)."""

    def ask(dry: service.DryRun) -> bool:
        if not as_json:
            _show_plan(dry)
        if yes:
            return True
        return typer.confirm(f"Apply this change to {len(dry.to_change)} device(s)?", default=False,
                             err=True)
    return ask


@app.command("push")
@reports_errors
def push_command(
    ctx: typer.Context, template: str = TemplateArgument, hosts: list[str] | None = HostsArgument,
    filters: list[str] | None = FilterOption,
    vars_file: Path | None = VarsOption, lab: bool = LabOption,
    do_commit: bool = typer.Option(False, "--commit", help="Apply the change (default: dry run)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    canary: int = typer.Option(1, "--canary", min=0, help="Hosts changed first, alone."),
    batch_size: int = typer.Option(10, "--batch-size", min=1, help="Hosts per batch after the canary."),
    max_failures: int = typer.Option(0, "--max-failures", min=0,
                                     help="Halt once more devices than this have failed."),
    workers: int | None = WorkersOption, as_json: bool = JsonOption,
) -> None:
    """Show the exact change per device, grouped (dry run); with --commit, apply it safely."""
    filters = selection(filters, hosts)
    from tslcd.services import push as service  # drivers load only for this command

    config = get_config(ctx)
    with file_logging(config), host_progress() as progress:
        if not do_commit:
            dry = service.dry_run(config, template, filters, vars_file, lab=lab, workers=workers,
                                  progress=progress)
            if as_json:
                print_json(_dry_json(dry))
            else:
                _show_plan(dry)
                if not dry.to_change and not dry.failures:
                    console.print("Nothing to change: every device already has this template.")
            if dry.failures:
                raise typer.Exit(EXIT_PARTIAL)
            return
        policy = RolloutPolicy(canary, batch_size, max_failures)
        report = service.commit(config, template, filters, vars_file, lab=lab, policy=policy,
                                workers=workers, confirm=_confirm(yes, as_json), progress=progress)
    _show_commit(report, as_json)


def _show_commit(report: service.CommitReport, as_json: bool) -> None:
    if as_json:
        print_json({"change_id": report.change_id, "halted": report.halted,
                    "not_reached": report.not_reached, "duration": round(report.duration, 3),
                    "dry_run": _dry_json(report.dry_run),
                    "hosts": [{"host": h.host, "status": h.status, "batch": h.batch,
                               "error_class": h.error_class, "message": h.message} for h in report.hosts]})
    elif report.change_id is None:
        if report.dry_run.to_change:
            console.print("Not applied.")
        else:
            _show_plan(report.dry_run)
            console.print("Nothing to change: every device already has this template.")
    else:
        console.print(_hosts_table(f"change {report.change_id}", report.hosts))
        if report.halted:
            err_console.print(f"[bold red]halted:[/] {escape(report.halted)}; not reached: "
                              f"{escape(', '.join(report.not_reached) or '-')}")
    if report.failed or report.halted or report.dry_run.failures:
        raise typer.Exit(EXIT_PARTIAL)


def _hosts_table(title: str, hosts: list[HostChange]) -> Table:
    table = Table(title=title, show_header=True, header_style="bold")
    for column in ("batch", "host", "status", "message"):
        table.add_column(column, overflow="fold")
    for h in hosts:
        good = h.status in ("applied", "unchanged", "rolled-back") and not h.error_class
        style = "green" if good else "red"
        table.add_row(str(h.batch), h.host, f"[{style}]{h.status}[/]", escape(h.message))
    return table


def _record_json(record: ChangeRecord, full: bool) -> dict[str, object]:
    hosts = [{"host": h.host, "platform": h.platform, "batch": h.batch, "status": h.status,
              "error_class": h.error_class, "message": h.message,
              **({"commands": h.commands, "device_diff": h.device_diff, "rollback": h.rollback}
                 if full else {})} for h in record.hosts]
    return {"id": record.id, "kind": record.kind, "user": record.user, "started_at": record.started_at,
            "finished_at": record.finished_at, "template": record.template,
            "variables": record.variables, "filters": record.filters, "lab": record.lab,
            "status": record.status, "message": record.message, "rolls_back": record.rolls_back,
            "counts": record.counts(), "hosts": hosts}


@app.command("changes")
@reports_errors
def changes_command(
    ctx: typer.Context,
    change_id: int | None = typer.Argument(None, help="Show one change in full (diffs per device)."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many changes to list."),
    as_json: bool = JsonOption,
) -> None:
    """List the change log (who, when, template, hosts, results), or show one change in full."""
    from tslcd.services import history as service

    config = get_config(ctx)
    if change_id is not None:
        record = service.change(config, change_id)
        if as_json:
            print_json(_record_json(record, full=True))
            return
        console.print(f"[bold]change {record.id}[/] {record.kind} {escape(record.template)} by "
                      f"{escape(record.user)} at {record.started_at}: {record.status} "
                      f"{escape(record.message)}")
        for h in record.hosts:
            console.print(f"[bold]{escape(h.host)}[/] ({h.platform}, batch {h.batch}): {h.status} "
                          f"{escape(h.message)}")
            for line in h.commands.splitlines():
                console.print(f"  [green]{escape(line)}[/]")
        return
    records = service.changes(config, limit)
    if as_json:
        print_json([_record_json(r, full=False) for r in records])
        return
    tz = config.timezone
    print_rows(("id", "kind", f"when ({zone_label(tz)})", "user", "template", "hosts", "status"),
               [(r.id, f"rollback of {r.rolls_back}" if r.rolls_back else r.kind, local(r.started_at, tz),
                 r.user, r.template, ", ".join(f"{n} {s}" for s, n in sorted(r.counts().items())), r.status)
                for r in records], title="changes", keep=("id", "user"))


@app.command("rollback")
@reports_errors
def rollback_command(
    ctx: typer.Context,
    change_id: int = typer.Argument(..., help="The change to undo (see `tslcd changes`)."),
    hosts: list[str] | None = HostsArgument,
    filters: list[str] | None = FilterOption, lab: bool = LabOption,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    workers: int | None = WorkersOption, as_json: bool = JsonOption,
) -> None:
    """Restore the pre-change config of the devices a change was applied to."""
    from tslcd.services import push as service  # drivers load only for this command

    config = get_config(ctx)
    record = service.change(config, change_id)
    if not yes and not typer.confirm(f"Roll back change {record.id} ({record.template}) on the devices "
                                     "it was applied to?", default=False, err=True):
        raise typer.Exit(EXIT_PARTIAL)
    with file_logging(config), host_progress() as progress:
        report = service.rollback(config, change_id, selection(filters, hosts), lab=lab, workers=workers,
                                  progress=progress)
    if as_json:
        print_json({"change_id": report.change_id, "rolls_back": report.rolls_back,
                    "hosts": [{"host": h.host, "status": h.status, "message": h.message}
                              for h in report.hosts]})
    else:
        console.print(_hosts_table(f"change {report.change_id}: rollback of {report.rolls_back}",
                                   report.hosts))
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)
