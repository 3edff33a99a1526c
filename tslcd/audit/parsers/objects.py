"""Named objects and groups (nested), resolved to header-space sets on first use.

Parsers record each object's own values and the names it nests; a rule asks for a name and gets
its values with the nesting flattened. A name nobody defined is recorded as an undefined
reference (with the line that used it) and contributes nothing, like on the device.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tslcd.audit.model import Evidence, ObjectDef, ParsedConfig
from tslcd.audit.space import SRC, IntervalSet, normalize, subtract_sets

# A service as the set of packets it names: (protocols, source ports, destination ports, ICMP types).
Service = tuple[IntervalSet, IntervalSet, IntervalSet, IntervalSet]


@dataclass
class _Entry:
    definition: ObjectDef
    addresses: IntervalSet = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    inexact: str = ""  # why the object's values are not fully modelled
    excluded: list[str] = field(default_factory=list)  # members whose addresses are taken out


class Objects:
    """The object table of one configuration."""

    def __init__(self, parsed: ParsedConfig) -> None:
        self.parsed = parsed
        self._entries: dict[str, _Entry] = {}

    def define(self, name: str, kind: str, line: int) -> None:
        """Start (or continue) the definition of an object."""
        if name not in self._entries:
            definition = ObjectDef(name=name, kind=kind, line=line)
            self._entries[name] = _Entry(definition)
            self.parsed.objects[name] = definition

    def add_addresses(self, name: str, intervals: IntervalSet) -> None:
        """Add address values to an object being defined."""
        self._entries[name].addresses.extend(intervals)

    def add_service(self, name: str, service: Service) -> None:
        """Add one service to an object being defined."""
        self._entries[name].services.append(service)

    def add_member(self, name: str, member: str) -> None:
        """Record that object ``name`` nests object ``member``."""
        self._entries[name].definition.members.append(member)

    def add_excluded(self, name: str, member: str) -> None:
        """Record that the addresses of ``member`` are taken out of group ``name`` (FortiOS exclude)."""
        self._entries[name].excluded.append(member)

    def mark_inexact(self, name: str, reason: str) -> None:
        """The object has values the model cannot represent (FQDN, geography, ...)."""
        self._entries[name].inexact = reason

    def has(self, name: str) -> bool:
        """True when the name is defined."""
        return name in self._entries

    def is_port_group(self, name: str) -> bool:
        """True for a group of ports only (ASA ``object-group service NAME tcp``)."""
        return self._entries[name].definition.kind == "port-group"

    def addresses(self, name: str, used_at: Evidence) -> tuple[IntervalSet, str]:
        """Addresses of a (nested) object and the reason it is inexact ("" when exact)."""
        values, inexact = self._collect(name, used_at, "addresses", set(), True)
        return normalize(values), inexact  # type: ignore[arg-type]

    def services(self, name: str, used_at: Evidence) -> tuple[list[Service], str]:
        """Services of a (nested) object and the reason it is inexact ("" when exact)."""
        values, inexact = self._collect(name, used_at, "services", set(), True)
        return values, inexact  # type: ignore[return-value]

    def _collect(
        self, name: str, used_at: Evidence, attr: str, seen: set[str], record: bool
    ) -> tuple[list, str]:
        entry = self._entries.get(name)
        if record:
            self.parsed.used_objects.add(name)
            if entry is None:
                self.parsed.undefined_refs.append((name, used_at))
        if entry is None:
            return [], ""
        if name in seen:
            return [], ""
        seen.add(name)
        values = list(getattr(entry, attr))
        inexact = entry.inexact
        for member in entry.definition.members:
            more, why = self._collect(member, used_at, attr, seen, False)
            values.extend(more)
            inexact = inexact or why
        if entry.excluded and attr == "addresses":
            cut: IntervalSet = []
            for member in entry.excluded:
                more, why = self._collect(member, used_at, attr, set(seen), False)
                cut.extend(more)
                inexact = inexact or why
            values = subtract_sets(normalize(values), cut, SRC)
        return values, inexact

    def finish(self) -> None:
        """Mark groups that resolve to nothing as empty, and count nesting as use."""
        for name, entry in self._entries.items():
            for member in entry.definition.members + entry.excluded:
                self.parsed.used_objects.add(member)
                if member not in self._entries:
                    self.parsed.undefined_refs.append(
                        (
                            member,
                            Evidence(entry.definition.line, self.parsed.line_text(entry.definition.line)),
                        )
                    )
            if not entry.definition.kind.endswith("group"):
                continue
            addrs, _ = self._collect(name, Evidence(0, ""), "addresses", set(), False)
            svcs, _ = self._collect(name, Evidence(0, ""), "services", set(), False)
            entry.definition.empty = not addrs and not svcs and not entry.inexact
        self.parsed.used_objects &= set(self._entries)
