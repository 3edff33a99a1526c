"""The lab Cisco ASA 5516 (ASA 9.16): a stateful CLI driven by netmiko ``cisco_asa``.

Netmiko connects with ``show curpriv``, ``enable`` (password prompt, not echoed), ``terminal
pager 0``, then ``configure terminal`` / ``terminal width 511`` / ``end``. The running
configuration changes line by line as on a real ASA and becomes the startup configuration only
on ``write memory`` / ``copy running-config startup-config``; the startup configuration is kept
in ``state_dir`` and replayed on start.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from tslcd.lab.models import asa_show
from tslcd.lab.models.asa_acl import Words
from tslcd.lab.models.asa_config import GLOBALS, AsaConfig, AsaError, hash_secret, incomplete, invalid
from tslcd.lab.models.asa_extra import TOP_COMMANDS
from tslcd.lab.models.asa_initial import SUPPORTED, build_script, planted_findings
from tslcd.lab.models.asa_modes import ConfigInterpreter
from tslcd.lab.models.base import CliSession, DeviceModel

__all__ = ["AsaDevice", "AsaSession", "planted_findings"]

VERSION = "9.16(4)"
MODEL = "ASA5516"
HARDWARE = "ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)"
STATE_FILE = "startup-config"
#: Privileged commands, for abbreviation (``conf t``, ``wr mem``, ``sh run``).
EXEC_PHRASES: tuple[tuple[str, ...], ...] = (
    ("configure", "terminal"), ("show", "running-config"), ("show", "startup-config"),
    ("show", "version"), ("show", "curpriv"), ("show", "access-list"), ("write", "memory"),
    ("show", "route"), ("show", "interface", "ip", "brief"), ("show", "failover"), ("show", "xlate"),
    ("copy", "running-config", "startup-config"), ("more", "system:running-config"),
    ("terminal", "pager"), ("terminal", "width"), ("enable",), ("disable",), ("exit",), ("reload",),
    ("quit",), ("logout",),
)
USER_COMMANDS = {"enable", "show route", "show interface", "show failover",
                  "exit", "quit", "logout", "show version", "show curpriv", "terminal pager",
                 "terminal width"}


def _digits(name: str, modulo: int) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % modulo


class AsaDevice(DeviceModel):
    """One lab ASA: running and startup configuration."""

    platform: ClassVar[str] = "cisco_asa"
    saved_config_file: ClassVar[str | None] = STATE_FILE

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        """Replay the saved startup configuration from ``state_dir``, else the initial one."""
        super().__init__(name, host, state_dir, problems)
        self.serial = f"JAD{_digits(name, 10**8):08d}"
        saved = state_dir / STATE_FILE if state_dir else None
        lines = (saved.read_text(encoding="utf-8").splitlines() if saved and saved.exists()
                 else build_script(host, problems))
        self.running = load(name, lines)
        self.startup = copy.deepcopy(self.running)
        self.modified = ""  # "Configuration last modified by USER at TIME", once changed
        self._save_file()

    # -- contract -----------------------------------------------------------------------------
    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        """The ``show running-config`` of a brand-new lab ASA for this inventory host."""
        return cls(str(host.get("name", "ciscoasa")), host, None, problems).running_config()

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        """Planted problems an ASA can hold (undefined references need ``forward-reference``)."""
        return SUPPORTED

    def running_config(self) -> str:
        """``show running-config`` (SNMP communities masked, as the ASA prints them)."""
        return self.render(self.running, mask=True)

    def saved_config(self) -> str:
        """``show startup-config``."""
        return self.render(self.startup, mask=True)

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        """A CLI login at the unprivileged prompt; ``enable`` wants ``enable_secret``."""
        return AsaSession(self, username, enable_secret)

    # -- state --------------------------------------------------------------------------------
    def render(self, cfg: AsaConfig, mask: bool) -> str:
        """A whole configuration listing with header, checksum and ``: end``."""
        body = cfg.render_body(mask=False)
        checksum = hashlib.md5("\n".join(body).encode(), usedforsecurity=False).hexdigest()
        shown = cfg.render_body(mask=True) if mask else body
        header = [": Saved", "", ":", f": Serial Number: {self.serial}", f": Hardware:   {HARDWARE}", ":",
                  f"ASA Version {VERSION} ", "!"]
        return "\n".join([*header, *shown, f"Cryptochecksum:{checksum}", ": end"]) + "\n"

    def checksum(self) -> str:
        """The running configuration's checksum, as ``write memory`` prints it."""
        digest = hashlib.md5("\n".join(self.running.render_body(mask=False)).encode(),
                             usedforsecurity=False).hexdigest()
        return " ".join(digest[i:i + 8] for i in range(0, 32, 8))

    def save(self) -> str:
        """``write memory``: the running configuration becomes the startup configuration."""
        self.startup = copy.deepcopy(self.running)
        self._save_file()
        size = len(self.render(self.startup, mask=False).encode())
        return (f"Building configuration...\nCryptochecksum: {self.checksum()} \n\n"
                f"{size} bytes copied in 0.120 secs\n[OK]")

    def _save_file(self) -> None:
        if self.state_dir is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            target = self.state_dir / STATE_FILE
            tmp = target.with_suffix(".tmp")
            tmp.write_text(self.render(self.startup, mask=False), encoding="utf-8")
            tmp.replace(target)

    def mac(self, port: int) -> str:
        """A stable MAC address per device and port."""
        digits = f"00a7{_digits(self.name, 16**6):06x}{port:02x}"
        return ".".join(digits[i:i + 4] for i in range(0, 12, 4))

    def version(self) -> str:
        """``show version``."""
        days, hours = 20 + _digits(self.name, 300), _digits(self.name + "h", 24)
        return "\n".join((
            "", f"Cisco Adaptive Security Appliance Software Version {VERSION} ",
            "Firepower Extensible Operating System Version 2.10(1.179)",
            "Device Manager Version 7.16(1)150", "",
            "Compiled on Thu 25-Aug-22 09:52 GMT by builders",
            'System image file is "disk0:/asa9-16-4-lfbff-k8.SPA"',
            'Config file at boot was "startup-config"', "",
            f"{self.running.hostname} up {days} days {hours} hours", "",
            f"Hardware:   {HARDWARE}",
            "Internal ATA Compact Flash, 8192MB",
            "BIOS Flash M25P64 @ 0xfed01000, 16384KB", "",
            *(f" {n}: Ext: {name:<20}: address is {self.mac(n)}, irq {irq}"
              for n, name, irq in ((1, "GigabitEthernet1/1", 255), (2, "GigabitEthernet1/2", 255),
                                   (9, "Management1/1", 0))), "",
            "Licensed features for this platform:",
            "Maximum Physical Interfaces       : Unlimited      perpetual",
            "Maximum VLANs                     : 150            perpetual",
            "Inside Hosts                      : Unlimited      perpetual",
            "Failover                          : Active/Active  perpetual",
            "Encryption-DES                    : Enabled        perpetual",
            "Encryption-3DES-AES               : Enabled        perpetual",
            "Carrier                           : Disabled       perpetual",
            "AnyConnect Premium Peers          : 4              perpetual",
            "Other VPN Peers                   : 300            perpetual",
            "Total VPN Peers                   : 300            perpetual",
            "Botnet Traffic Filter             : Disabled       perpetual",
            "Cluster                           : Disabled       perpetual", "",
            "This platform has an ASA5516 Security Plus license.", "",
            f"Serial Number: {self.serial}",
            "Configuration register is 0x1",
            "Image type                : Release",
            "Key Version               : A", "",
            self.modified or "Configuration has not been modified since last system restart.",
        ))


