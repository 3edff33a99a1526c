"""The lab's user actions, shared by the CLI and the TUI: up, down, status, faults, credentials.

Run-time faults reach a running (background or foreground) lab through its control socket in
the data folder; see `tslcd.lab.control`. They last until cleared or until the lab stops; faults
meant to be there from start-up belong in the lab topology file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory.credentials import Credentials
from tslcd.inventory.filters import select
from tslcd.lab import process
from tslcd.lab.assemble import lab_inventory
from tslcd.lab.control import LabNotRunning, request
from tslcd.lab.credentials import lab_dir, load_lab_credentials
from tslcd.lab.export import containerlab_yaml
from tslcd.lab.faults import check_fault
from tslcd.lab.twin import TwinDevice, seed_twin


@dataclass(frozen=True)
class UpResult:
    """What ``lab up`` did: ``started`` is False when a lab was already running; ``twin`` says
    which devices booted from their backup and which secrets got lab values (``--from-backups``)."""

    started: bool
    status: dict[str, Any]
    twin: list[TwinDevice] | None = None


def lab_twin(config: Config, filters: Sequence[str] = (), extra_sites: int | None = None) -> list[TwinDevice]:
    """Make the next lab start a twin: each device boots from its latest backup (lab not running)."""
    with contextlib.suppress(LabNotRunning):
        process.status(config)
        raise InputError("the lab is running: stop it (tslcd lab down) before booting it from backups")
    return seed_twin(config, filters, config.lab.extra_sites if extra_sites is None else extra_sites)


def lab_up(config: Config, filters: Sequence[str] = (), extra_sites: int | None = None,
           from_backups: bool = False) -> UpResult:
    """Start the lab in the background unless it already runs (then nothing changes).

    ``from_backups`` boots every device from its latest stored backup (the lab twin).
    """
    sites = config.lab.extra_sites if extra_sites is None else extra_sites
    twin = lab_twin(config, filters, sites) if from_backups else None
    started, status = process.start_background(config, filters, sites)
    return UpResult(started, status, twin)


def lab_run(config: Config, filters: Sequence[str] = (), extra_sites: int | None = None,
            on_ready: process.Ready | None = None) -> None:
    """Run the lab in this process until interrupted (after `lab_twin`: as the twin)."""
    sites = config.lab.extra_sites if extra_sites is None else extra_sites
    process.run_foreground(config, filters, sites, on_ready)


def lab_log(config: Config) -> Path:
    """Where the background lab writes its log."""
    return lab_dir(config.data_dir) / process.LOG_FILE


def lab_down(config: Config) -> int | None:
    """Stop this data folder's lab; returns its pid, or None when it was not running."""
    return process.stop_background(config)


def lab_status(config: Config) -> dict[str, Any]:
    """The running lab's pid, port and devices (name, platform, address, port, faults)."""
    return process.status(config)


def lab_credentials(config: Config) -> Credentials:
    """The lab's own login (generated on first use, kept in the data folder with mode 0600)."""
    return load_lab_credentials(config.data_dir)


def set_fault(config: Config, host: str, kind: str, value: float | str | None = None) -> dict[str, Any]:
    """Give a device of the running lab a fault now; returns that device's status."""
    stored = check_fault(kind, value)
    answer = request(lab_dir(config.data_dir),
                     {"op": "fault", "host": host, "kind": kind, "value": stored})
    return _device(answer, host)


def clear_faults(config: Config, host: str, kind: str | None = None) -> dict[str, Any]:
    """Clear one fault kind (or all faults) of a device of the running lab; returns its status."""
    answer = request(lab_dir(config.data_dir), {"op": "clear", "host": host, "kind": kind})
    return _device(answer, host)


def export_containerlab(config: Config, filters: Sequence[str] = (), extra_sites: int | None = None,
                        mgmt_subnet: str = "172.20.20.0/24", out: Path | None = None) -> str:
    """A containerlab topology for the (selected) lab inventory; written to ``out`` when given."""
    sites = config.lab.extra_sites if extra_sites is None else extra_sites
    hosts = select(lab_inventory(config, sites), filters)
    text = containerlab_yaml(hosts, mgmt_subnet=mgmt_subnet)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text


def _device(answer: dict[str, Any], host: str) -> dict[str, Any]:
    return next(d for d in answer["devices"] if d["name"] == host)
