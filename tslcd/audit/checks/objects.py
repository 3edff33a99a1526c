"""Checks on objects and on where lists are bound: unused, undefined, empty, unbound, missing."""

from __future__ import annotations

from tslcd.audit.checks.registry import finding
from tslcd.audit.model import Finding, ParsedConfig


def object_findings(parsed: ParsedConfig) -> list[Finding]:
    """Unused and empty objects, and references to objects nobody defined."""
    out: list[Finding] = []
    for name, obj in parsed.objects.items():
        text = parsed.line_text(obj.line)
        if name not in parsed.used_objects:
            out.append(
                finding("object-unused", parsed, f"{obj.kind} {name} is never used", line=obj.line, text=text)
            )
        if obj.empty:
            out.append(
                finding("group-empty", parsed, f"{obj.kind} {name} has no members", line=obj.line, text=text)
            )
    seen: set[tuple[str, int]] = set()
    for name, at in parsed.undefined_refs:
        if (name, at.line) not in seen:
            seen.add((name, at.line))
            out.append(
                finding(
                    "object-undefined",
                    parsed,
                    f"{name} is referenced but not defined",
                    line=at.line,
                    text=parsed.line_text(at.line) or at.text,
                )
            )
    return out


def binding_findings(parsed: ParsedConfig) -> list[Finding]:
    """Lists applied nowhere, and bindings to lists that do not exist."""
    out: list[Finding] = []
    defined = {lst.name for lst in parsed.lists}
    bound = {b.list_name for b in parsed.bindings}
    for lst in parsed.lists:
        if lst.name not in bound and lst.name not in parsed.other_list_refs:
            out.append(
                finding(
                    "acl-unbound",
                    parsed,
                    f"access list {lst.name} is applied nowhere",
                    list_name=lst.name,
                    line=lst.line,
                    text=parsed.line_text(lst.line),
                )
            )
    for b in parsed.bindings:
        if b.list_name not in defined:
            out.append(
                finding(
                    "acl-undefined",
                    parsed,
                    f"access list {b.list_name} is applied on {b.where} but not defined",
                    list_name=b.list_name,
                    line=b.line,
                    text=parsed.line_text(b.line),
                )
            )
    return out


def note_findings(parsed: ParsedConfig) -> list[Finding]:
    """Every construct the parser did not (fully) model."""
    return [
        finding("not-analysed", parsed, f"{parsed.source}:{n.line}: {n.reason}", line=n.line, text=n.text)
        for n in parsed.notes
    ]
