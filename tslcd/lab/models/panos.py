"""The lab Palo Alto firewall: a PAN-OS 10.2 VM-series CLI driven by netmiko ``paloalto_panos``.

PAN-OS edits one candidate configuration shared by every administrator; ``commit`` validates it
and makes it the running configuration, which is also what the firewall boots from (so the saved
configuration is the running one). ``revert config`` drops the candidate's changes; ``save config
to NAME`` / ``load config from NAME`` keep and bring back named snapshots. Each commit sends the
firewall's config log entry to its syslog servers (``shared log-settings syslog``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from tslcd.lab.models.base import CliSession, DeviceModel
from tslcd.lab.models.panos_config import Tree, copy_tree, get, render, set_path
from tslcd.lab.models.panos_initial import SUPPORTED, build_script, planted_findings
from tslcd.lab.models.panos_schema import SyntaxErr, assignments, tokens
from tslcd.lab.models.panos_session import PanosSession
from tslcd.lab.models.panos_validate import validate
from tslcd.lab.syslog import announce

__all__ = ["PanosDevice", "PanosSession", "planted_findings"]

MODEL = "PA-VM"
VERSION = "10.2.9-h1"
STATE_FILE = "running-config.set"
_SYSLOG_SERVER = re.compile(
    r"^set shared log-settings syslog \S+ server \S+ server (?P<addr>\d+(?:\.\d+){3})$"
    r"(?:\n^set shared log-settings syslog \S+ server \S+ (?:transport|format|facility) \S+$)*"
    r"(?:\n^set shared log-settings syslog \S+ server \S+ port (?P<port>\d+)$)?", re.MULTILINE)


def load_lines(lines: list[str]) -> Tree:
    """A tree from ``set`` lines (a saved configuration, an initial script); bad lines are errors."""
    tree: Tree = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        words = tokens(text)
        if words[0] != "set":
            raise ValueError(f"line {number}: not a set line: {text!r}")
        try:
            for where in assignments(words[1:]):
                set_path(tree, where)
        except SyntaxErr as exc:
            raise ValueError(f"line {number}: Invalid syntax ({exc}): {text!r}") from None
    return tree


class PanosDevice(DeviceModel):
    """One lab PA-VM: running and candidate configuration, snapshots, the commit lock, its jobs."""

    platform: ClassVar[str] = "paloalto_panos"
    saved_config_file: ClassVar[str | None] = STATE_FILE

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Boot from the saved configuration in ``state_dir``, else build the initial one."""
        super().__init__(name, host, state_dir, problems)
        digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
        self.serial = f"0079{digest % 10**11:011d}"
        saved = state_dir / STATE_FILE if state_dir else None
        text = saved.read_text(encoding="utf-8") if saved and saved.exists() else None
        lines = text.splitlines() if text is not None else build_script(host, problems)
        self.running: Tree = load_lines(lines)
        self.candidate: Tree = copy_tree(self.running)
        self.snapshots: dict[str, Tree] = {}
        self.commit_lock: str | None = None
        self.job = 2 + digest % 40
        self.finished: list[tuple[str, int, str]] = []
        self._save()

    # -- contract -----------------------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """The set-format ``show config running`` of a brand-new lab firewall for this host."""
        return cls(str(host.get("name", "PA-VM")), host, None, problems).running_config()

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """Planted problems a PAN-OS firewall can really hold."""
        return SUPPORTED

    def running_config(self) -> str:
        """``show config running`` in set format (what backups store)."""
        return "\n".join(render(self.running)) + "\n"

    def saved_config(self) -> str:
        """A commit is what the firewall boots from: the saved configuration is the running one."""
        return self.running_config()

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """A CLI login; PAN-OS has no enable level."""
        return PanosSession(self, username)

    def ssh_allowed(self) -> bool:
        """A commit of ``service disable-ssh yes`` locks SSH out of the management port."""
        return get(self.running, ("deviceconfig", "system", "service", "disable-ssh")) != "yes"

    # -- state --------------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The configured hostname."""
        value = get(self.running, ("deviceconfig", "system", "hostname"))
        return value if isinstance(value, str) else self.name

    def commit(self, user: str) -> tuple[int, list[str]]:
        """Validate the candidate; when valid it becomes the running (and boot) configuration."""
        self.job += 1
        errors = validate(self.candidate)
        stamp = datetime.now(UTC).strftime("%Y/%m/%d %H:%M:%S")
        self.finished.insert(0, (stamp, self.job, "FAIL" if errors else "OK"))
        if errors:
            return self.job, errors
        self.running = copy_tree(self.candidate)
        self._save()
        self._announce(user, stamp)
        return self.job, []

    def _announce(self, user: str, stamp: str) -> None:
        """The config log entry of a commit, as PAN-OS forwards it to syslog (BSD format)."""
        when = datetime.now(UTC).strftime("%b %e %H:%M:%S")
        address = str(self.host.get("hostname") or "127.0.0.1")
        message = (f"<14>{when} {self.hostname} 1,{stamp},{self.serial},CONFIG,0,0,{stamp},{address},,"
                   f"commit,{user},CLI,Submitted,,{self.job},0x0,0,0,0,0,,{self.hostname}")
        announce(address, self.running_config(), message, _SYSLOG_SERVER)

    def _save(self) -> None:
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            target = self.state_dir / STATE_FILE
            tmp = target.with_suffix(".tmp")
            tmp.write_text(self.running_config(), encoding="utf-8")
            tmp.replace(target)

    def system_info(self) -> str:
        """``show system info`` (the fields of a VM-series firewall)."""
        system = ("deviceconfig", "system")
        digest = int(hashlib.sha256(self.name.encode()).hexdigest(), 16)
        days, hours, minutes = 20 + digest % 300, digest // 300 % 24, digest // 7200 % 60
        mac = ":".join(f"{b:02x}" for b in hashlib.sha256(self.name.encode()).digest()[:3])
        now = datetime.now(UTC).strftime("%a %b %d %H:%M:%S %Y")
        return "\n".join((
            f"hostname: {self.hostname}",
            f"ip-address: {get(self.running, (*system, 'ip-address')) or 'unknown'}",
            f"netmask: {get(self.running, (*system, 'netmask')) or 'unknown'}",
            f"default-gateway: {get(self.running, (*system, 'default-gateway')) or ''}",
            "ipv6-address: unknown",
            "ipv6-link-local-address: fe80::250:56ff:fe00:1/64",
            "ipv6-default-gateway: ",
            f"mac-address: 00:50:56:{mac}",
            f"time: {now}",
            f"uptime: {days} days, {hours}:{minutes:02d}:07",
            "family: vm",
            f"model: {MODEL}",
            f"serial: {self.serial}",
            "vm-mac-base: 7C:89:C1:D2:E0:00",
            "vm-mac-count: 256",
            f"vm-uuid: 4211{digest % 10**8:08d}-0000-0000-0000-000000000000"[:36],
            "vm-cpuid: ESX:D7060300FFFBAB1F",
            "vm-license: VM-100",
            "vm-mode: VMWare ESXi",
            f"sw-version: {VERSION}",
            "global-protect-client-package-version: 0.0.0",
            "app-version: 8799-8509",
            "app-release-date: 2023/12/12 13:05:41 +07",
            "av-version: 0",
            "av-release-date: unknown",
            "threat-version: 8799-8509",
            "threat-release-date: 2023/12/12 13:05:41 +07",
            "wf-private-version: 0",
            "wf-private-release-date: unknown",
            "url-db: paloaltonetworks",
            "wildfire-version: 0",
            "wildfire-release-date: ",
            "url-filtering-version: 20231213.20120",
            "global-protect-datafile-version: unknown",
            "global-protect-datafile-release-date: unknown",
            "logdb-version: 10.2.1",
            "platform-family: vm",
            "vpn-disable-mode: off",
            "multi-vsys: off",
            "operational-mode: normal",
            "device-certificate-status: None",
        ))

    def management_interface(self) -> str:
        """``show interface management``: the management port's settings and quiet counters."""
        system = ("deviceconfig", "system")
        rule = "-" * 79
        mac = ":".join(f"{b:02x}" for b in hashlib.sha256(self.name.encode()).digest()[:3])
        counters = ("bytes received", "bytes transmitted", "packets received", "packets transmitted",
                    "receive errors", "transmit errors", "receive packets dropped",
                    "transmit packets dropped", "multicast packets received")
        digest = int(hashlib.sha256(self.name.encode()).hexdigest(), 16)
        values = (digest % 10**9, digest // 7 % 10**9, digest % 10**6, digest // 11 % 10**6, 0, 0, 0, 0, 0)
        return "\n".join((
            "", "", rule, "Name: Management Interface", "Link status:",
            "  Runtime link speed/duplex/state: 1000/full/up",
            "  Configured link speed/duplex/state: auto/auto/auto", "MAC address:",
            f"  Port MAC address 00:50:56:{mac}", "",
            f"Ip address: {get(self.running, (*system, 'ip-address')) or 'unknown'}",
            f"Netmask: {get(self.running, (*system, 'netmask')) or 'unknown'}",
            f"Default gateway: {get(self.running, (*system, 'default-gateway')) or ''}",
            "Ipv6 address: unknown", "Ipv6 link local address: fe80::250:56ff:fe00:1/64",
            "Ipv6 default gateway:", rule, "", "", rule, "Logical interface counters:", rule,
            *(f"{name:<34}{value}" for name, value in zip(counters, values, strict=True)), rule,
        ))

    def jobs(self) -> str:
        """``show jobs all``: the commits of this lab run, newest first."""
        head = (f"{'Enqueued':<22}{'Dequeued':<15}{'ID':>8}  {'PositionInQ':<11}{'Type':>32}"
                f"{'Status':>31} Result Completed")
        lines = ["", head, "-" * 142]
        for stamp, job, result in [*self.finished, ("2026/12/01 01:00:06", 1, "OK")]:
            kind = "Commit" if job > 1 else "AutoCom"
            lines.append(f"{stamp:<22}{stamp[11:]:<15}{job:>8}  {'':<11}{kind:>32}{'FIN':>31} {result:>6} "
                         f"{stamp[11:]}")
        return "\n".join(lines)
