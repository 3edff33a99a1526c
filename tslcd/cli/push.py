"""`tslcd render | push | changes | rollback`: template changes, reviewed once per distinct diff;
`tslcd changes recover` for changes a dying process left half-done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from tslcd.audit.impact_report import to_data
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
from tslcd.config import Config
from tslcd.errors import EXIT_PARTIAL, InputError
from tslcd.logsetup import file_logging
from tslcd.push.changelog import UNDER_WAY, ChangeRecord, HostChange
from tslcd.push.rollout import RolloutPolicy
from tslcd.textsafe import neutralise
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


def show_impact(dry: service.DryRun) -> None:
    """Each device's traffic impact, then every flow the zone policy forbids, in red."""
    for host in dry.to_change:
        lines = dry.impact.lines(host)
        if lines:
            console.print(f"[bold]traffic impact on {escape(host)}:[/]")
            for line in lines:
                console.print(f"  {escape(line)}")
    for flow in dry.impact.flows:
        err_console.print(f"[bold red]FORBIDDEN[/] {escape(flow.line())}")


def _show_plan(dry: service.DryRun) -> None:
    for group in dry.groups:
        console.print(f"[bold]{escape(group.summary)}:[/] {escape(', '.join(group.hosts))}")
        for line in group.shown:
            console.print(f"  [green]{escape(line)}[/]")
        console.print()
    show_impact(dry)
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
            "not_applicable": {r.host: r.skipped for r in dry.rendered.skipped},
            "impact": {host: to_data(dry.impact.reports[host]) for host in dry.to_change
                       if host in dry.impact.reports},
            "impact_not_analysed": dry.impact.unanalysed,
            "forbidden": [f.as_dict() for f in dry.impact.flows]}


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
    ticket: str = typer.Option("", "--ticket", help="Change ticket, kept in the change log and backups."),
    comment: str = typer.Option("", "--comment", help="Why: kept in the change log and backups."),
    accept_risk: bool = typer.Option(
        False, "--accept-risk", help="Push even flows zones.yaml forbids (needs --ticket; logged)."),
    workers: int | None = WorkersOption, as_json: bool = JsonOption,
) -> None:
    """Show the exact change per device, grouped, with what it does to traffic (dry run); with
    --commit, apply it safely. A change opening flows zones.yaml forbids is refused (exit 2)."""
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
                                workers=workers, confirm=_confirm(yes, as_json), progress=progress,
                                ticket=ticket, comment=comment, accept_risk=accept_risk)
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
        _print_hosts(f"change {report.change_id}", report.hosts)
        if report.halted:
            err_console.print(f"[bold red]halted:[/] {escape(report.halted)}; not reached: "
                              f"{escape(', '.join(report.not_reached) or '-')}")
    if report.failed or report.halted or report.dry_run.failures:
        raise typer.Exit(EXIT_PARTIAL)


_GOOD = ("applied", "unchanged", "rolled-back")


def _print_hosts(title: str, hosts: list[HostChange]) -> None:
    styles = {h.status: "green" if h.status in _GOOD else "red" for h in hosts}
    print_rows(("batch", "host", "status", "message"),
               [(str(h.batch), h.host, h.status + (f" ({h.error_class})" if h.error_class else ""),
                 h.message) for h in hosts], title=title, keep=("host", "status"),
               styles={"status": styles})


def _record_json(record: ChangeRecord, full: bool) -> dict[str, object]:
    hosts = [{"host": h.host, "platform": h.platform, "batch": h.batch, "status": h.status,
              "error_class": h.error_class, "message": h.message,
              **({"commands": h.commands, "device_diff": h.device_diff, "rollback": h.rollback,
                  "sent": h.sent, "answered": h.answered} if full else {})} for h in record.hosts]
    return {"id": record.id, "kind": record.kind, "user": record.user, "started_at": record.started_at,
            "finished_at": record.finished_at, "template": record.template, "ticket": record.ticket,
            "comment": record.comment, "pid": record.pid, "accepted_risk": record.accepted_risk,
            "variables": record.variables, "filters": record.filters, "lab": record.lab,
            "status": record.status, "message": record.message, "rolls_back": record.rolls_back,
            "counts": record.counts(), "hosts": hosts}


def _show_record(record: ChangeRecord) -> None:
    """One change in full: per device its state, what was sent, what the device answered, how it
    ended."""
    context = "".join(f" {k} {escape(v)!r}" for k, v in (("ticket", record.ticket),
                                                        ("comment", record.comment)) if v)
    console.print(f"[bold]change {record.id}[/] {record.kind} {escape(record.template)} by "
                  f"{escape(record.user)} at {record.started_at}{context}: {record.status} "
                  f"{escape(record.message)}")
    if record.accepted_risk:
        console.print("[bold red]risk accepted:[/]")
        for line in record.accepted_risk.splitlines():
            console.print(f"  {escape(line)}")
    for h in record.hosts:
        console.print(f"[bold]{escape(h.host)}[/] ({h.platform}, batch {h.batch}): {h.status}")
        for title, text, style in (("planned", h.commands, "green"), ("sent", h.sent, "green"),
                                   ("answered", h.answered, "dim"), ("rollback", h.rollback, "red")):
            if text.strip() and (title != "sent" or text != h.commands):
                console.print(f"  {title}:")
                for line in neutralise(text).splitlines():  # device text: no control sequences
                    console.print(f"    [{style}]{escape(line)}[/]")
        if h.sent and h.sent == h.commands:
            console.print("  sent: every planned line")
        console.print(f"  ended: {escape(neutralise(h.message)) or h.status}")


