"""The contract between the lab's SSH server and its per-platform device models.

A `DeviceModel` is one virtual device: its running and saved configuration and (for IOS) its flash
file system. It outlives SSH sessions and lab restarts (the saved configuration and flash files
persist under ``state_dir``). A `CliSession` is one interactive login on it: mode stack, enable
state, pending prompts. The server owns sockets, authentication, echo, faults and timing; the
models own only device behaviour, so they are tested without SSH and served unmodified over it.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

#: Environment variable: how many lab seconds pass per real second (device timers such as
#: exec-timeout run this much faster, so a test sees a 10-minute timeout in a fraction of a second).
TIME_SCALE_ENV = "TSLCD_LAB_TIME_SCALE"


_scale = 1.0


def set_time_scale(scale: float) -> None:
    """How many times faster than real time device timers run in this lab process (tslcd.yaml
    ``lab.time_scale``)."""
    global _scale
    if scale <= 0:
        raise ValueError("lab.time_scale must be > 0")
    _scale = scale


def time_scale() -> float:
    """The lab's time scale (lab seconds per real second): the environment variable wins over
    tslcd.yaml; 1.0 unless one of them sets it. Every device timer (exec-timeout, revert timers)
    reads this one."""
    raw = os.environ.get(TIME_SCALE_ENV)
    try:
        value = float(raw) if raw else _scale
    except ValueError:
        value = _scale
    return value if value > 0 else _scale


def real_seconds(lab_seconds: float) -> float:
    """Real seconds a device timer of ``lab_seconds`` takes at the current time scale."""
    return lab_seconds / time_scale()

# Planted problems a lab device's first configuration may carry, so that the audit has known
# answers. Platform-neutral names; each model implements those that make sense on its platform
# and ignores (and reports through `supported_problems`) the rest.
PROBLEM_KINDS: tuple[str, ...] = (
    "any-any-permit",  # a permit of any source to any destination, any service
    "shadowed-rule",  # a rule fully covered by ONE earlier rule with the opposite action
    "redundant-rule",  # a rule fully covered by ONE earlier rule with the same action
    "multi-shadowed-rule",  # a rule covered only by SEVERAL earlier rules together
    "telnet-permitted",  # telnet (tcp/23) permitted from outside the management network
    "risky-service",  # SMB/RDP/database port permitted from an untrusted zone
    "no-logging",  # a permit rule without logging
    "disabled-rule",  # an inactive / disabled rule
    "unused-object",  # an address/service object nothing references
    "undefined-reference",  # a rule referencing an object that is not defined
    "unbound-acl",  # an ACL defined but applied nowhere
    "bound-undefined-acl",  # an ACL applied to an interface but not defined
    "telnet-enabled",  # management plane: telnet / http enabled on the device
    "snmp-public",  # SNMP community public/private or RW
    "weak-ike",  # DES/3DES/MD5/SHA1 or DH group < 14
    "plaintext-password",  # a password stored in clear text
    "no-ntp",  # no time server configured
    "no-idle-timeout",  # administrative sessions never time out
    "mgmt-open",  # administrative access open to any source address
)


class CliSession(ABC):
    """One interactive login: the server feeds it input lines and writes back what it returns."""

    #: False while the device waits for a password (the server then does not echo input).
    echo: bool = True
    #: Set when the session ends itself (``exit`` at the top level, ``quit``, ``logout``).
    closed: bool = False
    #: Lines per screen: output longer than this stops at `more_prompt` until a key is pressed
    #: (0: never). Real devices page until told not to (``terminal length 0``, ``terminal pager
    #: 0``, ``set output standard``); each model sets this from its own command.
    page_length: int = 0
    #: What the device prints while output waits for a key.
    more_prompt: str = " --More-- "

    def idle_timeout(self) -> float | None:
        """Lab seconds of idle input after which the device ends the login (None: never).

        The server applies it at the lab's time scale (`real_seconds`); IOS reads it from
        ``exec-timeout`` under ``line vty``.
        """
        return None

    def timed_out(self) -> str:
        """What the device prints when it ends an idle login."""
        return ""

    def help(self, line: str) -> str | None:
        """The device's context help for ``?`` typed after ``line`` (None: ``?`` is plain text).

        The server prints it, then the prompt and ``line`` again, which stays typed.
        """
        return None

    def ctrl_z(self) -> str | None:
        """What Ctrl-Z does now: output before the next prompt (None: the key is ignored)."""
        return None

    @abstractmethod
    def banner(self) -> str:
        """Text printed after login and before the first prompt (MOTD, login banner)."""

    @abstractmethod
    def prompt(self) -> str:
        """The prompt to print now, e.g. ``so-tttt-r1#`` or ``so-tttt-r1(config-if)#``."""

    @abstractmethod
    def handle(self, line: str) -> str:
        """Run one input line (no trailing newline) and return its output (no echo, no prompt).

        Output lines are separated by ``\\n``; the server converts to ``\\r\\n``. An empty string
        means the command printed nothing.
        """

    @property
    @abstractmethod
    def in_config_mode(self) -> bool:
        """True while configuration lines are being entered (used by the reject-after-N fault)."""

    @abstractmethod
    def rejected(self, line: str) -> str:
        """What this platform prints when it refuses a configuration line (fault injection)."""


class DeviceModel(ABC):
    """One virtual device's state, shared by all its sessions."""

    platform: ClassVar[str]

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Create the device; its first config comes from `initial_config` unless one is saved.

        ``host`` is the inventory host as a flat dict: ``name``, ``hostname`` (management address),
        ``platform`` and every data field (``agency_code``, ``agency_name``, ``agency_type``,
        ``district``, ``role``, ``lan_prefix``, ``wan_prefix``, ``circuit_id``,
        ``bandwidth_mbps``, ...). ``state_dir`` (one folder per device) holds what must survive a
        lab restart; None keeps everything in memory.
        """
        self.name = name
        self.host = host
        self.state_dir = state_dir
        self.problems = problems

    @classmethod
    @abstractmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """The configuration a brand-new lab device starts with, generated from inventory data."""

    @classmethod
    @abstractmethod
    def supported_problems(cls) -> frozenset[str]:
        """Which `PROBLEM_KINDS` this platform's `initial_config` can plant."""

    @abstractmethod
    def running_config(self) -> str:
        """The running configuration exactly as ``show running-config`` (or ``show``) prints it."""

    @abstractmethod
    def saved_config(self) -> str:
        """The saved (startup) configuration."""

    #: The file in ``state_dir`` the device boots from, holding a configuration in the device's own
    #: listing format (so a stored backup can be written there: the lab twin); None: not seedable.
    saved_config_file: ClassVar[str | None] = None

    #: Folder served as the device's flash file system over SCP/SFTP (IOS); None: no file system.
    flash_dir: Path | None = None

    def ssh_allowed(self) -> bool:
        """Whether the device's config still lets a new SSH login in (a change can lock it out)."""
        return True

    @abstractmethod
    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """Start one CLI login; ``enable_secret`` is what ``enable`` must be answered with."""
