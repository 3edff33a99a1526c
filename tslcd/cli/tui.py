"""`tslcd tui`: the operator's terminal UI over the same services as the CLI."""

from __future__ import annotations

import typer

from tslcd.cli import app
from tslcd.cli.common import LabOption, get_config, reports_errors


@app.command()
@reports_errors
def tui(ctx: typer.Context, lab: bool = LabOption) -> None:
    """Open the terminal UI: inventory, backups, audit, push and lab in one screen."""
    from tslcd.tui.app import TslcdApp  # Textual loads only for this command

    TslcdApp(get_config(ctx), lab=lab).run()
