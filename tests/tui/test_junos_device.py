"""The TUI with the lab SRXs: found by platform, shown in the detail pane, backed up from the
Backups tab, and a commit made at the device's CLI shown as a diff of ``display set`` lines."""

from __future__ import annotations

import netmiko
import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from tests.conftest import RunningLab
from tests.tui.conftest import drive, plain_text, set_filter, settle
from tslcd.tui.app import TslcdApp
from tslcd.tui.messages import WorkFailed
from tslcd.tui.screens.diff import DiffScreen
from tslcd.tui.views.backups import BackupsView
from tslcd.tui.widgets.host_detail import HostDetail
from tslcd.tui.widgets.host_progress import HostProgressTable
from tslcd.tui.widgets.host_tree import HostTree

pytestmark = pytest.mark.lab
SRXS = ["sgtvt-fw1", "stnmt-fw1"]


def _statuses(app: TslcdApp) -> dict[str, str]:
    table = app.query_one(HostProgressTable)
    return {str(key.value): str(table.get_cell(key, "status")) for key in table.rows}


def _commit(lab: RunningLab, host: str, lines: list[str]) -> None:
    """A change made at the SRX's own CLI and committed, as an engineer would."""
    with netmiko.ConnectHandler(**lab.netmiko_args(host)) as conn:
        conn.send_config_set(lines, exit_config_mode=False)
        conn.commit(and_quit=True)


def test_srx_devices_in_the_inventory_and_backups_tabs(fresh_lab: RunningLab) -> None:
    app = TslcdApp(fresh_lab.config, lab=True)
    messages: list[Message] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, "platform=juniper_junos")
        assert sorted(h.name for h in app.session.targets) == SRXS
        tree = app.query_one(HostTree)
        node = next(n for n in tree.host_nodes() if n.data.name == "sgtvt-fw1")
        tree.select_node(node)
        await settle(pilot)
        detail = plain_text(app.query_one(HostDetail), width=120)
        assert "juniper_junos" in detail and "127.21.10.2" in detail

        await pilot.press("2")
        await pilot.press("b")
        await settle(pilot)
        assert _statuses(app) == dict.fromkeys(SRXS, "changed")
        _commit(fresh_lab, "sgtvt-fw1", ["set system ntp server 10.9.9.9"])
        await pilot.press("b")
        await settle(pilot)
        assert _statuses(app) == {"sgtvt-fw1": "changed", "stnmt-fw1": "unchanged"}
        view = app.query_one(BackupsView)
        table = view.query_one(HostProgressTable)
        table.move_cursor(row=table.get_row_index("sgtvt-fw1"))
        await settle(pilot)
        assert view.history is not None and view.history.host == "sgtvt-fw1"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        diff = plain_text(app.screen.query_one("#diff-text", Static))
        assert "+set system ntp server 10.9.9.9" in diff
        assert "$6$" not in diff
        await pilot.press("escape")
        assert not [m for m in messages if isinstance(m, WorkFailed)]

    drive(app, scenario, messages)
