"""The project config file (tslcd.yaml): where the operator's data lives and how runs behave.

Read once per command. Every key is declared below with its type; an unknown key or a value of the
wrong type is an error naming the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import ipaddress
import os
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml

from tslcd import yamlsafe
from tslcd.errors import ConfigError
from tslcd.timefmt import zone

CONFIG_NAME = "tslcd.yaml"
ENV_CONFIG = "TSLCD_CONFIG"


@dataclass
class Timeouts:
    """Seconds allowed for each phase of a device session."""

    connect: float = 15.0
    command: float = 60.0
    banner: float = 15.0
    auth: float = 15.0
    # The whole session with one device in a read-only run (backup, facts, cmd), retries
    # included: a hung device fails after this long, whatever the other timeouts add up to.
    deadline: float = 60.0


@dataclass
class LabSettings:
    """Where and how the virtual-device lab serves its devices."""

    port: int = 22
    topology: str = "lab/topology.yaml"
    extra_sites: int = 0
    # Device timers (IOS revert timer, FortiOS cfg-revert-timeout) run this many times faster in
    # the lab, so tests exercise a one-minute timer in seconds. Real devices ignore it.
    time_scale: float = 1.0


@dataclass
class PushSettings:
    """How a change is applied: the commit-confirm window a device reverts by itself after."""

    confirm_minutes: int = 5


@dataclass
class ListenerSettings:
    """`tslcd listen`: where the syslog receiver binds (inside safety.allowed_networks) and how long
    a device must be quiet after a change message before it is backed up."""

    address: str = "127.0.0.1"
    port: int = 5514  # UDP and TCP; 514 needs root
    debounce: float = 3.0


@dataclass
class InventorySettings:
    """Which host data every host must carry (the hierarchy itself is data, not code)."""

    required_data: list[str] = field(
        default_factory=lambda: ["agency_code", "agency_name", "agency_type", "role"]
    )


@dataclass
class SafetySettings:
    """Where tslcd may connect at all: a guard against pointing the tool at the wrong network."""

    allowed_networks: list[str] = field(default_factory=lambda: ["127.0.0.0/8"])


@dataclass
class EmailSettings:
    """SMTP delivery of notifications; the login comes from the environment, never this file."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 25
    starttls: bool = False
    sender: str = "tslcd@localhost"
    recipients: list[str] = field(default_factory=list)
    username_env: str = "TSLCD_SMTP_USERNAME"
    password_env: str = "TSLCD_SMTP_PASSWORD"
    timeout: float = 15.0


@dataclass
class WebhookSettings:
    """JSON POST of notifications (chat bridge, ticketing); the token comes from the environment."""

    enabled: bool = False
    url: str = "http://127.0.0.1:8080/tslcd"
    token_env: str = "TSLCD_WEBHOOK_TOKEN"
    proxy: str = ""  # http://HOST:PORT; empty: direct (environment proxies are never used)
    timeout: float = 10.0


@dataclass
class NotificationSettings:
    """Which events are sent, and where."""

    events: list[str] = field(default_factory=lambda: [
        "out-of-band-change", "new-finding", "backup-failure", "stale-backup", "change-needs-recovery"])
    min_severity: str = "high"  # new findings at or above this severity are sent
    stale_days: int = 3
    report_base_url: str = ""  # where the data folder's reports are published, if anywhere
    email: EmailSettings = field(default_factory=EmailSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)


@dataclass
class ComplianceSettings:
    """Where the compliance packs live and what the report's header says."""

    packs: str = "compliance"  # folder of pack files (*.yaml), relative to this file
    province: str = ""  # the report header's issuing body, e.g. "UBND tỉnh An Giang"


