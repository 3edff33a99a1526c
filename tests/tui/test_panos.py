"""The TUI with a Palo Alto firewall: the inventory shows it as PAN-OS, and the push tab renders
and dry-runs the firewall policy against the lab PA-VM through the real Netmiko driver."""

from __future__ import annotations

import dataclasses

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.conftest import RunningLab
from tests.tui.conftest import ROOT, drive, plain_text, set_filter, settle, type_filter, until
from tslcd.config import Config
from tslcd.inventory import HostInfo
from tslcd.tui.app import TslcdApp
from tslcd.tui.views.push import PushView
from tslcd.tui.widgets.host_detail import HostDetail
from tslcd.tui.widgets.host_progress import HostProgressTable
from tslcd.tui.widgets.host_tree import HostTree

PA = "sxd-fw1"


def test_inventory_detail_names_the_firewall_pan_os(project: Config) -> None:
    app = TslcdApp(project)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_filter(pilot, *PA)
        await until(pilot, lambda: [h.name for h in app.session.targets] == [PA])
        await pilot.press("enter")
        await pilot.pause()
        tree = app.query_one(HostTree)
        await pilot.press("down", "down", "down", "down")  # root, group, agency, router, firewall
        await pilot.pause()
        assert isinstance(tree.cursor_node.data, HostInfo)
        text = plain_text(app.query_one(HostDetail))
        assert PA in text and "Sở Xây dựng" in text
        assert "paloalto_panos" in text and "Tường lửa" in text

    drive(app, scenario)


@pytest.mark.lab
def test_push_preview_and_dry_run_on_the_lab_pa(fresh_lab: RunningLab) -> None:
    app = TslcdApp(dataclasses.replace(fresh_lab.config, templates=str(ROOT / "templates")), lab=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await set_filter(pilot, f"name={PA}")
        await pilot.press("4")
        view = pilot.app.query_one(PushView)
        view.query_one("#push-template", Select).value = "firewall-policy"
        view.query_one("#push-vars", Input).value = str(ROOT / "templates" / "change.example.yaml")
        await pilot.press("p")
        await settle(pilot)
        preview = plain_text(view.query_one("#push-preview", Static), width=200)
        assert f"# {PA} (paloalto_panos, firewall-policy)" in preview
        assert "set rulebase security rules TSLCD-DENY-LOG action deny" in preview
        await pilot.press("t")
        await settle(pilot)
        assert str(view.query_one(HostProgressTable).get_cell(PA, "status")) == "changed"
        shown = plain_text(view.query_one("#push-preview", Static), 200)
        assert "1 host (paloalto_panos) gets these" in shown
        assert "delete rulebase security rules CHAN-VAO-LAN" in shown

    drive(app, scenario)
