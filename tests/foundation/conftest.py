"""Fixtures for inventory tests: a private copy of the sample inventory to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def inventory_copy(tmp_path: Path) -> Path:
    """A copy of the sample inventory plus a tslcd.yaml pointing at it; returns the config path."""
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    config = tmp_path / "tslcd.yaml"
    config.write_text("inventory: inventory\ndata: data\n")
    return config
