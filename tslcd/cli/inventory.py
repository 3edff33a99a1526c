"""`tslcd inventory ...`: list, show, check and export the agency network."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tslcd.cli import app
from tslcd.cli.common import (
    FilterOption,
    JsonOption,
    console,
    err_console,
    get_config,
    print_json,
    print_rows,
    reports_errors,
)
from tslcd.services import inventory as service
from tslcd.timefmt import format_uptime

inventory_app = typer.Typer(help="The agency network: list, show, check, export.",
                            no_args_is_help=True)
app.add_typer(inventory_app, name="inventory")


def _print_counts(counts: dict[str, dict[str, int]]) -> None:
    rows = [(field if i == 0 else "", value, str(number))
            for field, values in counts.items() for i, (value, number) in enumerate(values.items())]
    print_rows(("by", "value", "hosts"), rows, title="Counts", keep=("by", "value"))


@inventory_app.command("list")
@reports_errors
def list_hosts(ctx: typer.Context, filters: list[str] | None = FilterOption,
               as_json: bool = JsonOption,
               with_facts: bool = typer.Option(False, "--facts", help="Add model, serial, OS version "
                                               "and uptime from the last `tslcd facts`.")) -> None:
    """List hosts (filtered) with counts by agency type, district, role and platform."""
    config = get_config(ctx)
    selection = service.load_selection(config, filters)
    records = [service.host_record(h) for h in selection.hosts]
    counts = service.counts(selection.hosts)
    if with_facts:
        from tslcd.services.facts import latest_facts  # that service also runs devices: load on use

        facts = latest_facts(config)
        for r in records:
            r["facts"] = facts.get(r["name"])
    if as_json:
        print_json({"total": len(records), "counts": counts, "hosts": records})
        return
    fact_columns = ("model", "serial", "OS version", "uptime") if with_facts else ()
    rows = []
    for r in records:
        f = r.get("facts") or {}
        extra = [f.get("model") or "", f.get("serial") or "", f.get("os_version") or "",
                 format_uptime(f.get("uptime_seconds"))] if with_facts else []
        rows.append([r["name"], r["hostname"], r["agency_name"] or "", r["agency_type"] or "",
                     r["district"] or "", r["role"] or "", r["platform"], *extra])
    print_rows(("host", "address", "agency", "type", "district", "role", "platform", *fact_columns), rows,
               title=f"{len(records)} hosts", keep=("host", "address"))
    if console.is_terminal:
        _print_counts(counts)
    else:  # stdout stays one TSV table; the counts go beside it
        for field, values in counts.items():
            err_console.print(f"{field}: " + ", ".join(f"{n} {v}" for v, n in values.items()),
                              highlight=False)


@inventory_app.command("show")
@reports_errors
def show_host(ctx: typer.Context, host: str = typer.Argument(..., help="Host name."),
              as_json: bool = JsonOption) -> None:
    """Everything the inventory says about one host, inherited data included."""
    selection = service.load_selection(get_config(ctx), None)
    detail = service.host_detail(selection, host)
    if as_json:
        print_json(detail)
        return
    rows = [(key, str(detail[key])) for key in ("hostname", "port", "platform")]
    rows.append(("groups", ", ".join(detail["groups"])))
    if detail["inherited_groups"]:
        rows.append(("parent groups", ", ".join(detail["inherited_groups"])))
    rows += [(key, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
             for key, value in detail["data"].items()]
    print_rows(("field", "value"), rows, title=detail["name"], keep=("field",),
               styles={"field": "bold"}, header=False)


@inventory_app.command("check")
@reports_errors
def check(ctx: typer.Context) -> None:
    """Validate the inventory; every problem is listed with its file and line (exit 2)."""
    config = get_config(ctx)
    selection = service.check(config)
    counts = service.counts(selection.hosts)
    summary = ", ".join(f"{n} {p}" for p, n in counts["platform"].items())
    console.print(f"inventory {config.inventory_dir}: OK, {len(selection.hosts)} hosts "
                  f"({summary}), {len(selection.inventory.groups)} groups")


@inventory_app.command("export")
@reports_errors
def export(ctx: typer.Context, filters: list[str] | None = FilterOption,
           fmt: str = typer.Option("csv", "--format", help="csv or json."),
           output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file.")) -> None:
    """Export hosts as CSV or JSON (for spreadsheets, IPAM, other tools)."""
    selection = service.load_selection(get_config(ctx), filters)
    text = service.export(selection.hosts, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(selection.hosts)} hosts to {output}")
    else:
        sys.stdout.write(text)
