"""A change never leaves a device half-changed, end to end against the lab through the real drivers.

`tslcd push --commit` runs as a subprocess and is SIGKILLed at chosen points (TSLCD_TEST_KILL_AT);
devices hang, reject lines during a rollback, or lose their management access to the change
itself. The referee is each device's whole running config read back over Netmiko (volatile lines
aside), never tslcd's own records; the change log must say where each device ended. Device timers
run scaled (TSLCD_LAB_TIME_SCALE), so a one-minute revert timer fires in seconds.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import RunningLab

from tests.push.helpers import CHANGE_VARS, ROOT, TEMPLATES
from tslcd.platforms import get_platform
from tslcd.push.changelog import ChangeLog
from tslcd.push.rollout import RolloutPolicy
from tslcd.services import push as service
from tslcd.store.db import DB_NAME

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROUTER, ASA, FORTIGATE = "stc-r1", "stc-fw1", "stttt-fw1"
SECRETS = [v for k, v in yaml.safe_load(CHANGE_VARS.read_text(encoding="utf-8")).items()
           if k.startswith("admin_")and k != "admin_user"]


def _config(lab: RunningLab, templates: Path = TEMPLATES, confirm_minutes: int = 1) -> Path:
    """The lab's tslcd.yaml with templates, a one-minute confirm window and short timeouts."""
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["templates"] = str(templates)
    raw["push"] = {"confirm_minutes": confirm_minutes}
    raw["timeouts"] = {"connect": 4, "command": 8, "banner": 4, "auth": 4}
    raw["retries"] = 0  # a hung or locked-out device is not retried for minutes
    path = lab.config_path.with_name("safety.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    lab.config.templates = str(templates)
    lab.config.push.confirm_minutes = confirm_minutes
    lab.config.timeouts.connect = lab.config.timeouts.banner = lab.config.timeouts.auth = 4
    lab.config.timeouts.command = 8
    lab.config.retries = 0
    return path


def tslcd(config: Path, *args: str, kill_at: str = "", answer: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI as an operator runs it (killing itself at ``kill_at``, if given)."""
    env = {**os.environ, "TSLCD_TEST_KILL_AT": kill_at}
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, env=env, input=answer)


def running(lab: RunningLab, host: str) -> str:
    """The device's whole running config over Netmiko, volatile lines (timestamps, who saved last)
    taken out."""
    platform = get_platform(lab.platforms[host])
    conn = netmiko.ConnectHandler(**lab.netmiko_args(host))
    try:
        conn.enable()
        raw = conn.send_command(platform.config_command)
    finally:
        conn.disconnect()
    lines = [line.rstrip() for line in raw.splitlines()
             if not any(re.match(p, line.strip()) for p in platform.volatile_patterns)]
    while lines and lines[0] in ("", platform.comment_prefix):  # the header's shape is volatile too
        lines.pop(0)
    text = "\n".join(lines)
    for pattern, replacement in platform.volatile_substitutions:
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    return text


def _without_revert_mode(text: str) -> str:
    """A config less the lines the confirm machinery itself sets before arming the device's timer
    (so its own archive holds them): FortiOS revert mode, and NAPALM's ``file prompt quiet``, which
    a killed NAPALM session never turns back off."""
    return "\n".join(line for line in text.splitlines()
                     if not re.match(r"\s*(set cfg-save|set cfg-revert-timeout|file prompt quiet)", line))


def _fully_changed(config: Path, hosts: list[str]) -> list[str]:
    """Hosts a dry run of the baseline would still change (none: every line of it is there)."""
    dry = tslcd(config, "push", "baseline", "-f", f"name={'|'.join(hosts)}", "--vars", str(CHANGE_VARS),
                "--lab", "--json")
    assert dry.returncode == 0, dry.stderr
    return sorted(h for g in json.loads(dry.stdout)["groups"] for h in g["hosts"])


def _log_text(lab: RunningLab) -> str:
    """Every text the change log holds."""
    with sqlite3.connect(lab.data_dir / DB_NAME) as conn:
        rows = [r for table in ("push_changes", "push_change_hosts")
                for r in conn.execute(f"SELECT * FROM {table}")]
    return "\n".join(str(v) for row in rows for v in row)


def _wait(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


@pytest.mark.parametrize("step", ["pending", "sending", "sent", "verified"])
def test_sigkill_mid_push_then_recover(fresh_lab: RunningLab, step: str) -> None:
    """Killed when the FortiGate reaches ``step`` (the router and the ASA wherever they are):
    after `changes recover` each device is exactly pre-change or exactly fully changed, and the
    log says which."""
    lab = fresh_lab
    config = _config(lab, confirm_minutes=5)
    hosts = [ROUTER, ASA, FORTIGATE]
    before = {h: running(lab, h) for h in hosts}
    killed = tslcd(config, "push", "baseline", "-f", f"name={'|'.join(hosts)}", "--vars", str(CHANGE_VARS),
                   "--lab", "--commit", "--yes", "--canary", "0", "--batch-size", "3",
                   "--ticket", "CR-2026-118", kill_at=f"{step}:{FORTIGATE}")
    assert killed.returncode == -9, killed.stderr

    if step == "sent":  # any later tslcd command notices the change whose process is gone
        listed = tslcd(config, "changes", "--json")
        assert "needs recovery" in listed.stderr and "tslcd changes recover 1" in listed.stderr
        change = json.loads(listed.stdout)[0]
    else:
        [record] = service.pending_recovery(lab.config)
        change = {"id": record.id, "status": record.status, "ticket": record.ticket}
    assert (change["status"], change["ticket"]) == ("needs-recovery", "CR-2026-118")

    recovered = tslcd(config, "changes", "recover", "--lab", "--yes", "--json")
    assert recovered.returncode == 0, recovered.stderr + recovered.stdout
    log = ChangeLog(lab.data_dir).get(change["id"])
    assert log.status == "recovered"
    ended = {h.host: h for h in log.hosts}
    assert ended[FORTIGATE].status == "rolled-back"
    for host in hosts:
        row = ended.get(host)
        if row is not None and row.status == "applied":
            assert _fully_changed(config, [host]) == [], host
        else:
            assert running(lab, host) == before[host], host
            assert row is None or "back to the pre-change config" in row.message
    assert not any(secret in _log_text(lab) for secret in SECRETS), "a secret reached the change log"


def test_sigkill_then_recover_forward(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = _config(lab, confirm_minutes=5)
    hosts = [ROUTER, FORTIGATE]
    killed = tslcd(config, "push", "baseline", "-f", f"name={'|'.join(hosts)}", "--vars", str(CHANGE_VARS),
                   "--lab", "--commit", "--yes", "--canary", "0", "--batch-size", "2",
                   kill_at=f"sent:{FORTIGATE}")
    assert killed.returncode == -9, killed.stderr
    forward = tslcd(config, "changes", "recover", "1", "--forward", "--vars", str(CHANGE_VARS), "--lab",
                    "--yes", "--json")
    assert forward.returncode == 0, forward.stderr + forward.stdout
    assert _fully_changed(config, hosts) == []
    fortigate = running(lab, FORTIGATE)
    assert "set cfg-save automatic" in fortigate and "set cfg-revert-timeout 600" in fortigate
    shown = json.loads(tslcd(config, "changes", "1", "--json").stdout)
    assert shown["status"] == "recovered"
    assert {h["host"]: h["status"] for h in shown["hosts"]}[FORTIGATE] == "applied"
    messages = {h["host"]: h["message"] for h in shown["hosts"]}
    assert "forward to the full intended config" in messages[FORTIGATE]


@pytest.mark.parametrize("host", [FORTIGATE, ROUTER])
def test_device_reverts_by_its_own_timer_when_the_push_dies(fresh_lab: RunningLab, host: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """FortiOS revert mode and the IOS archive revert timer, armed through Netmiko/NAPALM: the
    process dies after sending, nobody confirms, the device goes back by itself."""
    monkeypatch.setenv("TSLCD_LAB_TIME_SCALE", "15")  # one minute -> 4 s
    lab = fresh_lab
    config = _config(lab)
    before = running(lab, host)
    killed = tslcd(config, "push", "baseline", "-f", f"name={host}", "--vars", str(CHANGE_VARS), "--lab",
                   "--commit", "--yes", kill_at=f"sent:{host}")
    assert killed.returncode == -9, killed.stderr
    assert _without_revert_mode(running(lab, host)) != _without_revert_mode(before)
    assert _wait(lambda: _without_revert_mode(running(lab, host)) == _without_revert_mode(before), 15)
    recovered = tslcd(config, "changes", "recover", "--lab", "--yes")
    assert recovered.returncode == 0, recovered.stderr + recovered.stdout
    assert running(lab, host) == before


def test_hang_mid_push_then_recover(fresh_lab: RunningLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The FortiGate stops answering half-way through the change: tslcd cannot roll it back, says
    so, the device's revert timer takes it back; once it answers again, recovery makes it exact."""
    monkeypatch.setenv("TSLCD_LAB_TIME_SCALE", "15")
    lab = fresh_lab
    _config(lab)
    before = running(lab, FORTIGATE)
    import tslcd.tasks.confirm as switch

    real_send = switch.send_lines
    sent: list[int] = []

    def send_then_hang(task, platform, commands):  # type: ignore[no-untyped-def]
        sent.append(len(commands))
        if len(sent) == 2:  # the change itself (the first call arms revert mode)
            real_send(task, platform, commands[: len(commands) // 2])
            lab.fault(FORTIGATE, "hang")
        return real_send(task, platform, commands)

    monkeypatch.setattr(switch, "send_lines", send_then_hang)
    report = service.commit(lab.config, "baseline", [f"name={FORTIGATE}"], CHANGE_VARS, lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=1), interactive=False)
    monkeypatch.setattr(switch, "send_lines", real_send)
    [host] = report.hosts
    assert host.status == "needs-recovery", host.message
    assert "run `tslcd changes recover`" in host.message
    assert ChangeLog(lab.data_dir).get(report.change_id or 0).status == "needs-recovery"
    lab.clear(FORTIGATE, "hang")  # by now its own timer (60 s / 15) has run out while it hung
    assert _wait(lambda: _without_revert_mode(running(lab, FORTIGATE)) == _without_revert_mode(before), 10)
    [done] = service.recover(lab.config, report.change_id, lab=True, interactive=False)
    assert [h.status for h in done.hosts] == ["rolled-back"], done.hosts
    assert running(lab, FORTIGATE) == before


def test_rollback_interrupted_by_rejection_runs_again(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    config = _config(lab)
    before = running(lab, ASA)
    pushed = tslcd(config, "push", "baseline", "-f", f"name={ASA}", "--vars", str(CHANGE_VARS), "--lab",
                   "--commit", "--yes", "--json")
    assert pushed.returncode == 0, pushed.stderr
    change_id = json.loads(pushed.stdout)["change_id"]
    assert running(lab, ASA) != before

    lab.fault(ASA, "reject-after", 2)
    first = tslcd(config, "rollback", str(change_id), "--lab", "--yes", "--json")
    lab.clear(ASA, "reject-after")
    assert first.returncode == 1, first.stderr
    [half] = json.loads(first.stdout)["hosts"]
    assert half["status"] == "needs-recovery" and "rejected" in half["message"]
    assert running(lab, ASA) not in (before,)

    shown = tslcd(config, "rollback", str(change_id), "--lab", answer="n\n")  # shows, then asks
    assert shown.returncode == 1 and "Not rolled back." in shown.stdout
    assert "gets these" in shown.stdout and "\n  no " in shown.stdout
    again = tslcd(config, "rollback", str(change_id), "--lab", "--yes", "--json")
    assert again.returncode == 0, again.stderr + again.stdout
    assert [h["status"] for h in json.loads(again.stdout)["hosts"]] == ["rolled-back"]
    assert running(lab, ASA) == before
    assert ChangeLog(lab.data_dir).get(json.loads(first.stdout)["change_id"]).status == "recovered"
    assert "needs recovery" not in tslcd(config, "changes").stderr


def test_change_that_locks_out_management_is_never_confirmed(fresh_lab: RunningLab, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSLCD_LAB_TIME_SCALE", "15")
    templates = tmp_path / "templates" / "cisco_ios"
    templates.mkdir(parents=True)
    (templates / "telnet-only.j2").write_text(
        "line vty 0 4\n transport input telnet\nline vty 5 15\n transport input telnet\n", encoding="utf-8")
    lab = fresh_lab
    _config(lab, templates.parent)
    before = running(lab, ROUTER)
    report = service.commit(lab.config, "telnet-only", [f"name={ROUTER}"], lab=True,
                            policy=RolloutPolicy(canary=0, batch_size=1), interactive=False)
    [host] = report.hosts
    assert host.status == "needs-recovery", host.message
    assert "configure confirm" not in host.answered
    assert "auth" in host.message
    with pytest.raises(netmiko.NetmikoAuthenticationException):  # locked out, for now
        running(lab, ROUTER)
    assert _wait(lambda: _logs_in(lab), 15), "the revert timer never gave the access back"
    assert _without_revert_mode(running(lab, ROUTER)) == _without_revert_mode(before)
    [done] = service.recover(lab.config, report.change_id, lab=True, interactive=False)
    assert [h.status for h in done.hosts] == ["rolled-back"]
    assert running(lab, ROUTER) == before


def _logs_in(lab: RunningLab) -> bool:
    try:
        running(lab, ROUTER)
    except netmiko.NetmikoAuthenticationException:
        return False
    return True


def test_the_scheduled_run_notifies_a_change_left_half_done(fresh_lab: RunningLab) -> None:
    from tests.schedule.receivers import http_receiver
    from tslcd.push.journal import Journal

    lab = fresh_lab
    log = ChangeLog(lab.data_dir)
    change_id = log.start("push", "baseline", {}, f"name={FORTIGATE}", lab=True, lock_token="gone", pid=4242)
    Journal(lab.data_dir, change_id).begin(FORTIGATE, "fortinet", "config system global\nend\n", "")
    log.update_host(change_id, FORTIGATE, status="sending")
    with http_receiver() as (url, hooks):
        raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
        raw["notifications"] = {"events": ["change-needs-recovery"], "webhook": {"enabled": True, "url": url}}
        lab.config_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        run = tslcd(lab.config_path, "run", "backup", "--lab", "--filter", f"name={FORTIGATE}")
    assert run.returncode == 0, run.stderr
    [notice] = hooks[0]["json"]["notices"]
    assert (notice["event"], notice["host"]) == ("change-needs-recovery", FORTIGATE)
    assert f"tslcd changes recover {change_id}" in notice["summary"]
    assert "pid 4242" in " ".join(notice["details"])
