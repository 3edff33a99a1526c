"""`tslcd listen`: back up a device when its syslog says its configuration changed."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from tslcd.cli import app
from tslcd.cli.common import LabOption, console, get_config, reports_errors


@app.command("listen")
@reports_errors
def listen_command(
    ctx: typer.Context, lab: bool = LabOption,
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port (default: listener.port)."),
    env_file: Path | None = typer.Option(None, "--env-file", help="Read the credentials from this file "
                                         "(what `schedule install --listener` writes)."),
) -> None:
    """Receive syslog (UDP and TCP on listener.address); when a device reports a configuration
    change, back it up (commit authored by the user it names) and notify who changed what."""
    import dataclasses
    import os

    from tslcd.cli.progress import cancel_on_interrupt
    from tslcd.logsetup import file_logging
    from tslcd.schedule.envfile import read_env_file
    from tslcd.services.listen import Handled, listen

    if env_file is not None:
        os.environ.update(read_env_file(env_file))
    config = get_config(ctx)
    if port is not None:
        config = dataclasses.replace(config, listener=dataclasses.replace(config.listener, port=port))

    def ready(address: str, bound: int) -> None:
        console.print(f"listening for configuration changes on {address}:{bound} (UDP and TCP); "
                      "Ctrl-C stops", highlight=False)

    def handled(event: Handled) -> None:
        console.print(escape(event.line()), highlight=False)

    with file_logging(config, stderr=True), cancel_on_interrupt() as stop:
        listen(config, stop, lab=lab, on_handled=handled, on_ready=ready)
