"""Bounded waits and a real cancel: a hung device never holds a backup run hostage.

The per-device deadline ends a hung session whatever the other timeouts and retries add up to;
a cancel closes sessions in flight (their sockets and SSH transports) within 2 s, keeps what was
fetched and reports the rest as cancelled.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from conftest import RunningLab

from tslcd.progress import HostDone, HostStarted, ProgressEvent
from tslcd.services.backup import run_backup
from tslcd.store.configs import ConfigStore

pytestmark = pytest.mark.lab
HUNG, QUICK = "ubnd-ap-fw1", "ubnd-ap-r1"  # district=an-phu


def _patient(lab: RunningLab, deadline: float) -> object:
    """The lab's config with long per-phase timeouts (a hung device would take minutes) and the
    given per-device deadline."""
    timeouts = dataclasses.replace(lab.config.timeouts, connect=30, banner=30, auth=30, command=60,
                                   deadline=deadline)
    return dataclasses.replace(lab.config, timeouts=timeouts, retries=2)


@pytest.mark.parametrize("when", ["before-login", "mid-session"])
def test_cancel_closes_a_hung_session_within_2_s(fresh_lab: RunningLab, when: str) -> None:
    stop = threading.Event()
    quick_done, hung_started = threading.Event(), threading.Event()

    def progress(event: ProgressEvent) -> None:
        if isinstance(event, HostDone) and event.host == QUICK:
            quick_done.set()
        if isinstance(event, HostStarted) and event.host == HUNG:
            hung_started.set()

    if when == "before-login":
        fresh_lab.fault(HUNG, "hang")
    else:  # the session is open and answering slowly when the device hangs
        fresh_lab.fault(HUNG, "latency", 0.3)
    result: dict[str, object] = {}

    def backup() -> None:
        result["report"] = run_backup(_patient(fresh_lab, 600), ["district=an-phu"], lab=True,
                                      workers=2, progress=progress, stop=stop)

    worker = threading.Thread(target=backup)
    worker.start()
    assert hung_started.wait(30) and quick_done.wait(60)
    if when == "mid-session":
        time.sleep(1.0)
        fresh_lab.fault(HUNG, "hang")
    time.sleep(1.5)  # the hung session is well under way
    cancelled_at = time.monotonic()
    stop.set()
    worker.join(10)
    took = time.monotonic() - cancelled_at
    fresh_lab.clear(HUNG)
    assert not worker.is_alive() and took <= 2.0, f"cancel took {took:.1f} s"
    report = result["report"]
    by_host = {h.host: h for h in report.hosts}  # type: ignore[attr-defined]
    assert by_host[QUICK].status == "changed"
    assert (by_host[HUNG].status, by_host[HUNG].error_class) == ("failed", "cancelled")
    assert "while the device was being contacted" in by_host[HUNG].message
    store = ConfigStore(fresh_lab.data_dir)
    assert store.read(QUICK) is not None and store.read(HUNG) is None


def test_the_deadline_bounds_a_hung_device_whatever_the_retries(fresh_lab: RunningLab) -> None:
    fresh_lab.fault(HUNG, "hang")
    started = time.monotonic()
    report = run_backup(_patient(fresh_lab, 3), [f"name={HUNG}|{QUICK}"], lab=True, workers=2)
    took = time.monotonic() - started
    fresh_lab.clear(HUNG)
    by_host = {h.host: h for h in report.hosts}
    assert by_host[QUICK].status == "changed"
    hung = by_host[HUNG]
    assert (hung.status, hung.error_class) == ("failed", "timeout")
    assert "3 s per-device deadline" in hung.message
    assert 3 <= hung.duration <= 4.5 and took <= 8, (hung.duration, took)
