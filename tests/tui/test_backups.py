"""Backups tab against the lab: back up now with live progress, versions of a device, a diff."""

from __future__ import annotations

import dataclasses
import os

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.conftest import RunningLab
from tests.tui.conftest import configure, drive, plain_text, set_filter, settle
from tslcd.progress import HostDone, HostStarted, RunDone, RunStarted
from tslcd.store.configs import ConfigStore
from tslcd.tui.app import TslcdApp
from tslcd.tui.messages import Progress, WorkFailed
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.views.backups import BackupDone, BackupsView
from tslcd.tui.widgets.host_progress import HostProgressTable

pytestmark = pytest.mark.lab
HOSTS = ["ubnd-ap-r1", "ubnd-ap-fw1"]  # district=an-phu: two devices keep the test short


def _statuses(app: TslcdApp) -> dict[str, str]:
    table = app.query_one(HostProgressTable)
    return {str(key.value): str(table.get_cell(key, "status")) for key in table.rows}


def _runs(app: TslcdApp) -> list[tuple[str, ...]]:
    """The run history table: run id, status, changed, failed per row, newest first."""
    table = app.query_one("#backup-runs", DataTable)
    return [tuple(str(table.get_row_at(i)[c]) for c in (0, 2, 3, 4)) for i in range(table.row_count)]


def test_backup_now_shows_live_progress_then_versions_and_a_diff(fresh_lab: RunningLab) -> None:
    app = TslcdApp(fresh_lab.config, lab=True)
    messages: list[Message] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=an-phu")
        await pilot.press("2")
        assert _statuses(app) == dict.fromkeys(HOSTS, "-")
        assert _runs(app) == []
        await pilot.press("b")
        await settle(pilot)
        assert _runs(app) == [("1", "ok", "2", "0")]  # the run history refreshed after the run
        # live progress arrived as messages, one per host start and end
        events = [m.event for m in messages if isinstance(m, Progress)]
        assert isinstance(events[0], RunStarted) and set(events[0].hosts) == set(HOSTS)
        assert {e.host for e in events if isinstance(e, HostStarted)} == set(HOSTS)
        assert {e.host for e in events if isinstance(e, HostDone) and not e.failed} == set(HOSTS)
        assert isinstance(events[-1], RunDone) and events[-1].ok == 2
        assert [m.report.run_id for m in messages if isinstance(m, BackupDone)] == [1]
        assert _statuses(app) == dict.fromkeys(HOSTS, "changed")
        assert "run 1: 2 changed, 0 unchanged, 0 failed" in str(
            app.query_one("#backup-status", Static).render())

        # the device changes; the next backup stores a second version of it only
        configure(fresh_lab, "ubnd-ap-r1", ["interface Loopback99", "description Kiểm thử TUI"])
        await pilot.press("b")
        await settle(pilot)
        assert _statuses(app) == {"ubnd-ap-r1": "changed", "ubnd-ap-fw1": "unchanged"}
        assert _runs(app) == [("2", "ok", "1", "0"), ("1", "ok", "2", "0")]

        view = app.query_one(BackupsView)
        view.query_one(HostProgressTable).move_cursor(row=0)
        await settle(pilot)
        assert view.history is not None and view.history.host == "ubnd-ap-r1"
        assert len(view.history.revisions) == 2
        assert view.query_one("#versions", DataTable).row_count == 2
        await pilot.press("d")  # the newest version against the one before it
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        diff = plain_text(app.screen.query_one("#diff-text", Static))
        assert "+ description Kiểm thử TUI" in diff
        await pilot.press("escape")
        assert not [m for m in messages if isinstance(m, WorkFailed)]

    drive(app, scenario, messages)


def test_a_failing_device_is_reported_per_host_not_as_an_error(fresh_lab: RunningLab) -> None:
    app = TslcdApp(fresh_lab.config, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=an-phu")
        await pilot.press("2")
        with fresh_lab.faulted("ubnd-ap-fw1", "auth-fail"):
            await pilot.press("b")
            await settle(pilot)
        assert _statuses(app) == {"ubnd-ap-r1": "changed", "ubnd-ap-fw1": "failed"}
        detail = str(app.query_one(HostProgressTable).get_cell("ubnd-ap-fw1", "detail"))
        assert detail.startswith("auth")
        assert "1 failed" in str(app.query_one("#backup-status", Static).render())
        assert _runs(app) == [("1", "partial", "1", "1")]

    drive(app, scenario)


def test_backup_without_the_lab_running_shows_the_cause_in_a_modal(project) -> None:
    app = TslcdApp(project, lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("2", "b")
        await settle(pilot)
        from tslcd.tui.screens.error import ErrorScreen

        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert "lab" in message and "Traceback" not in message

    drive(app, scenario)


def test_cancel_closes_the_session_in_flight_and_keeps_what_was_fetched(fresh_lab: RunningLab) -> None:
    """x cancels for real: the device already backed up is committed, the session in flight is
    closed at once and that device is reported `cancelled`, with nothing stored for it."""
    app = TslcdApp(dataclasses.replace(fresh_lab.config, workers=1), lab=True)  # one device at a time
    messages: list[Message] = []

    def events(kind: type) -> list:
        return [m.event for m in messages if isinstance(m, Progress) and isinstance(m.event, kind)]

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=an-phu")
        await pilot.press("2")
        view = app.query_one(BackupsView)
        with fresh_lab.faulted("ubnd-ap-r1", "latency", 0.3), \
                fresh_lab.faulted("ubnd-ap-fw1", "latency", 0.3):
            await pilot.press("b")
            for _ in range(600):  # until the first device is done and the second being contacted
                if events(HostDone) and len(events(HostStarted)) == 2:
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.5)
            assert view.running and view.check_action("cancel", ()) is True
            await pilot.press("x")
            await pilot.pause()
            assert view.cancelled and view.stop is not None and view.stop.is_set()
            await settle(pilot)
        assert not view.running
        [report] = [m.report for m in messages if isinstance(m, BackupDone)]
        first, other = events(HostStarted)[0].host, events(HostStarted)[1].host
        assert _statuses(app) == {first: "changed", other: "cancelled"}
        assert {h.host: h.error_class for h in report.failed} == {other: "cancelled"}
        status = str(view.query_one("#backup-status", Static).render())
        assert "1 changed" in status and "0 failed, 1 cancelled" in status
        store = ConfigStore(fresh_lab.data_dir)  # committed for the one fetched, nothing for the other
        assert report.commit is not None and store.read(first) is not None and store.read(other) is None
        assert _runs(app) == [("1", "partial", "1", "1")]

    drive(app, scenario, messages)


def test_the_tui_never_prompts_for_a_password(project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the lab, missing credentials are an error naming what to set (the terminal is the TUI's)."""
    for name in [n for n in os.environ if n.startswith("TSLCD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr("tslcd.inventory.credentials._keyring_get", lambda scope, what: None)
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "name=stc-r1")
        await pilot.press("2", "b")
        await settle(pilot)
        from tslcd.tui.screens.error import ErrorScreen

        assert isinstance(app.screen, ErrorScreen)
        assert "TSLCD_" in str(app.screen.query_one("#error-message", Static).render())

    drive(app, scenario)
