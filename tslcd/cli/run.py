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
    err_console,
    get_config,
    reports_errors,
    selection,
)
from tslcd.errors import EXIT_PARTIAL, InputError
from tslcd.logsetup import file_logging
from tslcd.schedule.cron import parse_cron
from tslcd.schedule.envfile import check_env_file, credential_variables, read_env_file, write_env_file
from tslcd.schedule.units import (
    CRON_FILE,
    LISTENER_UNIT,
    Invocation,
    Job,
    check_action,
    cron_file,
    describe,
    installed,
    installed_command,
    listener_unit,
    run_as_scheduled,
    systemd_units,
    write_files,
)

schedule_app = typer.Typer(help="Install, list or remove the systemd timers / cron entries.",
                           no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


@app.command("run")
@reports_errors
def run(ctx: typer.Context,
        action: str = typer.Argument(..., help="backup, audit, compliance, or joined by +: "
                                     "backup+audit, backup+audit+compliance."),
        hosts: list[str] | None = HostsArgument,
        filters: list[str] | None = FilterOption, lab: bool = LabOption,
        env_file: Path | None = typer.Option(
            None, "--env-file", help="Read the credentials from this file (NAME=value lines, mode 0600, "
                                     "yours): what `schedule install` writes."),
        check_login: bool = typer.Option(
            False, "--check-login", help="Only log in to the first selected device and out again "
                                         "(what `schedule check` runs).")) -> None:
    """Unattended run for cron/systemd: one at a time, never prompts, report + notifications.

    Exit codes: 0 ok, 1 some hosts failed or a notification was not delivered, 2 input error or
    missing credentials, 3 another run is still going (this one did nothing).
    """
    if env_file is not None:
        os.environ.update(read_env_file(env_file))
    config = get_config(ctx)
    check_action(action)
    if check_login:
        from tslcd.services.devices import check_login as login

        host, username, failure = login(config, selection(filters, hosts), lab=lab)
        if failure is not None:
            err_console.print(f"login failed: {host} as {escape(username)}: {failure.error_class}: "
                              f"{escape(failure.message)}")
            raise typer.Exit(EXIT_PARTIAL)
        console.print(f"login ok: {host} as {escape(username)}")
        return
    from tslcd.services.scheduled import run_scheduled  # Nornir and the drivers load only here

    with file_logging(config, stderr=True):
        result = run_scheduled(config, action, selection(filters, hosts), lab=lab)
    report = result.report
    console.print(f"{action}: {report.hosts} hosts, {len(report.changed)} changed, "
                  f"{len(report.failed)} failed, {len(report.out_of_band)} out-of-band, "
                  f"{len(report.stale)} stale; report {result.html_path}")
    if report.findings_by_severity:
        _print_audit_summary(report.findings_by_severity, report.new_findings)
    raise typer.Exit(result.exit_code)


SEVERITIES = ("critical", "high", "medium", "low", "info")
TOP_FINDINGS = 5


def _print_audit_summary(counts: dict[str, int], new: list[dict[str, object]]) -> None:
    """Findings by severity, then the most severe new findings (all of them on a first audit)."""
    console.print("audit summary: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES))
    ranked = sorted(new, key=lambda f: SEVERITIES.index(str(f["severity"]))
                    if f["severity"] in SEVERITIES else len(SEVERITIES))
    if ranked:
        console.print(f"top new findings ({min(TOP_FINDINGS, len(ranked))} of {len(ranked)}):")
    for finding in ranked[:TOP_FINDINGS]:
        console.print(f"  {finding['severity']:<8} {escape(str(finding['host']))}: "
                      f"{escape(str(finding['check']))}: {escape(str(finding['message']))}", highlight=False)


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


def _credentials_file(data_dir: Path, env_file: Path | None, user: str | None, dry_run: bool) -> Path:
    """The credentials file the runs read: written from the current environment (or asked for
    once at a terminal), or an existing one (checked) when the environment has none."""
    path = env_file or (data_dir / "schedule" / "tslcd.env")
    values = credential_variables(os.environ)
    if not values and path.exists():
        if user is None:
            check_env_file(path)
        return path
    if not values and sys.stdin.isatty():
        username = typer.prompt("Device username for unattended runs", err=True)
        password = typer.prompt(f"Password for {username}", hide_input=True, err=True)
        secret = typer.prompt("Enable secret (empty: same as password)", default="", hide_input=True,
                              show_default=False, err=True)
        values = {"TSLCD_USERNAME": username, "TSLCD_PASSWORD": password,
                  "TSLCD_SECRET": secret or password}
    if not values:
        raise InputError("no credentials for the unattended runs: set TSLCD_USERNAME and "
                         "TSLCD_PASSWORD (and TSLCD_SECRET, or per group TSLCD_<GROUP>_PASSWORD) "
                         "in the environment, run install at a terminal to be asked once, or give "
                         "--env-file with an existing file")
    if not dry_run:
        write_env_file(path, values, user)
    console.print(f"{'would write' if dry_run else 'wrote'} {escape(str(path))} (mode 0600"
                  f"{', owner ' + escape(user) if user else ''}): {', '.join(values)}")
    return path


@schedule_app.command("install")
@reports_errors
def install(ctx: typer.Context,
            backup: str | None = typer.Option(None, "--backup", help='Backups, cron time: "0 2 * * *".'),
            audit: str | None = typer.Option(None, "--audit", help='Audits, cron time: "30 2 * * 1".'),
            both: str | None = typer.Option(None, "--backup-audit", help="Cron time for backup then audit."),
            compliance: str | None = typer.Option(None, "--compliance",
                                                  help='Compliance reports, cron time: "0 6 1 * *".'),
            cron: bool = typer.Option(False, "--cron", help="Write a cron.d file instead of systemd units."),
            target: Path | None = typer.Option(None, "--dir", help="Where to write (default: the system's)."),
            env_file: Path | None = typer.Option(
                None, "--env-file", help="The credentials file the runs read (default: "
                                         "DATA/schedule/tslcd.env), written from TSLCD_* variables."),
            user: str | None = typer.Option(None, "--user", help="The account that runs tslcd "
                                            "(systemd User=, cron.d user; owns the credentials file)."),
            filters: list[str] | None = FilterOption,
            listener: bool = typer.Option(False, "--listener", help="Also install `tslcd listen` "
                                          "(a service; with --cron, started @reboot)."),
            dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written, and where."),
            ) -> None:
    """Schedule unattended runs: a systemd service + timer per job (or one cron.d file), with the
    credentials they need in a file only the run user can read."""
    config = get_config(ctx)
    jobs = [Job(check_action(action), parse_cron(when))
            for action, when in (("backup", backup), ("audit", audit), ("backup+audit", both),
                                 ("compliance", compliance)) if when]
    if not jobs and not listener:
        raise typer.BadParameter("give at least one of --backup, --audit, --backup-audit, --compliance, "
                                 "--listener")
    config_path = config.source or (config.root / "tslcd.yaml")
    credentials = _credentials_file(config.data_dir, env_file, user, dry_run)
    how = Invocation(_executable(), config_path, config.root, credentials.resolve(),
                     tuple(filters or ()), user)
    files = cron_file(jobs, how, user, listener) if cron else {
        **systemd_units(jobs, how), **(listener_unit(how) if listener else {})}
    folder = target or _default_dir(cron)
    if dry_run:
        for name, text in files.items():
            console.print(f"[bold]would write {escape(str(folder / name))}:[/]")
            console.print(escape(text), markup=True)
        return
    for path in write_files(folder, files):
        console.print(f"wrote {path}")
    console.print(f"check it: tslcd schedule check{' --cron' if cron else ''}"
                  f"{' --dir ' + escape(str(target)) if target else ''}")
    if not cron:
        units = " ".join(n for n in files if n.endswith(".timer") or n.startswith(LISTENER_UNIT))
        scope = "" if os.geteuid() == 0 else "--user "
        console.print(f"next: systemctl {scope}daemon-reload && systemctl {scope}enable --now {units}")


@schedule_app.command("check")
@reports_errors
def check(cron: bool = typer.Option(False, "--cron", help="Check the cron.d file."),
          target: Path | None = typer.Option(None, "--dir", help="Where to look.")) -> None:
    """Run the installed command the way the timer will (its user, its folder, a bare environment)
    and say whether it could log in to one device."""
    folder = target or _default_dir(cron)
    found = [p for p in installed(folder) if (p.suffix == ".service" and not p.name.startswith(LISTENER_UNIT))
             or p.name == CRON_FILE]
    if not found:
        raise InputError(f"no tslcd schedule installed in {folder}")
    argv, workdir, user = installed_command(found[0])
    result = run_as_scheduled(argv, workdir, user)
    for line in (result.stdout + result.stderr).strip().splitlines():
        console.print(f"  {escape(line)}")
    if result.returncode != 0:
        err_console.print(f"[bold red]{escape(found[0].name)}: the unattended run could not log in "
                          f"(exit {result.returncode})[/]")
        raise typer.Exit(result.returncode)
    console.print(f"[bold green]{escape(found[0].name)}: the unattended run can log in[/]")


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
