"""The registry of what differs per platform: one module per platform, listed here.

Everything that depends on the platform name reads it from here; nothing else in tslcd branches on
``platform == ...``. Adding a platform means adding one module defining ``PLATFORM`` (plus its
audit parser and lab model, named there by import path so the registry stays at the bottom of the
layering) and one line in `PLATFORM_MODULES`.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from tslcd.errors import UnknownPlatformError
from tslcd.platforms.model import ConfirmRules, Platform, PushRules

__all__ = ["PLATFORMS", "ConfirmRules", "Platform", "PushRules", "detect_platform", "get_platform",
           "load_object"]

PLATFORM_MODULES: tuple[str, ...] = (
    "cisco_ios",
    "cisco_asa",
    "fortinet",
    "juniper_junos",
    "paloalto_panos",
    "huawei",
    "huawei_vrpv8",
)


def load_object(ref: str) -> Any:
    """Import ``module:attribute`` lazily, so the registry never imports upper layers at load."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def _load_platforms() -> dict[str, Platform]:
    """Every listed module's PLATFORM, by name (a duplicate name is a programming error)."""
    platforms: dict[str, Platform] = {}
    for module_name in PLATFORM_MODULES:
        platform = importlib.import_module(f"{__name__}.{module_name}").PLATFORM
        if platform.name in platforms:
            raise RuntimeError(f"platform {platform.name!r} is defined twice")
        platforms[platform.name] = platform
    return platforms


PLATFORMS: dict[str, Platform] = _load_platforms()


def detect_platform(text: str) -> Platform | None:
    """The platform whose config ``text`` most looks like (None when no platform stands out).

    Why: a config file handed to the audit without --platform is read as what it plainly is,
    and the caller says which platform it chose.
    """
    scores = {name: sum(1 for pattern in p.detect_patterns if re.search(pattern, text, re.MULTILINE))
              for name, p in PLATFORMS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return PLATFORMS[ranked[0][0]]


def get_platform(name: str) -> Platform:
    """Look a platform up by its Netmiko name; an unknown name is an input error listing the known ones."""
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise UnknownPlatformError(f"unknown platform {name!r} (known: {known})") from None
