"""Push tab against the lab: preview, grouped dry run, typed confirmation, live rollout, rollback."""

from __future__ import annotations

import dataclasses

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.conftest import RunningLab
from tests.tui.conftest import ROOT, drive, plain_text, set_filter, settle, until
from tslcd.config import Config
from tslcd.services import push
from tslcd.tui.app import TslcdApp
from tslcd.tui.messages import Progress
from tslcd.tui.screens.changes import ChangesScreen
from tslcd.tui.screens.confirm import TypedConfirmScreen
from tslcd.tui.views.push import PushResult, PushView
from tslcd.tui.widgets.host_progress import HostProgressTable

pytestmark = pytest.mark.lab
FIREWALL = "ubnd-ap-fw1"  # one FortiGate: its baseline applies and rolls back cleanly in the lab


def _project(lab: RunningLab) -> Config:
    return dataclasses.replace(lab.config, templates=str(ROOT / "templates"))


async def _choose(pilot: Pilot[None], template: str = "baseline") -> PushView:
    await set_filter(pilot, f"name={FIREWALL}")
    await pilot.press("4")
    view = pilot.app.query_one(PushView)
    view.query_one("#push-template", Select).value = template
    view.query_one("#push-vars", Input).value = str(ROOT / "templates" / "change.example.yaml")
    return view


def _status(view: PushView) -> str:
    return str(view.query_one("#push-status", Static).render())


def _host_status(view: PushView, host: str = FIREWALL) -> str:
    return str(view.query_one(HostProgressTable).get_cell(host, "status"))


async def _until_modal(pilot: Pilot[None], kind: type) -> None:
    for _ in range(300):  # the modal is up and composed (under load it shows before its widgets)
        if isinstance(pilot.app.screen, kind) and pilot.app.screen.query(Static):
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"no {kind.__name__} appeared")


