"""Lab Huawei VRP devices driven by Netmiko ``huawei`` (V5: AR routers, USG firewalls) and
``huawei_vrpv8`` (V8, two-stage commit).

Netmiko logs in, reads the prompt ``<HOST>``, sends ``screen-length 0 temporary``, enters
``system-view``, leaves with ``return`` and saves with ``save`` answering ``y``. V5 applies each
line at once; V8 keeps lines in the session's candidate until ``commit`` (``commit trial N``
rolls back by itself unless confirmed). The saved configuration survives lab restarts; a change
is told to every ``info-center loghost`` on 127.0.0.0/8 as ``HWCM/4/CFGCHANGE`` naming the user.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any, ClassVar

from tslcd.lab.models.base import CliSession, DeviceModel
from tslcd.lab.models.huawei_config import Node, parse, render
from tslcd.lab.models.huawei_initial import SUPPORTED, firewall, router
from tslcd.lab.models.huawei_session import HuaweiSession
from tslcd.lab.syslog import announce

__all__ = ["HuaweiDevice", "HuaweiSession", "HuaweiV8Device"]

STATE_FILE = "vrpcfg.cfg"
_LOGHOST = re.compile(r"^info-center loghost (?P<addr>\d+(?:\.\d+){3})(?:.*?\bport (?P<port>\d+))?",
                      re.MULTILINE)


def _stamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime())


class HuaweiDevice(DeviceModel):
    """A VRP V5 device: an AR router CPE, or a USG firewall for hosts whose role is firewall."""

    platform: ClassVar[str] = "huawei"
    saved_config_file: ClassVar[str | None] = STATE_FILE
    two_stage: ClassVar[bool] = False
    vrp_version: ClassVar[str] = "5.170"

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Boot from the saved configuration in ``state_dir``, else from the initial one."""
        super().__init__(name, host, state_dir, problems)
        self.firewall = str(host.get("role", "")) == "firewall"
        self.model, self.software = self._hardware_model()
        self.serial = "2102" + hashlib.sha256(name.encode()).hexdigest()[:16].upper()
        self.updated = ""
        self.commits: list[tuple[str, str, str, Node]] = []
        saved = state_dir / STATE_FILE if state_dir else None
        text = saved.read_text(encoding="utf-8") if saved and saved.exists() else self.initial_text()
        self.root = parse(text)
        self.hardware = tuple(n.text.split(None, 1)[1] for n in parse(self.initial_text()).children
                              if n.text.startswith("interface "))
        self.saved_text = self._render(self.root)
        self._write()

    def _hardware_model(self) -> tuple[str, str]:
        return ("USG6525E", "V600R007C20SPC500") if self.firewall else ("AR6280", "V300R019C10SPC300")

    def initial_text(self) -> str:
        """This device's first configuration."""
        return (firewall if self.firewall else router)(self.host | {"name": self.name}, self.problems)

    # -- contract -----------------------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """``display current-configuration`` of a brand-new lab device for this host."""
        return cls(str(host.get("name", "HUAWEI")), host, None, problems).running_config()

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """Planted problems a VRP device can carry."""
        return SUPPORTED

    def header(self) -> list[str]:
        """The comment lines on top of a listing."""
        return [f"!Software Version {self.software}"]

    def _render(self, root: Node) -> str:
        return "\n".join([*self.header(), *render(root)]) + "\n"

    def running_config(self) -> str:
        """``display current-configuration``."""
        return self._render(self.root)

    def saved_config(self) -> str:
        """``display saved-configuration``: what the device boots from."""
        return self.saved_text

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """A login in user view (VRP has no enable step)."""
        return HuaweiSession(self, username)

    # -- state --------------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The ``sysname``."""
        node = next((n for n in self.root.children if n.text.startswith("sysname ")), None)
        return node.text.split(None, 1)[1] if node else self.name

    def apply(self, root: Node, user: str) -> None:
        """Make ``root`` the running configuration; loghosts hear of a change."""
        before = render(self.root)
        self.root = root
        if render(root) == before:
            return
        self.updated = f"{_stamp()} by {user}"
        address = str(self.host.get("hostname", "127.0.0.1"))
        stamp = time.strftime("%b %d %Y %H:%M:%S", time.gmtime())
        message = (f"<189>{stamp} {self.hostname} %%01HWCM/4/CFGCHANGE(l)[0]:The configuration "
                   f"changed. (UserName={user}, TerminalIp=127.0.0.1, TerminalType=VTY)")
        announce(address, self.running_config(), message, hosts=_LOGHOST)

    def save(self, user: str) -> None:
        """``save``: the running configuration becomes the startup one (and survives restarts)."""
        self.saved_text = self.running_config()
        self._write()

    def _write(self) -> None:
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            target = self.state_dir / STATE_FILE
            tmp = target.with_suffix(".tmp")
            tmp.write_text(self.saved_text, encoding="utf-8")
            tmp.replace(target)


class HuaweiV8Device(HuaweiDevice):
    """A VRP V8 router (NE40E): two-stage commit, commit IDs, ``commit trial``."""

    platform: ClassVar[str] = "huawei_vrpv8"
    two_stage: ClassVar[bool] = True
    vrp_version: ClassVar[str] = "8.191"

    def _hardware_model(self) -> tuple[str, str]:
        return "NE40E-M2K", "V800R012C10SPC300"

    def initial_text(self) -> str:
        """A V8 router's first configuration: an AR's, on the NE's interface numbering."""
        return router(self.host | {"name": self.name}, self.problems)

    def header(self) -> list[str]:
        """V8 also names who changed and saved the configuration last."""
        head = [f"!Software Version {self.software}"]
        if self.updated:
            head.append(f"!Last configuration was updated at {self.updated}")
        return head

    def apply(self, root: Node, user: str) -> None:
        """A commit: the configuration gets a commit ID (``display configuration commit list``)."""
        changed = render(root) != render(self.root)
        previous = self.root
        super().apply(root, user)
        if changed:
            commit_id = str(1000000001 + len(self.commits))
            self.commits.append((commit_id, user, _stamp(), previous.copy()))

    def commit_list(self) -> str:
        """``display configuration commit list``: newest first."""
        lines = ["1) Latest configuration commit:" if self.commits else "Info: No commit records."]
        rows = [f"{n:>3}  {cid:<12}{user:<16}{when}" for n, (cid, user, when, _) in
                enumerate(reversed(self.commits), start=1)]
        return "\n".join([" No.  CommitId    User            TimeStamp", *rows] if rows else lines)

    def commit_root(self, commit_id: str) -> Node | None:
        """The configuration as it was before commit ``commit_id`` (``rollback configuration to``)."""
        for cid, _user, _when, before in self.commits:
            if cid == commit_id:
                return before.copy()
        return None
