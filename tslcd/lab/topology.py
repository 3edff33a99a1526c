"""The lab topology file: which planted problems and which faults each lab device starts with.

Format (``lab/topology.yaml``)::

    hosts:
      stc-fw1:
        problems: [shadowed-rule, no-logging]   # names from PROBLEM_KINDS
        faults: {latency: 0.5}                  # kind: value (null for kinds without one)

Hosts the file does not name start clean. A name the inventory does not have, an unknown problem
or an unknown fault is an error naming the file and the host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tslcd import yamlsafe
from tslcd.errors import InputError
from tslcd.lab.faults import check_fault
from tslcd.lab.models.base import PROBLEM_KINDS


@dataclass(frozen=True)
class DeviceSetup:
    """What one device starts with."""

    problems: tuple[str, ...] = ()
    faults: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Topology:
    """Per-host set-up read from the topology file."""

    hosts: dict[str, DeviceSetup] = field(default_factory=dict)

    def setup(self, name: str) -> DeviceSetup:
        """The set-up of one host (clean when the file does not name it)."""
        return self.hosts.get(name, DeviceSetup())


def _faults(raw: object, where: str, problems: list[str]) -> dict[str, float | None]:
    items = raw.items() if isinstance(raw, dict) else ((k, None) for k in raw or [])
    faults: dict[str, float | None] = {}
    for kind, value in items:
        try:
            faults[str(kind)] = check_fault(str(kind), value)
        except InputError as exc:
            problems.append(f"{where}: {exc}")
    return faults


def load_topology(path: Path, known_hosts: Iterable[str]) -> Topology:
    """Read and check the topology file; a missing file means every device starts clean."""
    if not path.exists():
        return Topology()
    try:
        raw = yamlsafe.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("hosts") or {}, dict):
        raise InputError(f"{path}: expected a mapping with a 'hosts:' mapping of host names")
    unknown_keys = sorted(set(raw) - {"hosts"})
    problems = [f"{path}: unknown key {k!r} (valid: hosts)" for k in unknown_keys]
    known = set(known_hosts)
    hosts: dict[str, DeviceSetup] = {}
    for name, entry in (raw.get("hosts") or {}).items():
        where = f"{path}: host {name!r}"
        if name not in known:
            problems.append(f"{where}: not in the inventory")
            continue
        entry = entry or {}
        extra = sorted(set(entry) - {"problems", "faults"})
        problems.extend(f"{where}: unknown key {k!r} (valid: problems, faults)" for k in extra)
        planted = tuple(str(p) for p in entry.get("problems") or ())
        problems.extend(f"{where}: unknown problem {p!r}" for p in planted if p not in PROBLEM_KINDS)
        hosts[name] = DeviceSetup(planted, _faults(entry.get("faults"), where, problems))
    if problems:
        raise InputError(f"lab topology {path} has {len(problems)} problem(s)", problems)
    return Topology(hosts)
