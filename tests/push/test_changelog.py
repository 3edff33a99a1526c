"""The change log round-trips what a push did on each device, newest change first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.errors import InputError
from tslcd.push.changelog import ChangeLog, HostChange
from tslcd.push.locks import DeviceBusyError, device_lock


def test_change_log_round_trip(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path)
    first = log.start("push", "baseline", {"admin_user": "tslcd-netops"}, "role=router", lab=True)
    log.record_hosts(first, [
        HostChange("stttt-r1", "cisco_ios", "applied", 0, commands="ntp server 10.0.10.5",
                   rollback="no ntp server 10.0.10.5", pre_config="hostname stttt-r1\n"),
        HostChange("stc-r1", "cisco_ios", "rolled-back", 1, "command-rejected",
                   "change failed: the device rejected `x`; rolled back to the pre-change config"),
    ])
    log.finish(first, "halted", "1 failure(s), more than --max-failures 0")
    second = log.start("rollback", "baseline", {"rolls_back": first}, "", lab=True, rolls_back=first)
    log.finish(second, "done")

    record = log.get(first)
    assert (record.kind, record.template, record.status, record.lab) == ("push", "baseline", "halted", True)
    assert record.variables == {"admin_user": "tslcd-netops"}
    assert record.counts() == {"applied": 1, "rolled-back": 1}
    assert record.hosts[0].rollback == "no ntp server 10.0.10.5"
    assert record.user and record.finished_at
    assert [r.id for r in log.list()] == [second, first]
    assert log.list()[0].rolls_back == first
    with pytest.raises(InputError, match="no change 99"):
        log.get(99)


def test_device_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    with device_lock(tmp_path, "stttt-r1"):
        with (pytest.raises(DeviceBusyError, match="stttt-r1 is being changed by another push"),
              device_lock(tmp_path, "stttt-r1")):
            pass
        with device_lock(tmp_path, "stc-r1"):
            pass
    with device_lock(tmp_path, "stttt-r1"):
        pass
