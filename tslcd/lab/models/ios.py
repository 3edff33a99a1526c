"""Stateful Cisco IOS-XE device model for the lab: what real Netmiko and NAPALM drivers talk to.

The device owns a running configuration tree, a saved configuration and a flash folder (which
the lab server also serves over SCP); `IosCliSession` (in ``ios_session``) is one login on it.
Together they behave closely enough for NAPALM's ``ios`` driver (file-based merge/replace,
archive diffs, rollback) and Netmiko's ``cisco_ios`` driver to run unmodified.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tslcd.lab.models.base import DeviceModel
from tslcd.lab.models.ios_config import Node, ace_display, ensure_physical, parse_config, render_body
from tslcd.lab.models.ios_initial import SUPPORTED_PROBLEMS, build, hardware
from tslcd.lab.models.ios_session import IosCliSession

__all__ = ["IosCliSession", "IosDevice", "planted_findings"]

FLASH_TOTAL = 7_194_218_496
FLASH_USED_BY_IMAGE = 742_169_600  # the IOS-XE image and packages a real flash holds
NVRAM_SIZE = 33_554_432
FLASH_PREFIXES = ("flash:", "bootflash:")


def _now() -> str:
    """IOS timestamp format used in configuration comments."""
    return datetime.now(UTC).strftime("%H:%M:%S UTC %a %b %d %Y")


def _uptime(seconds: float) -> str:
    """``1 week, 2 days, 3 hours, 4 minutes`` as IOS prints it (NAPALM parses this)."""
    minutes = int(seconds // 60)
    parts = []
    for unit, size in (("year", 525_600), ("week", 10_080), ("day", 1_440), ("hour", 60),
                       ("minute", 1)):
        n, minutes = divmod(minutes, size)
        if n or (unit == "minute" and not parts):
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return ", ".join(parts)


def planted_findings(host: dict[str, Any], problems: tuple[str, ...]) -> list[dict[str, Any]]:
    """What the audit must find in this host's first configuration: one dict per planted problem.

    ``line`` is the exact (stripped) configuration line carrying the problem; ``acl`` names the
    access list it sits in or is about (None for device-wide problems).
    """
    _, planted = build(host, problems)
    return [{"host": host.get("name"), "platform": IosDevice.platform, "kind": p.kind, "acl": p.acl,
             "line": ace_display(p.line) if p.acl and p.line[:1].isdigit() else p.line}
            for p in planted]


class IosDevice(DeviceModel):
    """A Cisco IOS-XE router or switch: running/saved configuration and a flash file system."""

    platform = "cisco_ios"
    saved_config_file = "startup-config"

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Boot from ``state_dir/startup-config`` when present, else from `initial_config`."""
        super().__init__(name, host, state_dir, problems)
        self.hardware = hardware({**host, "name": name})
        self.booted = time.monotonic()
        # Lab devices have been up for a while; the offset is stable per device.
        self.uptime_offset = 86_400 * (3 + hashlib.sha256(name.encode()).digest()[0] % 60) + 3_780
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            self.flash_dir = state_dir / "flash"
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix=f"ios-{name}-")
            self.flash_dir = Path(self._tmp.name)
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        startup = state_dir / "startup-config" if state_dir is not None else None
        if startup is not None and startup.exists():
            text = startup.read_text(encoding="utf-8")
        else:
            text = self.initial_config({**host, "name": name}, problems)
        self.root, _ = parse_config(text, self.hardware.physical)
        ensure_physical(self.root, self.hardware.physical)
        self.saved_body = self.body()
        if startup is not None and not startup.exists():
            startup.write_text(self.saved_body, encoding="utf-8")
        self.last_change: str | None = None
        self.last_saved: str | None = None
        self._log: list[tuple[datetime, str]] = []

    # --- DeviceModel contract ----------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """A realistic agency CPE / core router / server-farm switch config from inventory data."""
        text, _ = build(host, problems)
        return text

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """The planted problems an IOS lab device can carry."""
        return SUPPORTED_PROBLEMS

    def running_config(self) -> str:
        """``show running-config`` output."""
        body = self._commented_body(saved=False)
        return f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n{body}"

    def saved_config(self) -> str:
        """``show startup-config`` output."""
        body = self._commented_body(saved=True)
        return f"Using {len(body.encode())} out of {NVRAM_SIZE} bytes\n{body}"

    def new_session(self, username: str, enable_secret: str) -> IosCliSession:
        """One CLI login, starting in user EXEC mode."""
        return IosCliSession(self, username, enable_secret)

    # --- state helpers -----------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The configured hostname (the prompt follows it at once, as on IOS)."""
        for node in self.root.children:
            if node.text.startswith("hostname "):
                return node.text.split(None, 1)[1]
        return "Router"

    def body(self) -> str:
        """The configuration from ``version`` to ``end``: what a saved file holds."""
        return "\n".join(render_body(self.root)) + "\n"

    def _commented_body(self, saved: bool) -> str:
        head = ["!"]
        if self.last_change and (not saved or self.last_saved):
            head.append(f"! Last configuration change at {self.last_change}")
            if saved:
                head.append(f"! NVRAM config last updated at {self.last_saved}")
            head.append("!")
        return "\n".join(head) + "\n" + (self.saved_body if saved else self.body())

    def changed(self, username: str) -> None:
        """Record a configuration change (the volatile ``Last configuration change`` comment)."""
        self.last_change = f"{_now()} by {username}"

    def save(self, username: str) -> None:
        """``write memory``: the running configuration becomes the saved one (and is persisted)."""
        self.saved_body = self.body()
        self.last_saved = f"{_now()} by {username}"
        if self.state_dir is not None:
            (self.state_dir / "startup-config").write_text(self.saved_body, encoding="utf-8")

    def reload(self) -> None:
        """Boot again from the saved configuration: unsaved changes are gone, uptime restarts."""
        root, _ = parse_config(self.saved_body, self.hardware.physical)
        self.replace_running(root)
        self.booted = time.monotonic()
        self.uptime_offset = 0
        self._log.clear()
        self.last_change = None

    def replace_running(self, new_root: Node) -> None:
        """Swap in a whole new configuration, keeping the tree object sessions hold."""
        ensure_physical(new_root, self.hardware.physical)
        self.root.children[:] = new_root.children

    def flash_path(self, name: str) -> Path | None:
        """The local file behind ``flash:/NAME`` (None when the name is not on flash)."""
        for prefix in FLASH_PREFIXES:
            if name.lower().startswith(prefix):
                rel = name[len(prefix):].lstrip("/")
                path = (self.flash_dir / rel).resolve() if self.flash_dir else None
                root = self.flash_dir.resolve() if self.flash_dir else None
                if path is None or root is None or (path != root and root not in path.parents):
                    return None
                return path
        return None

    def flash_usage(self) -> str:
        """The ``dir`` summary line; the IOS image takes its share of flash, as on a real router."""
        assert self.flash_dir is not None
        used = sum(p.stat().st_size for p in self.flash_dir.rglob("*") if p.is_file())
        return f"{FLASH_TOTAL} bytes total ({FLASH_TOTAL - FLASH_USED_BY_IMAGE - used} bytes free)"

    def uptime_seconds(self) -> float:
        """Seconds since the (virtual) boot."""
        return time.monotonic() - self.booted + self.uptime_offset

    def uptime(self) -> str:
        """Uptime text for ``show version``."""
        return _uptime(self.uptime_seconds())

    def clock(self) -> tuple[datetime, str]:
        """Now in the configured time zone (``clock timezone NAME H [M]``), and the zone's name."""
        for node in self.root.children:
            w = node.text.split()
            if w[:2] == ["clock", "timezone"] and len(w) >= 4 and w[3].lstrip("-").isdigit():
                minutes = int(w[4]) if len(w) > 4 and w[4].isdigit() else 0
                sign = -1 if w[3].startswith("-") else 1
                offset = timedelta(hours=int(w[3]), minutes=sign * minutes)
                return datetime.now(UTC) + offset, w[2]
        return datetime.now(UTC), "UTC"

    def boot_time(self) -> str:
        """When the device (virtually) booted, as ``show version`` prints it."""
        now, zone = self.clock()
        boot = now - timedelta(seconds=self.uptime_seconds())
        return boot.strftime(f"%H:%M:%S {zone} %a %b ") + str(boot.day) + boot.strftime(" %Y")

    def log(self, facility: str, severity: int, mnemonic: str, message: str) -> None:
        """Add a message to the logging buffer (``show logging``), stamped as the config says."""
        self._log.append((datetime.now(UTC), f"%{facility}-{severity}-{mnemonic}: {message}"))
        del self._log[:-200]

    def log_buffer(self) -> list[str]:
        """The buffered messages, boot messages first, in ``service timestamps`` format."""
        now, zone = self.clock()
        shift = now - datetime.now(UTC)
        boot = now - timedelta(seconds=self.uptime_seconds())
        entries = [(boot, "%SYS-5-RESTART: System restarted --"),
                   *((boot + timedelta(seconds=40), f"%LINEPROTO-5-UPDOWN: Line protocol on Interface "
                      f"{n.text.split()[1]}, changed state to up")
                     for n in self.root.children if n.mode == "if"
                     and not any(c.text == "shutdown" for c in n.children)),
                   *((stamp + shift, text) for stamp, text in self._log)]
        numbered = any(n.text == "service sequence-numbers" for n in self.root.children)
        return [(f"{n:06d}: " if numbered else "")
                + stamp.strftime("*%b %d %H:%M:%S.%f")[:-3].replace(" 0", "  ", 1) + f" {zone}: {text}"
                for n, (stamp, text) in enumerate(entries, start=1)]

    def archive_enabled(self) -> bool:
        """True when the ``archive`` section is configured."""
        return any(n.text == "archive" for n in self.root.children)

    def file_prompt_quiet(self) -> bool:
        """True with ``file prompt quiet``: copy/delete do not ask for confirmation."""
        return any(n.text == "file prompt quiet" for n in self.root.children)
