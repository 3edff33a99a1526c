"""tslcd.yaml: defaults, overrides, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.config import load_config
from tslcd.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_project_config_loads_and_resolves_paths_against_its_folder() -> None:
    config = load_config(str(ROOT / "tslcd.yaml"))
    assert config.inventory_dir == ROOT / "inventory"
    assert config.data_dir == ROOT / "data"
    assert config.workers == 20
    assert config.safety.allowed_networks == ["127.0.0.0/8"]


def test_env_variable_names_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("data: /var/lib/tslcd\nworkers: 5\ntimeouts: {connect: 3}\n")
    monkeypatch.setenv("TSLCD_CONFIG", str(path))
    config = load_config(None)
    assert config.workers == 5
    assert config.timeouts.connect == 3.0 and config.timeouts.command == 60.0
    assert config.data_dir == Path("/var/lib/tslcd")
    assert config.inventory_dir == tmp_path / "inventory"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("workerz: 3\n", "unknown config key 'workerz'"),
        ("timeouts: {conect: 3}\n", "unknown config key 'timeouts.conect'"),
        ("workers: many\n", "config key 'workers' must be int"),
        ("lab: {port: true}\n", "config key 'lab.port' must be an int"),
        ("timeouts: 5\n", "config key 'timeouts' must be a mapping"),
        ("safety: {allowed_networks: 127.0.0.0/8}\n", "config key 'safety.allowed_networks' must be a list"),
        ("workers: [1\n", "not valid YAML"),
        ("processes: -1\n", "config key 'processes': -1 is below 0"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tslcd.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(str(tmp_path / "nope.yaml"))
