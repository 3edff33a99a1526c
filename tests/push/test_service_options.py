"""The push service's options for front ends: the template list, and never prompting when told not to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.push.helpers import CHANGE_VARS, sample
from tslcd.push.render import available
from tslcd.services import devices
from tslcd.services import push as service


class _Stop(Exception):
    pass


def test_templates_lists_each_template_and_its_platforms() -> None:
    config, _ = sample()
    found = service.templates(config)
    assert found == available(config.templates_dir)
    assert set(found["baseline"]) == {"cisco_ios", "cisco_asa", "fortinet", "juniper_junos", "paloalto_panos",
                                      "huawei", "huawei_vrpv8"}


@pytest.mark.parametrize("interactive", [False, None])
def test_dry_run_passes_interactive_to_the_device_run(interactive: bool | None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def prepare(*args: Any, **kwargs: Any) -> None:
        seen.append(kwargs.get("interactive", "missing"))
        raise _Stop

    monkeypatch.setattr(devices, "prepare", prepare)
    config, _ = sample()
    with pytest.raises(_Stop):
        service.dry_run(config, "baseline", ["name=stc-r1"], CHANGE_VARS, interactive=interactive)
    with pytest.raises(_Stop):
        service.commit(config, "baseline", ["name=stc-r1"], CHANGE_VARS, interactive=interactive)
    assert seen == [interactive, interactive]
