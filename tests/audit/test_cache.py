"""Re-auditing an unchanged device reuses its findings; anything its findings depend on invalidates them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.audit_project import BACKUPS, FIXTURES, make_project, store_backups
from tslcd.audit import runner
from tslcd.audit.runner import DeviceConfig, audit_devices
from tslcd.audit.zones import load_policy
from tslcd.services import audit as service
from tslcd.store.configs import ConfigStore


@pytest.fixture
def audited(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hosts actually audited (not served from the cache), in order."""
    hosts: list[str] = []
    real = runner.audit_device

    def counting(dev: DeviceConfig, *args: object) -> list:  # type: ignore[type-arg]
        hosts.append(dev.host)
        return real(dev, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "audit_device", counting)
    return hosts


def _stored(config, run_id: int) -> list[tuple]:
    return sorted((f.host, f.check, f.line, f.text, f.message, f.fingerprint, str(f.details))
                  for f in service.run_findings(config.data_dir, run_id))


def test_an_unchanged_network_is_not_audited_again_and_stores_the_same_run(
        tmp_path: Path, audited: list[str]) -> None:
    config = make_project(tmp_path)
    first, _ = service.run_audit(config)
    assert sorted(audited) == sorted(BACKUPS)
    audited.clear()
    second, _ = service.run_audit(config, compare=True)
    assert audited == []
    assert second.findings == first.findings
    assert _stored(config, second.run_id) == _stored(config, first.run_id)  # copied inside SQLite
    assert second.comparison is not None and second.comparison.new == second.comparison.resolved == []

    # one device changes: only it is audited again; the others' rows are still copied right
    text = BACKUPS["stc-fw1"].read_text(encoding="utf-8")
    any_any = "access-list OUTSIDE_IN extended permit ip any any log\n"
    store_backups(config, {"stc-fw1": text.replace(any_any, "")})
    third, _ = service.run_audit(config, compare=True)
    assert audited == ["stc-fw1"]
    assert third.comparison is not None and "any-any-permit" in {f.check for f in third.comparison.resolved}
    assert _stored(config, third.run_id) == sorted(
        (f.host, f.check, f.line, f.text, f.message, f.fingerprint, str(f.details)) for f in third.findings)


def test_the_zone_policy_inventory_data_and_engine_version_invalidate_results(
        tmp_path: Path, audited: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_project(tmp_path)
    service.run_audit(config)
    zones = Path(config.inventory_dir) / "zones.yaml"
    zones.write_text(zones.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    audited.clear()
    service.run_audit(config)
    assert sorted(audited) == sorted(BACKUPS)

    hosts = Path(config.inventory_dir) / "hosts.yaml"
    hosts.write_text(hosts.read_text(encoding="utf-8").replace("lan_prefix: 10.10.2.0/24",
                                                               "lan_prefix: 10.10.3.0/24"), encoding="utf-8")
    audited.clear()
    service.run_audit(config)
    assert sorted(audited) == ["stc-fw1", "stc-r1"]  # the hosts whose inventory data changed

    monkeypatch.setattr(runner, "engine_version", lambda: "a newer tslcd")
    audited.clear()
    service.run_audit(config)
    assert sorted(audited) == sorted(BACKUPS)


def test_a_process_pool_finds_exactly_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy(FIXTURES / "zones.yaml")
    devices = [DeviceConfig(f"{p.stem}-{n}", p.parent.name, p.read_text(encoding="utf-8"),
                            {"role": "firewall"}, "t") for n in range(3) for p in BACKUPS.values()]
    alone = [(d.host, f) for d, found in audit_devices(devices, policy, workers=1) for f in found]
    monkeypatch.setattr(runner, "POOL_MIN_BYTES", 0)
    pooled = [(d.host, f) for d, found in audit_devices(devices, policy, workers=2) for f in found]
    assert pooled == alone and alone


def test_reading_many_backups_at_once_matches_reading_each(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    store_backups(config, {"stc-fw1": "hostname stc-fw1\n! Sở Tài chính\n"})
    store = ConfigStore(Path(config.data_dir))
    names = [*BACKUPS, "never-backed-up"]
    assert store.read_many(names) == {h: store.read(h) for h in BACKUPS}
    assert store.read_many([]) == {}