@dataclass
class Config:
    """Validated project configuration; relative paths are resolved against the file's folder."""

    inventory: str = "inventory"
    templates: str = "templates"
    data: str = "data"
    workers: int = 20
    processes: int = 0  # worker processes a backup spreads its hosts over (0: one per core)
    retries: int = 2
    timezone: str = "Asia/Ho_Chi_Minh"  # how times are shown (IANA name); stored times stay UTC
    timeouts: Timeouts = field(default_factory=Timeouts)
    lab: LabSettings = field(default_factory=LabSettings)
    push: PushSettings = field(default_factory=PushSettings)
    inventory_rules: InventorySettings = field(default_factory=InventorySettings)
    safety: SafetySettings = field(default_factory=SafetySettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    listener: ListenerSettings = field(default_factory=ListenerSettings)
    compliance: ComplianceSettings = field(default_factory=ComplianceSettings)
    root: Path = field(default_factory=Path.cwd, metadata={"internal": True})
    source: Path | None = field(default=None, metadata={"internal": True})

    def _path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.root / path)

    @property
    def inventory_dir(self) -> Path:
        """Folder holding hosts.yaml, groups.yaml, defaults.yaml (and zones.yaml)."""
        return self._path(self.inventory)

    @property
    def templates_dir(self) -> Path:
        """Folder holding templates/<platform>/<name>.j2."""
        return self._path(self.templates)

    @property
    def data_dir(self) -> Path:
        """Folder holding backups (git), the database, lab state, reports and logs."""
        return self._path(self.data)

    @property
    def compliance_dir(self) -> Path:
        """Folder holding the compliance packs (one YAML file per pack)."""
        return self._path(self.compliance.packs)

    @property
    def lab_topology_path(self) -> Path:
        """The lab topology file (faults and planted problems per device)."""
        return self._path(self.lab.topology)


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _coerce(value: Any, tp: Any, key: str) -> Any:
    """Check ``value`` against the declared type ``tp``; ints are accepted where floats are."""
    origin = typing.get_origin(tp)
    if is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"config key {key!r} must be a mapping, got {type(value).__name__}")
        return _build(tp, value, key + ".")
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            raise ConfigError(f"config key {key!r} must be a list, got {type(value).__name__}")
        return [_coerce(v, item_tp, f"{key}[{i}]") for i, v in enumerate(value)]
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            if option is type(None) and value is None:
                return None
            try:
                return _coerce(value, option, key)
            except ConfigError:
                continue
        raise ConfigError(f"config key {key!r} has the wrong type: {value!r}")
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is int and isinstance(value, bool):
        raise ConfigError(f"config key {key!r} must be an int, got bool")
    if not isinstance(value, tp):
        raise ConfigError(
            f"config key {key!r} must be {_type_name(tp)}, got {type(value).__name__} ({value!r})"
        )
    return value


def _build(cls: type, raw: dict[str, Any], prefix: str = "") -> Any:
    hints = typing.get_type_hints(cls)
    public = {f.name: f for f in fields(cls) if not f.metadata.get("internal")}
    unknown = sorted(set(raw) - set(public))
    if unknown:
        valid = ", ".join(prefix + k for k in public)
        raise ConfigError(f"unknown config key {prefix + unknown[0]!r} (valid keys: {valid})")
    kwargs = {name: _coerce(value, hints[name], prefix + name) for name, value in raw.items()}
    return cls(**kwargs)


def _check_values(config: Config) -> None:
    """Values that have the right type but cannot work: a typo here must not widen the safety net."""
    for i, network in enumerate(config.safety.allowed_networks):
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(f"config key 'safety.allowed_networks[{i}]': {network!r} is not a "
                              "network (e.g. 10.0.99.0/24)") from None
    ports = {"lab.port": config.lab.port, "notifications.email.port": config.notifications.email.port}
    for key, port in ports.items():
        if not 1 <= port <= 65535:
            raise ConfigError(f"config key {key!r}: port {port} is outside 1-65535")
    counts = {"workers": (config.workers, 1), "processes": (config.processes, 0),
              "retries": (config.retries, 0), "lab.extra_sites": (config.lab.extra_sites, 0)}
    for key, (value, least) in counts.items():
        if value < least:
            raise ConfigError(f"config key {key!r}: {value} is below {least}")
    for name in ("connect", "command", "banner", "auth"):
        if getattr(config.timeouts, name) <= 0:
            raise ConfigError(f"config key 'timeouts.{name}' must be more than 0 seconds")


def find_config_path(explicit: str | None = None) -> Path | None:
    """The config file to use: --config, then $TSLCD_CONFIG, then ./tslcd.yaml if present."""
    chosen = explicit or os.environ.get(ENV_CONFIG)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        return path
    default = Path.cwd() / CONFIG_NAME
    return default if default.is_file() else None


def load_config(path: str | None = None) -> Config:
    """Load and validate the project config; with no file at all, the defaults apply in ./"""
    found = find_config_path(path)
    if found is None:
        return Config(root=Path.cwd())
    try:
        raw = yamlsafe.safe_load(found.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{found}:{mark.line + 1}" if mark else str(found)
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{found}: the config must be a mapping of keys")
    try:
        config = _build(Config, raw)
        zone(config.timezone)
        _check_values(config)
    except ConfigError as exc:
        raise ConfigError(f"{found}: {exc}") from None
    config.root = found.resolve().parent
    config.source = found.resolve()
    return config
