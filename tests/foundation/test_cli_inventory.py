"""The inventory commands as an operator runs them: real processes, real exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def tslcd(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "tslcd", *(["--config", str(config)] if config else []), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_check_passes_on_the_sample() -> None:
    result = tslcd("inventory", "check")
    assert result.returncode == 0, result.stderr
    assert "OK, 65 hosts" in result.stdout


def test_check_names_all_four_problems_and_exits_2(inventory_copy: Path) -> None:
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    text = hosts.read_text(encoding="utf-8")
    text = text.replace("  platform: cisco_asa\n", "  platform: cisco_pix\n", 1)
    text = text.replace("hostname: 127.21.3.2", "hostname: 127.21.3.1", 1)
    text = text.replace("  - van-phong\n", "  - van-phong-moi\n", 1)
    text = text.replace("    circuit_id: TSLCD-AGG-0007\n", "    circuit_id: 'TSLCD-AGG-0007\n", 1)
    hosts.write_text(text, encoding="utf-8")
    result = tslcd("inventory", "check", config=inventory_copy)
    assert result.returncode == 2
    err = result.stderr
    assert "4 problems" in err
    assert "YAML syntax error" in err
    assert "unknown platform 'cisco_pix'" in err
    assert "management address 127.21.3.1 is already used by host 'skhdt-r1'" in err
    assert "group 'van-phong-moi' is not defined in groups.yaml" in err
    assert "Traceback" not in err


def test_list_firewalls_json_matches_the_yaml() -> None:
    result = tslcd("inventory", "list", "--filter", "role=firewall", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    raw = yaml.safe_load((ROOT / "inventory" / "hosts.yaml").read_text(encoding="utf-8"))
    firewalls = {n: h for n, h in raw.items() if h["data"]["role"] == "firewall"}
    assert {h["name"] for h in payload["hosts"]} == set(firewalls)
    assert payload["total"] == len(firewalls)
    assert payload["counts"]["platform"] == dict(Counter(h["platform"] for h in firewalls.values()))
    assert payload["counts"]["district"] == dict(Counter(h["data"]["district"] for h in firewalls.values()))
    assert payload["counts"]["role"] == {"firewall": len(firewalls)}
    assert any(h["agency_name"] == "Sở Y tế" for h in payload["hosts"])


def test_show_export_and_errors() -> None:
    shown = tslcd("inventory", "show", "ubnd-ap-fw1", "--json")
    assert json.loads(shown.stdout)["data"]["district_name"] == "Huyện An Phú"
    assert tslcd("inventory", "show", "no-such-host").returncode == 2
    exported = tslcd("inventory", "export", "--format", "csv", "-f", "platform=cisco_asa")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert rows and {r["platform"] for r in rows} == {"cisco_asa"}
    as_json = json.loads(tslcd("inventory", "export", "--format", "json").stdout)
    assert len(as_json) == 65
    bad = tslcd("inventory", "list", "-f", "distrct=an-phu")
    assert bad.returncode == 2 and "valid fields" in bad.stderr
    assert tslcd("inventory", "export", "--format", "xml").returncode == 2


def test_version_and_help_everywhere() -> None:
    assert tslcd("--version").stdout.startswith("tslcd ")
    for args in (["--help"], ["inventory", "--help"], ["inventory", "list", "--help"]):
        result = tslcd(*args)
        assert result.returncode == 0 and "Usage" in result.stdout
    assert tslcd("no-such-command").returncode == 2
