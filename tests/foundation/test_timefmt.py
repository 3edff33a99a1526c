"""Times are stored in UTC and shown in the configured zone (default Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.config import Config, load_config
from tslcd.errors import ConfigError
from tslcd.timefmt import local


def test_utc_and_offset_times_are_shown_in_the_zone() -> None:
    assert Config().timezone == "Asia/Ho_Chi_Minh"
    assert local("2026-12-04T17:03:46+00:00", "Asia/Ho_Chi_Minh") == "2026-12-05 00:03"
    assert local("2026-12-04T17:03:46", "Asia/Ho_Chi_Minh") == "2026-12-05 00:03"  # naive = UTC
    assert local("2026-12-04T18:03:46+01:00", "UTC", seconds=True) == "2026-12-04 17:03:46"
    assert local("", "UTC") == "" and local("not a time", "UTC") == "not a time"


def test_an_unknown_zone_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "tslcd.yaml"
    path.write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        load_config(str(path))
