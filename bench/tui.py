"""TUI bench: open the inventory with 2,000 devices, one filter keystroke, the audit table.

    python bench/tui.py            # prints each figure with its goal

Goals (issue 7): inventory open <= 1 s, audit table with 20,000 findings <= 1 s, one filter
keystroke <= 100 ms (the inventory's, and here the findings filter's too). Runs headless
(Textual's test driver) at 80x24 on a synthetic province; a keystroke is timed from the key
reaching the app to the next frame drawn after the filter ran.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import textual.constants
import yaml
from textual import events

from tslcd.audit.model import Finding, Severity
from tslcd.audit.result import AuditResult, DeviceInfo
from tslcd.config import load_config
from tslcd.tui.app import TslcdApp
from tslcd.tui.views.audit import AuditView
from tslcd.tui.views.inventory import InventoryView
from tslcd.tui.widgets.host_tree import HostTree

ROOT = Path(__file__).resolve().parents[1]
DEVICES = 2000
FINDINGS = 20000
AGENCY_TYPES = ("so", "ban-nganh", "van-phong", "ubnd-cap-huyen")
DISTRICTS = ("long-xuyen", "chau-doc", "tan-chau", "tinh-bien", "an-phu", "phu-tan", "chau-phu",
             "chau-thanh", "cho-moi", "thoai-son", "tri-ton")
ROLES = (("router", "cisco_ios"), ("firewall", "fortinet"))
WORDS = ("Sở Tài chính", "Ban Quản lý dự án", "Văn phòng Đoàn ĐBQH", "UBND phường Mỹ Bình",
         "Sở Giáo dục và Đào tạo", "Trung tâm Phục vụ hành chính công")


def write_inventory(folder: Path, devices: int) -> Path:
    """Write hosts.yaml (``devices`` hosts, two per agency) beside the sample groups and defaults.

    Returns a tslcd.yaml pointing at the folder, so the bench loads it like an operator's project.
    """
    inventory = folder / "inventory"
    inventory.mkdir(parents=True, exist_ok=True)
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy(ROOT / "inventory" / name, inventory / name)
    hosts: dict[str, dict] = {}
    for index in range(devices):
        agency, (role, platform) = divmod(index, len(ROLES))[0], ROLES[index % len(ROLES)]
        agency_type = AGENCY_TYPES[agency % len(AGENCY_TYPES)]
        district = DISTRICTS[agency % len(DISTRICTS)]
        code = f"AG{agency:04d}"
        hosts[f"ag{agency:04d}-{role[0]}1"] = {
            "hostname": f"127.{100 + agency // 250}.{agency % 250}.{1 + index % len(ROLES)}",
            "platform": platform,
            "groups": [agency_type, district, role, platform],
            "data": {"agency_code": code, "agency_name": f"{WORDS[agency % len(WORDS)]} {agency}",
                     "agency_type": agency_type, "district": district, "role": role},
        }
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    config = folder / "tslcd.yaml"
    config.write_text("inventory: inventory\ndata: data\n", encoding="utf-8")
    return config


async def _keystroke(app: TslcdApp, view: InventoryView, key: str) -> float:
    """Seconds from the key reaching the app to the next frame drawn after the filter ran.

    Sent through the driver like a terminal's key, not `pilot.press`, whose idle waits would
    dominate the figure; the view's filter step is wrapped to learn when it ran.
    """
    drawn = asyncio.Event()
    apply = view._apply_filter

    def apply_then_wait_for_frame(text: str) -> None:
        apply(text)
        app.call_after_refresh(drawn.set)

    view._apply_filter = apply_then_wait_for_frame  # type: ignore[method-assign]
    started = time.perf_counter()
    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]
    await drawn.wait()
    view._apply_filter = apply  # type: ignore[method-assign]
    return time.perf_counter() - started


async def _inventory_figures(config_path: Path) -> tuple[float, list[float]]:
    """Seconds from start to the tree drawn with every device; seconds per filter keystroke."""
    started = time.perf_counter()
    app = TslcdApp(load_config(str(config_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.session.targets:
            await asyncio.sleep(0.001)
        drawn = asyncio.Event()
        app.call_after_refresh(drawn.set)
        await drawn.wait()
        opened = time.perf_counter() - started
        view = app.query_one(InventoryView)
        app.query_one(HostTree).root.children[0].expand()
        await pilot.pause()
        app.query_one("#filter").focus()
        keystrokes = [await _keystroke(app, view, key) for key in "role=firewall,district=cho-moi"]
        assert app.session.targets and all(h.get("role") == "firewall" for h in app.session.targets)
    return opened, keystrokes


def synthetic_findings(count: int, hosts: list[str]) -> AuditResult:
    """``count`` findings spread over ``hosts``, every severity and several checks (the bench's audit)."""
    checks = ("shadowed-rule", "permit-no-log", "object-unused", "any-any-permit", "mgmt-telnet")
    blocking = {"blocking": [{"rule": "line 1", "action": "permit", "line": 1, "text": "permit ip any any"}]}
    found = [Finding(checks[i % len(checks)], Severity(i % len(Severity)), hosts[i % len(hosts)],
                     "cisco_ios", f"line {i} never matches", "Remove the line.", "LAN-IN", f"line {i}", i,
                     f"{i} permit tcp 10.10.0.0 0.0.255.255 any eq 443",
                     blocking)
             for i in range(count)]
    return AuditResult([DeviceInfo(h, "cisco_ios") for h in hosts], found, "", run_id=1)


async def _audit_keystroke(app: TslcdApp, view: AuditView, key: str) -> float:
    """Seconds from a key in the findings filter to the next frame drawn after the table changed."""
    drawn = asyncio.Event()
    refilter = view._refilter

    def refilter_then_wait_for_frame() -> None:
        refilter()
        app.call_after_refresh(drawn.set)

    view._refilter = refilter_then_wait_for_frame  # type: ignore[method-assign]
    started = time.perf_counter()
    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]
    await drawn.wait()
    view._refilter = refilter  # type: ignore[method-assign]
    return time.perf_counter() - started


