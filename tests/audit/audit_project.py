"""A project for audit-service tests: a copy of the sample inventory and stored backups of a few hosts
(the audit fixtures), so `run_audit` runs as the CLI, the TUI and the scheduler run it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tslcd.config import Config, load_config
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
BACKUPS = {  # host -> fixture
    "stc-fw1": FIXTURES / "cisco_asa" / "acl_objects.cfg",
    "stc-r1": FIXTURES / "cisco_ios" / "acl_reachability.cfg",
    "ttdl-core-fw1": FIXTURES / "fortinet" / "policies.cfg",
}


def make_project(tmp_path: Path) -> Config:
    """Inventory copied to ``tmp_path/inventory`` (so a test can add waivers.yaml), data in ``data``."""
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    (tmp_path / "inventory" / "waivers.yaml").unlink(missing_ok=True)
    path = tmp_path / "tslcd.yaml"
    path.write_text("inventory: inventory\ndata: data\n", encoding="utf-8")
    config = load_config(str(path))
    store_backups(config, {h: p.read_text(encoding="utf-8") for h, p in BACKUPS.items()})
    return config


def store_backups(config: Config, texts: dict[str, str]) -> None:
    """Commit these configurations as the hosts' latest backups."""
    store = ConfigStore(Path(config.data_dir))
    with store.writer():
        store.prepare()
        store.write(StoredConfig(h, layout_path(h, "so", h), t) for h, t in texts.items())
        store.commit("test backups")