def load(name: str, lines: list[str]) -> AsaConfig:
    """Build a configuration by replaying configuration lines (a saved file or a fresh script)."""
    interpreter = ConfigInterpreter(AsaConfig())
    for raw in lines:
        line = raw.rstrip()
        if not line.strip() or line.startswith((":", "!", "ASA Version", "Cryptochecksum")):
            continue
        try:
            interpreter.run(line.strip(), indented=line.startswith(" "))
        except AsaError as error:
            raise ValueError(f"{name}: configuration line {line!r}: {error}") from None
    return interpreter.cfg


class AsaSession(CliSession):
    """One ASA CLI login: user, privileged and configuration modes."""

    def __init__(self, device: AsaDevice, username: str, enable_secret: str) -> None:
        """Start unprivileged, as an SSH login without ``auto-enable`` does."""
        self.device = device
        self.username = username
        self.enable_secret = enable_secret
        self.privileged = False
        self.config: ConfigInterpreter | None = None
        self.pending: Callable[[str], str] | None = None
        self.pending_prompt = ""
        self.attempts = 0
        pager = device.running.globals.get("pager")
        self.page_length = int(pager[1].split()[-1]) if pager else 24  # ``pager lines N``; 24 as shipped

    more_prompt = "<--- More --->"

    # -- contract -----------------------------------------------------------------------------
    def banner(self) -> str:
        """The MOTD then the exec banner: what an SSH login shows (the login banner is not shown)."""
        banners = self.device.running.banners
        return "\n".join([*banners.get("motd", []), *banners.get("exec", [])])

    def prompt(self) -> str:
        """``HOST> ``, ``HOST# ``, ``HOST(config)# ``, ``HOST(config-network-object)# ``..."""
        if self.pending is not None:
            return self.pending_prompt
        host = self.device.running.hostname
        if self.config is not None:
            return f"{host}({self.config.mode})# "
        return f"{host}# " if self.privileged else f"{host}> "

    @property
    def in_config_mode(self) -> bool:
        """In any configuration mode."""
        return self.config is not None

    def help(self, line: str) -> str | None:
        """``?``: the commands or keywords the ASA accepts next in this mode."""
        if self.pending is not None:
            return None
        words = line.split()
        typed = "" if not words or line[-1].isspace() else words.pop()
        if self.config is not None and not words:
            names = {*TOP_COMMANDS, *self.config.global_words(), "end", "exit"}
            if self.config.context is not None:
                names |= set(self.config.submode_words())
        elif self.config is None:
            phrases = [p for p in EXEC_PHRASES if self.privileged or " ".join(p[:2]) in USER_COMMANDS
                       or p[0] in USER_COMMANDS]
            names = {p[len(words)] for p in phrases if list(p[: len(words)]) == words and len(p) > len(words)}
        else:
            return None
        chosen = sorted(n for n in names if n.startswith(typed))
        if not chosen:
            return "ERROR: % Unrecognized command\n"
        return "\n".join(f"  {name}" for name in chosen) + "\n"

    def idle_timeout(self) -> float | None:
        """``ssh timeout N`` minutes (the ASA's default: 5) before an idle SSH login ends."""
        configured = self.device.running.globals.get("ssh timeout")
        return int(configured[1].split()[-1]) * 60 if configured else 300

    def ctrl_z(self) -> str | None:
        """Ctrl-Z leaves configuration mode from any sub-mode, as ``end`` does."""
        if self.config is None or self.pending is not None:
            return None
        self.config = None
        return ""

    def rejected(self, line: str) -> str:
        """The ASA's invalid-input error, caret under the start of the line."""
        return self._error(invalid(0))

    def handle(self, line: str) -> str:
        """Run one line in the current mode."""
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer(line)
        words = line.split()
        if not words:
            return ""
        try:
            if self.config is not None and self._expand(words)[0] not in ("show", "write", "copy", "more"):
                return self._configure(line)
            command, _, pipe = line.partition(" | ")
            output = self._exec(self._expand(command.split()), command)
            return _filter(output, pipe, len(command) + 3) if pipe else output
        except AsaError as error:
            return self._error(error)

    # -- helpers ------------------------------------------------------------------------------
    def _error(self, error: AsaError) -> str:
        if error.column is None:
            return str(error)
        return " " * (len(self.prompt()) + error.column) + "^\n" + str(error)

    @staticmethod
    def _expand(words: list[str]) -> list[str]:
        """Complete abbreviated command words (``wr mem`` -> ``write memory``)."""
        candidates = list(EXEC_PHRASES)
        out: list[str] = []
        for index, word in enumerate(words):
            matching = [p for p in candidates if len(p) > index and p[index].startswith(word)]
            exact = [p for p in matching if p[index] == word]
            matching = exact or matching
            if not matching or len({p[index] for p in matching}) > 1:
                return out + words[index:]
            out.append(matching[0][index])
            candidates = matching
        return out

    def _configure(self, line: str) -> str:
        assert self.config is not None
        words = line.split()
        if words in (["end"], ["exit"]) and (words == ["end"] or self.config.mode == "config"):
            self.config = None
            return ""
        if words == ["exit"]:
            self.config.exit_mode()
            return ""
        if words[0] == "terminal" and len(words) > 1 and words[1] in ("width", "pager"):
            return self._terminal_pager(words) if words[1] == "pager" else ""
        output = self.config.run(line, offset=0)
        now = datetime.now(UTC)
        self.device.modified = (f"Configuration last modified by {self.username} at {now:%H:%M:%S}."
                                f"{now.microsecond // 1000:03d} UTC {now:%a %b} {now.day} {now.year}")
        return output

    def _exec(self, words: list[str], line: str) -> str:
        two_words = words[0] in ("show", "terminal")
        command = " ".join(words[:2]) if two_words else words[0]
        handler = self._exec_commands().get(command)
        if handler is None or (not self.privileged and command not in USER_COMMANDS):
            typed = Words(line)
            if two_words and len(typed.items) < 2:
                raise incomplete()
            raise invalid(typed.items[1][1] if two_words else typed.items[0][1])
        return handler(words)

    def _exec_commands(self) -> dict[str, Callable[[list[str]], str]]:
        return {
            "enable": self._enable, "disable": self._disable, "exit": self._logout, "quit": self._logout,
            "logout": self._logout, "configure": self._configure_terminal,
            "show version": lambda _: self.device.version(),
            "show curpriv": self._curpriv,
            "show running-config": self._show_running,
            "show startup-config": lambda _: self.device.saved_config().rstrip("\n"),
            "show access-list": self._show_access_list,
            "show route": lambda _: asa_show.show_route(self.device.running),
            "show interface": self._show_interface,
            "show failover": lambda _: asa_show.show_failover(
                self.device.running, VERSION, self.device.serial, MODEL),
            "show xlate": lambda _: asa_show.show_xlate(self.device.running),
            "more": lambda _: self.device.render(self.device.running, mask=False).rstrip("\n"),
            "write": lambda _: self.device.save(),
            "copy": self._copy,
            "terminal pager": self._terminal_pager,
            "reload": self._reload,
            "terminal width": lambda _: "",
        }

    def _terminal_pager(self, words: list[str]) -> str:
        """``terminal pager [lines] N``: this session's screen length (0: never page)."""
        value = words[-1]
        if len(words) not in (3, 4) or not value.isdigit() or int(value) > 2147483647 or \
                (len(words) == 4 and words[2] != "lines"):
            raise invalid(len(" ".join(words[:2])) + 1)
        self.page_length = int(value)
        return ""

    def _reload(self, words: list[str]) -> str:
        """``reload``: offers to save unsaved changes, then asks; only a confirmation reloads (the
        running configuration becomes the startup one again and the login ends)."""
        if len(words) > 1:
            raise invalid(len("reload "))
        if self.device.render(self.device.running, False) != self.device.render(self.device.startup, False):
            self._ask("System config has been modified. Save? [Y]es/[N]o: ", self._save_before_reload)
        else:
            self._ask("Proceed with reload? [confirm]", self._confirm_reload)
        return ""

    def _save_before_reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes", "n", "no"):
            return ""
        output = self.device.save() if answer.strip().lower().startswith("y") else ""
        self._ask("Proceed with reload? [confirm]", self._confirm_reload)
        return output

    def _confirm_reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return ""
        self.device.running = copy.deepcopy(self.device.startup)
        self.closed = True
        return ("\n***\n*** --- START GRACEFUL SHUTDOWN ---\n***\n*** Message to all terminals:\n***\n"
                "***   reload command\n***\n*** --- SHUTDOWN NOW ---\n***")

    def _enable(self, words: list[str]) -> str:
        if self.privileged:
            return ""
        self.echo = False
        self.attempts = 0
        self._ask("Password: ", self._check_password)
        return ""

    def _check_password(self, answer: str) -> str:
        configured = self.device.running.globals.get("enable password")
        matches = answer == self.enable_secret or (
            configured is not None and configured[1].split()[2] == hash_secret(answer, "enable_15"))
        if matches:
            self.echo, self.privileged = True, True
            return ""
        self.attempts += 1
        if self.attempts >= 3:
            self.echo = True
            return "Access denied."
        self._ask("Password: ", self._check_password)
        return "Invalid password"

    def _ask(self, prompt: str, answer: Callable[[str], str]) -> None:
        self.pending, self.pending_prompt = answer, prompt

    def _disable(self, words: list[str]) -> str:
        self.privileged = False
        return ""

    def _logout(self, words: list[str]) -> str:
        self.closed = True
        return "\nLogoff\n" if self.privileged else ""

    def _configure_terminal(self, words: list[str]) -> str:
        if words[1:] != ["terminal"]:
            raise invalid(len(words[0]) + 1)
        self.config = ConfigInterpreter(self.device.running)
        return ""

    def _curpriv(self, words: list[str]) -> str:
        level, mode = ("15", "P_CONF" if self.config else "P_PRIV") if self.privileged else ("1", "P_UNPR")
        return f"Username : enable_{level}\nCurrent privilege level : {level}\nCurrent Mode/s : {mode}"

    def _show_running(self, words: list[str]) -> str:
        section = words[2:]
        cfg = self.device.running
        if not section:
            return self.device.running_config().rstrip("\n")
        views: dict[str, Callable[[list[str]], list[str]]] = {
            "access-list": lambda rest: cfg.render_acls(rest[0] if rest else None),
            "object": lambda rest: cfg.render_objects(rest[0] if rest else None),
            "object-group": lambda rest: cfg.render_groups(rest[0] if rest else None),
            "access-group": lambda rest: cfg.render_access_groups(),
            "interface": lambda rest: cfg.render_interfaces(),
            "crypto": lambda rest: cfg.render_ike(),
            "banner": lambda rest: cfg.render_banners(rest[0] if rest else None),
            "nat": lambda rest: cfg.render_nat(),
        }
        view = views.get(section[0])
        if view is not None:
            return "\n".join(view(section[1:]))
        lines = [cfg.mask(line) for _, line in sorted(cfg.globals.values(), key=lambda item: item[0])
                 if line.split()[0] == section[0]]
        lines += [line for header, children in cfg.blocks.items() if header.split()[0] == section[0]
                  for line in (header, *(f" {child}" for child in children))]
        known = {spec.pattern.split()[0] for spec in GLOBALS} | TOP_COMMANDS
        if not lines and section[0] not in known:
            raise invalid(len("show running-config "))
        return "\n".join(lines)

    def _show_access_list(self, words: list[str]) -> str:
        cfg = self.device.running
        names = words[2:3] or list(cfg.acls)
        missing = next((name for name in names if name not in cfg.acls), None)
        if missing is not None:
            return f"ERROR: access-list <{missing}> does not exist"
        return asa_show.show_access_list(cfg, names)

    def _show_interface(self, words: list[str]) -> str:
        if words[2:] != ["ip", "brief"]:
            raise invalid(len("show interface "))
        return asa_show.show_interface_ip_brief(self.device.running)

    def _copy(self, words: list[str]) -> str:
        if words[1:] != ["running-config", "startup-config"]:
            raise invalid(len("copy "))
        self._ask("Source filename [running-config]? ", lambda _: self.device.save())
        return ""


#: Output filters after ``|``: name -> keep(line matches, already inside a ``begin`` section).
FILTERS: dict[str, Callable[[bool, bool], bool]] = {
    "include": lambda hit, _: hit, "exclude": lambda hit, _: not hit,
    "grep": lambda hit, _: hit, "begin": lambda hit, started: hit or started,
}


def _filter(output: str, pipe: str, column: int) -> str:
    """``| include|exclude|begin|grep [-v] REGEX`` on command output."""
    words = pipe.split(maxsplit=1)
    names = [name for name in FILTERS if words and name.startswith(words[0])]
    if len(names) != 1 or len(words) < 2:
        raise invalid(column)
    keep, pattern = FILTERS[names[0]], words[1]
    if names[0] == "grep" and pattern.startswith("-v "):
        keep, pattern = FILTERS["exclude"], pattern[3:]
    try:
        regex = re.compile(pattern)
    except re.error:
        raise invalid(column + len(words[0]) + 1) from None
    lines, started = [], False
    for line in output.splitlines():
        started = keep(bool(regex.search(line)), started)
        if started:
            lines.append(line)
        started = started and names[0] == "begin"
    return "\n".join(lines)
