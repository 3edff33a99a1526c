"""The lab twin: lab devices booted from their latest stored backup instead of a generated config.

A push rehearsed on the twin (``tslcd push ... --lab``) then shows the diff a real push would
make, because each lab device holds what the real device held at its last backup. Backups are
stored masked (`tslcd.sanitize`), so each masked secret is replaced by a lab value: the lab's
enable secret for ``enable`` lines, the lab's password for local accounts, a fixed lab value
elsewhere. The report names every replaced line by its masked text (never a value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.inventory.credentials import Credentials
from tslcd.inventory.filters import select
from tslcd.lab.assemble import lab_inventory
from tslcd.lab.credentials import lab_dir, load_lab_credentials
from tslcd.lab.devices import LabDevice, ModelFinder, build_devices, registry_model
from tslcd.lab.topology import load_topology
from tslcd.sanitize import MASK
from tslcd.store.configs import ConfigStore

#: What replaces a secret that is neither an enable secret nor an account's password.
LAB_VALUE = "tslcd-lab-value"
#: A masked value with what surrounds it: an encryption type before it (IOS ``secret 9``,
#: FortiOS ``ENC``), quotes, and a hash kind after it (ASA ``pbkdf2``/``encrypted``).
_MASKED = re.compile(r"(?:\s+(?:\d{1,2}|ENC))?\s+(\"?)" + re.escape(MASK)
                     + r"\"?(?:\s+(?:pbkdf2|encrypted)\b)?")
_ENABLE = re.compile(r"^\s*enable (?:secret|password)\b")
_ACCOUNT = re.compile(r"^\s*(?:username \S+|set password\b|passwd\b)")


@dataclass
class TwinDevice:
    """What the twin did for one device."""

    name: str
    from_backup: bool
    replaced: list[str] = field(default_factory=list)  # masked lines given a lab value


def lab_secret(line: str, credentials: Credentials) -> str:
    """The lab value a masked line gets."""
    if _ENABLE.match(line):
        return credentials.secret
    if _ACCOUNT.match(line):
        return credentials.password
    return LAB_VALUE


def _filler(value: str) -> Callable[[re.Match[str]], str]:
    """The replacement of one masked value (quoted when the mask was)."""
    return lambda match: f" {match.group(1)}{value}{match.group(1)}"


def unmask(text: str, credentials: Credentials) -> tuple[str, list[str]]:
    """A stored config with every masked secret replaced by a lab value, and the lines replaced."""
    lines, replaced = [], []
    for line in text.splitlines():
        if MASK in line:
            replaced.append(line.strip())
            line = _MASKED.sub(_filler(lab_secret(line, credentials)), line)
        lines.append(line)
    return "\n".join(lines) + "\n", replaced


def seed_device(device: LabDevice, text: str, credentials: Credentials) -> TwinDevice:
    """Write a backup into the device's boot file and check the device boots from it."""
    name = device.model_class.saved_config_file
    if name is None or device.state_dir is None:
        raise InputError(f"{device.name}: the {device.platform} lab model cannot boot from a backup")
    body, replaced = unmask(text, credentials)
    _clear(device)
    device.state_dir.mkdir(parents=True, exist_ok=True)
    (device.state_dir / name).write_text(body, encoding="utf-8")
    try:
        device.model_class(device.name, device.host, device.state_dir, ())
    except ValueError as exc:
        raise InputError(f"{device.name}: its latest backup does not load into the lab: {exc}") from None
    return TwinDevice(device.name, True, replaced)


def seed_twin(config: Config, filters: Sequence[str] = (), extra_sites: int = 0,
              model_for: ModelFinder = registry_model) -> list[TwinDevice]:
    """Give every selected lab device its latest stored backup as the configuration it boots from.

    Devices without a backup keep the generated configuration. The lab must not be running.
    """
    inventory = lab_inventory(config, extra_sites)
    hosts = select(inventory, filters)
    if not hosts:
        raise InputError("the filter selects no host: the twin would hold nothing")
    topology = load_topology(config.lab_topology_path, inventory.hosts)
    devices = build_devices(hosts, topology, lab_dir(config.data_dir) / "devices", model_for)
    store = ConfigStore(config.data_dir)
    credentials = load_lab_credentials(config.data_dir)
    report = []
    for device in devices:
        text = store.read(device.name)
        if text is None:  # no backup: the generated configuration, not an older lab state
            _clear(device)
            report.append(TwinDevice(device.name, False))
            continue
        report.append(seed_device(device, text, credentials))
    return report


def _clear(device: LabDevice) -> None:
    if device.state_dir is not None and device.state_dir.is_dir():
        for stale in device.state_dir.iterdir():
            if stale.is_file():
                stale.unlink()
