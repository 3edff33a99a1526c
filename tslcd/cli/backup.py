"""`tslcd backup | facts | history | diff | show | changed`: the config backup commands."""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict

import typer
from rich.markup import escape
from rich.text import Text

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
from tslcd.cli.progress import cancel_on_interrupt, host_progress
from tslcd.errors import EXIT_PARTIAL, InputError
from tslcd.logsetup import file_logging
from tslcd.services import history as history_service
from tslcd.store.records import RunRecord
from tslcd.textsafe import neutralise
from tslcd.timefmt import format_uptime, local, zone_label

log = logging.getLogger("tslcd.run")

RetriesOption = typer.Option(None, "--retries", min=0,
                             help="Retries for transient failures (default: config).")


def _exit_if_failed(failed: list[tuple[str, str, str]]) -> None:
    if failed:
        err_console.print(f"[bold red]{len(failed)} host(s) failed:[/]")
        for host, error_class, message in failed:
            err_console.print(f"  {escape(host)}: {escape(error_class)}: {escape(neutralise(message))}")
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
@reports_errors
def backup(ctx: typer.Context, hosts: list[str] | None = HostsArgument,
           filters: list[str] | None = FilterOption, lab: bool = LabOption,
           workers: int | None = WorkersOption, retries: int | None = RetriesOption,
           as_json: bool = JsonOption) -> None:
    """Back up the selected devices' configs (masked) into git: one commit per run, if anything changed."""
    from tslcd.services.backup import run_backup  # Nornir and the drivers load only for device commands

    config = get_config(ctx)
    with file_logging(config):
        with host_progress() as progress, cancel_on_interrupt() as stop:
            report = run_backup(config, selection(filters, hosts), lab=lab, workers=workers,
                                retries=retries, progress=progress, stop=stop)
        log.info("backup run %s: %s, commit %s", report.run_id, report.as_dict()["counts"], report.commit)
    if as_json:
        print_json(report.as_dict())
    else:
        counts = report.as_dict()["counts"]
        commit = f"; commit {report.commit[:10]}" if report.commit else "; nothing changed, no commit"
        console.print(f"backup run {report.run_id}: {counts['changed']} changed, {counts['unchanged']} "
                      f"unchanged, {counts['failed']} failed of {len(report.hosts)} hosts in "
                      f"{report.duration:.1f} s{commit}")
    _exit_if_failed([(h.host, h.error_class or "", h.message) for h in report.failed])


@app.command()
@reports_errors
def facts(ctx: typer.Context, hosts: list[str] | None = HostsArgument,
          filters: list[str] | None = FilterOption, lab: bool = LabOption,
          workers: int | None = WorkersOption, retries: int | None = RetriesOption,
          as_json: bool = JsonOption) -> None:
    """Collect model, serial number, OS version and uptime from the selected devices."""
    from tslcd.services import facts as facts_service

    config = get_config(ctx)
    with file_logging(config), host_progress() as progress:
        report = facts_service.run_facts(config, selection(filters, hosts), lab=lab, workers=workers,
                                         retries=retries, progress=progress)
    if as_json:
        print_json(report.as_dict())
    else:
        print_rows(("host", "model", "serial", "OS version", "uptime"),
                   [(host, v["model"], v["serial"], v["os_version"], format_uptime(v["uptime_seconds"]))
                    for host, v in sorted(report.facts.items())],
                   title=f"facts of {len(report.facts)} hosts", keep=("host",))
    _exit_if_failed([(h, c, m) for h, (c, m) in sorted(report.failed.items())])


@app.command()
@reports_errors
def history(ctx: typer.Context,
            host: str | None = typer.Argument(None, help="Host name (not with --runs)."),
            runs: bool = typer.Option(False, "--runs", help="List the recent backup runs instead."),
            as_json: bool = JsonOption) -> None:
    """When a device's config changed (commits) and how its recent backups went; or, with --runs,
    the recent backup runs of every device."""
    if runs == (host is not None):
        raise InputError("give a host name, or --runs for the recent backup runs (not both)")
    if runs:
        config = get_config(ctx)
        _print_runs(history_service.runs(config), as_json, config.timezone)
        return
    assert host is not None
    result = history_service.host_history(get_config(ctx), host)
    if as_json:
        print_json({"host": host,
                    "revisions": [{"commit": r.sha, "date": r.date, "subject": r.subject}
                                  for r in result.revisions],
                    "attempts": [{"run_id": a.run_id, "started_at": a.started_at, "status": a.record.status,
                                  "error_class": a.record.error_class, "message": a.record.message,
                                  "duration": a.record.duration, "size": a.record.size}
                                 for a in result.attempts]})
        return
    tz = get_config(ctx).timezone
    print_rows(("commit", f"date ({zone_label(tz)})", "run"),
               [(r.short, local(r.date, tz), r.subject) for r in result.revisions],
               title=f"{host}: config changes", keep=("commit",))
    print_rows(("run", f"started ({zone_label(tz)})", "result", "error", "seconds", "bytes"),
               [(a.run_id, local(a.started_at, tz), a.record.status,
                 f"{a.record.error_class}: {a.record.message}" if a.record.error_class else "",
                 f"{a.record.duration:.1f}", a.record.size or "") for a in result.attempts],
               title=f"{host}: recent backups", keep=("run",))


