"""security_level is inventory data, inherited through groups and checked by `inventory check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.compliance.conftest import ROOT
from tslcd.config import load_config
from tslcd.errors import InventoryError
from tslcd.inventory import load_inventory


def test_levels_are_inherited_from_the_agency_type_group() -> None:
    inventory = load_inventory(load_config(str(ROOT / "tslcd.yaml")))
    levels = {h.name: h.get("security_level") for h in inventory}
    assert levels["ttdl-core-fw1"] == 3 and levels["stc-fw1"] == 2 and levels["ubnd-tb-r1"] == 2
    assert all(level in (1, 2, 3, 4, 5) for level in levels.values())


@pytest.mark.parametrize("bad", ["7", "0", "'3'", "true"])
def test_an_impossible_level_is_an_inventory_error(tmp_path: Path, bad: str) -> None:
    folder = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", folder)
    groups = folder / "groups.yaml"
    text = groups.read_text(encoding="utf-8").replace("security_level: 2", f"security_level: {bad}", 1)
    groups.write_text(text, encoding="utf-8")
    project = tmp_path / "tslcd.yaml"
    project.write_text(f"inventory: {folder}\ndata: {tmp_path / 'data'}\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        load_inventory(load_config(str(project)))
    problems = [p for p in caught.value.problems if "security_level" in p]
    assert problems and all("hosts.yaml:" in p and "must be a level from 1 to 5" in p for p in problems)
