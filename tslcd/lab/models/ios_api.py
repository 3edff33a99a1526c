"""What an IOS session, its show commands and its state need from the device they run on.

The device (`ios.IosDevice`) creates sessions; sessions and show commands only see this view of
it, so neither imports the device module and the layers stay one-directional.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tslcd.lab.models.ios_config import Node
from tslcd.lab.models.ios_initial import Hardware


class IosDeviceView(Protocol):
    """A lab IOS device as its sessions see it: configuration, flash, clock and log."""

    name: str
    host: dict[str, Any]
    hardware: Hardware
    root: Node
    saved_body: str
    last_change: str | None
    flash_dir: Path

    @property
    def hostname(self) -> str:
        """The configured hostname."""

    def running_config(self) -> str:
        """``show running-config`` as the device prints it."""

    def saved_config(self) -> str:
        """``show startup-config`` as the device prints it."""

    def body(self) -> str:
        """The running configuration's lines, without the header comments."""

    def changed(self, username: str) -> None:
        """Record a configuration change by ``username``."""

    def save(self, username: str) -> None:
        """Make the running configuration the startup configuration."""

    def reload(self) -> None:
        """Boot again from the startup configuration."""

    def replace_running(self, new_root: Node) -> None:
        """Replace the running configuration whole (configure replace, archive revert)."""

    def flash_path(self, name: str) -> Path | None:
        """The file ``flash:name`` on disk, None when the name leaves flash."""

    def flash_usage(self) -> str:
        """The bytes-total/bytes-free line of ``dir flash:``."""

    def uptime_seconds(self) -> float:
        """Seconds since boot."""

    def uptime(self) -> str:
        """Uptime worded as IOS words it."""

    def clock(self) -> tuple[datetime, str]:
        """Local time and zone name as the configured clock timezone gives them."""

    def boot_time(self) -> str:
        """When the device booted, as ``show version`` prints it."""

    def log(self, facility: str, severity: int, mnemonic: str, message: str) -> None:
        """Add a message to the logging buffer (and send it to configured syslog hosts)."""

    def log_buffer(self) -> list[str]:
        """The logging buffer's lines, oldest first."""

    def archive_enabled(self) -> bool:
        """True when ``archive`` is configured (configure replace and revert timers work)."""

    def file_prompt_quiet(self) -> bool:
        """True when ``file prompt quiet`` is configured."""
