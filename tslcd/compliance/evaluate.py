"""Evaluate a pack's controls on one device: its stored configuration and its audit findings.

Every verdict carries its evidence: the configuration lines (file:line of the stored backup) that
satisfy or break the control, or the audit findings that break it. What cannot be decided from the
configuration is said to need a manual check, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tslcd.audit.model import Finding
from tslcd.audit.waivers import Waived
from tslcd.compliance.packs import Assertion, Control


class Status(StrEnum):
    """A control's verdict on one device (the report's four columns)."""

    passed = "pass"
    failed = "fail"
    not_applicable = "n/a"
    manual = "manual"

    def label(self, lang: str) -> str:
        """The verdict as the report prints it."""
        return _LABELS[self][lang == "en"]


_LABELS = {
    Status.passed: ("Đạt", "Pass"),
    Status.failed: ("Không đạt", "Fail"),
    Status.not_applicable: ("Không áp dụng", "Not applicable"),
    Status.manual: ("Cần kiểm tra thủ công", "Manual check needed"),
}


@dataclass(frozen=True)
class Evidence:
    """A configuration line (``line`` > 0) or a plain statement (``line`` == 0) behind a verdict."""

    text: str
    line: int = 0
    source: str = ""

    @property
    def where(self) -> str:
        """``file:line`` of the line in the stored backup ('' for a statement)."""
        return f"{self.source}:{self.line}" if self.line else ""


@dataclass
class Verdict:
    """One control on one device."""

    control: Control
    host: str
    status: Status
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""
    accepted: str = ""  # waiver reason when the failure is an accepted risk


@dataclass(frozen=True)
class DeviceText:
    """What a device's evaluation reads: its stored config and where it is stored."""

    host: str
    platform: str
    level: int | None
    config: str | None  # None: no stored backup
    source: str = ""  # path of the stored backup, for file:line evidence


@dataclass(frozen=True)
class _Line:
    number: int
    indent: int
    text: str  # without its indentation


