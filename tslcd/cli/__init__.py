"""The `tslcd` command line: parses input, calls the services, shows output. Nothing else."""

from __future__ import annotations

import typer

from tslcd import __version__

app = typer.Typer(
    name="tslcd",
    help="Operations for the province's TSLCD network: inventory, lab, backup, audit, push.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tslcd {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: str | None = typer.Option(None, "--config", "-c", envvar="TSLCD_CONFIG",
                                      help="Project config file (default: ./tslcd.yaml)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """tslcd: one tool for the TSLCD agency network and its firewalls."""
    ctx.obj = {"config_path": config}


def main() -> None:
    """Console-script entry point."""
    import sys

    from tslcd.cli.register import load_commands

    load_commands(sys.argv[1:])  # only the named command's module (all of them for --help)
    app()
