"""One host-selection syntax for every command (CLI, TUI, scheduler).

``--filter`` takes terms separated by commas; repeated ``--filter`` options and the terms of one
option all combine with AND. A term is ``field=value`` (glob patterns and ``a|b`` alternatives
allowed, case-insensitive), ``field!=value``, or a bare host name (glob allowed). Fields are
``name``, ``hostname``, ``platform``, ``group`` and every data key the inventory uses.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tslcd.errors import FilterError
from tslcd.inventory.model import HostInfo, Inventory

BUILTIN_FIELDS = ("name", "hostname", "platform", "group")
_TERM = re.compile(r"^\s*(?P<field>[A-Za-z_][\w.-]*)\s*(?P<op>!=|=)\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Term:
    """One parsed condition."""

    field: str
    negate: bool
    patterns: tuple[str, ...]

    def matches(self, host: HostInfo) -> bool:
        """True when the host satisfies this condition."""
        hit = any(_match(value, p) for value in _values(host, self.field) for p in self.patterns)
        return hit != self.negate


def _values(host: HostInfo, field: str) -> list[str]:
    if field == "name":
        return [host.name]
    if field == "hostname":
        return [host.hostname]
    if field == "platform":
        return [host.platform]
    if field == "group":
        return list(host.all_groups)
    value = host.data.get(field)
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def _match(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value.casefold(), pattern.casefold())


def valid_fields(inventory: Inventory) -> list[str]:
    """Every field a filter may name for this inventory."""
    data_keys = sorted({key for host in inventory for key in host.data})
    return [*BUILTIN_FIELDS, *data_keys]


def parse(expressions: Sequence[str], inventory: Inventory) -> list[Term]:
    """Parse --filter expressions; an unknown field is an error listing the valid ones."""
    fields = set(valid_fields(inventory))
    terms: list[Term] = []
    for expression in expressions:
        for raw in expression.split(","):
            if not raw.strip():
                continue
            match = _TERM.match(raw)
            if match is None:
                if "=" in raw:
                    raise FilterError(f"cannot parse filter term {raw.strip()!r} (use field=value)")
                terms.append(Term("name", False, (raw.strip(),)))
                continue
            field = match["field"]
            if field not in fields:
                raise FilterError(
                    f"unknown filter field {field!r}; valid fields: {', '.join(valid_fields(inventory))}"
                )
            patterns = tuple(p.strip() for p in match["value"].split("|") if p.strip())
            if not patterns:
                raise FilterError(f"filter term {raw.strip()!r} has no value")
            terms.append(Term(field, match["op"] == "!=", patterns))
    return terms


def predicate(expressions: Sequence[str], inventory: Inventory) -> Callable[[HostInfo], bool]:
    """A function telling whether a host is selected (what Nornir's F/filter_func is given)."""
    terms = parse(expressions, inventory)
    return lambda host: all(term.matches(host) for term in terms)


def select(inventory: Inventory, expressions: Iterable[str] | None) -> list[HostInfo]:
    """The hosts selected by ``expressions`` (all hosts when there are none), in inventory order."""
    keep = predicate(list(expressions or []), inventory)
    return [host for host in inventory if keep(host)]
