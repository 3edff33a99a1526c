"""What every device-contacting action shares: selecting hosts, building the Nornir run, progress.

Backup and facts (and later push) call `prepare` once and `run` once: one Nornir run over all
selected hosts, its progress reported through the one `ProgressProcessor`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nornir.core import Nornir
from nornir.core.task import AggregatedResult, Result, Task

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import HostInfo, load_inventory
from tslcd.inventory.credentials import CredentialResolver
from tslcd.inventory.filters import select
from tslcd.inventory.runner import make_nornir
from tslcd.lab.credentials import load_lab_credentials
from tslcd.progress import ProgressCallback, ProgressProcessor
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.failures import ErrorClass, HostFailure, masked
from tslcd.tasks.sessions import register_connection_plugins
from tslcd.tasks.watch import SessionWatch


@dataclass
class DeviceRun:
    """The selected hosts and the Nornir object that will contact them."""

    hosts: list[HostInfo]
    nornir: Nornir
    filters: str

    @property
    def by_name(self) -> dict[str, HostInfo]:
        """Selected hosts by name."""
        return {h.name: h for h in self.hosts}


def prepare(config: Config, filters: Sequence[str] | None, *, lab: bool,
            workers: int | None, interactive: bool | None = None) -> DeviceRun:
    """Select hosts and build their Nornir run; input problems raise before any device is touched.

    ``interactive=False`` (unattended runs) never prompts for a password: missing credentials are
    an error naming the variables to set. None asks only when a person is at a terminal.
    """
    inventory = load_inventory(config)
    hosts = select(inventory, filters)
    if not hosts:
        raise InputError(f"no host matches {' '.join(filters or [])!r}")
    credentials = None
    if lab:
        try:
            credentials = load_lab_credentials(config.data_dir, create=False)
        except FileNotFoundError:
            raise InputError("the lab has no credentials yet: start it with `tslcd lab up`") from None
    register_connection_plugins()
    nornir = make_nornir(config, inventory, hosts, lab_credentials=credentials,
                         resolver=CredentialResolver(interactive=interactive),
                         workers=workers or config.workers)
    return DeviceRun(hosts, nornir, ",".join(filters or []))


CANCELLED_MESSAGE = "cancelled by the operator before this device was contacted"


def cancelled_outcome() -> Outcome:
    """The outcome of a host the run never contacted because the operator cancelled it."""
    return Outcome(None, 0, 0.0, HostFailure(ErrorClass.CANCELLED, CANCELLED_MESSAGE))


def _stoppable(task: Callable[..., Any], stop: threading.Event) -> Callable[..., Any]:
    """``task``, except that once ``stop`` is set a host not yet started fails as cancelled."""

    @functools.wraps(task)
    def wrapper(nornir_task: Task, **params: Any) -> Result:
        if stop.is_set():
            outcome = cancelled_outcome()
            return Result(host=nornir_task.host, result=outcome, failed=True, exception=outcome.failure)
        return task(nornir_task, **params)

    return wrapper


def _watched(task: Callable[..., Any], watch: SessionWatch) -> Callable[..., Any]:
    """``task``, run under ``watch``: its sessions are bounded and cut on cancel."""

    @functools.wraps(task)
    def wrapper(nornir_task: Task, **params: Any) -> Result:
        with watch.session(nornir_task.host.name):
            return task(nornir_task, **params)

    return wrapper


def run(device_run: DeviceRun, task: Callable[..., Any], name: str,
        progress: ProgressCallback | None, *, stop: threading.Event | None = None,
        deadline: float | None = None, cut_on_stop: bool = False, processes: int | None = None,
        **params: Any) -> dict[str, Outcome]:
    """Run ``task`` once over every host; each host's `Outcome` by host name.

    Setting ``stop`` (from any thread) cancels the run: every host not yet started fails at once
    with the ``cancelled`` error class (never retried); hosts already being contacted finish, or,
    with ``cut_on_stop`` (read-only work), have their sessions closed within a second and are
    cancelled too. ``deadline`` bounds each host's whole session, retries included.
    ``processes`` (0: one per core) spreads the hosts over worker processes, for read-only work
    whose results the caller stores: the workers write nothing themselves.
    """
    nornir = device_run.nornir
    if progress is not None:
        nornir = nornir.with_processors([ProgressProcessor(progress)])
    stop = stop or threading.Event()
    if processes is not None:
        from tslcd.tasks.processes import ProcessRunner

        workers = getattr(nornir.runner, "num_workers", 1)
        nornir = nornir.with_runner(ProcessRunner(workers, processes, stop))
    task = _stoppable(task, stop)
    if deadline is None and not cut_on_stop:
        result: AggregatedResult = nornir.run(task=task, name=name, **params)
    else:
        with SessionWatch(deadline, stop if cut_on_stop else None) as watch:
            result = nornir.run(task=_watched(task, watch), name=name, **params)
    return {host: _outcome(multi[0]) for host, multi in result.items()}


def _outcome(result: Result) -> Outcome:
    if isinstance(result.result, Outcome):
        outcome: Outcome = result.result
        if outcome.failure is None:
            return outcome
        platform = result.host.platform if result.host else None
        return replace(outcome, failure=masked(outcome.failure, platform))
    # the task itself crashed outside `attempt`: name the exception, never echo its text
    failure = HostFailure(ErrorClass.INTERNAL, f"unexpected {type(result.exception).__name__}")
    return Outcome(None, 1, 0.0, failure)


def _login(task: Task) -> Result:
    from tslcd.tasks.attempts import attempt
    from tslcd.tasks.sessions import netmiko_session

    return attempt(task, lambda t: netmiko_session(t).find_prompt(), retries=0, backoff=0.0,
                   read_only=True)


def check_login(config: Config, filters: Sequence[str] | None, *,
                lab: bool) -> tuple[str, str, HostFailure | None]:
    """Log in to the first selected device without prompting, and out again: the host, the
    username and why it failed (None: it worked).

    Why: proves an unattended run has what it needs (credentials in its environment, a route,
    the host key) before the first night it runs. Input and credential problems raise.
    """
    device_run = prepare(config, filters, lab=lab, workers=1, interactive=False)
    first = device_run.hosts[0]
    probe = DeviceRun([first], device_run.nornir.filter(filter_func=lambda h: h.name == first.name),
                      device_run.filters)
    outcome = run(probe, _login, "login-check", None, deadline=config.timeouts.deadline)[first.name]
    return first.name, probe.nornir.inventory.hosts[first.name].username or "", outcome.failure
