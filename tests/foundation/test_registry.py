"""The platform registry: one module per platform, every entry complete and loadable."""

from __future__ import annotations

import inspect
import re

import pytest
from netmiko.base_connection import BaseConnection

from tslcd.platforms import PLATFORM_MODULES, PLATFORMS, ConfirmRules, PushRules, load_object


def test_every_listed_module_gives_one_platform() -> None:
    assert len(PLATFORMS) == len(PLATFORM_MODULES)


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_entry_is_complete(name: str) -> None:
    platform = PLATFORMS[name]
    assert isinstance(platform.push, PushRules) and isinstance(platform.confirm, ConfirmRules)
    assert platform.push.method in {"napalm", "cli"}
    load_object(platform.audit_parser)
    load_object(platform.lab_model)
    patterns = [platform.error_pattern, platform.config_marker, *platform.detect_patterns,
                *platform.volatile_patterns, *(p for p, _ in platform.secret_patterns),
                *platform.push.owned_lines, *platform.push.ignore_lines]
    for pattern in patterns:
        re.compile(pattern)
    assert len(platform.detect_patterns) >= 2, "detection needs two patterns to name a platform"


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_ssh_options_are_netmiko_arguments(name: str) -> None:
    """A misspelt option would be dropped without a word by the connection plugin."""
    accepted = set(inspect.signature(BaseConnection.__init__).parameters)
    assert set(PLATFORMS[name].ssh_options) <= accepted
