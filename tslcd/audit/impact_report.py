"""Change impact as data (JSON) and as text (markdown, the table's rows): regions read as an engineer
writes them (prefixes, protocol, ports), each with an example packet and the deciding lines."""

from __future__ import annotations

import json
from typing import Any

from tslcd.audit.impact import Region
from tslcd.audit.intent import ImpactReport, IntentVerdict, prefixes
from tslcd.audit.names import PROTOCOLS
from tslcd.audit.packets import format_packet
from tslcd.audit.space import DPORT, DST, ICMP, PROTO, SPORT, SRC, box_corner

_PROTO_NAMES = {v: k for k, v in sorted(PROTOCOLS.items(), reverse=True)}


def _span(box: tuple[int, ...], dim: int) -> tuple[int, int]:
    return box[2 * dim], box[2 * dim + 1]


def _range_text(lo: int, hi: int, full: int) -> str:
    if (lo, hi) == (0, full):
        return "any"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def protocol_text(lo: int, hi: int) -> str:
    """``tcp``, ``ip`` (every protocol), or a numeric range."""
    if (lo, hi) == (0, 255):
        return "ip"
    if lo == hi:
        return _PROTO_NAMES.get(lo, str(lo))
    return f"{lo}-{hi}"


def region_fields(region: Region) -> dict[str, Any]:
    """One region as data: prefixes, protocol, ports, example packet, deciding lines."""
    box = region.box
    proto = _span(box, PROTO)
    out: dict[str, Any] = {
        "change": f"newly {region.newly}",
        "source": prefixes(*_span(box, SRC)),
        "destination": prefixes(*_span(box, DST)),
        "protocol": protocol_text(*proto),
    }
    if proto[0] == proto[1] and proto[0] in (6, 17):
        out["source_ports"] = _range_text(*_span(box, SPORT), 65535)
        out["destination_ports"] = _range_text(*_span(box, DPORT), 65535)
    if proto[0] == proto[1] and proto[0] in (1, 58) and _span(box, ICMP) != (0, 65535):
        lo, hi = _span(box, ICMP)
        out["icmp"] = {"type_code_from": divmod(lo, 256), "type_code_to": divmod(hi, 256)}
    out["example"] = format_packet(region.example)
    out["before"] = {"action": region.before.action, "rule": region.before.key or "implicit deny",
                     "line": region.before.line or None, "text": region.before.text}
    out["after"] = {"action": region.after.action, "rule": region.after.key or "implicit deny",
                    "line": region.after.line or None, "text": region.after.text}
    return out


def region_line(region: Region) -> str:
    """``tcp 10.10.10.0/24 -> 18.18.18.32/27 port 80``: a region as one line."""
    f = region_fields(region)
    ports = f" port {f['destination_ports']}" if f.get("destination_ports", "any") != "any" else ""
    sports = f" from port {f['source_ports']}" if f.get("source_ports", "any") != "any" else ""
    return (f"{f['protocol']} {', '.join(f['source'])}{sports} -> {', '.join(f['destination'])}{ports}")


def _intent(v: IntentVerdict) -> dict[str, Any]:
    return {"intent": v.intent.text, "list": v.list_name, "verdict": v.verdict,
            "missing": [format_packet(box_corner(b)) for b in v.missing],
            "collateral": [region_fields(r) for r in v.collateral]}


def to_data(report: ImpactReport) -> dict[str, Any]:
    """Every list's regions and every intent's verdict, as data."""
    return {
        "host": report.host, "platform": report.platform, "before": report.before, "after": report.after,
        "exact": report.exact,
        "lists": [{"list": i.name, "exact": i.exact, "notes": i.notes,
                   "regions": [region_fields(r) for r in i.regions]} for i in report.lists],
        "intents": [_intent(v) for v in report.intents],
    }


def to_json(report: ImpactReport) -> str:
    """`to_data` as JSON text."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=2)


def to_markdown(report: ImpactReport) -> str:
    """A readable summary for a change ticket."""
    out = [f"# Change impact: {report.host} ({report.platform})", "",
           f"{report.before} -> {report.after}", ""]
    if not report.changed:
        out += ["No packet is decided differently.", ""]
    for impact in report.changed:
        out += [f"## {impact.name}" + ("" if impact.exact else " (not exact)"), ""]
        out += [f"- note: {n}" for n in impact.notes]
        if impact.regions:
            out += ["| change | traffic | example | before | after |", "|---|---|---|---|---|"]
            for r in impact.regions:
                out.append(f"| newly {r.newly} | {region_line(r)} | {format_packet(r.example)} | "
                           f"{r.before.label} | {r.after.label} |".replace("\n", " "))
        out.append("")
    for v in report.intents:
        out.append(f"- intent `{v.intent.text}` on {v.list_name}: **{v.verdict}**")
        out += [f"  - missing: {format_packet(box_corner(b))}" for b in v.missing]
        out += [f"  - collateral: newly {r.newly} {region_line(r)}" for r in v.collateral]
    return "\n".join(out) + "\n"
