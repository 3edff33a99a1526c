"""What every command shares: loading the config, turning tslcd errors into exit codes."""

from __future__ import annotations

import errno
import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tslcd.config import Config, load_config
from tslcd.errors import EXIT_USAGE, InputError, TslcdError
from tslcd.textsafe import neutralise, neutralised

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
    """The project config named by --config / $TSLCD_CONFIG / ./tslcd.yaml; says (once) when a
    change was left half-done by a process that died."""
    root = ctx.find_root()
    path = (root.obj or {}).get("config_path") if root.obj else None
    config = load_config(path)
    if not _warned:
        _warned.append(True)
        from tslcd.push.journal import needing_recovery  # a command's first config, not --help

        for change in needing_recovery(config.data_dir):
            err_console.print(f"[bold yellow]change {change.id} ({escape(change.template)}, "
                              f"{change.started_at}) needs recovery:[/] {escape(change.message)}; "
                              f"run `tslcd changes recover {change.id}`")
    return config


_warned: list[bool] = []


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


#: OSError numbers that mean the data folder cannot be used (not a bug in tslcd); FILE_ERRNOS
#: only for a file operation (a socket refused with EACCES is not a storage fault).
STORAGE_ERRNOS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT}
FILE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EIO}


def _fail(message: str, code: int) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(neutralise(message))}")
    return typer.Exit(code)


def reports_errors(func: F) -> F:
    """Show a TslcdError, or a storage fault (read-only or full data folder, damaged database), as
    one message (never a traceback) and exit with its code (2 for storage faults)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TslcdError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        except OSError as exc:
            if not (exc.errno in STORAGE_ERRNOS or (exc.errno in FILE_ERRNOS and exc.filename)):
                raise
            where = exc.filename or "to the data folder"
            raise _fail(f"cannot write {where}: {exc.strerror} (is the data folder read-only or "
                        "full?)", EXIT_USAGE) from None
        except sqlite3.Error as exc:
            raise _fail(f"the database tslcd.sqlite failed: {exc} (damaged? move it aside and run "
                        "again; it is rebuilt, backups are in git)", EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


def print_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
               keep: Sequence[str] = (), styles: Mapping[str, str | Mapping[str, str]] | None = None,
               header: bool = True) -> None:
    """Rows as a table on a terminal, as plain TSV (header line first) when stdout is piped.

    On a terminal, the ``keep`` columns (names, addresses) never wrap: they get the width of
    their longest value and the other columns fold into what is left, or are dropped from the
    right when even that does not fit. Cells are plain text (never markup), neutralised. A
    column's style is fixed, or chosen by the cell's value (``{"severity": {"high": "red"}}``).
    ``header=False`` (field/value tables) leaves the header out of both forms.
    """
    rows = [["" if cell is None else neutralise(str(cell)) for cell in row] for row in rows]
    if not console.is_terminal:
        clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
        if title:  # beside the table, as the counts are: stdout stays one TSV table
            err_console.print(title, markup=False, highlight=False)
        if header:
            sys.stdout.write("\t".join(columns) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(cell.translate(clean) for cell in row) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    widths = {c: max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)}
    shown = list(columns)
    budget = console.width - 4  # the table's edges
    while len(shown) > 1 and sum(widths[c] for c in shown if c in keep) + 3 * len(shown) + sum(
            min(8, widths[c]) for c in shown if c not in keep) > budget:
        dropped = next((c for c in reversed(shown) if c not in keep), None)
        if dropped is None:
            break
        shown.remove(dropped)
    table = Table(title=title, header_style="bold", show_header=header)
    for column in shown:
        if column in keep:
            table.add_column(column, no_wrap=True, min_width=widths[column])
        else:
            table.add_column(column, overflow="fold")
    index = [columns.index(c) for c in shown]
    for row in rows:
        table.add_row(*(Text(row[i], style=_style((styles or {}).get(columns[i], ""), row[i]))
                        for i in index))
    console.print(table)
    if len(shown) < len(columns):
        err_console.print(f"[dim](not shown at this width: {', '.join(c for c in columns if c not in shown)};"
                          " --json or a pipe gives every column)[/]")


def _style(style: str | Mapping[str, str], cell: str) -> str:
    return style if isinstance(style, str) else style.get(cell, "")


def print_json(payload: Any) -> None:
    """JSON on stdout, UTF-8 kept readable (Vietnamese names), device text neutralised."""
    sys.stdout.write(json.dumps(neutralised(payload), ensure_ascii=False, indent=2, default=str) + "\n")
