"""One host-selection syntax for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.config import load_config
from tslcd.errors import FilterError
from tslcd.inventory import Inventory, load_inventory
from tslcd.inventory.filters import select

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory(load_config(str(ROOT / "tslcd.yaml")))


def names(inventory: Inventory, *exprs: str) -> set[str]:
    return {h.name for h in select(inventory, list(exprs))}


def test_field_equals(inventory: Inventory) -> None:
    firewalls = names(inventory, "role=firewall")
    assert firewalls == {h.name for h in inventory if h.get("role") == "firewall"}
    assert names(inventory, "district=an-phu") == {"ubnd-ap-r1", "ubnd-ap-fw1"}


def test_and_within_and_across_options(inventory: Inventory) -> None:
    expected = {h.name for h in inventory if "so" in h.groups and h.platform == "cisco_asa"}
    assert expected and names(inventory, "group=so,platform=cisco_asa") == expected
    assert names(inventory, "group=so", "platform=cisco_asa") == expected


def test_alternatives_globs_negation_and_bare_names(inventory: Inventory) -> None:
    both = names(inventory, "platform=fortinet|cisco_asa")
    usg = names(inventory, "platform=huawei,role=firewall")  # Huawei USGs
    assert both | usg == names(inventory, "role=firewall")
    assert names(inventory, "syt-*") == {"syt-r1", "syt-fw1"}
    assert names(inventory, "syt-r1") == {"syt-r1"}
    assert "syt-r1" not in names(inventory, "platform!=cisco_ios")
    assert names(inventory, "agency_name=*an phú*") == {"ubnd-ap-r1", "ubnd-ap-fw1"}


def test_group_matches_inherited_and_list_data(inventory: Inventory) -> None:
    assert len(names(inventory, "group=cisco_ios")) == sum(h.platform == "cisco_ios" for h in inventory)
    assert names(inventory, "ntp_servers=10.0.10.5") == set(inventory.hosts)


def test_unknown_field_lists_valid_ones(inventory: Inventory) -> None:
    with pytest.raises(FilterError) as info:
        select(inventory, ["distrct=an-phu"])
    message = str(info.value)
    assert "unknown filter field 'distrct'" in message
    assert "district" in message and "platform" in message and "group" in message


def test_empty_value_is_an_error(inventory: Inventory) -> None:
    with pytest.raises(FilterError, match="has no value"):
        select(inventory, ["role="])
