"""Backups over worker processes: the same results as the thread pool, crashes and cancel per host."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace

import pytest
from conftest import RunningLab
from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.core.task import Result, Task

from tslcd.progress import HostDone, HostStarted, ProgressEvent, ProgressProcessor
from tslcd.services import devices
from tslcd.services.backup import run_backup
from tslcd.store.configs import ConfigStore
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.processes import ProcessRunner

pytestmark = pytest.mark.lab
FIREWALLS = ["role=firewall"]


def test_processes_fetch_exactly_what_the_thread_pool_fetched(fresh_lab: RunningLab) -> None:
    threaded = run_backup(replace(fresh_lab.config, processes=1), FIREWALLS, lab=True, workers=8)
    store = ConfigStore(fresh_lab.data_dir)
    texts = {h.host: store.read(h.host) for h in threaded.hosts}
    events: list[ProgressEvent] = []
    spread = run_backup(replace(fresh_lab.config, processes=2), FIREWALLS, lab=True, workers=8,
                        progress=events.append)
    assert not threaded.failed and not spread.failed
    assert [h.host for h in spread.hosts] == [h.host for h in threaded.hosts]
    # the same text fetched again: every host unchanged, no commit, the store as it was
    assert {h.status for h in spread.hosts} == {"unchanged"} and spread.commit is None
    assert {h.host: store.read(h.host) for h in spread.hosts} == texts
    # the parent replayed each worker's progress: one start and one result per host
    assert sorted(e.host for e in events if isinstance(e, HostStarted)) == sorted(texts)
    assert sorted(e.host for e in events if isinstance(e, HostDone)) == sorted(texts)


def test_cancel_reaches_the_workers_and_keeps_what_was_fetched(fresh_lab: RunningLab) -> None:
    hosts = [h for h, p in fresh_lab.platforms.items() if p == "cisco_ios"][:8]
    for host in hosts:
        fresh_lab.fault(host, "latency", 0.3)
    stop = threading.Event()
    stopped_at: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if isinstance(event, HostDone) and not stop.is_set():
            stopped_at.append(time.monotonic())
            stop.set()

    try:
        report = run_backup(replace(fresh_lab.config, processes=2), [f"name={'|'.join(hosts)}"], lab=True,
                            workers=2, progress=progress, stop=stop)
    finally:
        fresh_lab.clear_all()
    ended = time.monotonic()
    statuses = [h.status for h in report.hosts]
    assert statuses.count("changed") >= 1
    cancelled = [h for h in report.hosts if h.status == "failed"]
    assert cancelled and {h.error_class for h in cancelled} == {"cancelled"}
    assert ended - stopped_at[0] <= 2.0
    assert report.commit is not None
    store = ConfigStore(fresh_lab.data_dir)
    assert all(store.read(h.host) is None for h in cancelled)


def _die_on_crash_host(task: Task) -> Result:
    if task.host.name == "crash":
        os._exit(3)  # the whole worker process ends here, its other hosts with it
    time.sleep(0.2)
    return Result(task.host, result=Outcome(task.host.name.upper(), 1, 0.0))


def test_a_worker_that_dies_is_reported_host_by_host() -> None:
    names = ["crash", "a1", "b1", "a2", "b2"]  # one thread each: "crash" is the first worker's first host
    hosts = Hosts({n: Host(n, platform="cisco_ios") for n in names})
    nornir = Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                    runner=ProcessRunner(num_workers=2, processes=2))
    events: list[ProgressEvent] = []
    outcomes = devices.run(devices.DeviceRun([], nornir.with_processors([ProgressProcessor(events.append)]),
                                             ""), _die_on_crash_host, "backup", None)
    lost = {n for n, o in outcomes.items() if o.failure is not None}
    assert lost == {"crash"}  # the hosts not yet handed out went to the other worker
    for name in lost:
        assert outcomes[name].failure is not None
        assert outcomes[name].failure.error_class.value == "internal"
        assert "worker process" in outcomes[name].failure.message
        assert "exit code 3" in outcomes[name].failure.message
    for name in set(names) - lost:
        assert outcomes[name].value == name.upper()
    assert sorted(e.host for e in events if isinstance(e, HostDone)) == sorted(names)



def _escape_on_boom_host(task: Task) -> Result:
    if task.host.name == "boom":
        raise SystemExit(5)  # not an Exception: Nornir does not keep it in the host's result
    return Result(task.host, result=Outcome(task.host.name.upper(), 1, 0.0))


def test_an_error_escaping_nornir_ends_the_worker_and_names_the_host() -> None:
    names = ["boom", "a1", "b1", "a2"]
    hosts = Hosts({n: Host(n, platform="cisco_ios") for n in names})
    nornir = Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                    runner=ProcessRunner(num_workers=2, processes=2))
    outcomes = devices.run(devices.DeviceRun([], nornir, ""), _escape_on_boom_host, "backup", None)
    failure = outcomes["boom"].failure
    assert failure is not None and "exit code 70" in failure.message
    assert {n: o.value for n, o in outcomes.items() if n != "boom"} == {"a1": "A1", "b1": "B1", "a2": "A2"}