def test_preview_dry_run_commit_with_typed_confirmation_then_rollback(fresh_lab: RunningLab) -> None:
    app = TslcdApp(_project(fresh_lab), lab=True)
    messages: list[Message] = []

    async def scenario(pilot: Pilot[None]) -> None:
        view = await _choose(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert _host_status(view) == "rendered" and "preview: 1 rendered" in _status(view)
        preview = plain_text(view.query_one("#push-preview", Static), width=200)
        assert f"# {FIREWALL} (fortinet, baseline)" in preview

        await pilot.press("t")
        await settle(pilot)
        assert _host_status(view) == "changed"
        assert "dry run: 1 to change in 1 distinct change(s)" in _status(view)
        assert "1 host (fortinet) gets these" in plain_text(view.query_one("#push-preview", Static), 200)

        await pilot.press("c")
        await _until_modal(pilot, TypedConfirmScreen)
        assert "1 device(s) will change" in plain_text(app.screen.query_one("#confirm-body Static"), 200)
        await pilot.press(*"ok", "enter")  # not the confirmation: the modal stays
        assert isinstance(app.screen, TypedConfirmScreen)
        app.screen.query_one("#confirm-answer", Input).value = ""
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        report = [m.result for m in messages if isinstance(m, PushResult)][-1]
        assert isinstance(report, push.CommitReport) and report.change_id == 1
        assert _host_status(view) == "applied"
        assert "change 1: 1 applied" in _status(view)
        tasks = {m.event.task for m in messages if isinstance(m, Progress)}
        assert {"push-dry-run", "backup", "push"} <= tasks  # live per-device progress of each phase

        await pilot.press("z")
        await _until_modal(pilot, ChangesScreen)
        await pilot.press("enter")
        await _until_modal(pilot, TypedConfirmScreen)
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        rollback = [m.result for m in messages if isinstance(m, PushResult)][-1]
        assert isinstance(rollback, push.RollbackReport) and rollback.rolls_back == 1
        assert _host_status(view) == "rolled-back"
        assert "of change 1: 1 restored, 0 failed" in _status(view)
        assert "rollback" in {m.event.task for m in messages if isinstance(m, Progress)}

    drive(app, scenario, messages)


def test_escape_at_the_confirmation_applies_nothing(fresh_lab: RunningLab) -> None:
    app = TslcdApp(_project(fresh_lab), lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        view = await _choose(pilot)
        await pilot.press("c")
        await _until_modal(pilot, TypedConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "commit: not applied (not confirmed)" in _status(view)
        assert push.changes(app.session.config) == []

    drive(app, scenario)


def test_a_template_error_is_shown_with_its_cause(fresh_lab: RunningLab) -> None:
    app = TslcdApp(_project(fresh_lab), lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        view = await _choose(pilot)
        view.query_one("#push-vars", Input).value = ""  # baseline needs admin_user from the vars
        await pilot.press("p")
        await settle(pilot)
        from tslcd.tui.screens.error import ErrorScreen

        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert "admin" in message and "Traceback" not in message

    drive(app, scenario)


def test_templates_come_from_the_service_and_device_calls_never_prompt(
        project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """The template list is `push.templates`; dry run, commit and rollback pass interactive=False."""
    from tslcd.errors import InputError

    monkeypatch.setattr(push, "templates", lambda config: {"doi-ten": ["cisco_ios", "fortinet"]})
    calls: dict[str, object] = {}

    def recorder(name: str):
        def call(*args: object, **kwargs: object) -> None:
            calls[name] = kwargs.get("interactive", "missing")
            raise InputError(f"{name} stopped by the test")
        return call

    for name in ("dry_run", "commit"):
        monkeypatch.setattr(push, name, recorder(name))
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "name=stc-r1")
        await pilot.press("4")
        view = pilot.app.query_one(PushView)
        select = view.query_one("#push-template", Select)
        select.value = "doi-ten"  # only an option the service listed is accepted
        assert select.value == "doi-ten"
        for action in (view.action_dry_run, view.action_commit):
            action()
            await settle(pilot)
            assert "stopped by the test" in str(
                pilot.app.screen.query_one("#error-message", Static).render())
            pilot.app.pop_screen()  # the error modal naming the cause
            await settle(pilot)
        assert calls == {"dry_run": False, "commit": False}

    drive(app, scenario)


def test_recover_a_change_whose_process_died(fresh_lab: RunningLab) -> None:
    """A push that died half-way (its lock is free, a device was being sent to): `r` picks it, a
    typed "yes" brings the device back to its pre-change config, the log says so."""
    import netmiko

    from tslcd.platforms import get_platform
    from tslcd.push.changelog import ChangeLog
    from tslcd.push.journal import Journal
    from tslcd.sanitize import sanitize

    platform = get_platform("fortinet")
    conn = netmiko.ConnectHandler(**fresh_lab.netmiko_args(FIREWALL))
    pre = sanitize(conn.send_command(platform.config_command), platform)
    conn.send_config_set(["config system global", 'set alias "half-done"', "end"])
    conn.disconnect()
    log = ChangeLog(fresh_lab.data_dir)
    change_id = log.start("push", "baseline", {}, f"name={FIREWALL}", lab=True, lock_token="gone", pid=1)
    Journal(fresh_lab.data_dir, change_id).begin(FIREWALL, "fortinet", pre, 'set alias "half-done"')
    log.update_host(change_id, FIREWALL, status="sending")
    app = TslcdApp(_project(fresh_lab), lab=True)
    messages: list[Message] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, f"name={FIREWALL}")
        await pilot.press("4")
        view = pilot.app.query_one(PushView)
        await pilot.press("R")
        await _until_modal(pilot, ChangesScreen)
        await pilot.press("enter")
        await _until_modal(pilot, TypedConfirmScreen)
        assert "was cut short" in plain_text(app.screen.query_one("#confirm-body Static"), 200)
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        [report] = [m.result for m in messages if isinstance(m, PushResult)][-1]
        assert report.kind == "recover" and report.rolls_back == change_id
        assert _host_status(view) == "rolled-back"
        assert f"recover {report.change_id} of change {change_id}: 1 restored, 0 failed" in _status(view)

    drive(app, scenario, messages)
    assert log.get(change_id).status == "recovered"
    conn = netmiko.ConnectHandler(**fresh_lab.netmiko_args(FIREWALL))
    assert sanitize(conn.send_command(platform.config_command), platform) == pre
    conn.disconnect()


def test_no_template_chosen_asks_for_one(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "district=an-phu")
        await pilot.press("4")
        view = app.query_one(PushView)
        select = view.query_one("#push-template", Select)
        for key in ("p", "t", "c"):
            await pilot.press(key)
            await until(pilot, lambda: select.expanded)  # the template list opens
            assert app.focused is select or select in app.focused.ancestors
            assert not view.running and _host_status(view, "ubnd-ap-fw1") in ("", "-")
            await pilot.press("escape")
            await until(pilot, lambda: not select.expanded)

    drive(app, scenario)
