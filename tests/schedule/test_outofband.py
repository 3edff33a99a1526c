"""Line accounting behind out-of-band detection: what a recorded change explains, and what not."""

from __future__ import annotations

from datetime import UTC, datetime

from tslcd.push.changelog import ChangeRecord, HostChange
from tslcd.schedule.outofband import LineChanges, unexplained

OLD = "hostname r1\n!\nip route 0.0.0.0 0.0.0.0 10.254.0.1\nntp server 10.0.10.5\n!\n"


def change(pre: str, post: str, finished: str, host: str = "r1", status: str = "applied") -> ChangeRecord:
    record = ChangeRecord(1, "push", "netops", finished, finished, "baseline", {}, "", True, "done", "",
                          None)
    record.hosts = [HostChange(host, "cisco_ios", status, pre_config=pre, post_config=post)]
    return record


def test_pushed_lines_are_explained_manual_ones_are_not() -> None:
    pushed = OLD + "logging host 10.0.10.6\n"
    manual = "ip route 10.99.0.0 255.255.0.0 Null0\n"
    now = pushed.replace("ntp server 10.0.10.5\n", "ntp server 10.0.10.5\n" + manual)
    since = datetime(2026, 11, 25, 1, tzinfo=UTC)
    changes = [change(OLD, pushed, "2026-11-25T01:30:00+00:00")]
    left = unexplained(OLD, now, "r1", changes, since)
    assert left.listing() == ["+ ip route 10.99.0.0 255.255.0.0 Null0"]


def test_old_changes_other_hosts_and_skipped_hosts_explain_nothing() -> None:
    new = OLD + "logging host 10.0.10.6\n"
    since = datetime(2026, 11, 25, 1, tzinfo=UTC)
    for record in (change(OLD, new, "2026-11-24T23:00:00+00:00"),
                   change(OLD, new, "2026-11-25T02:00:00+00:00", host="r2"),
                   change(OLD, new, "2026-11-25T02:00:00+00:00", status="skipped")):
        assert unexplained(OLD, new, "r1", [record], since).listing() == ["+ logging host 10.0.10.6"]


def test_repeated_lines_count_as_a_multiset() -> None:
    old = "interface a\n shutdown\ninterface b\n"
    new = "interface a\n shutdown\ninterface b\n shutdown\n"
    changes = LineChanges.between(old, new)
    assert changes.listing() == ["+  shutdown"] and not LineChanges.between(new, new)
