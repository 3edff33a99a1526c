"""The lab FortiGate: a FortiOS 7.2 CLI over a configuration tree, driven by netmiko ``fortinet``.

FortiOS applies a change when an entry is closed (``next``) or a block is left (``end``) and saves
it at once, so running and saved configuration are always equal; ``abort`` drops what was not yet
applied. Netmiko connects with ``get system status | grep Virtual`` / ``| grep Version`` and
``get system console`` and, if output paging is on, ``config system console`` / ``set output
standard`` / ``end``; the lab's initial configuration already has standard output.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from tslcd.lab.models.base import CliSession, DeviceModel
from tslcd.lab.models.fortinet_config import render_tree
from tslcd.lab.models.fortinet_initial import SUPPORTED, build_script, planted_findings
from tslcd.lab.models.fortinet_schema import Node
from tslcd.lab.models.fortinet_session import UNKNOWN_ACTION, FortinetSession

__all__ = ["FortinetDevice", "FortinetSession", "planted_findings"]

MODEL = "FG100F"
VERSION = "v7.2.8"
BUILD = "1639"
BUILD_DATE = "240313"
STATE_FILE = "fortios.conf"


def _serial(name: str) -> str:
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**8
    return f"{MODEL}TK{digits:08d}"


class FortinetDevice(DeviceModel):
    """One lab FortiGate: its configuration tree and the ``#conf_file_ver`` of its last save."""

    platform: ClassVar[str] = "fortinet"
    saved_config_file: ClassVar[str | None] = STATE_FILE

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Load the saved configuration from ``state_dir``, else build the initial one."""
        super().__init__(name, host, state_dir, problems)
        self.serial = _serial(name)
        self.tree = Node()
        self.saved_by = "admin"
        saved = state_dir / STATE_FILE if state_dir else None
        text = saved.read_text(encoding="utf-8") if saved and saved.exists() else None
        if text is None:
            self.conf_file_ver = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 10**6 * 1000
            _replay(self, build_script(host, problems), check_refs=True)
        else:
            match = re.search(r"^#conf_file_ver=(\d+)$", text, re.M)
            self.conf_file_ver = int(match.group(1)) if match else 0
            user = re.search(r"^#config-version=.*:user=(\S+)$", text, re.M)
            self.saved_by = user.group(1) if user else self.saved_by
            _replay(self, text.splitlines(), check_refs=False)
        self._body = render_tree(self.tree, True)
        self._text = self._render(full=True)
        self._save()

    # -- contract -----------------------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """The ``show full-configuration`` of a brand-new lab FortiGate for this inventory host."""
        return cls(str(host.get("name", "FortiGate")), host, None, problems).running_config()

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """Planted problems a FortiGate can really hold (it refuses undefined references)."""
        return SUPPORTED

    def running_config(self) -> str:
        """``show full-configuration``: what backups store (defaults included)."""
        return self._text

    def saved_config(self) -> str:
        """FortiOS saves on every ``end``, so the saved configuration is the running one."""
        return self._text

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """A CLI login; FortiOS has no enable level, so the secret is not used."""
        return FortinetSession(self, username)

    # -- state --------------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The prompt's host name (``config system global`` / ``set hostname``)."""
        node = self.tree.children.get("system global")
        values = node.attrs.get("hostname") if isinstance(node, Node) else None
        return values[0] if values else self.name

    def header(self) -> list[str]:
        """The comment lines FortiOS puts on top of a whole-configuration listing (who saved last)."""
        version = VERSION.lstrip("v").split(".")
        dotted = f"{version[0]}.{int(version[1]):02d}.{int(version[2]):02d}"
        firmware = f"{MODEL}-{dotted}-FW-build{BUILD}-{BUILD_DATE}"
        return [f"#config-version={firmware}:opmode=0:vdom=0:user={self.saved_by}",
                f"#conf_file_ver={self.conf_file_ver}", f"#buildno={BUILD}", "#global_vdom=1"]

    def _render(self, full: bool) -> str:
        body = self._body if full else render_tree(self.tree, full=False)
        return "\n".join([*self.header(), *body]) + "\n"

    def show(self, full: bool) -> str:
        """``show`` / ``show full-configuration`` of the whole device."""
        return self._text if full else self._render(full=False)

    def commit(self, work: Node, user: str) -> None:
        """Apply a session's working tree; a real change gets a new ``#conf_file_ver`` and is saved."""
        body = render_tree(work, True)
        if body != self._body:
            self.tree, self._body = copy.deepcopy(work), body
            self.conf_file_ver += 1
            self.saved_by = user
            self._text = self._render(full=True)
            self._save()

    def _save(self) -> None:
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            target = self.state_dir / STATE_FILE
            tmp = target.with_suffix(".tmp")
            tmp.write_text(self._text, encoding="utf-8")
            tmp.replace(target)

    def performance(self) -> str:
        """``get system performance status``: a quiet device with a stable uptime."""
        digest = int(hashlib.sha256(self.name.encode()).hexdigest(), 16)
        days, hours, minutes = 20 + digest % 300, digest // 300 % 24, digest // 7200 % 60
        return "\n".join((
            "CPU states: 0% user 1% system 0% nice 99% idle 0% iowait 0% irq 0% softirq",
            "CPU0 states: 0% user 1% system 0% nice 99% idle 0% iowait 0% irq 0% softirq",
            "Memory: 8106860k total, 2213048k used (27.3%), 5469676k free (67.5%), 424136k freeable (5.2%)",
            "Average network usage: 412 / 388 kbps in 1 minute, 405 / 380 kbps in 10 minutes",
            "Average sessions: 312 sessions in 1 minute, 305 sessions in 10 minutes",
            "Virus caught: 0 total in 1 minute",
            "IPS attacks blocked: 0 total in 1 minute",
            f"Uptime: {days} days,  {hours} hours,  {minutes} minutes",
        ))

    @property
    def model_name(self) -> str:
        """The hardware model as ``get system ha status`` prints it (FortiGate-100F)."""
        return f"FortiGate-{MODEL[2:]}"

    def _ha_lines(self) -> list[str]:
        """``get system status``'s HA lines: standalone, or the cluster's mode and uptime."""
        ha = self.tree.children.get("system ha")
        mode = (ha.attrs.get("mode") or ["standalone"])[0] if isinstance(ha, Node) else "standalone"
        if mode not in ("a-p", "a-a"):
            return ["Current HA mode: standalone"]
        return [f"Current HA mode: {mode}, primary",
                "Cluster uptime: 30 days, 0 hours, 0 minutes, 0 seconds",
                "Cluster state change time: 2026-01-05 08:15:02"]

    def status(self) -> str:
        """``get system status``."""
        now = datetime.now(UTC).strftime("%a %b %d %H:%M:%S %Y")
        return "\n".join((
            f"Version: FortiGate-{MODEL[2:]} {VERSION},build{BUILD},{BUILD_DATE} (GA.M)",
            "First GA patch build date: 220330",
            "Security Level: 1",
            "Firmware Signature: certified",
            "Virus-DB: 92.08124(2024-11-25 09:12)",
            "Extended DB: 92.08124(2024-11-25 09:11)",
            "AV AI/ML Model: 2.17940(2024-11-25 10:37)",
            "IPS-DB: 28.00921(2024-11-24 22:31)",
            "IPS-ETDB: 0.00000(2001-01-01 00:00)",
            "APP-DB: 28.00921(2024-11-24 22:31)",
            "FMWP-DB: 24.00099(2024-11-07 13:19)",
            "IPS Malicious URL Database: 5.00112(2024-11-25 10:21)",
            "IoT-Detect: 28.00921(2024-11-24 22:30)",
            "OT-Detect-DB: 28.00921(2024-11-24 22:30)",
            "OT-Patch-DB: 28.00921(2024-11-24 22:30)",
            "OT-Threat-DB: 28.00921(2024-11-24 22:30)",
            "IPS-Engine: 7.00343(2024-09-10 15:28)",
            "Extreme DB: 1.00000(2018-04-09 18:07)",
            f"Serial-Number: {self.serial}",
            "BIOS version: 05000007",
            "System Part-Number: P22794-06",
            "Log hard disk: Available",
            f"Hostname: {self.hostname}",
            "Private Encryption: Disable",
            "Operation Mode: NAT",
            "Current virtual domain: root",
            "Max number of virtual domains: 10",
            "Virtual domains status: 1 in NAT mode, 0 in TP mode",
            "Virtual domain configuration: disable",
            "FIPS-CC mode: disable",
            *self._ha_lines(),
            f"Branch point: {BUILD}",
            "Release Version Information: GA",
            "FortiOS x86-64: Yes",
            f"System time: {now}",
            "Last reboot reason: warm reboot",
        ))


def _replay(device: FortinetDevice, lines: list[str], check_refs: bool) -> None:
    """Build the tree by running configuration lines, as FortiOS restores a configuration."""
    session = FortinetSession(device, "admin", check_refs=check_refs, autocommit=False)
    for line in lines:
        if session.partial is not None:  # inside a multi-line quoted value: taken as it is
            session.handle(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            output = session.handle(line.strip())
            if "Command fail" in output or output == UNKNOWN_ACTION:
                raise ValueError(f"{device.name}: configuration line {line.strip()!r}: {output}")
    device.tree = session.work
