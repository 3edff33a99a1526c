"""The lab as a background process, driven through the `tslcd lab` commands a person types."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
import yaml
from conftest import SAMPLE_INVENTORY, SAMPLE_TOPOLOGY, ToyDevice, free_port
from typer.testing import CliRunner, Result

from tslcd.cli import app
from tslcd.cli.register import load_commands
from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.lab.scale import write_scaled_inventory

pytestmark = pytest.mark.lab
load_commands([])  # every sub-command attached to the app CliRunner drives


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A short folder: the lab's control socket (data/lab/control.sock) must fit a Unix socket
    path (108 bytes), also under pytest-xdist, whose worker folders make pytest's own longer."""
    folder = Path(tempfile.mkdtemp(prefix="tl-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _project(root: Path, inventory: Path = SAMPLE_INVENTORY) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "tslcd.yaml"
    path.write_text(yaml.safe_dump({"inventory": str(inventory), "data": "data",
                                    "lab": {"port": free_port(), "topology": str(SAMPLE_TOPOLOGY)}}))
    return path


def _tslcd(config: Path, *args: str) -> Result:
    """The CLI in-process (the lab it starts is still a real background process)."""
    return CliRunner().invoke(app, ["--config", str(config), *args])


def _refused(address: str, port: int) -> bool:
    try:
        socket.create_connection((address, port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def _ends(pid: int, timeout: float = 10) -> bool:
    """True once the process is gone (or a zombie: it has exited, its parent has yet to reap it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_up_status_fault_credentials_down(tmp_path: Path) -> None:
    config_path = _project(tmp_path / "project")
    lab_folder = tmp_path / "project" / "data" / "lab"
    port = load_config(str(config_path)).lab.port

    assert _tslcd(config_path, "lab", "status").exit_code == 1
    up = _tslcd(config_path, "lab", "up", "--filter", "district=an-phu")
    try:
        assert up.exit_code == 0, up.stderr
        assert "lab started: 2 devices on port" in up.stdout
        pid = int((lab_folder / "lab.pid").read_text())
        again = _tslcd(config_path, "lab", "up")
        assert f"lab already running: 2 devices on port {port} (pid {pid}" in again.stdout

        status = json.loads(_tslcd(config_path, "lab", "status", "--json").stdout)
        assert status["pid"] == pid
        devices = {d["name"]: d for d in status["devices"]}
        assert devices["ubnd-ap-r1"] == {"name": "ubnd-ap-r1", "platform": "cisco_ios",
                                         "address": "127.22.5.1", "port": port, "faults": {},
                                         "listening": True}

        assert _tslcd(config_path, "lab", "fault", "ubnd-ap-r1", "refuse").exit_code == 0
        assert _refused("127.22.5.1", port)
        shown = _tslcd(config_path, "lab", "fault", "ubnd-ap-r1", "latency", "0.5").stdout
        assert "ubnd-ap-r1: refuse, latency=0.5" in shown
        assert "ubnd-ap-fw1" in _tslcd(config_path, "lab", "status").stdout
        status = json.loads(_tslcd(config_path, "lab", "status", "--json").stdout)
        assert status["devices"][0]["faults"] == {"refuse": None, "latency": 0.5}
        bad = _tslcd(config_path, "lab", "fault", "no-such-host", "hang")
        assert bad.exit_code == 2 and "no device named 'no-such-host'" in bad.stderr
        assert "no faults" in _tslcd(config_path, "lab", "fault", "ubnd-ap-r1", "clear").stdout
        assert not _refused("127.22.5.1", port)

        creds = json.loads(_tslcd(config_path, "lab", "credentials", "--json").stdout)
        transport = paramiko.Transport(("127.22.5.2", port))
        transport.connect(username=creds["username"], password=creds["password"])
        assert transport.is_authenticated()
        transport.close()
        assert creds["password"] not in (lab_folder / "lab.log").read_text()
    finally:
        down = _tslcd(config_path, "lab", "down")
    assert down.exit_code == 0 and f"lab stopped (pid {pid})" in down.stdout
    assert not (lab_folder / "lab.pid").exists()
    assert not (lab_folder / "control.sock").exists()
    assert _refused("127.22.5.1", port)
    assert _ends(pid)
    assert "was not running" in _tslcd(config_path, "lab", "down").stdout


def test_up_reports_why_the_lab_cannot_start(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    (inventory / "hosts.yaml").write_text(
        "real-r1:\n  hostname: 10.10.0.1\n  platform: cisco_ios\n"
        "  data: {agency_code: X, agency_name: X, agency_type: so, role: router}\n")
    config_path = _project(tmp_path / "project", inventory)
    (tmp_path / "project" / "tslcd.yaml").write_text(
        (tmp_path / "project" / "tslcd.yaml").read_text().replace(str(SAMPLE_TOPOLOGY), "none.yaml"))
    up = _tslcd(config_path, "lab", "up")
    assert up.exit_code == 2
    assert "the lab only binds 127.0.0.0/8 addresses" in up.stderr
    assert "real-r1: 10.10.0.1 is outside 127.0.0.0/8" in up.stderr


def test_export_containerlab(tmp_path: Path) -> None:
    config_path = _project(tmp_path / "project")
    out = tmp_path / "tslcd.clab.yml"
    result = _tslcd(config_path, "lab", "export", "containerlab", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    topology = yaml.safe_load(out.read_text(encoding="utf-8"))
    nodes = topology["topology"]["nodes"]
    assert len(nodes) == 65
    assert nodes["stc-fw1"]["kind"] == "cisco_asav"
    assert nodes["stttt-fw1"]["kind"] == "fortinet_fortigate"
    assert nodes["stttt-r1"]["labels"]["tslcd.agency_name"].startswith("Sở Thông tin")
    assert {"endpoints": ["stc-r1:eth1", "stc-fw1:eth1"]} in topology["topology"]["links"]
    assert len({n["mgmt-ipv4"] for n in nodes.values()}) == 65


def test_scaled_inventory_and_lab(tmp_path: Path, lab_factory) -> None:
    out = write_scaled_inventory(SAMPLE_INVENTORY, tmp_path / "scaled", 300)
    config = load_config(str(_project(tmp_path / "p", out)))
    inventory = load_inventory(config)
    assert len(inventory) == 65 + 600
    addresses = [h.hostname for h in inventory]
    assert len(set(addresses)) == len(addresses)
    assert all(a.startswith("127.") for a in addresses)
    assert inventory.hosts["xa0300-fw1"].get("agency_type_name") == "UBND cấp xã"
    running = lab_factory(extra_sites=3, model_for=lambda _p: ToyDevice)
    assert len(running.addresses) == 71
    assert running.addresses["xa0003-r1"] == "127.30.3.1"


def test_run_in_the_foreground_until_ctrl_c(tmp_path: Path) -> None:
    config_path = _project(tmp_path / "project")
    lab = subprocess.Popen([sys.executable, "-m", "tslcd", "--config", str(config_path), "lab", "run",
                            "--filter", "group=ban-nganh"], stdout=subprocess.PIPE, text=True)
    try:
        line = lab.stdout.readline()
        assert line.startswith(f"lab ready: 6 devices on port {load_config(str(config_path)).lab.port}")
        assert "ubnd-ap-r1" not in _tslcd(config_path, "lab", "status").stdout
        assert "bqlkkt-r1" in _tslcd(config_path, "lab", "status").stdout
    finally:
        lab.send_signal(signal.SIGINT)
        assert lab.wait(15) == 0
    assert _tslcd(config_path, "lab", "status").exit_code == 1
