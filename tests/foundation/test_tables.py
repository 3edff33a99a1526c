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


def test_piped_inventory_show_is_field_tab_value() -> None:
    result = tslcd("inventory", "show", "stc-fw1", terminal=False)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["hostname", rows[0][1]] and all(len(row) == 2 for row in rows)
    assert "stc-fw1" in result.stderr and "│" not in result.stdout  # the title goes beside


def _audit_project(tmp_path: Path) -> Path:
    from tests.audit.audit_project import make_project

    make_project(tmp_path)
    return tmp_path / "tslcd.yaml"


def test_audit_tables_at_80_columns_keep_hosts_and_checks_whole(tmp_path: Path) -> None:
    config = _audit_project(tmp_path)
    result = tslcd("--config", str(config), "audit", terminal=True)
    text = ANSI.sub("", result.stdout)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    cells = {cell.strip() for line in text.splitlines() for cell in line.split("│")}
    piped = tslcd("--config", str(config), "audit", terminal=False)
    rows = [line.split("\t") for line in piped.stdout.splitlines()]
    findings = [row for row in rows if len(row) == 8 and row[0] != "severity"]
    assert findings and "\x1b" not in piped.stdout and "┃" not in piped.stdout
    for row in findings:
        assert row[1] in cells and row[3] in cells, row  # host and check never folded
    assert "Covered:" in piped.stderr and "By agency" in piped.stderr


def test_compliance_table_piped_is_tsv_per_agency(tmp_path: Path) -> None:
    config = _audit_project(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + f"compliance:\n  packs: {ROOT / 'compliance'}\n",
                      encoding="utf-8")
    piped = tslcd("--config", str(config), "compliance", terminal=False)
    rows = [line.split("\t") for line in piped.stdout.splitlines()]
    assert ["device", "control", "status", "evidence"] in rows
    assert all(len(row) in (4, 5) for row in rows) and "│" not in piped.stdout
