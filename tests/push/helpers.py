"""Shared by the push tests: the sample inventory, the example change file, offline device models."""

from __future__ import annotations

import re
from pathlib import Path

from tslcd.config import Config, load_config
from tslcd.inventory import HostInfo, Inventory, load_inventory
from tslcd.lab.models.base import DeviceModel
from tslcd.platforms import get_platform, load_object

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
CHANGE_VARS = TEMPLATES / "change.example.yaml"


def sample() -> tuple[Config, Inventory]:
    """The project's sample config and inventory, templates from the repository."""
    config = load_config(str(ROOT / "tslcd.yaml"))
    return config, load_inventory(config)


def model(host: HostInfo) -> DeviceModel:
    """A lab device model for the host, in memory (no SSH): what the lab would serve."""
    return load_object(get_platform(host.platform).lab_model)(host.name, host.flat(), None)


def configure(device: DeviceModel, lines: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """Type config lines into a model's CLI the way Netmiko does; returns (line, error) refused."""
    platform = get_platform(device.platform)
    session = device.new_session("tester", "secret")
    session.handle("enable")
    if not session.echo:
        session.handle("secret")
    session.handle("configure terminal")
    refused = []
    for line in lines:
        output = session.handle(line)
        if re.search(platform.error_pattern, output, flags=re.MULTILINE):
            refused.append((line, output))
    session.handle("end")
    return refused
