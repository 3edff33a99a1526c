"""`grep`: search the stored configs of the selected devices, now or as they were at a date.

Answers "where is this line configured?" (every matching line with its file and line number)
and, with `missing`, "which devices lack it?" ("which firewalls have no logging host"), with
counts per agency. The backups are read from git in one pass; nothing contacts a device.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tslcd.config import Config
from tslcd.errors import InputError
from tslcd.services.history import revision_at
from tslcd.services.inventory import load_selection
from tslcd.store.configs import ConfigStore, layout_path
from tslcd.textsafe import neutralise

MAX_PATTERN = 500


@dataclass(frozen=True)
class Match:
    """One matching line of one device's stored config."""

    host: str
    path: str
    line: int
    text: str


@dataclass
class SearchResult:
    """What `grep` found among the selected hosts' backups at one revision."""

    pattern: str
    revision: str
    matches: list[Match] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # a stored config, no matching line
    no_config: list[str] = field(default_factory=list)  # selected, never backed up (at that time)
    agencies: dict[str, dict[str, int]] = field(default_factory=dict)
    agency_of: dict[str, str] = field(default_factory=dict)  # host -> its agency

    @property
    def matching_hosts(self) -> list[str]:
        """Hosts with at least one matching line, in the order found."""
        return list(dict.fromkeys(m.host for m in self.matches))

    def as_dict(self) -> dict[str, Any]:
        """Plain data (``--json``)."""
        return {"pattern": self.pattern, "revision": self.revision,
                "matches": [{"host": m.host, "path": m.path, "line": m.line, "text": m.text}
                            for m in self.matches],
                "missing": [{"host": h, "agency": self.agency_of[h]} for h in self.missing],
                "no_config": self.no_config, "agencies": self.agencies}


def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    if not pattern or len(pattern) > MAX_PATTERN:
        raise InputError(f"the pattern must have 1 to {MAX_PATTERN} characters")
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise InputError(f"bad regular expression {pattern!r}: {exc}") from None


def search(config: Config, pattern: str, filters: Sequence[str] | None = None, *,
           at: str | None = None, ignore_case: bool = False) -> SearchResult:
    """Every line matching ``pattern`` in the selected hosts' configs at ``at`` (default: latest)."""
    regex = _compile(pattern, ignore_case)
    hosts = load_selection(config, list(filters or [])).hosts
    if not hosts:
        raise InputError(f"no host matches {' '.join(filters or [])!r}")
    store = ConfigStore(config.data_dir)
    revision = revision_at(store, at) if at else (store.resolve("HEAD") or "")
    if not revision:
        raise InputError("no backups yet: run `tslcd backup` first")
    stored = store.read_many([h.name for h in hosts], revision)
    result = SearchResult(pattern, revision)
    counts: dict[str, Counter[str]] = {}
    for host in hosts:
        agency = str(host.data.get("agency_name") or host.data.get("agency_code") or "-")
        result.agency_of[host.name] = agency
        tally = counts.setdefault(agency, Counter())
        tally["hosts"] += 1
        if host.name not in stored:
            result.no_config.append(host.name)
            tally["no_config"] += 1
            continue
        path = layout_path(host.name, host.data.get("agency_type"), host.data.get("agency_code"))
        text = stored[host.name]
        found = [Match(host.name, path, number, neutralise(line))
                 for number, line in enumerate(text.splitlines(), start=1) if regex.search(line)]
        result.matches.extend(found)
        if found:
            tally["matching"] += 1
        else:
            result.missing.append(host.name)
            tally["missing"] += 1
    result.agencies = {agency: {k: tally[k] for k in ("hosts", "matching", "missing", "no_config")}
                       for agency, tally in counts.items()}
    return result
