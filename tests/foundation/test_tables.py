"""Readable tables: at 80 columns names and addresses never break mid-word; piped output is TSV."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def tslcd(*args: str, terminal: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    if terminal:
        env.update(FORCE_COLOR="1", COLUMNS="80")
    return subprocess.run([sys.executable, "-m", "tslcd", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


def test_piped_inventory_list_is_plain_tsv() -> None:
    result = tslcd("inventory", "list", "-f", "role=firewall", terminal=False)
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["host", "address", "agency", "type", "district", "role", "platform"]
    assert all(len(line.split("\t")) == 7 for line in lines[1:]) and len(lines) == 33
    assert "\x1b" not in result.stdout and "┃" not in result.stdout
    assert "platform: " in result.stderr  # the counts go beside the table


def test_at_80_columns_names_and_addresses_stay_whole() -> None:
    listed = tslcd("inventory", "list", "--json", terminal=False).stdout
    import json

    hosts = json.loads(listed)["hosts"]
    result = tslcd("inventory", "list", terminal=True)
    text = ANSI.sub("", result.stdout)
    assert max(len(line) for line in text.splitlines()) <= 80
    cells = {cell.strip() for line in text.splitlines() for cell in line.split("│")}
    for host in hosts:
        assert host["name"] in cells and host["hostname"] in cells, host["name"]
