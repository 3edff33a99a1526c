"""How the inventory tree groups hosts: first level chosen by the operator, then agency, then device.

Pure presentation data (no Textual), so the tree widget only draws what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tslcd.inventory import HostInfo

# grouping name -> (data key, data key of its readable name)
GROUPINGS: dict[str, tuple[str, str]] = {
    "agency type": ("agency_type", "agency_type_name"),
    "district": ("district", "district_name"),
    "role": ("role", "role_name"),
}


@dataclass
class Agency:
    """One agency under a first-level group, with its devices in inventory order."""

    label: str
    hosts: list[HostInfo] = field(default_factory=list)


@dataclass
class Group:
    """One first-level branch (an agency type, a district or a role)."""

    key: str
    label: str
    agencies: dict[str, Agency] = field(default_factory=dict)

    @property
    def host_count(self) -> int:
        """Devices under this branch (shown on the branch label)."""
        return sum(len(a.hosts) for a in self.agencies.values())


def group_hosts(hosts: Iterable[HostInfo], grouping: str) -> list[Group]:
    """Hosts as first-level groups of agencies, in order of first appearance in the inventory."""
    key_field, name_field = GROUPINGS[grouping]
    groups: dict[str, Group] = {}
    for host in hosts:
        key = str(host.get(key_field) or "-")
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, str(host.get(name_field) or key))
        code = str(host.get("agency_code") or "-")
        agency = group.agencies.get(code)
        if agency is None:
            agency = group.agencies[code] = Agency(f"{code} {host.get('agency_name') or ''}".strip())
        agency.hosts.append(host)
    return list(groups.values())
