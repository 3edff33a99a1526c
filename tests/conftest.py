"""Shared fixtures: the lab, started in-process on a free port, for end-to-end tests.

``lab`` (session-scoped) serves the sample inventory with the real device models; ``fresh_lab``
does the same with a data folder of its own per test (device state starts from scratch);
``lab_factory`` starts labs on other inventories, filters or models. Each yields a `RunningLab`:

    lab.addresses["stc-fw1"]         # "127.21.2.2"
    lab.port, lab.credentials        # lab.credentials.username / .password / .secret
    lab.config, lab.config_path      # a tslcd.yaml pointing at the inventory, data dir and port
    lab.netmiko_args("stc-fw1")      # kwargs for netmiko.ConnectHandler
    with lab.faulted("stc-fw1", "latency", 1.5): ...   # or lab.fault(...) / lab.clear(...)

``toy_lab`` serves the sample inventory with `ToyDevice`, a small IOS-like model that tests the
server itself independently of the real models.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tslcd.config import Config, load_config
from tslcd.inventory.credentials import Credentials
from tslcd.lab.assemble import assemble_lab
from tslcd.lab.devices import ModelFinder, registry_model
from tslcd.lab.inprocess import LabThread
from tslcd.lab.models.base import CliSession, DeviceModel
from tslcd.lab.server import Lab, LabBindError
from tslcd.platforms import get_platform

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_INVENTORY = ROOT / "inventory"
SAMPLE_TOPOLOGY = ROOT / "lab" / "topology.yaml"


def fetched_config(device: DeviceModel) -> str:
    """What a backup reads from a model: its platform's config command in a privileged session (an
    ASA masks SNMP communities in ``show running-config``, not in ``more system:running-config``)."""
    session = device.new_session("tester", "lab-enable")
    session.handle("enable")
    if not session.echo:
        session.handle("lab-enable")
    platform = get_platform(device.platform)
    for command in platform.session_commands:  # as a backup's session does (PAN-OS: set format)
        session.handle(command)
    return session.handle(platform.config_command)


def pytest_configure(config: pytest.Config) -> None:
    """Netmiko's fortinet driver picks finite-field Diffie-Hellman, as FortiGates allow: not news."""
    config.addinivalue_line("filterwarnings", "ignore:Diffie-Hellman over finite fields")


@dataclass
class RunningLab:
    """A lab running in this process, and what a client needs to reach it."""

    thread: LabThread
    config: Config
    config_path: Path
    credentials: Credentials
    addresses: dict[str, str]
    platforms: dict[str, str]
    _faulted: set[str] = field(default_factory=set)

    @property
    def lab(self) -> Lab:
        """The `Lab` object itself (touch its state only through `fault`/`clear`)."""
        return self.thread.lab

    @property
    def port(self) -> int:
        """The one port every device listens on."""
        return self.lab.port

    @property
    def data_dir(self) -> Path:
        """The lab's data folder (``<data>/lab/devices/<name>/`` holds device state)."""
        return self.config.data_dir

    def fault(self, host: str, kind: str, value: float | str | None = None) -> None:
        """Activate a fault now (new and open sessions see it as `tslcd.lab.faults` describes)."""
        self._faulted.add(host)
        self.thread.call(self.lab.set_fault, host, kind, value)

    def clear(self, host: str, kind: str | None = None) -> None:
        """Clear one fault kind, or every fault, of a host."""
        self.thread.call(self.lab.clear_faults, host, kind)

    @contextmanager
    def faulted(self, host: str, kind: str, value: float | str | None = None) -> Iterator[None]:
        """A fault active for the duration of a ``with`` block."""
        self.fault(host, kind, value)
        try:
            yield
        finally:
            self.clear(host, kind)

    def clear_all(self) -> None:
        """Clear the faults this handle set (topology faults of other hosts stay)."""
        for host in sorted(self._faulted):
            self.clear(host)
        self._faulted.clear()

    def netmiko_args(self, host: str, **extra: Any) -> dict[str, Any]:
        """Keyword arguments for ``netmiko.ConnectHandler`` to log in to ``host``."""
        return {"device_type": self.platforms[host], "host": self.addresses[host], "port": self.port,
                "username": self.credentials.username, "password": self.credentials.password,
                "secret": self.credentials.secret, "conn_timeout": 10, "auth_timeout": 10,
                "banner_timeout": 10, **extra}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (and, in practice, on the other 127.x addresses)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(root: Path, *, inventory: Path = SAMPLE_INVENTORY, topology: Path = SAMPLE_TOPOLOGY,
              filters: Sequence[str] = (), extra_sites: int = 0,
              model_for: ModelFinder = registry_model) -> RunningLab:
    """Write a tslcd.yaml under ``root`` and start a lab for it on a free port."""
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / "tslcd.yaml"
    for _attempt in range(5):
        config_path.write_text(yaml.safe_dump({
            "inventory": str(inventory), "data": str(root / "data"),
            "lab": {"port": free_port(), "topology": str(topology)},
        }), encoding="utf-8")
        config = load_config(str(config_path))
        lab = assemble_lab(config, filters, extra_sites, model_for)
        try:
            thread = LabThread(lab).start()
            break
        except LabBindError:
            continue
    else:
        raise RuntimeError("no free port for the lab after 5 attempts")
    return RunningLab(
        thread=thread, config=config, config_path=config_path, credentials=lab.credentials,
        addresses={d.name: d.address for d in lab.devices.values()},
        platforms={d.name: d.platform for d in lab.devices.values()},
    )


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """The sample inventory's lab with the real models, shared by the whole test session."""
    running = start_lab(tmp_path_factory.mktemp("lab"))
    yield running
    running.thread.stop()