def _lines(config: str) -> list[_Line]:
    out = []
    for n, raw in enumerate(config.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped == "!":
            continue
        out.append(_Line(n, len(raw) - len(raw.lstrip(" \t")), stripped))
    return out


def _blocks(lines: Sequence[_Line], header: re.Pattern[str]) -> list[tuple[_Line, list[_Line]]]:
    """Each line matching ``header`` with the lines indented under it (IOS/ASA sections, FortiOS
    ``config``/``edit`` blocks as ``show`` prints them)."""
    out = []
    for i, line in enumerate(lines):
        if not header.search(line.text):
            continue
        children = []
        for child in lines[i + 1:]:
            if child.indent <= line.indent:
                break
            children.append(child)
        out.append((line, children))
    return out


def _scope(lines: Sequence[_Line], block: re.Pattern[str] | None) -> list[_Line]:
    if block is None:
        return list(lines)
    return [child for _, children in _blocks(lines, block) for child in children]


def _value(match: re.Match[str], scale: Sequence[float]) -> float:
    return sum(float(g or 0) * s for g, s in zip(match.groups(), scale, strict=True))


def _ev(line: _Line, source: str) -> Evidence:
    return Evidence(line.text, line.number, source)


def check_assertion(assertion: Assertion, lines: Sequence[_Line], source: str) -> tuple[bool, list[Evidence]]:
    """Whether one assertion holds, and the lines that show it (or show what breaks it)."""
    if assertion.each is not None:
        return _check_each(assertion, lines, source)
    scope = _scope(lines, assertion.block)
    if assertion.contains is not None:
        hits = [line for line in scope if assertion.contains.search(line.text)]
        if hits:
            return True, [_ev(h, source) for h in hits]
        return False, [Evidence(f"no line matches '{assertion.contains.pattern}'")]
    if assertion.absent is not None:
        hits = [line for line in scope if assertion.absent.search(line.text)]
        if hits:
            return False, [_ev(h, source) for h in hits]
        return True, [Evidence(f"no line matches '{assertion.absent.pattern}'")]
    assert assertion.value is not None
    found = [(line, m) for line in scope if (m := assertion.value.search(line.text))]
    if not found:
        if assertion.default is not None and _within(assertion, assertion.default):
            return True, [Evidence(f"not set: the default ({assertion.default:g}) applies")]
        return False, [Evidence(f"no line matches '{assertion.value.pattern}'")]
    bad = [line for line, m in found if not _within(assertion, _value(m, assertion.scale))]
    return (not bad), [_ev(line, source) for line in (bad or [line for line, _ in found])]


def _within(assertion: Assertion, value: float) -> bool:
    low, high = assertion.min, assertion.max
    return (low is None or value >= low) and (high is None or value <= high)


def _missing(header: _Line, pattern: re.Pattern[str], source: str) -> Evidence:
    return Evidence(f"{header.text}: no line matches '{pattern.pattern}'", header.number, source)


def _check_each(assertion: Assertion, lines: Sequence[_Line], source: str) -> tuple[bool, list[Evidence]]:
    assert assertion.each is not None
    blocks = _blocks(lines, assertion.each)
    if not blocks:
        return True, [Evidence(f"no block matches '{assertion.each.pattern}'")]
    good: list[Evidence] = []
    bad: list[Evidence] = []
    for header, children in blocks:
        if assertion.value is not None:
            found = [(c, m) for c in children if (m := assertion.value.search(c.text))]
            if found:
                broken = [c for c, m in found if not _within(assertion, _value(m, assertion.scale))]
                (bad if broken else good).extend(_ev(c, source) for c in (broken or [c for c, _ in found]))
            elif assertion.default is not None and _within(assertion, assertion.default):
                good.append(Evidence(f"{header.text}: not set, the default ({assertion.default:g}) applies",
                                     header.number, source))
            else:
                bad.append(_missing(header, assertion.value, source))
            continue
        pattern = assertion.contains or assertion.absent
        assert pattern is not None
        hits = [c for c in children if pattern.search(c.text)]
        if assertion.contains is not None:
            if hits:
                good.extend(_ev(h, source) for h in hits)
            else:
                bad.append(_missing(header, pattern, source))
        elif hits:
            bad.extend(_ev(h, source) for h in hits)
        else:
            good.append(_missing(header, pattern, source))
    return (not bad), (bad or good)


def evaluate(control: Control, device: DeviceText, findings: Iterable[Finding],
             waived: Mapping[str, Waived] | None = None) -> Verdict:
    """The verdict of one control on one device, with its evidence.

    A failure that only rests on audit findings the operator accepted (``waived``, by fingerprint,
    inventory/waivers.yaml) stays a failure, with the acceptance shown; an expired waiver says so.
    """
    waived = waived or {}
    host = device.host
    if device.platform not in control.platforms:
        return Verdict(control, host, Status.not_applicable, reason=f"not for {device.platform}")
    if device.level is None:
        return Verdict(control, host, Status.manual,
                       reason="no security_level in the inventory for this host (or --level)")
    if device.level not in control.levels:
        return Verdict(control, host, Status.not_applicable,
                       reason=f"applies to levels {', '.join(map(str, control.levels))}, not {device.level}")
    verify = control.verify
    assertions = verify.config.get(device.platform, ())
    if not verify.checks and not assertions:
        return Verdict(control, host, Status.manual, reason=verify.manual or "verified by hand")
    if device.config is None:
        return Verdict(control, host, Status.manual, reason="no stored backup of this device")
    evidence: list[Evidence] = []
    failed: list[Evidence] = []
    accepted: list[str] = []
    expired: list[str] = []
    if verify.checks:
        hits = [f for f in findings if f.check in verify.checks]
        for f in hits:
            failed.append(Evidence(f"{f.check}: {f.message}" + (f" ({f.text})" if f.text else ""), f.line,
                                   device.source if f.line else ""))
            waiver = waived.get(f.fingerprint)
            if waiver is not None:
                (expired if waiver.expired else accepted).append(waiver.label())
        if not hits:
            evidence.append(Evidence(f"audit: no {' / '.join(verify.checks)} finding"))
    lines = _lines(device.config)
    for assertion in assertions:
        ok, shown = check_assertion(assertion, lines, device.source)
        if assertion.describe:
            shown = [Evidence(f"{assertion.describe}: {e.text}", e.line, e.source) for e in shown]
        (evidence if ok else failed).extend(shown)
    if failed:
        config_failures = len(failed) - len([f for f in findings if f.check in verify.checks])
        all_accepted = bool(accepted) and len(accepted) == len(failed) and not config_failures
        return Verdict(control, host, Status.failed, failed, reason="; ".join(expired),
                       accepted="; ".join(accepted) if all_accepted else "")
    return Verdict(control, host, Status.passed, evidence)
