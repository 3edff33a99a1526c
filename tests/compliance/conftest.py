"""A project whose backup store holds what a backup of the sample lab stores: each host's first
configuration with its planted problems (lab/topology.yaml), masked as a backup masks it. No SSH:
the evidence the compliance report cites is the same file:line a real backup run would give."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE_TOPOLOGY, fetched_config

from tslcd.config import Config, load_config
from tslcd.inventory import load_inventory
from tslcd.lab.topology import load_topology
from tslcd.platforms import get_platform, load_object
from tslcd.sanitize import sanitize
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path


def write_project(tmp: Path, **compliance: str) -> Path:
    """A tslcd.yaml using the sample inventory, packs and topology with its own data folder."""
    path = tmp / "tslcd.yaml"
    path.write_text(yaml.safe_dump({
        "inventory": str(ROOT / "inventory"), "templates": str(ROOT / "templates"),
        "data": str(tmp / "data"), "lab": {"topology": str(SAMPLE_TOPOLOGY)},
        "compliance": {"packs": str(ROOT / "compliance"), "province": "UBND tỉnh An Giang",
                       **compliance},
    }, allow_unicode=True), encoding="utf-8")
    return path


def planted_problems(config: Config) -> dict[str, tuple[str, ...]]:
    """Each host's planted problems from the lab topology."""
    topology = load_topology(SAMPLE_TOPOLOGY, [h.name for h in load_inventory(config)])
    return {name: tuple(spec.problems) for name, spec in topology.hosts.items()}


def store_lab_backups(config: Config) -> dict[str, tuple[str, ...]]:
    """Store every sample host's first configuration as one backup commit; the planted problems."""
    problems = planted_problems(config)
    store = ConfigStore(config.data_dir)
    store.prepare()
    stored = []
    for host in load_inventory(config):
        model = load_object(get_platform(host.platform).lab_model)
        text = fetched_config(model(host.name, host.flat(), None, problems.get(host.name, ())))
        path = layout_path(host.name, host.get("agency_type"), host.get("agency_code"))
        stored.append(StoredConfig(host.name, path, sanitize(text, get_platform(host.platform))))
    with store.writer():
        store.write(stored)
        store.commit("lab backups")
    return problems


@pytest.fixture(scope="module")
def lab_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, dict[str, tuple[str, ...]]]:
    """A project with the lab's backups stored (shared by a module's tests: they only read)."""
    tmp = tmp_path_factory.mktemp("compliance")
    config = load_config(str(write_project(tmp)))
    return config, store_lab_backups(config)