@pytest.fixture
def fresh_lab(tmp_path: Path) -> Iterator[RunningLab]:
    """The sample inventory's lab with its own, new data folder (state starts from scratch)."""
    running = start_lab(tmp_path / "project")
    yield running
    running.thread.stop()


@pytest.fixture
def lab_factory(tmp_path: Path) -> Iterator[Callable[..., RunningLab]]:
    """``lab_factory(**start_lab_options)`` starts further labs; all stop after the test."""
    started: list[RunningLab] = []

    def factory(**options: Any) -> RunningLab:
        running = start_lab(tmp_path / f"project{len(started)}", **options)
        started.append(running)
        return running

    yield factory
    for running in started:
        running.thread.stop()


# --- a small IOS-like model that tests the server independently of the real models -------------

TOY_CONFIG = "\n".join(
    ["!", "version 15.9", "hostname {name}", "!"]
    + [f"interface GigabitEthernet0/{i}\n description Liên kết {i} - Sở Thông tin và Truyền thông\n"
       f" ip address 10.{i}.0.1 255.255.255.0\n!" for i in range(40)]
    + ["end"]
)


class ToySession(CliSession):
    """Exec / enable / config modes, an enable password prompt, and an error for bad input."""

    def __init__(self, device: ToyDevice, secret: str) -> None:
        self.device = device
        self.secret = secret
        self.enabled = False
        self.config = False
        self.asking_password = False

    @property
    def echo(self) -> bool:  # type: ignore[override]
        return not self.asking_password

    def banner(self) -> str:
        return "Thiết bị thử nghiệm - truy cập trái phép bị nghiêm cấm\n"

    def prompt(self) -> str:
        if self.asking_password:
            return "Password: "
        if self.config:
            return f"{self.device.name}(config)#"
        return f"{self.device.name}{'#' if self.enabled else '>'}"

    @property
    def in_config_mode(self) -> bool:
        return self.config

    def rejected(self, line: str) -> str:
        return "% Invalid input detected at '^' marker."

    def handle(self, line: str) -> str:
        command = line.strip()
        if self.asking_password:
            self.asking_password = False
            self.enabled = line == self.secret
            return "" if self.enabled else "% Access denied"
        if not command:
            return ""
        if self.config:
            if command == "end":
                self.config = False
            elif command.startswith("bogus"):
                return self.rejected(line)
            else:
                self.device.lines.append(command)
            return ""
        if command == "enable":
            self.asking_password = True
        elif command in ("exit", "logout"):
            self.closed = True
        elif command == "configure terminal" and self.enabled:
            self.config = True
            return "Enter configuration commands, one per line.  End with CNTL/Z."
        elif command == "show running-config" and self.enabled:
            return self.device.running_config()
        elif not command.startswith("terminal "):
            return self.rejected(line)
        return ""


class ToyDevice(DeviceModel):
    """A device whose configuration is a fixed text plus the lines configured since start."""

    platform = "cisco_ios"

    def __init__(self, name: str, host: dict[str, Any], state_dir: Path | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        super().__init__(name, host, state_dir, problems)
        self.lines: list[str] = []
        self.flash_dir = state_dir / "flash" if state_dir else None

    @classmethod
    def initial_config(cls, host: dict[str, Any], problems: tuple[str, ...] = ()) -> str:
        return TOY_CONFIG.format(name=host["name"])

    @classmethod
    def supported_problems(cls) -> frozenset[str]:
        return frozenset()

    def running_config(self) -> str:
        return self.initial_config(self.host).replace("\nend", "".join(f"\n{x}" for x in self.lines)
                                                      + "\nend")

    def saved_config(self) -> str:
        return self.initial_config(self.host)

    def new_session(self, username: str, enable_secret: str) -> CliSession:
        return ToySession(self, enable_secret)


@pytest.fixture(scope="session")
def toy_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """The sample inventory served by `ToyDevice` (every host behaves as a small IOS device)."""
    running = start_lab(tmp_path_factory.mktemp("toylab"), model_for=lambda _platform: ToyDevice)
    running.platforms = dict.fromkeys(running.platforms, "cisco_ios")
    yield running
    running.thread.stop()