@app.command("changes")
@reports_errors
def changes_command(
    ctx: typer.Context,
    what: str | None = typer.Argument(None, help="A change id to show in full, or `recover`."),
    recover_id: int | None = typer.Argument(None, help="With `recover`: the change (default: every "
                                                       "change that needs recovery)."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many changes to list."),
    forward: bool = typer.Option(False, "--forward", help="recover: on to the full intended config "
                                                          "instead of back to the pre-change one."),
    vars_file: Path | None = VarsOption, lab: bool = LabOption,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    workers: int | None = WorkersOption, as_json: bool = JsonOption,
) -> None:
    """List the change log, show one change in full (per device: state, sent, answered, how it
    ended), or `changes recover [ID]`: bring the devices of an interrupted change back."""
    from tslcd.services import history as service

    config = get_config(ctx)
    if what == "recover":
        _recover(config, recover_id, forward, vars_file, lab, yes, workers, as_json)
        return
    if recover_id is not None:
        raise InputError("a second argument is only taken by `tslcd changes recover ID`")
    if what is not None:
        if not what.isdigit():
            raise InputError(f"{what!r} is neither a change id nor `recover`")
        record = service.change(config, int(what))
        if as_json:
            print_json(_record_json(record, full=True))
        else:
            _show_record(record)
        return
    records = service.changes(config, limit)
    if as_json:
        print_json([_record_json(r, full=False) for r in records])
        return
    tz = config.timezone
    print_rows(("id", "kind", f"when ({zone_label(tz)})", "user", "template", "ticket", "hosts", "status"),
               [(r.id, f"{r.kind} of {r.rolls_back}" if r.rolls_back else r.kind, local(r.started_at, tz),
                 r.user, r.template, r.ticket, ", ".join(f"{n} {s}" for s, n in sorted(r.counts().items())),
                 r.status) for r in records], title="changes", keep=("id", "user"))


def _recover(config: Config, change_id: int | None, forward: bool, vars_file: Path | None, lab: bool,
             yes: bool, workers: int | None, as_json: bool) -> None:
    from tslcd.services import push as service  # drivers load only for this command

    waiting = ([service.change(config, change_id)] if change_id is not None
               else service.pending_recovery(config))
    if not waiting:
        console.print("Nothing to recover: no change was left half-done.")
        return
    where = "on to the full intended config" if forward else "back to the pre-change config"
    for record in waiting:
        hosts = [h.host for h in record.hosts if h.status in UNDER_WAY]
        err_console.print(f"change {record.id} ({escape(record.template)}): {len(hosts)} device(s) "
                          f"{escape(', '.join(hosts))} go {where}")
    if forward and vars_file is None:
        raise InputError("--forward needs the change's --vars file again (the change log keeps no "
                         "variable that may be a secret)")
    if not yes and not typer.confirm("Recover?", default=False, err=True):
        raise typer.Exit(EXIT_PARTIAL)
    with file_logging(config), host_progress() as progress:
        reports = service.recover(config, change_id, forward=forward, vars_path=vars_file, lab=lab,
                                  workers=workers, progress=progress)
    _show_restores(reports, as_json)


def _show_restores(reports: list[service.RollbackReport], as_json: bool) -> None:
    """Each restore's devices; JSON: one object for a rollback, a list for recoveries."""
    if as_json:
        shown = [{"change_id": r.change_id, "kind": r.kind, "rolls_back": r.rolls_back,
                  "hosts": [{"host": h.host, "status": h.status, "message": h.message}
                            for h in r.hosts]} for r in reports]
        print_json(shown[0] if len(shown) == 1 and reports[0].kind == "rollback" else shown)
    else:
        for r in reports:
            _print_hosts(f"change {r.change_id}: {r.kind} of {r.rolls_back}", r.hosts)
    if any(r.failed for r in reports):
        raise typer.Exit(EXIT_PARTIAL)


def _confirm_restore(yes: bool, as_json: bool) -> Callable[[service.RestorePlan], bool]:
    """Show what a rollback will send to each device (computed from its config now), then ask."""

    def ask(shown: service.RestorePlan) -> bool:
        if not as_json:
            for group in shown.groups:
                console.print(f"[bold]{escape(group.summary)}:[/] {escape(', '.join(group.hosts))}")
                for line in group.commands:
                    console.print(f"  [red]{escape(line)}[/]")
                console.print()
            for host, message in shown.failures.items():
                err_console.print(f"[red]cannot read {escape(host)}: {escape(message)}[/]")
        return yes or typer.confirm(f"Roll back change {shown.record.id} ({shown.record.template}) "
                                    "with these commands?", default=False, err=True)
    return ask


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
    """Restore the pre-change config of the devices a change reached: shows what it will send to
    each (computed from the device's config now), then asks. Safe to run again."""
    from tslcd.services import push as service  # drivers load only for this command

    config = get_config(ctx)
    with file_logging(config), host_progress() as progress:
        report = service.rollback(config, change_id, selection(filters, hosts), lab=lab, workers=workers,
                                  progress=progress, confirm=_confirm_restore(yes, as_json))
    if report is None:
        console.print("Not rolled back.")
        raise typer.Exit(EXIT_PARTIAL)
    _show_restores([report], as_json)
