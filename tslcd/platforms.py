"""The one table of what differs per platform.

Everything that depends on the platform name reads it from here; nothing else in tslcd branches on
``platform == ...``. Adding a platform means adding one `Platform` entry (plus its audit parser
and lab model, named here by import path so this module stays at the bottom of the layering).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

from tslcd.errors import UnknownPlatformError


@dataclass(frozen=True)
class Platform:
    """How tslcd talks to, stores, audits and simulates one kind of device."""

    name: str  # Netmiko device_type, also the Nornir platform name in the inventory
    display: str
    vendor: str
    napalm_driver: str | None  # None: no maintained NAPALM driver, Netmiko is used
    config_command: str  # Netmiko command that prints the running configuration
    facts_command: str  # Netmiko command parsed for facts when NAPALM cannot be used
    save_command: str | None  # how the running config is made persistent (None: saved on commit)
    netutils_parser: str  # key in netutils.config.compliance.parser_map / clean_config
    hier_config_os: str | None  # hier_config Platform name for remediation, if supported
    audit_parser: str  # "module:function" that parses a stored config into the rule model
    lab_model: str  # "module:Class" of the lab's stateful device model
    comment_prefix: str = "!"
    # Regular expressions applied line by line before a config is stored.
    secret_patterns: tuple[tuple[str, str], ...] = ()  # (pattern, replacement)
    volatile_patterns: tuple[str, ...] = ()  # lines matching these are dropped
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def volatile_res(self) -> list[re.Pattern[str]]:
        """Compiled volatile-line patterns."""
        return [re.compile(p) for p in self.volatile_patterns]


def load_object(ref: str) -> Any:
    """Import ``module:attribute`` lazily, so the registry never imports upper layers at load."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            name="cisco_ios",
            display="Cisco IOS / IOS-XE",
            vendor="Cisco",
            napalm_driver="ios",
            config_command="show running-config",
            facts_command="show version",
            save_command="write memory",
            netutils_parser="cisco_ios",
            hier_config_os="CISCO_IOS",
            audit_parser="tslcd.audit.parsers.ios:parse",
            lab_model="tslcd.lab.models.ios:IosDevice",
        ),
        Platform(
            name="cisco_asa",
            display="Cisco ASA",
            vendor="Cisco",
            napalm_driver=None,
            config_command="show running-config",
            facts_command="show version",
            save_command="write memory",
            netutils_parser="cisco_asa",
            hier_config_os="GENERIC",
            audit_parser="tslcd.audit.parsers.asa:parse",
            lab_model="tslcd.lab.models.asa:AsaDevice",
        ),
        Platform(
            name="fortinet",
            display="Fortinet FortiGate (FortiOS)",
            vendor="Fortinet",
            napalm_driver=None,
            config_command="show full-configuration",
            facts_command="get system status",
            save_command=None,
            netutils_parser="fortinet",
            hier_config_os="FORTINET_FORTIOS",
            audit_parser="tslcd.audit.parsers.fortinet:parse",
            lab_model="tslcd.lab.models.fortinet:FortinetDevice",
            comment_prefix="#",
        ),
    )
}


def get_platform(name: str) -> Platform:
    """Look a platform up by its Netmiko name; an unknown name is an input error listing the known ones."""
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise UnknownPlatformError(f"unknown platform {name!r} (known: {known})") from None
