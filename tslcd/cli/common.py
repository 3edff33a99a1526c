"""What every command shares: loading the config, turning tslcd errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tslcd.config import Config, load_config
from tslcd.errors import InputError, TslcdError

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

FilterOption = typer.Option(
    None, "--filter", "-f",
    help="Select hosts: field=value terms (comma = AND; repeat = AND), e.g. role=firewall, "
         "district=an-phu, group=so, platform=fortinet|cisco_asa, or a host name (globs allowed).",
)
HostsArgument = typer.Argument(
    None, metavar="HOST", show_default=False,
    help="Host names (globs allowed): the same as -f name=HOST1|HOST2; combines with --filter.",
)
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON.")
WorkersOption = typer.Option(None, "--workers", "-w", min=1, help="Concurrent sessions (default: config).")
LabOption = typer.Option(False, "--lab", help="Use the built-in lab's credentials and port.")


def get_config(ctx: typer.Context) -> Config:
    """The project config named by --config / $TSLCD_CONFIG / ./tslcd.yaml."""
    root = ctx.find_root()
    path = (root.obj or {}).get("config_path") if root.obj else None
    return load_config(path)


def host_terms(hosts: list[str] | None) -> list[str]:
    """Host-name arguments as one filter term (any of them), so every device command selects
    hosts the same way: ``tslcd backup stc-fw1 stc-r1`` = ``-f 'name=stc-fw1|stc-r1'``."""
    if not hosts:
        return []
    for host in hosts:
        if not host or any(c in host for c in ",=|!") or host.strip() != host:
            raise InputError(f"{host!r} is not a host name; select by other fields with --filter")
    return [f"name={'|'.join(hosts)}"]


def selection(filters: list[str] | None, hosts: list[str] | None) -> list[str]:
    """The --filter expressions and the host-name arguments, combined (AND)."""
    return [*(filters or ()), *host_terms(hosts)]


def reports_errors(func: F) -> F:
    """Show a TslcdError as a message (never a traceback) and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TslcdError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def print_json(payload: Any) -> None:
    """JSON on stdout, UTF-8 kept readable (Vietnamese names)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
