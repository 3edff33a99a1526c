"""The lab in a container (lab/Containerfile, lab/compose.yaml), steered from the host.

Needs podman with the runc runtime (and, the first time, debootstrap to build the local base
image; no registry is used). Where they are missing the test is skipped with the reason. It is
marked ``slow``: about 1.5 minutes on a machine that has never built the images (debootstrap
~40 s, base import ~8 s, image build ~35 s, run ~5 s); about 10 s once the images exist and
tslcd's sources are unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE_INVENTORY, SAMPLE_TOPOLOGY, free_port
from netmiko import ConnectHandler

from tslcd.config import load_config
from tslcd.errors import TslcdError
from tslcd.services import lab as service

pytestmark = [pytest.mark.lab, pytest.mark.slow]

BASE_IMAGE = "localhost/tslcd-base:bookworm"
LAB_IMAGE = "localhost/tslcd-lab:test"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")


def _missing_tools() -> str | None:
    for tool in ("podman", "runc"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install podman runc)"
    if os.geteuid() != 0:
        return "needs root for podman with host networking and debootstrap"
    return None


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for podman here: runc, no ulimits (LAB-NOTES.md); images built if needed."""
    reason = _missing_tools()
    if reason:
        print(f"container test skipped: {reason}")
        pytest.skip(reason)
    conf = tmp_path_factory.mktemp("podman") / "containers.conf"
    conf.write_text('[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n')
    env = {**os.environ, "CONTAINERS_CONF": str(conf), "TSLCD_LAB_IMAGE": LAB_IMAGE}
    if subprocess.run(["podman", "image", "exists", BASE_IMAGE], env=env, check=False).returncode:
        if shutil.which("debootstrap") is None:
            reason = f"no {BASE_IMAGE} image and no debootstrap to build it"
            print(f"container test skipped: {reason}")
            pytest.skip(reason)
        rootfs = tmp_path_factory.mktemp("rootfs")
        subprocess.run(["debootstrap", "--variant=minbase",
                        "--include=python3,python3-venv,python3-pip", "bookworm", str(rootfs)],
                       check=True, capture_output=True, timeout=900)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["podman", "import", "-", BASE_IMAGE], stdin=tar.stdout, env=env, check=True,
                       capture_output=True, timeout=600)
        tar.wait()
    build = ["podman", "build", "--network", "host", "-f", "lab/Containerfile", "-t", LAB_IMAGE]
    if HOST_CA.exists():  # a TLS-intercepting proxy's CA must reach pip inside the build
        build += ["-v", f"{HOST_CA.parent}:/etc/ssl/host-certs:ro",
                  "--build-arg", f"PIP_CERT=/etc/ssl/host-certs/{HOST_CA.name}"]
    result = subprocess.run([*build, "."], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=1200, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return env


def _project(root: Path) -> Path:
    shutil.copytree(SAMPLE_INVENTORY, root / "inventory")
    (root / "lab").mkdir()
    shutil.copy(SAMPLE_TOPOLOGY, root / "lab" / "topology.yaml")
    shutil.copy(ROOT / "lab" / "compose.yaml", root / "lab" / "compose.yaml")
    config = root / "tslcd.yaml"
    config.write_text(yaml.safe_dump({"inventory": "inventory", "data": "data",
                                      "lab": {"port": free_port()}}))
    return config


def _compose_version() -> tuple[int, ...]:
    if shutil.which("podman-compose") is None:
        return ()
    out = subprocess.run(["podman-compose", "version"], capture_output=True, text=True,
                         check=False).stdout
    found = re.search(r"podman-compose(?:r)? version:?\s+(\d+)\.(\d+)", out)
    return tuple(int(n) for n in found.groups()) if found else ()


def _run_args(compose_file: Path, name: str) -> list[str]:
    """The ``podman run`` that compose.yaml describes (for podman-compose < 1.1, whose
    ``network_mode: host`` adds a second network and fails)."""
    service = yaml.safe_load(compose_file.read_text())["services"]["lab"]
    args = ["podman", "run", "-d", "--name", name, "--network", service["network_mode"],
            "--stop-signal", service["stop_signal"]]
    for volume in service["volumes"]:
        source, target = volume.split(":", 1)
        args += ["-v", f"{(compose_file.parent / source).resolve()}:{target}"]
    return [*args, LAB_IMAGE, *service["command"]]


def _wait_up(config_path: Path, timeout: float = 60) -> dict:
    config = load_config(str(config_path))
    deadline = time.monotonic() + timeout
    while True:
        try:
            return service.lab_status(config)
        except TslcdError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_container_lab_serves_the_host_and_is_steered_from_it(podman: dict[str, str],
                                                              tmp_path: Path) -> None:
    config_path = _project(tmp_path)
    config = load_config(str(config_path))
    compose_file = tmp_path / "lab" / "compose.yaml"
    compose = ["podman-compose", "-f", str(compose_file)]
    name = f"tslcd-lab-test-{os.getpid()}"
    use_compose = _compose_version() >= (1, 1)
    start = [*compose, "up", "-d"] if use_compose else _run_args(compose_file, name)
    print(f"starting the container with: {' '.join(start)}")
    subprocess.run(start, cwd=tmp_path, env=podman, check=True, capture_output=True, timeout=120)
    try:
        status = _wait_up(config_path)
        assert len(status["devices"]) == 65
        assert status["pid"] == 1  # the lab is the container's own process
        creds = service.lab_credentials(config)  # generated by the container, read on the host
        with ConnectHandler(device_type="cisco_ios", host="127.21.2.1", port=config.lab.port,
                            username=creds.username, password=creds.password,
                            secret=creds.secret) as conn:
            conn.enable()
            assert "hostname stc-r1" in conn.send_command("show running-config")
        assert service.set_fault(config, "stc-r1", "refuse")["listening"] is False
        assert service.clear_faults(config, "stc-r1")["listening"] is True
        assert service.lab_down(config) == 1
        assert (tmp_path / "data" / "lab" / "devices" / "stc-r1").is_dir()
    finally:
        stop = [*compose, "down"] if use_compose else ["podman", "rm", "-f", name]
        subprocess.run(stop, cwd=tmp_path, env=podman, check=False, capture_output=True, timeout=120)
