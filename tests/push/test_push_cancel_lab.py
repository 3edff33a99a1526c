"""Cancelling a rollout: the batch under way finishes, no further batch starts, the log says so."""

from __future__ import annotations

import threading

import pytest
from conftest import RunningLab

from tests.push.helpers import CHANGE_VARS, TEMPLATES
from tslcd.progress import HostDone, ProgressEvent
from tslcd.push.changelog import ChangeLog
from tslcd.push.rollout import RolloutPolicy
from tslcd.services import push as service
from tslcd.store.configs import ConfigStore

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROUTERS = ["stttt-r1", "stc-r1", "skhdt-r1"]


def test_cancel_between_batches(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    lab.config.templates = str(TEMPLATES)
    stop = threading.Event()
    pushed: list[str] = []

    def progress(event: ProgressEvent) -> None:
        if isinstance(event, HostDone) and event.task == "push":
            pushed.append(event.host)
            stop.set()  # the operator presses cancel while the first batch runs

    report = service.commit(lab.config, "baseline", [f"name={'|'.join(ROUTERS)}"], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=1, max_failures=0),
                            progress=progress, interactive=False, stop=stop)
    assert report.halted == "cancelled by the operator"
    assert len(pushed) == 1 and [h.host for h in report.hosts] == pushed
    assert report.hosts[0].status == "applied"
    assert sorted(report.not_reached) == sorted(set(ROUTERS) - set(pushed))
    logged = ChangeLog(lab.data_dir).get(report.change_id or 0)
    assert logged.status == "halted" and logged.message == "cancelled by the operator"
    store = ConfigStore(lab.data_dir)
    assert len(store.history(pushed[0])) == 2  # its pre-change and post-change backups
    for host in report.not_reached:  # batches back up just before they start: never contacted
        assert store.history(host) == []
