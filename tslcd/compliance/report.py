"""The compliance report: HTML an inspector can print on A4 (Vietnamese by default), and JSON.

HTML is rendered by a Jinja2 template with autoescaping, so device and inventory text is shown,
never interpreted; control characters from device text are made visible before rendering.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tslcd.compliance.evaluate import Evidence, Status, Verdict
from tslcd.compliance.result import ComplianceResult, DeviceCompliance

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
STATUSES = (Status.passed, Status.failed, Status.manual, Status.not_applicable)
_CSS = {Status.passed: "pass", Status.failed: "fail", Status.not_applicable: "na", Status.manual: "manual"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo đánh giá tuân thủ an toàn thông tin thiết bị mạng",
        "pack": "Bộ tiêu chí",
        "version": "phiên bản",
        "standard": "Tiêu chuẩn",
        "date": "Ngày lập",
        "level": "Cấp độ",
        "level_override": "áp dụng cho mọi thiết bị",
        "level_inventory": "theo từng hệ thống (inventory)",
        "scope": "Phạm vi",
        "run": "Lần chạy",
        "summary": "Tổng hợp theo cơ quan",
        "agency": "Cơ quan",
        "devices": "Thiết bị",
        "rate": "Tỷ lệ đạt",
        "total": "Tổng cộng",
        "trend": "Xu hướng qua các lần đánh giá",
        "device": "Thiết bị",
        "platform": "Nền tảng",
        "unknown": "chưa xác định",
        "no_backup": "chưa có bản sao lưu",
        "control": "Mã",
        "requirement": "Yêu cầu",
        "status": "Kết quả",
        "evidence": "Bằng chứng",
        "remediation": "Khắc phục",
        "accepted": "Chấp nhận rủi ro",
        "more": "dòng khác",
        "sources": "Nguồn trích dẫn",
        "unverified_note": "Mã có dấu * chưa được đối chiếu điều khoản với văn bản gốc (verified: false).",
    },
    "en": {
        "title": "Network device security compliance report",
        "pack": "Pack",
        "version": "version",
        "standard": "Standard",
        "date": "Date",
        "level": "Level",
        "level_override": "applied to every device",
        "level_inventory": "per system (inventory)",
        "scope": "Scope",
        "run": "Run",
        "summary": "Summary by agency",
        "agency": "Agency",
        "devices": "Devices",
        "rate": "Pass rate",
        "total": "Total",
        "trend": "Trend over runs",
        "device": "Device",
        "platform": "Platform",
        "unknown": "unknown",
        "no_backup": "no backup yet",
        "control": "Id",
        "requirement": "Requirement",
        "status": "Result",
        "evidence": "Evidence",
        "remediation": "Remediation",
        "accepted": "Accepted risk",
        "more": "more lines",
        "sources": "Sources",
        "unverified_note": "Ids marked * are not yet checked against the clause text (verified: false).",
    },
}


def visible(text: str) -> str:
    """Device text with control characters (ESC, NUL, ...) shown as escapes, not acted on."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def local_time(iso: str, zone: str = DEFAULT_ZONE) -> str:
    """A stored UTC time as the operator reads it (the province's time zone)."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return when.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


def rate(counts: Counter[Status]) -> str:
    """Passed share of the decided verdicts, as the report prints it."""
    decided = counts[Status.passed] + counts[Status.failed]
    return f"{100 * counts[Status.passed] / decided:.0f}%" if decided else "—"


def _agency_rows(result: ComplianceResult) -> list[dict[str, Any]]:
    rows = []
    for code, name, devices in result.agencies():
        counts: Counter[Status] = Counter()
        for device in devices:
            counts.update(device.counts())
        levels = sorted({str(d.level) for d in devices if d.level is not None})
        rows.append({"code": code, "name": name, "devices": devices, "counts": counts,
                     "rate": rate(counts), "levels": ", ".join(levels) or "—"})
    return rows


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.finalize = lambda value: visible(value) if isinstance(value, str) else value
    return env


def render_html(result: ComplianceResult, lang: str = "vi", province: str = "", *,
                zone: str = DEFAULT_ZONE, show_all: bool = False, max_evidence: int = 6) -> str:
    """The printable report (``show_all`` also lists the controls that do not apply)."""
    if lang not in _WORDS:
        raise ValueError(f"unknown report language {lang!r} (vi or en)")
    totals = result.counts()
    trend = [{"run_id": p.run_id, "local": local_time(p.started, zone), "scope": p.scope, "counts": p.counts,
              "pass_rate": p.pass_rate} for p in result.trend]
    template = _environment().get_template("report.html.j2")
    return template.render(
        result=result, pack=result.pack, lang=lang, t=_WORDS[lang], province=province,
        date=local_time(result.started, zone), statuses=STATUSES, agencies=_agency_rows(result),
        totals=totals, total_rate=rate(totals), trend=trend, css=_CSS, show_all=show_all,
        max_evidence=max_evidence)


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"text": e.text, "file": e.source or None, "line": e.line or None}


def _verdict(v: Verdict, lang: str) -> dict[str, Any]:
    c = v.control
    return {"control": c.id, "standard": c.standard, "clause": c.clause, "verified": c.verified,
            "title": c.title.get(lang), "status": v.status.value, "status_label": v.status.label(lang),
            "evidence": [_evidence(e) for e in v.evidence], "reason": v.reason,
            "accepted": v.accepted or None,
            "remediation": c.remediation.get(lang) if v.status is Status.failed else None}


def _device(d: DeviceCompliance, lang: str) -> dict[str, Any]:
    return {"host": d.info.host, "platform": d.info.platform, "agency_code": d.info.agency_code,
            "agency_name": d.info.agency_name, "security_level": d.level, "backup": d.backup or None,
            "counts": {s.value: n for s, n in d.counts().items()},
            "controls": [_verdict(v, lang) for v in d.verdicts]}


def to_json(result: ComplianceResult, lang: str = "vi") -> str:
    """Every verdict with its evidence, for other systems (statuses as stable codes)."""
    doc = {
        "pack": {"name": result.pack.name, "version": result.pack.version,
                 "title": result.pack.title.get(lang), "standard": result.pack.standard},
        "run_id": result.run_id, "started": result.started, "scope": result.scope,
        "level_override": result.level_override,
        "counts": {s.value: n for s, n in result.counts().items()},
        "devices": [_device(d, lang) for d in result.devices],
        "trend": [{"run_id": p.run_id, "started": p.started, "scope": p.scope, "counts": p.counts}
                  for p in result.trend],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
