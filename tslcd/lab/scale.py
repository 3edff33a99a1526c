"""A larger province for load tests: the sample inventory plus N synthetic commune sites.

Each extra site is a commune People's Committee (UBND cấp xã) with a CPE router and a firewall
(FortiGate, every fourth a Cisco ASA) on further 127.x addresses. The result is an ordinary
inventory folder, so the lab, the backup bench and every command use it unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tslcd import yamlsafe
from tslcd.errors import InputError

SITE_GROUP = "ubnd-cap-xa"
SITES_PER_BLOCK = 250  # sites per 127.N.0.0/16 block: 127.N.<1..250>.{1,2}
FIRST_BLOCK = 30  # the sample province uses 127.20-22; extra sites start at 127.30
MAX_SITES = SITES_PER_BLOCK * (255 - FIRST_BLOCK)


def _load(path: Path) -> dict[str, Any]:
    return (yamlsafe.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def site_hosts(index: int, district: str) -> dict[str, dict[str, Any]]:
    """The two hosts of synthetic site ``index`` (0-based) in ``district``."""
    number = index + 1
    block, slot = divmod(index, SITES_PER_BLOCK)
    prefix = f"127.{FIRST_BLOCK + block}.{slot + 1}"
    code = f"XA{number:04d}"
    data = {
        "agency_code": code,
        "agency_name": f"UBND xã mô phỏng {number:04d}",
        "agency_type": SITE_GROUP,
        "district": district,
        "lan_prefix": f"10.{100 + index // 256}.{index % 256}.0/24",
        "wan_prefix": f"10.253.{index // 64}.{index % 64 * 4}/30",
        "circuit_id": f"TSLCD-XA-{number:04d}",
        "bandwidth_mbps": 50,
    }
    firewall = "cisco_asa" if number % 4 == 0 else "fortinet"
    name = f"xa{number:04d}"
    return {
        f"{name}-r1": {"hostname": f"{prefix}.1", "platform": "cisco_ios",
                       "groups": [SITE_GROUP, district, "router", "cisco_ios"],
                       "data": {**data, "role": "router"}},
        f"{name}-fw1": {"hostname": f"{prefix}.2", "platform": firewall,
                        "groups": [SITE_GROUP, district, "firewall", firewall],
                        "data": {**data, "role": "firewall"}},
    }


def write_scaled_inventory(base_dir: Path, out_dir: Path, extra_sites: int) -> Path:
    """Write ``base_dir``'s inventory plus ``extra_sites`` synthetic sites into ``out_dir``."""
    if not 0 <= extra_sites <= MAX_SITES:
        raise InputError(f"extra sites must be between 0 and {MAX_SITES}, got {extra_sites}")
    hosts = _load(base_dir / "hosts.yaml")
    groups = _load(base_dir / "groups.yaml")
    districts = sorted({str(h.get("data", {}).get("district")) for h in hosts.values()
                        if h.get("data", {}).get("district") in groups})
    if extra_sites and not districts:
        raise InputError(f"{base_dir}: no host has a district group to place extra sites in")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in base_dir.iterdir():
        if path.is_file() and path.name not in ("hosts.yaml", "groups.yaml"):
            shutil.copy2(path, out_dir / path.name)
    for index in range(extra_sites):
        hosts.update(site_hosts(index, districts[index % len(districts)]))
    groups.setdefault(SITE_GROUP, {"data": {"agency_type_name": "UBND cấp xã"}})
    _dump(out_dir / "hosts.yaml", hosts)
    _dump(out_dir / "groups.yaml", groups)
    return out_dir
