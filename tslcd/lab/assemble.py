"""Builds a lab from the project config: which hosts, their planted problems and faults, keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory import Inventory, load_inventory
from tslcd.inventory.filters import select
from tslcd.lab.credentials import lab_dir, load_lab_credentials
from tslcd.lab.devices import ModelFinder, build_devices, registry_model
from tslcd.lab.keys import load_host_key
from tslcd.lab.models.base import set_time_scale
from tslcd.lab.scale import write_scaled_inventory
from tslcd.lab.server import Lab
from tslcd.lab.topology import load_topology

SCALED_INVENTORY = "inventory"  # folder in the lab folder holding the inventory with extra sites


def lab_inventory(config: Config, extra_sites: int = 0) -> Inventory:
    """The inventory the lab serves: the project's, or a copy with ``extra_sites`` more sites."""
    if extra_sites:
        out = lab_dir(config.data_dir) / SCALED_INVENTORY
        write_scaled_inventory(config.inventory_dir, out, extra_sites)
        config = dataclasses.replace(config, inventory=str(out))
    return load_inventory(config)


def assemble_lab(config: Config, filters: Sequence[str] = (), extra_sites: int = 0,
                 model_for: ModelFinder = registry_model) -> Lab:
    """A lab (not yet started) serving exactly the selected hosts of the lab inventory."""
    inventory = lab_inventory(config, extra_sites)
    hosts = select(inventory, filters)
    if not hosts:
        raise InputError("the filter selects no host: the lab would serve nothing")
    topology = load_topology(config.lab_topology_path, inventory.hosts)
    set_time_scale(config.lab.time_scale)
    folder = lab_dir(config.data_dir)
    devices = build_devices(hosts, topology, folder / "devices", model_for)
    return Lab(devices, port=config.lab.port, host_key=load_host_key(folder),
               credentials=load_lab_credentials(config.data_dir),
               faults={h.name: topology.setup(h.name).faults for h in hosts})
