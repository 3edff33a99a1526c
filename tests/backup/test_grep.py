"""`tslcd grep` over stored backups: lines with file:line, --missing, --at, counts per agency."""

from __future__ import annotations

import json
from pathlib import Path

from tslcd.config import load_config
from tslcd.services.search import search
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

from .conftest import ROOT, tslcd

FW_WITH_LOG = "hostname stc-fw1\nlogging host inside 10.0.10.5\nlogging trap warnings\n"
FW_WITHOUT = "hostname ubnd-ap-fw1\nlogging trap warnings\n"


def _project(tmp_path: Path) -> Path:
    config = tmp_path / "tslcd.yaml"
    config.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    store = ConfigStore(tmp_path / "data")
    with store.writer():
        store.prepare()
        store.write([StoredConfig("stc-fw1", layout_path("stc-fw1", "so", "STC"), FW_WITHOUT),
                     StoredConfig("ubnd-ap-fw1", layout_path("ubnd-ap-fw1", "ubnd-cap-huyen", "UBND-AP"),
                                  FW_WITHOUT)])
        store.commit("backup run: first\n")
        store.write([StoredConfig("stc-fw1", layout_path("stc-fw1", "so", "STC"), FW_WITH_LOG)])
        store.commit("backup run: second\n")
    return config


def test_lines_with_their_file_and_line_number_and_counts_per_agency(tmp_path: Path) -> None:
    config = _project(tmp_path)
    result = tslcd(config, "grep", "^logging host", "stc-fw1", "ubnd-ap-fw1", "stc-r1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "host\tfile:line\tline"  # piped: plain TSV
    assert lines[1:] == ["stc-fw1\tso/STC/stc-fw1.cfg:2\tlogging host inside 10.0.10.5"]
    assert "agency" in result.stderr and "no stored config (not searched): stc-r1" in result.stderr


def test_missing_lists_the_devices_whose_config_lacks_a_match(tmp_path: Path) -> None:
    config = _project(tmp_path)
    result = tslcd(config, "grep", "--missing", "^logging host", "-f", "role=firewall", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [m["host"] for m in report["missing"]] == ["ubnd-ap-fw1"]
    assert report["missing"][0]["agency"]
    agencies = report["agencies"]
    assert sum(a["matching"] for a in agencies.values()) == 1
    assert sum(a["missing"] for a in agencies.values()) == 1
    plain = tslcd(config, "grep", "--missing", "^logging host", "-f", "role=firewall")
    assert plain.stdout.splitlines()[1].startswith("ubnd-ap-fw1\t")


def test_at_searches_the_configs_as_they_were(tmp_path: Path) -> None:
    config = _project(tmp_path)
    then = search(load_config(str(config)), "^logging host", ["role=firewall"], at="HEAD~1")
    assert then.matches == [] and sorted(then.missing) == ["stc-fw1", "ubnd-ap-fw1"]
    now = search(load_config(str(config)), "^logging host", ["role=firewall"])
    assert [m.host for m in now.matches] == ["stc-fw1"]


def test_bad_input_is_named_exit_2(tmp_path: Path) -> None:
    config = _project(tmp_path)
    for args, message in [(("grep", "("), "bad regular expression"),
                          (("grep", "x", "--at", "1990-01-01"), "no backup at or before"),
                          (("grep", "x", "nobody"), "no host matches")]:
        result = tslcd(config, *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
