"""`tslcd run ...` (what a scheduler starts) and `tslcd schedule install|list|remove`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.markup import escape

from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    HostsArgument,
    LabOption,
    console,
    get_config,
    reports_errors,
    selection,
)
from tslcd.logsetup import file_logging
from tslcd.schedule.cron import parse_cron
from tslcd.schedule.units import (
    Invocation,
    Job,
    check_action,
    cron_file,
    describe,
    installed,
    systemd_units,
    write_files,
)

schedule_app = typer.Typer(help="Install, list or remove the systemd timers / cron entries.",
                           no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


@app.command("run")
@reports_errors
def run(ctx: typer.Context,
        action: str = typer.Argument(..., help="backup, audit or backup+audit."),
        hosts: list[str] | None = HostsArgument,
        filters: list[str] | None = FilterOption, lab: bool = LabOption) -> None:
    """Unattended run for cron/systemd: one at a time, never prompts, report + notifications.

    Exit codes: 0 ok, 1 some hosts failed or a notification was not delivered, 2 input error or
    missing credentials, 3 another run is still going (this one did nothing).
    """
    from tslcd.services.scheduled import run_scheduled  # Nornir and the drivers load only here

    config = get_config(ctx)
    check_action(action)
    with file_logging(config, stderr=True):
        result = run_scheduled(config, action, selection(filters, hosts), lab=lab)
    report = result.report
    console.print(f"{action}: {report.hosts} hosts, {len(report.changed)} changed, "
                  f"{len(report.failed)} failed, {len(report.out_of_band)} out-of-band, "
                  f"{len(report.stale)} stale; report {result.html_path}")
    raise typer.Exit(result.exit_code)


def _default_dir(cron: bool) -> Path:
    if cron:
        return Path("/etc/cron.d")
    if os.geteuid() == 0:
        return Path("/etc/systemd/system")
    return Path.home() / ".config" / "systemd" / "user"


def _executable() -> Path:
    found = Path(sys.argv[0]).resolve()
    if found.name == "tslcd" and found.exists():
        return found
    return Path(sys.executable).with_name("tslcd")


@schedule_app.command("install")
@reports_errors
def install(ctx: typer.Context,
            backup: str | None = typer.Option(None, "--backup", help='Backups, cron time: "0 2 * * *".'),
            audit: str | None = typer.Option(None, "--audit", help='Audits, cron time: "30 2 * * 1".'),
            both: str | None = typer.Option(None, "--backup-audit", help="Cron time for backup then audit."),
            cron: bool = typer.Option(False, "--cron", help="Write a cron.d file instead of systemd units."),
            target: Path | None = typer.Option(None, "--dir", help="Where to write (default: the system's)."),
            env_file: Path | None = typer.Option(None, "--env-file",
                                                 help="File with TSLCD_* credentials (mode 0600)."),
            user: str | None = typer.Option(None, "--user", help="cron.d: the account that runs tslcd."),
            filters: list[str] | None = FilterOption,
            dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written, and where."),
            ) -> None:
    """Schedule unattended runs: a systemd service + timer per job (or one cron.d file)."""
    config = get_config(ctx)
    jobs = [Job(check_action(action), parse_cron(when))
            for action, when in (("backup", backup), ("audit", audit), ("backup+audit", both)) if when]
    if not jobs:
        raise typer.BadParameter("give at least one of --backup, --audit, --backup-audit")
    config_path = config.source or (config.root / "tslcd.yaml")
    how = Invocation(_executable(), config_path, config.root, env_file, tuple(filters or ()))
    files = cron_file(jobs, how, user) if cron else systemd_units(jobs, how)
    folder = target or _default_dir(cron)
    if dry_run:
        for name, text in files.items():
            console.print(f"[bold]would write {escape(str(folder / name))}:[/]")
            console.print(escape(text), markup=True)
        return
    for path in write_files(folder, files):
        console.print(f"wrote {path}")
    if not cron:
        timers = " ".join(n for n in files if n.endswith(".timer"))
        scope = "" if os.geteuid() == 0 else "--user "
        console.print(f"next: systemctl {scope}daemon-reload && systemctl {scope}enable --now {timers}")


@schedule_app.command("list")
@reports_errors
def list_schedules(cron: bool = typer.Option(False, "--cron", help="Look for the cron.d file."),
                   target: Path | None = typer.Option(None, "--dir", help="Where to look.")) -> None:
    """What is installed, with its schedule or command."""
    found = installed(target or _default_dir(cron))
    if not found:
        console.print("no tslcd schedule installed")
    for path in found:
        console.print(f"{path}: {escape(describe(path))}")


@schedule_app.command("remove")
@reports_errors
def remove(cron: bool = typer.Option(False, "--cron", help="Remove the cron.d file."),
           target: Path | None = typer.Option(None, "--dir", help="Where to look."),
           dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would be removed.")) -> None:
    """Remove tslcd's units (disable the timers first) or its cron.d file."""
    for path in installed(target or _default_dir(cron)):
        if not dry_run:
            path.unlink()
        console.print(f"{'would remove' if dry_run else 'removed'} {path}")
