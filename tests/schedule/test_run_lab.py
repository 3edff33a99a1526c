"""The scheduled entry point end to end against the lab: twice, with a manual change in between.

A change made by hand on one device is flagged out-of-band, by e-mail (a real SMTP server) and
by webhook (a real HTTP receiver), both on 127.0.0.1; a change pushed through tslcd is not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import netmiko
import pytest
import yaml

from tests.conftest import RunningLab
from tests.schedule.receivers import http_receiver, smtp_server

ROOT = Path(__file__).resolve().parents[2]
MANUAL = "stc-r1"  # changed by hand over SSH
PUSHED = "skhdt-r1"  # changed through `tslcd push --commit`
OTHERS = ("syt-fw1", "stttt-fw1")
SELECTION = "name=" + "|".join((MANUAL, PUSHED, *OTHERS))
MANUAL_LINE = "ip route 10.99.0.0 255.255.0.0 Null0 name do-tay-khong-qua-tslcd"

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def tslcd(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)


def project(lab: RunningLab, smtp_port: int, hook_url: str) -> Path:
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(ROOT / "templates")
    raw["notifications"] = {
        "events": ["out-of-band-change", "backup-failure", "new-finding", "stale-backup"],
        "email": {"enabled": True, "host": "127.0.0.1", "port": smtp_port,
                  "sender": "tslcd@angiang.gov.vn", "recipients": ["noc@angiang.gov.vn"]},
        "webhook": {"enabled": True, "url": hook_url},
    }
    lab.config_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return lab.config_path


def test_out_of_band_change_is_notified_and_a_pushed_one_is_not(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    with smtp_server() as (port, inbox), http_receiver() as (url, hooks):
        config = project(lab, port, url)
        first = tslcd(config, "run", "backup+audit", "--lab", "--filter", SELECTION)
        assert first.returncode == 0, first.stderr
        assert "4 hosts, 4 changed, 0 failed, 0 out-of-band" in first.stdout
        assert "audit summary: " in first.stdout and "top new findings (" in first.stdout  # make demo's end
        assert inbox == [] and hooks == []  # a first run is the baseline: nothing to report

        with netmiko.ConnectHandler(**lab.netmiko_args(MANUAL)) as conn:
            conn.enable()
            conn.send_config_set([MANUAL_LINE])
        pushed = tslcd(config, "push", "baseline", "--lab", "--commit", "--yes", "--filter",
                       f"name={PUSHED}|{MANUAL}",
                       "--vars", str(ROOT / "templates" / "change.example.yaml"))
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr

        second = tslcd(config, "run", "backup+audit", "--lab", "--filter", SELECTION)
    assert second.returncode == 0, second.stderr
    assert "1 out-of-band" in second.stdout

    report = json.loads(_latest_report(lab.data_dir).read_text(encoding="utf-8"))
    flagged = {o["host"]: o for o in report["out_of_band"]}
    assert set(flagged) == {MANUAL}
    assert flagged[MANUAL]["lines"] == [f"+ {MANUAL_LINE}"]  # the pushed lines are explained
    assert flagged[MANUAL]["agency"] == "Sở Tài chính"

    assert len(inbox) == 1
    mail = inbox[0]
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "out-of-band-change" in mail["Subject"] and MANUAL in mail["Subject"]
    assert MANUAL_LINE in body and "Sở Tài chính" in body and PUSHED not in body
    assert "reports/runs/" in body

    assert len(hooks) == 1
    notices = hooks[0]["json"]["notices"]
    out_of_band = [n for n in notices if n["event"] == "out-of-band-change"]
    assert [n["host"] for n in out_of_band] == [MANUAL]
    assert f"+ {MANUAL_LINE}" in out_of_band[0]["details"]
    assert all(n["host"] != PUSHED for n in notices)

    index = (lab.data_dir / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count("runs/") >= 2 and "<svg" in index


def _latest_report(data_dir: Path) -> Path:
    return sorted((data_dir / "reports" / "runs").glob("*.json"))[-1]


def test_second_invocation_exits_at_once_naming_the_holder(fresh_lab: RunningLab) -> None:
    holder_code = ("import sys, time; from pathlib import Path; from tslcd.schedule.lock import RunLock;"
                   "RunLock(Path(sys.argv[1]), 'run backup').acquire(); print('locked', flush=True);"
                   "time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", holder_code, str(fresh_lab.data_dir / "run.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = tslcd(fresh_lab.config_path, "run", "backup", "--lab")
        assert refused.returncode == 3
        assert f"already running: pid {holder.pid}" in refused.stderr
    finally:
        holder.kill()
        holder.wait()
    recovered = tslcd(fresh_lab.config_path, "run", "audit", "--filter", "stc-r1")
    assert "already running" not in recovered.stderr
    assert "recovered the lock of a run that died" in recovered.stderr


def test_missing_credentials_fail_without_prompting(fresh_lab: RunningLab, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "tslcd", "--config", str(fresh_lab.config_path),
                             "run", "backup", "--filter", "stc-r1"], capture_output=True, text=True,
                            timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                 "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    assert result.returncode == 2
    assert "set TSLCD_USERNAME and TSLCD_PASSWORD" in result.stderr