def _print_runs(records: list[RunRecord], as_json: bool, tz: str) -> None:
    if as_json:
        print_json({"runs": [asdict(r) for r in records]})
        return
    print_rows(("run", f"started ({zone_label(tz)})", "status", "hosts", "failed", "changed", "commit"),
               [(r.id, local(r.started_at, tz), r.status, r.hosts, r.failed, r.changed,
                 (r.commit_sha or "")[:10]) for r in records], title="recent backup runs", keep=("run",))


def _print_diff(text: str) -> None:
    text = neutralise(text)
    if not console.is_terminal:
        sys.stdout.write(text)
        return
    styles = {"+": "green", "-": "red", "@": "cyan"}
    for line in text.splitlines():
        header = line.startswith(("+++", "---", "diff ", "index ", "similarity", "rename "))
        console.print(Text(line, style="bold" if header else styles.get(line[:1], "")))


@app.command()
@reports_errors
def diff(ctx: typer.Context, host: str = typer.Argument(..., help="Host name."),
         old: str | None = typer.Argument(None, help="From this revision (default: the previous change)."),
         new: str | None = typer.Argument(None, help="To this revision (default: the latest)."),
         impact: bool = typer.Option(
             False, "--impact", help="Also show which packets the change newly permits or denies.")) -> None:
    """Unified diff of a device's stored config: its last change, or between revisions."""
    config = get_config(ctx)
    text = history_service.diff(config, host, old, new)
    if text:
        _print_diff(text)
    else:
        err_console.print("no difference")
    if impact:
        from tslcd.cli.impact import print_impact
        from tslcd.services import impact as impact_service

        print_impact(impact_service.compare(*impact_service.revisions(config, host, old, new)))


@app.command()
@reports_errors
def show(ctx: typer.Context, host: str = typer.Argument(..., help="Host name."),
         at: str | None = typer.Option(None, "--at",
                                       help="A revision, or a date/time: the config then.")) -> None:
    """Print a device's stored (masked) config, the latest or as it was at a revision or date."""
    text, sha = history_service.show(get_config(ctx), host, at)
    err_console.print(f"[dim]{escape(host)} at {sha[:10]}[/]")
    sys.stdout.write(neutralise(text))


@app.command()
@reports_errors
def changed(ctx: typer.Context,
            since: str = typer.Option(..., "--since",
                                      help="A date or time, e.g. 2026-11-01 or '2 days ago'."),
            as_json: bool = JsonOption) -> None:
    """Devices whose stored config changed since a date."""
    config = get_config(ctx)
    result = history_service.changed_since(config, since)
    if as_json:
        print_json({host: [{"commit": r.sha, "date": r.date, "subject": r.subject} for r in revs]
                    for host, revs in result.items()})
        return
    print_rows(("host", "changes", f"last change ({zone_label(config.timezone)})", "commit"),
               [(host, len(revs), local(revs[0].date, config.timezone), revs[0].short)
                for host, revs in result.items()],
               title=f"{len(result)} hosts changed since {since}", keep=("host",))


@app.command("grep")
@reports_errors
def grep(ctx: typer.Context,
         pattern: str = typer.Argument(..., help="A regular expression (Python syntax)."),
         hosts: list[str] | None = HostsArgument, filters: list[str] | None = FilterOption,
         at: str | None = typer.Option(None, "--at", help="A revision, or a date/time: the configs then."),
         missing: bool = typer.Option(False, "--missing",
                                      help="List the devices whose config has no matching line."),
         ignore_case: bool = typer.Option(False, "--ignore-case", "-i", help="Case-insensitive."),
         as_json: bool = JsonOption) -> None:
    """Search the stored configs: device, file:line and the line; or, with --missing, the devices
    whose config lacks a match ("which firewalls have no logging host"); counts per agency."""
    from tslcd.services.search import search

    result = search(get_config(ctx), pattern, selection(filters, hosts), at=at, ignore_case=ignore_case)
    if as_json:
        print_json(result.as_dict())
        return
    if missing:
        print_rows(("host", "agency"), ((h, result.agency_of[h]) for h in result.missing),
                   title=f"{len(result.missing)} devices without a line matching {pattern!r}",
                   keep=("host",))
    else:
        print_rows(("host", "file:line", "line"),
                   ((m.host, f"{m.path}:{m.line}", m.text) for m in result.matches),
                   title=f"{len(result.matches)} lines on {len(result.matching_hosts)} devices",
                   keep=("host",))
    _print_agency_counts(result.agencies)
    if result.no_config:
        unsearched = escape(", ".join(result.no_config))
        err_console.print(f"[yellow]no stored config (not searched): {unsearched}[/]")


def _print_agency_counts(agencies: dict[str, dict[str, int]]) -> None:
    """Per agency: devices searched, matching, missing (on stderr: stdout stays the list)."""
    width = max((len(a) for a in agencies), default=6)
    err_console.print(f"[bold]{'agency':<{width}}  hosts  matching  missing[/]")
    for agency, n in sorted(agencies.items()):
        err_console.print(f"{escape(agency):<{width}}  {n['hosts']:>5}  {n['matching']:>8}  "
                          f"{n['missing']:>7}")