async def _audit_figures(config_path: Path) -> tuple[float, list[float]]:
    """Seconds from asking for the Audit tab with 20,000 findings to its first frame drawn; seconds
    per keystroke in its filter box."""
    app = TslcdApp(load_config(str(config_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.session.targets:
            await asyncio.sleep(0.001)
        await pilot.pause()
        result = synthetic_findings(FINDINGS, [h.name for h in app.session.targets])
        drawn = asyncio.Event()
        started = time.perf_counter()
        app.action_show_tab("audit")
        app.query_one(AuditView).show_result(result)
        app.call_after_refresh(drawn.set)
        await drawn.wait()
        seconds = time.perf_counter() - started
        view = app.query_one(AuditView)
        assert view.shown
        view.query_one("#audit-filter").focus()
        await pilot.pause()
        keystrokes = [await _audit_keystroke(app, view, key) for key in "permit severity>=high"]
        assert view.selected and len(view.selected) < FINDINGS
    return seconds, keystrokes


def _line(what: str, seconds: float, goal: float) -> str:
    verdict = "ok" if seconds <= goal else "OVER GOAL"
    return f"{what:<48} {seconds * 1000:8.1f} ms   (goal <= {goal * 1000:.0f} ms) {verdict}"


def main() -> int:
    """Run every figure and print it; exit 1 when one misses its goal."""
    textual.constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]  # measure work, not animation
    folder = Path(tempfile.mkdtemp(prefix="tslcd-bench-"))
    try:
        config_path = write_inventory(folder, DEVICES)
        opened, keystrokes = asyncio.run(_inventory_figures(config_path))
        audit, audit_keys = asyncio.run(_audit_figures(config_path))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = [
        (f"open the inventory ({DEVICES} devices)", opened, 1.0),
        ("filter keystroke, median", statistics.median(keystrokes), 0.1),
        ("filter keystroke, slowest", max(keystrokes), 0.1),
        (f"open the audit table ({FINDINGS} findings)", audit, 1.0),
        ("audit filter keystroke, median", statistics.median(audit_keys), 0.1),
        ("audit filter keystroke, slowest", max(audit_keys), 0.1),
    ]
    for what, seconds, goal in lines:
        print(_line(what, seconds, goal))
    return 0 if all(seconds <= goal for _, seconds, goal in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
