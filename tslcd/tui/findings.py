"""Selecting, sorting and paging audit findings in Python, so the table only ever holds one page.

Filter syntax, close to the inventory's: terms separated by commas or spaces combine with AND;
``field=value`` (globs, ``a|b``), ``field!=value``, ``severity>=high``; a bare word matches any of
host, check, list, rule, message or rule text. Fields: severity, host, check, list, rule, platform.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tslcd.audit.model import Finding, Severity
from tslcd.errors import FilterError

FIELDS: dict[str, Callable[[Finding], str]] = {
    "severity": lambda f: f.severity.name,
    "host": lambda f: f.host,
    "check": lambda f: f.check,
    "list": lambda f: f.list_name,
    "rule": lambda f: f.rule,
    "platform": lambda f: f.platform,
}
# sort column -> key; severity sorts most severe first, the others alphabetically
SORTS: dict[str, Callable[[Finding], Any]] = {
    "severity": lambda f: (-f.severity, f.host, f.check, f.line),
    "device": lambda f: (f.host, -f.severity, f.check, f.line),
    "check": lambda f: (f.check, -f.severity, f.host, f.line),
    "rule": lambda f: (f.host, f.list_name, f.line, f.check),
}
_TERM = re.compile(r"^(?P<field>[a-z_]+)\s*(?P<op>!=|>=|=)\s*(?P<value>.+)$")


class FindingSet:
    """Findings with their search text and sort orders computed once, so a keystroke in the filter
    box costs one scan of 20,000 findings, not a rebuild and a sort."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        self._text: dict[int, str] | None = None
        self._orders: dict[str, list[Finding]] = {}

    def search_text(self, finding: Finding) -> str:
        """Host, check, list, rule, message and rule text, case-folded (what a bare word searches)."""
        if self._text is None:
            self._text = {id(f): "\n".join((f.host, f.check, f.list_name, f.rule, f.message,
                                              f.text)).casefold() for f in self.findings}
        return self._text[id(finding)]

    def ordered(self, sort: str) -> list[Finding]:
        """The findings in one of the SORTS orders."""
        if sort not in self._orders:
            self._orders[sort] = sorted(self.findings, key=SORTS[sort])
        return self._orders[sort]


@dataclass(frozen=True)
class _Term:
    field: str | None  # None: a bare word
    op: str
    patterns: tuple[str, ...]

    def matches(self, finding: Finding, found: FindingSet) -> bool:
        if self.field is None:
            return self.patterns[0] in found.search_text(finding)
        if self.op == ">=":
            return finding.severity >= Severity[self.patterns[0]]
        value = FIELDS[self.field](finding).casefold()
        hit = any(fnmatch.fnmatchcase(value, p) for p in self.patterns)
        return hit != (self.op == "!=")


def parse(text: str) -> list[_Term]:
    """Terms of a findings filter; an unknown field or severity is an error naming the valid ones."""
    terms = []
    for raw in re.split(r"[,\s]+", text.strip()):
        if not raw:
            continue
        match = _TERM.match(raw)
        if match is None:
            terms.append(_Term(None, "", (raw.casefold(),)))
            continue
        field, op, value = match["field"], match["op"], match["value"].casefold()
        if field not in FIELDS:
            raise FilterError(f"unknown field {field!r}; fields: {', '.join(FIELDS)}")
        patterns = tuple(p for p in value.split("|") if p)
        if op == ">=" and (field != "severity" or patterns[0] not in Severity.__members__):
            raise FilterError(f"'>=' compares severities: severity>={'|'.join(Severity.__members__)}")
        terms.append(_Term(field, op, patterns))
    return terms


def select(found: FindingSet, text: str, sort: str = "severity") -> list[Finding]:
    """The findings matching the filter text, in the chosen order."""
    terms = parse(text)
    ordered = found.ordered(sort)
    if not terms:
        return list(ordered)
    return [f for f in ordered if all(t.matches(f, found) for t in terms)]


def page_of(rows: Sequence[Finding], page: int, size: int) -> tuple[list[Finding], int, int]:
    """One page of rows, the page number actually shown (clamped) and the number of pages."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(page, 0), pages - 1)
    return list(rows[page * size:(page + 1) * size]), page, pages
