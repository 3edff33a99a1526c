"""The one progress Processor and the retry policy, on a real Nornir run without devices."""

from __future__ import annotations

import threading
from collections import Counter

import paramiko
from nornir.core import Nornir
from nornir.core.inventory import Host, Hosts, Inventory
from nornir.core.task import Result, Task
from nornir.plugins.runners import ThreadedRunner

from tslcd.progress import HostDone, HostStarted, ProgressEvent, ProgressProcessor, RunDone, RunStarted
from tslcd.tasks.attempts import Outcome, attempt


def _nornir(names: list[str]) -> Nornir:
    hosts = Hosts({n: Host(n, hostname="127.0.0.1", platform="cisco_ios") for n in names})
    return Nornir(inventory=Inventory(hosts=hosts), runner=ThreadedRunner(num_workers=4))


CALLS: Counter[str] = Counter()
LOCK = threading.Lock()


def _work(task: Task) -> str:
    with LOCK:
        CALLS[task.host.name] += 1
        calls = CALLS[task.host.name]
    if task.host.name == "flaky" and calls == 1:
        raise TimeoutError("timed out")
    if task.host.name == "locked":
        raise paramiko.AuthenticationException("Authentication failed.")
    if task.host.name == "down":
        raise ConnectionRefusedError(111, "Connection refused")
    return f"hostname {task.host.name}"


def _task(task: Task) -> Result:
    return attempt(task, _work, retries=2, backoff=0.01)


def test_events_for_every_host_and_retries_only_when_transient() -> None:
    CALLS.clear()
    events: list[ProgressEvent] = []
    names = ["ok", "flaky", "locked", "down"]
    result = _nornir(names).with_processors([ProgressProcessor(events.append)]).run(_task, name="backup")
    assert isinstance(events[0], RunStarted) and sorted(events[0].hosts) == sorted(names)
    assert isinstance(events[-1], RunDone) and (events[-1].ok, events[-1].failed) == (2, 2)
    assert sorted(e.host for e in events if isinstance(e, HostStarted)) == sorted(names)
    done = {e.host: e for e in events if isinstance(e, HostDone)}
    assert (done["ok"].failed, done["ok"].attempts) == (False, 1)
    assert (done["flaky"].failed, done["flaky"].attempts) == (False, 2)
    assert (done["locked"].error_class, done["locked"].attempts) == ("authentication", 1)
    assert (done["down"].error_class, done["down"].attempts) == ("unreachable", 3)
    assert CALLS == {"ok": 1, "flaky": 2, "locked": 1, "down": 3}
    outcome = result["flaky"][0].result
    assert isinstance(outcome, Outcome) and outcome.value == "hostname flaky"
    assert result["down"].failed and not result["flaky"].failed


def test_a_broken_display_never_stops_the_run() -> None:
    def broken(event: ProgressEvent) -> None:
        raise RuntimeError("display crashed")

    result = _nornir(["ok"]).with_processors([ProgressProcessor(broken)]).run(_task, name="backup")
    assert not result.failed
