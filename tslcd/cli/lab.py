"""`tslcd lab ...`: the virtual-device lab: up, down, status, run, fault, credentials, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    JsonOption,
    console,
    get_config,
    print_json,
    print_rows,
    reports_errors,
)
from tslcd.lab.faults import FAULT_KINDS

if TYPE_CHECKING:
    from tslcd.lab.server import Lab
    from tslcd.services.lab import TwinDevice

lab_app = typer.Typer(help="The virtual-device lab: every inventory host as an SSH device on 127.x.",
                      no_args_is_help=True)
export_app = typer.Typer(help="Write the lab for other tools.", no_args_is_help=True)
app.add_typer(lab_app, name="lab")
lab_app.add_typer(export_app, name="export")

ExtraSitesOption = typer.Option(
    None, "--extra-sites", min=0,
    help="Add N synthetic commune sites (router + firewall each) on further 127.x addresses "
         "(default: lab.extra_sites in tslcd.yaml).")
FAULT_HELP = "; ".join(
    f"{k.name}{' N' if k.default is not None else ''}: {k.help}" for k in FAULT_KINDS.values())


FromBackupsOption = typer.Option(
    False, "--from-backups",
    help="Boot every device from its latest stored backup (masked secrets get lab values): the lab "
         "twin, to rehearse a push against the production state.")


def _twin_report(devices: list[TwinDevice]) -> None:
    """Which devices booted from a backup and which secrets got lab values."""
    seeded = [d for d in devices if d.from_backup]
    console.print(f"twin: {len(seeded)} of {len(devices)} devices boot from their latest backup")
    for device in devices:
        if not device.from_backup:
            console.print(f"  {escape(device.name)}: no backup, generated configuration")
        elif device.replaced:
            console.print(f"  {escape(device.name)}: lab values for "
                          + "; ".join(escape(line) for line in device.replaced))


def _faults_text(faults: dict[str, Any]) -> str:
    return ", ".join(k if v is None else f"{k}={v:g}" for k, v in faults.items())


def _summary(status: dict[str, Any]) -> str:
    return (f"{len(status['devices'])} devices on port {status['port']} "
            f"(pid {status['pid']}, started in {status['startup_seconds']:.2f} s)")


@lab_app.command("up")
@reports_errors
def up(ctx: typer.Context, filters: list[str] | None = FilterOption,
       extra_sites: int | None = ExtraSitesOption, from_backups: bool = FromBackupsOption) -> None:
    """Start the lab in the background (nothing happens when it already runs)."""
    from tslcd.services import lab as service  # asyncssh loads only for lab commands

    config = get_config(ctx)
    result = service.lab_up(config, filters or [], extra_sites, from_backups)
    if result.twin is not None:
        _twin_report(result.twin)
    verb = "lab started" if result.started else "lab already running"
    console.print(f"{verb}: {_summary(result.status)}")
    console.print(f"log: {escape(str(service.lab_log(config)))}")


@lab_app.command("down")
@reports_errors
def down(ctx: typer.Context) -> None:
    """Stop the lab this data folder's `lab up` started."""
    from tslcd.services import lab as service

    pid = service.lab_down(get_config(ctx))
    console.print("the lab was not running" if pid is None else f"lab stopped (pid {pid})")


@lab_app.command("status")
@reports_errors
def status(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Each lab device: name, platform, address, port and active faults."""
    from tslcd.services import lab as service

    result = service.lab_status(get_config(ctx))
    if as_json:
        print_json(result)
        return
    rows = [(d["name"], d["address"], d["platform"], d["port"],
             _faults_text(d["faults"]) or ("" if d["listening"] else "not listening"))
            for d in result["devices"]]
    print_rows(("device", "address", "platform", "port", "faults"), rows, title=f"lab: {_summary(result)}",
               keep=("device", "address"))


@lab_app.command("credentials")
@reports_errors
def credentials(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """The lab's own login, to `ssh` into a lab device by hand or point another tool at it."""
    from tslcd.services import lab as service

    config = get_config(ctx)
    creds = service.lab_credentials(config)
    if as_json:
        print_json({"username": creds.username, "password": creds.password,
                    "secret": creds.secret, "port": config.lab.port})
        return
    console.print(f"username:      {escape(creds.username)}")
    console.print(f"password:      {escape(creds.password)}")
    console.print(f"enable secret: {escape(creds.secret or '')}")
    console.print(f"example:       ssh -p {config.lab.port} {escape(creds.username)}@ADDRESS "
                  "(addresses: tslcd lab status)")


@lab_app.command("run")
@reports_errors
def run(ctx: typer.Context, filters: list[str] | None = FilterOption,
        extra_sites: int | None = ExtraSitesOption, from_backups: bool = FromBackupsOption) -> None:
    """Run the lab in the foreground until Ctrl-C."""
    from tslcd.services import lab as service

    if from_backups:
        _twin_report(service.lab_twin(get_config(ctx), filters or [], extra_sites))

    def ready(info: dict[str, Any], lab: Lab) -> None:
        console.print(f"lab ready: {len(lab.devices)} devices on port {info['port']} "
                      f"(pid {info['pid']}, {info['startup_seconds']:.2f} s); Ctrl-C stops it")

    service.lab_run(get_config(ctx), filters or [], extra_sites, ready)


@lab_app.command("fault", help=f"Give a running lab's device a fault, or clear its faults. "
                               f"Kinds: {FAULT_HELP}.")
@reports_errors
def fault(ctx: typer.Context, host: str = typer.Argument(..., help="Lab device name."),
          kind: str = typer.Argument(..., help="A fault kind, or 'clear'."),
          value: str | None = typer.Argument(None, help="The fault's value; after 'clear': "
                                                         "the one kind to clear.")) -> None:
    from tslcd.services import lab as service

    config = get_config(ctx)
    if kind == "clear":
        device = service.clear_faults(config, host, value)
    else:
        device = service.set_fault(config, host, kind, value)
    console.print(f"{host}: {_faults_text(device['faults']) or 'no faults'}")


@export_app.command("containerlab")
@reports_errors
def export_containerlab(
    ctx: typer.Context, filters: list[str] | None = FilterOption,
    extra_sites: int | None = ExtraSitesOption,
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    mgmt_subnet: str = typer.Option("172.20.20.0/24", help="containerlab management subnet."),
) -> None:
    """A containerlab topology of the lab inventory, for real NOS images."""
    from tslcd.services import lab as service

    text = service.export_containerlab(get_config(ctx), filters or [], extra_sites,
                                       mgmt_subnet, output)
    if output is None:
        typer.echo(text, nl=False)
    else:
        console.print(f"wrote {escape(str(output))}")
