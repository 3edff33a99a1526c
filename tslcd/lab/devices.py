"""Lab devices: one inventory host, its lab address, its model (created on first login) and state."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tslcd.errors import InputError
from tslcd.inventory.model import HostInfo
from tslcd.lab.models.base import DeviceModel
from tslcd.lab.topology import Topology
from tslcd.paths import inside
from tslcd.platforms import get_platform, load_object

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")

ModelFinder = Callable[[str], type[DeviceModel]]


def registry_model(platform: str) -> type[DeviceModel]:
    """The platform registry's lab model class for ``platform``."""
    ref = get_platform(platform).lab_model
    try:
        return load_object(ref)
    except ImportError as exc:
        raise InputError(f"the lab model for {platform} ({ref}) cannot be imported: {exc}") from exc


@dataclass
class LabDevice:
    """One virtual device; its model is built on first use so a 1,000-device lab starts fast."""

    name: str
    address: str
    platform: str
    host: dict[str, Any]
    model_class: type[DeviceModel]
    problems: tuple[str, ...] = ()
    state_dir: Path | None = None
    _model: DeviceModel | None = field(default=None, repr=False)

    @property
    def model(self) -> DeviceModel:
        """The device model, created (and its state folder with it) the first time it is needed."""
        if self._model is None:
            if self.state_dir is not None:
                self.state_dir.mkdir(parents=True, exist_ok=True)
            self._model = self.model_class(self.name, self.host, self.state_dir, self.problems)
        return self._model


def check_loopback(devices: Iterable[LabDevice]) -> None:
    """Refuse any lab address outside 127.0.0.0/8: the lab must never answer on a real network."""
    bad: list[str] = []
    seen: dict[str, str] = {}
    for device in devices:
        try:
            address = ipaddress.ip_address(device.address)
        except ValueError:
            bad.append(f"{device.name}: {device.address!r} is not an IP address")
            continue
        if address not in LOOPBACK:
            bad.append(f"{device.name}: {address} is outside 127.0.0.0/8")
        elif str(address) in seen:
            bad.append(f"{device.name}: {address} is already used by {seen[str(address)]}")
        seen.setdefault(str(address), device.name)
    if bad:
        raise InputError("the lab only binds 127.0.0.0/8 addresses, one per device; refusing to start",
                         bad)


def build_devices(hosts: Iterable[HostInfo], topology: Topology, state_root: Path | None,
                  model_for: ModelFinder = registry_model) -> list[LabDevice]:
    """Lab devices for ``hosts``; state under ``state_root/<name>/`` (None: in memory only)."""
    hosts = list(hosts)
    classes = {platform: model_for(platform) for platform in {h.platform for h in hosts}}
    return [
        LabDevice(name=h.name, address=h.hostname, platform=h.platform, host=h.flat(),
                  model_class=classes[h.platform], problems=topology.setup(h.name).problems,
                  state_dir=inside(state_root, h.name) if state_root else None)
        for h in hosts
    ]
