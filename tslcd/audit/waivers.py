"""Accepted risks (``<inventory>/waivers.yaml``): findings the operator has decided to live with.

A waiver names a finding by its fingerprint, or by check + host (+ list, + rule: the rule's key
such as ``policy 7`` or its configuration text), and says why, who decided, the ticket and when the
decision expires. A waived finding is still reported, marked accepted, but does not count as new
or failing; once the expiry date has passed it counts again and the report says the waiver expired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tslcd.audit.model import Finding
from tslcd.errors import InputError
from tslcd.inventory.yamlfile import LocatedMapping, load_located

WAIVERS_FILE = "waivers.yaml"
_REQUIRED = ("reason", "who", "ticket", "expires")
_MATCH = ("fingerprint", "check", "host", "list", "rule")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Waiver:
    """One accepted risk."""

    name: str
    reason: str
    who: str
    ticket: str
    expires: date
    fingerprint: str = ""
    check: str = ""
    host: str = ""
    list_name: str = ""
    rule: str = ""
    where: str = ""  # file:line, for messages

    def matches(self, finding: Finding) -> bool:
        """The finding is the one this waiver names."""
        if self.fingerprint:
            return finding.fingerprint == self.fingerprint
        return (
            finding.check == self.check
            and finding.host == self.host
            and self.list_name in ("", finding.list_name)
            and (not self.rule or self.rule in (finding.rule, " ".join(finding.text.split())))
        )

    def expired(self, today: date) -> bool:
        """Past its expiry date (a waiver is valid through the day it names)."""
        return today > self.expires


@dataclass(frozen=True)
class Waived:
    """A finding's waiver and whether it still holds."""

    waiver: Waiver
    expired: bool

    def label(self) -> str:
        """``accepted until 2027-03-31 (CHG-1234, Nguyen Van A)`` or ``waiver expired 2026-01-31``."""
        w = self.waiver
        if self.expired:
            return f"waiver '{w.name}' expired {w.expires.isoformat()} ({w.ticket}): counts again"
        return f"accepted until {w.expires.isoformat()} ({w.ticket}, {w.who}): {w.reason}"


def load_waivers(path: Path, known_checks: set[str] | None = None) -> list[Waiver]:
    """Every waiver in ``path`` (none when the file is absent); any problem raises `InputError`
    listing each one with file:line."""
    problems: list[str] = []
    located = load_located(path, problems, required=False)
    waivers = [] if located is None else [_waiver(located, name, raw, problems, known_checks)
                                          for name, raw in located.values.items()]
    if problems:
        raise InputError(f"{path}: invalid waivers", problems)
    return [w for w in waivers if w is not None]


def _waiver(located: LocatedMapping, name: str, raw: Any, problems: list[str],
            known_checks: set[str] | None) -> Waiver | None:
    if not isinstance(raw, dict):
        problems.append(f"{located.where(name)}: waiver {name!r} must be a mapping of fields")
        return None
    before = len(problems)
    for key in raw:
        if key not in (*_REQUIRED, *_MATCH):
            problems.append(f"{located.where(name, str(key))}: waiver {name!r}: unknown field {key!r} "
                            f"(fields: {', '.join((*_MATCH, *_REQUIRED))})")
    for key in _REQUIRED:
        if raw.get(key) in (None, ""):
            problems.append(f"{located.where(name)}: waiver {name!r}: missing {key!r}")
    for key in (*_MATCH, "reason", "who", "ticket"):
        if key in raw and not isinstance(raw[key], str | int):
            problems.append(f"{located.where(name, key)}: waiver {name!r}: {key!r} must be text")
    fields = {k: str(raw.get(k) or "") for k in (*_MATCH, "reason", "who", "ticket")}
    if fields["fingerprint"]:
        if not _FINGERPRINT.fullmatch(fields["fingerprint"]):
            problems.append(f"{located.where(name, 'fingerprint')}: waiver {name!r}: a fingerprint is "
                            "16 hex digits (as shown by 'tslcd audit --format json')")
        if any(fields[k] for k in ("check", "host", "list", "rule")):
            problems.append(f"{located.where(name, 'fingerprint')}: waiver {name!r}: give either "
                            "fingerprint or check + host (+ list, rule), not both")
    elif not (fields["check"] and fields["host"]):
        problems.append(f"{located.where(name)}: waiver {name!r}: name the finding by fingerprint, "
                        "or by check and host (optionally list and rule)")
    elif known_checks is not None and fields["check"] not in known_checks:
        problems.append(f"{located.where(name, 'check')}: waiver {name!r}: unknown check "
                        f"{fields['check']!r}")
    expires = raw.get("expires")
    if expires not in (None, "") and not isinstance(expires, date):
        problems.append(f"{located.where(name, 'expires')}: waiver {name!r}: 'expires' must be a date "
                        "written YYYY-MM-DD")
    if len(problems) > before:
        return None
    if isinstance(expires, datetime):
        expires = expires.date()
    return Waiver(name=name, reason=fields["reason"], who=fields["who"], ticket=fields["ticket"],
                  expires=expires, fingerprint=fields["fingerprint"], check=fields["check"],
                  host=fields["host"], list_name=fields["list"], rule=" ".join(fields["rule"].split()),
                  where=located.where(name))


def match(findings: list[Finding], waivers: list[Waiver], today: date) -> dict[str, Waived]:
    """fingerprint -> its waiver (the first that names it; an unexpired one wins over an expired)."""
    out: dict[str, Waived] = {}
    if not waivers:
        return out
    by_print = {w.fingerprint: w for w in waivers if w.fingerprint}
    by_check: dict[tuple[str, str], list[Waiver]] = {}
    for w in waivers:
        if not w.fingerprint:
            by_check.setdefault((w.check, w.host), []).append(w)
    for f in findings:
        fp = f.fingerprint
        named = [by_print[fp]] if fp in by_print else []
        candidates = [w for w in named + by_check.get((f.check, f.host), []) if w.matches(f)]
        if candidates:
            best = min(candidates, key=lambda w: w.expired(today))
            out[fp] = Waived(best, best.expired(today))
    return out
