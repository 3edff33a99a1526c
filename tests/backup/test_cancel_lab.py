"""Cancelling a backup: hosts already contacted finish and are stored, the others are `cancelled`."""

from __future__ import annotations

import threading

import pytest
from conftest import RunningLab

from tslcd.progress import HostDone, ProgressEvent
from tslcd.services.backup import run_backup
from tslcd.store.configs import ConfigStore
from tslcd.store.records import RunLog

pytestmark = pytest.mark.lab
HOSTS = ["ubnd-ap-r1", "ubnd-ap-fw1"]  # district=an-phu


def test_a_stopped_backup_cancels_the_hosts_not_yet_contacted(fresh_lab: RunningLab) -> None:
    stop = threading.Event()

    def progress(event: ProgressEvent) -> None:
        if isinstance(event, HostDone):
            stop.set()  # the operator cancels once the first device is done

    # one worker: the second host has not started when the first one is done
    report = run_backup(fresh_lab.config, ["district=an-phu"], lab=True, workers=1, progress=progress,
                        stop=stop)
    by_status = {h.status: h for h in report.hosts}
    assert sorted(by_status) == ["changed", "failed"]
    done, cancelled = by_status["changed"], by_status["failed"]
    assert (cancelled.error_class, cancelled.attempts) == ("cancelled", 0)
    assert "cancelled by the operator" in cancelled.message
    # what was fetched is committed; nothing is stored for the cancelled host
    store = ConfigStore(fresh_lab.data_dir)
    assert report.commit is not None and store.read(done.host) is not None
    assert store.read(cancelled.host) is None
    [run] = RunLog(fresh_lab.data_dir).runs("backup")
    assert (run.status, run.ok, run.failed, run.changed) == ("partial", 1, 1, 1)


def test_a_backup_stopped_before_it_starts_contacts_no_device(fresh_lab: RunningLab) -> None:
    stop = threading.Event()
    stop.set()
    report = run_backup(fresh_lab.config, ["district=an-phu"], lab=True, stop=stop)
    assert {h.host: h.error_class for h in report.hosts} == dict.fromkeys(HOSTS, "cancelled")
    assert report.commit is None
