"""Ctrl-C on `tslcd backup`: the hung device's session is closed at once, what was fetched is
committed, the hung device is reported cancelled; and plain progress names who is waited on."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import yaml
from conftest import RunningLab

from tslcd.cli.progress import _Waits, waiting_text
from tslcd.progress import HostDone, HostStarted
from tslcd.store.configs import ConfigStore

from .conftest import ROOT

pytestmark = pytest.mark.lab
HUNG, QUICK = "ubnd-ap-fw1", "ubnd-ap-r1"


def test_waiting_text_names_the_longest_waits_first() -> None:
    started = {"a": 100.0, "b": 90.0, "c": 99.0, "d": 98.0, "e": 109.5}
    assert waiting_text(started, 110.0) == "b 20 s, d 12 s, c 11 s (+2 more)"
    assert waiting_text(started, 110.0, at_least=15) == "b 20 s"
    waits = _Waits()
    waits.note(HostStarted("backup", "a"))
    waits.note(HostStarted("backup", "b"))
    waits.note(HostDone("backup", "b", False, None, "", 1, 0.1))
    assert [line.split(" a ")[0] for line in waits.lines(0)] == ["backup: still waiting on"]


def test_ctrl_c_closes_the_hung_session_and_keeps_what_was_fetched(fresh_lab: RunningLab) -> None:
    raw = yaml.safe_load(fresh_lab.config_path.read_text(encoding="utf-8"))
    raw["timeouts"] = {"connect": 30, "banner": 30, "auth": 30, "command": 60, "deadline": 600}
    config = fresh_lab.config_path.with_name("patient.yaml")
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    fresh_lab.fault(HUNG, "hang")
    proc = subprocess.Popen([sys.executable, "-m", "tslcd", "--config", str(config), "backup", "--lab",
                             HUNG, QUICK], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    lines: list[str] = []
    for line in proc.stderr:  # plain progress: one line per finished host
        lines.append(line)
        if QUICK in line:
            break
    time.sleep(1.0)
    interrupted = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    took = time.monotonic() - interrupted
    fresh_lab.clear(HUNG)
    assert took <= 3.0, f"Ctrl-C took {took:.1f} s"  # 2 s to close, plus the process's own exit
    assert proc.returncode == 1
    assert "cancelling: closing the sessions in flight" in err
    assert f"{HUNG}: cancelled: cancelled by the operator while the device was being contacted" in err
    assert "1 changed" in out and "Traceback" not in err
    assert ConfigStore(fresh_lab.data_dir).read(QUICK) is not None
