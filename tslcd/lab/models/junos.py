"""The lab JunOS device (an SRX1500 on Junos 21.4), driven by Netmiko ``juniper_junos``.

JunOS keeps an active configuration and a candidate: ``set``/``delete`` change the candidate, a
commit makes it active and saves it (``/config/juniper.conf``, here ``juniper.conf`` in the state
folder, in ``display set`` form), ``commit confirmed N`` undoes itself unless confirmed, and
``rollback N`` loads an earlier commit into the candidate. A lab restart boots the saved
configuration; the commit history starts again from it. Every commit is announced to the
``system syslog host`` servers as ``UI_COMMIT``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from tslcd.lab.models.base import CliSession, DeviceModel
from tslcd.lab.models.junos_api import Commit
from tslcd.lab.models.junos_commit import now
from tslcd.lab.models.junos_initial import SUPPORTED, build_script, planted_findings
from tslcd.lab.models.junos_session import JunosSession
from tslcd.lab.models.junos_show import serial_number
from tslcd.lab.models.junos_tree import Node, display_set, find, from_set_lines
from tslcd.lab.syslog import announce

__all__ = ["JunosDevice", "JunosSession", "planted_findings"]

STATE_FILE = "juniper.conf"
HISTORY_KEPT = 50  # JunOS keeps rollback 0..49
PRI_NOTICE = 189  # local7.notice: how the management daemon's UI_COMMIT arrives
_IPV4 = re.compile(r"^\d+(?:\.\d+){3}$")


class JunosDevice(DeviceModel):
    """One lab SRX: active configuration, shared candidate, commit history."""

    platform: ClassVar[str] = "juniper_junos"
    saved_config_file: ClassVar[str | None] = STATE_FILE

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Boot the saved configuration from ``state_dir``, else build the initial one."""
        super().__init__(name, host, state_dir, problems)
        self.serial = serial_number(name)
        self.booted = now() - timedelta(days=41, hours=6, minutes=12)
        saved = state_dir / STATE_FILE if state_dir else None
        if saved is not None and saved.exists():
            self.committed = from_set_lines(saved.read_text(encoding="utf-8").splitlines())
        else:
            self.committed = from_set_lines(build_script(host, problems))
        self.candidate = self.committed.clone()
        self.history: list[Commit] = [Commit(self.committed.clone(), self.booted, "root", "other")]
        self._save()

    # -- contract -----------------------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """``show configuration | display set`` of a brand-new lab SRX for this inventory host."""
        return cls(str(host.get("name", "srx")), host, None, problems).running_config()

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """Planted problems an SRX can really hold (it refuses to commit undefined references)."""
        return SUPPORTED

    def running_config(self) -> str:
        """The active configuration as ``show configuration | display set`` prints it."""
        return "\n".join(display_set(self.committed)) + "\n"

    def saved_config(self) -> str:
        """JunOS saves every commit, so the saved configuration is the active one."""
        return self.running_config()

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """A CLI login; JunOS has no enable level, so the secret is not used."""
        return JunosSession(self, username)

    # -- state --------------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """``system host-name`` of the active configuration."""
        node = find(self.committed, ["system", "host-name"])
        return next(iter(node.children)).strip('"') if node and node.children else self.name

    def candidate_changed(self) -> bool:
        """Whether the shared candidate differs from the active configuration."""
        return display_set(self.candidate) != display_set(self.committed)

    def activate(self, tree: Node, user: str, note: str = "") -> None:
        """Make ``tree`` active as ``user``: saved, first in the history, announced by syslog."""
        self.committed = tree
        self.history.insert(0, Commit(tree.clone(), now(), user, "cli", note))
        del self.history[HISTORY_KEPT:]
        self._save()
        self._announce(user)

    def _save(self) -> None:
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            (self.state_dir / STATE_FILE).write_text(self.running_config(), encoding="utf-8")

    def _announce(self, user: str) -> None:
        """``UI_COMMIT`` to each ``system syslog host`` (by address, port 514 unless set)."""
        targets = []
        node = find(self.committed, ["system", "syslog", "host"])
        for address, settings in (node.children.items() if node else ()):
            if _IPV4.match(address):
                port = find(settings, ["port"])
                number = next(iter(port.children)) if port and port.children else "514"
                targets.append(f"logging host {address} transport udp port {number}")
        if not targets:
            return
        stamp = now().strftime("%b %e %H:%M:%S")
        message = (f"<{PRI_NOTICE}>{stamp} {self.hostname} mgd[4127]: UI_COMMIT: User '{user}' "
                   "requested 'commit' operation (comment: none)")
        announce(str(self.host.get("hostname", "127.0.0.1")), "\n".join(targets), message)
