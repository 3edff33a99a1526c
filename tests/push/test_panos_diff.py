"""PAN-OS plans offline, typed into the lab firewall model: running + plan == target (a second
plan is empty) and after + restore == before, for both templates, on a firewall carrying every
planted problem (its security rules are replaced whole and end in the template's order)."""

from __future__ import annotations

import pytest

from tests.push.helpers import CHANGE_VARS, TEMPLATES, sample
from tslcd.lab.models.panos import PanosDevice
from tslcd.lab.models.panos_initial import SUPPORTED
from tslcd.lab.models.panos_session import PanosSession
from tslcd.push.diff import plan, restore_commands
from tslcd.push.render import Renderer, load_vars

PA = "snnptnt-fw1"


def _commit(device: PanosDevice, lines: tuple[str, ...] | list[str]) -> None:
    cli = PanosSession(device, "tester")
    cli.handle("configure")
    refused = [(line, out) for line in lines if (out := cli.handle(line))]
    assert not refused
    assert cli.handle("commit").endswith("Configuration committed successfully")


@pytest.mark.parametrize("template", ["firewall-policy", "baseline"])
def test_plan_reaches_the_template_and_restore_comes_back(template: str) -> None:
    _config, inventory = sample()
    host = inventory.hosts[PA]
    device = PanosDevice(PA, host.flat(), None, tuple(sorted(SUPPORTED)))
    before = device.running_config()
    change = Renderer(TEMPLATES, template, inventory, load_vars(CHANGE_VARS)).render(host).text
    first = plan(PA, "paloalto_panos", before, change)
    assert first.commands and len(set(first.commands)) == len(first.commands)
    _commit(device, first.commands)
    assert plan(PA, "paloalto_panos", device.running_config(), change).empty
    if template == "firewall-policy":
        rules = [line.split()[4] for line in device.running_config().splitlines()
                 if line.startswith("set rulebase security rules ")]
        assert list(dict.fromkeys(rules)) == ["TSLCD-LAN-LGSP", "TSLCD-LAN-CONG-DVC", "TSLCD-MGMT-SSH",
                                              "TSLCD-DENY-LOG"]
    _commit(device, restore_commands("paloalto_panos", device.running_config(), before))
    assert device.running_config() == before
