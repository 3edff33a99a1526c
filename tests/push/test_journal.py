"""The write-ahead journal offline: who is alive, what is masked, how a masked config is restored."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from tests.push.helpers import configure, model, sample
from tslcd.platforms import get_platform
from tslcd.push.changelog import ChangeLog, mask_variables
from tslcd.push.journal import Journal, alive, holding, mask_lines, mask_output, needing_recovery
from tslcd.push.restore import commands_back, differences, unmask
from tslcd.sanitize import MASK, sanitize
from tslcd.store.db import DB_NAME

IOS = get_platform("cisco_ios")
ASA = get_platform("cisco_asa")


def _hold_and_die(data_dir: Path, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    with holding(data_dir) as token:
        ChangeLog(data_dir).start("push", "baseline", {}, "", lab=True, lock_token=token, pid=0)
        ready.set()
        multiprocessing.Event().wait(30)  # killed long before


def test_a_change_whose_process_died_is_noticed_once_and_marked(tmp_path: Path) -> None:
    assert needing_recovery(tmp_path) == [] and not (tmp_path / DB_NAME).exists()
    ready = multiprocessing.Event()
    child = multiprocessing.Process(target=_hold_and_die, args=(tmp_path, ready))
    child.start()
    assert ready.wait(20)
    log = ChangeLog(tmp_path)
    [change] = log.running()
    Journal(tmp_path, change.id).begin("stc-r1", "cisco_ios", "hostname stc-r1\n", "ntp server 10.0.10.5")
    log.update_host(change.id, "stc-r1", status="sending")
    assert alive(tmp_path, change.lock_token) and needing_recovery(tmp_path) == []
    child.kill()
    child.join()
    assert not alive(tmp_path, change.lock_token)
    [marked] = needing_recovery(tmp_path)
    assert (marked.id, marked.status) == (change.id, "needs-recovery")
    assert "ended before the change finished" in marked.message
    assert [(h.host, h.status) for h in marked.hosts] == [("stc-r1", "needs-recovery")]
    assert ChangeLog(tmp_path).mark_needs_recovery(change.id, "again") is False  # marked once


def test_a_live_change_in_this_process_is_not_taken_for_dead(tmp_path: Path) -> None:
    with holding(tmp_path) as token:
        ChangeLog(tmp_path).start("push", "baseline", {}, "", lab=True, lock_token=token)
        assert alive(tmp_path, token) and needing_recovery(tmp_path) == []
    assert not alive(tmp_path, token)


def test_an_older_database_gets_the_journal_columns(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.executescript("""
        CREATE TABLE push_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
          user TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, template TEXT NOT NULL,
          variables TEXT NOT NULL DEFAULT '{}', filters TEXT NOT NULL DEFAULT '',
          lab INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
          rolls_back INTEGER);
        INSERT INTO push_changes (kind, user, started_at, template, status)
          VALUES ('push', 'an', '2026-01-01T00:00:00Z', 'baseline', 'running');
        """)
    [old] = needing_recovery(tmp_path)  # written by a tslcd without the journal: cannot be alive
    assert (old.status, old.ticket, old.lock_token) == ("needs-recovery", "", "")


def test_variables_and_commands_are_masked_for_the_log() -> None:
    assert mask_variables({"admin_user": "tslcd-netops", "admin_secret_ios": "$9$abc",
                           "snmp_community": "Xk92", "hosts": {"stc-r1": {"hash": "$1$x$y"}},
                           "ntp_servers": ["10.0.10.5"], "note": "$9$Vq1bXQzVvYkS7E$0aH4m1cQ3"}) == {
        "admin_user": "tslcd-netops", "admin_secret_ios": MASK, "snmp_community": MASK,
        "hosts": {"stc-r1": {"hash": MASK}}, "ntp_servers": ["10.0.10.5"], "note": MASK}
    assert mask_lines(["username admin privilege 15 secret 9 $9$abc",
                       "no username old password $sha512$5000$J2 pbkdf2"], IOS).splitlines() == [
        "username admin privilege 15 secret 9 <removed>", "no username old password <removed>"]
    echoed = "stc-fw1(config)# username tslcd-netops password $sha512$5000$J2Z7 pbkdf2 privilege 15"
    assert "$sha512" not in mask_output(echoed, ASA)
    assert mask_output("+snmp-server community S3cr3t RO\n-ntp server 10.0.10.5", IOS) == (
        "+snmp-server community <removed> RO\n-ntp server 10.0.10.5")


def test_a_masked_pre_change_config_is_restored_with_the_devices_own_secrets() -> None:
    """The pre-change config is stored masked; the restore takes each secret line from the device,
    and a secret line the device no longer has is reported, never invented."""
    _, inventory = sample()
    device = model(inventory.hosts["stc-r1"])
    platform = get_platform(device.platform)
    pre_raw = device.running_config()
    pre = sanitize(pre_raw, platform)
    assert MASK in pre
    assert configure(device, ["snmp-server location Tầng 3, Sở Tài chính", "ntp server 10.99.0.1"]) == []
    now = device.running_config()
    commands, target = commands_back(platform, now, pre)
    location = next(line for line in pre.splitlines() if line.startswith("snmp-server location "))
    assert sorted(commands) == sorted(["no ntp server 10.99.0.1", location]) and not target.unresolved
    assert configure(device, commands) == []
    assert differences(platform, device.running_config(), pre) == []

    secret_line = next(line for line in pre.splitlines() if line.startswith("username ") and MASK in line)
    gone = unmask(pre, "\n".join(line for line in pre_raw.splitlines() if not line.startswith("username ")))
    assert gone.unresolved == (secret_line,)


def test_a_clear_text_secret_the_device_encrypted_meanwhile_is_restored_by_decoding_it() -> None:
    """`service password-encryption` turned a type 0 password into type 7: the restore decodes the
    device's own line (no secret is ever stored)."""
    from netutils.password import encrypt_type7

    masked = "hostname stc-r1\nusername support privilege 15 password 0 <removed>\n"
    now = f"hostname stc-r1\nusername support privilege 15 password 7 {encrypt_type7('Ho-tro-2026')}\n"
    assert unmask(masked, now, IOS).text.splitlines()[1] == \
        "username support privilege 15 password 0 Ho-tro-2026"
    assert unmask(masked, now).unresolved == ("username support privilege 15 password 0 <removed>",)
