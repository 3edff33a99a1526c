"""Helpers for the backup tests: the CLI as a real process, a lab config with tight timeouts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]


def tslcd(config: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run ``tslcd --config CONFIG ARGS`` as an operator would (stderr is not a terminal)."""
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def tight_config(lab: RunningLab, retries: int = 1) -> Path:
    """A copy of the lab's tslcd.yaml with short timeouts, so faulty devices fail fast."""
    raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
    raw["timeouts"] = {"connect": 3, "banner": 3, "auth": 3, "command": 4}
    raw["retries"] = retries
    path = lab.config_path.with_name("tight.yaml")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path
