"""Lab benchmark: start-up time and peak memory for ~1,000 devices, then Netmiko throughput.

Run: ``python bench/lab.py`` (options: --devices, --sample, --threads, --filter). It writes a
scaled inventory (the sample province plus synthetic commune sites) into a temporary folder,
starts the lab as the background process ``tslcd lab up`` starts (``python -m tslcd.lab``), and
measures:

- start-up: the lab's own time from reading the inventory to listening on every address, and the
  wall time from process start to its first answer on the control socket (Python start included);
- peak RSS (VmHWM) of the lab process after start-up and after the throughput run;
- Netmiko throughput: ``sample`` devices, ``threads`` at a time, each a full login (enable where
  the platform has it), the platform's show-configuration command and a logout.

Goals (issue 3): start-up <= 2 s and peak RSS <= 150 MB for 1,000 devices. Exit code 1 if missed.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from netmiko import ConnectHandler

from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.inventory.filters import select
from tslcd.lab.control import LabNotRunning, request
from tslcd.lab.credentials import lab_dir, load_lab_credentials
from tslcd.lab.scale import write_scaled_inventory
from tslcd.platforms import get_platform

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 2.0
GOAL_MB = 150.0


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(args: dict, command: str, enable: bool) -> int:
    """One full session; returns the length of the configuration read."""
    with ConnectHandler(**args) as conn:
        if enable:
            conn.enable()
        return len(conn.send_command(command))


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000, help="lab size (at least this many)")
    parser.add_argument("--sample", type=int, default=200, help="devices for the Netmiko run")
    parser.add_argument("--threads", type=int, default=20, help="concurrent Netmiko sessions")
    parser.add_argument("--filter", action="append", default=[], help="serve only these hosts")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tslcd-bench-") as tmp:
        base = ROOT / "inventory"
        sample_hosts = len(yaml.safe_load((base / "hosts.yaml").read_text(encoding="utf-8")))
        extra = max(0, math.ceil((options.devices - sample_hosts) / 2))
        inventory_dir = write_scaled_inventory(base, Path(tmp) / "inventory", extra)
        config_path = Path(tmp) / "tslcd.yaml"
        config_path.write_text(yaml.safe_dump({
            "inventory": str(inventory_dir), "data": str(Path(tmp) / "data"),
            "lab": {"port": free_port(), "topology": str(ROOT / "lab" / "topology.yaml")}}))
        config = load_config(str(config_path))
        hosts = select(load_inventory(config), options.filter)
        argv = [sys.executable, "-m", "tslcd.lab", "--config", str(config_path)]
        for expression in options.filter:
            argv += ["--filter", expression]

        began = time.perf_counter()
        lab = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            while True:
                try:
                    status = request(lab_dir(config.data_dir), {"op": "status"})
                    break
                except LabNotRunning:
                    if lab.poll() is not None:
                        print(lab.stderr.read(), file=sys.stderr)
                        return 2
                    time.sleep(0.01)
            wall = time.perf_counter() - began
            rss_start = peak_rss_mb(lab.pid)
            served = len(status["devices"])
            print(f"lab: {served} devices on port {status['port']}")
            print(f"start-up: {status['startup_seconds']:.3f} s in the lab "
                  f"(inventory -> listening), {wall:.3f} s wall (process start -> first answer)")
            print(f"peak RSS after start-up: {rss_start:.1f} MB")

            creds = load_lab_credentials(config.data_dir)
            jobs = []
            for host in hosts[: options.sample]:
                platform = get_platform(host.platform)
                jobs.append(({"device_type": host.platform, "host": host.hostname,
                              "port": config.lab.port, "username": creds.username,
                              "password": creds.password, "secret": creds.secret},
                             platform.config_command, host.platform != "fortinet"))
            cpu_began = cpu_seconds(lab.pid)
            run_began = time.perf_counter()
            with ThreadPoolExecutor(options.threads) as pool:
                futures = [pool.submit(fetch, *job) for job in jobs]
                errors = [f.exception() for f in futures if f.exception() is not None]
            run_time = time.perf_counter() - run_began
            ok = len(jobs) - len(errors)
            print(f"netmiko: {ok}/{len(jobs)} devices, {options.threads} threads, {run_time:.2f} s, "
                  f"{ok / run_time:.1f} devices/s (login, enable, show configuration, logout)")
            print(f"lab CPU during the run: {cpu_seconds(lab.pid) - cpu_began:.2f} s "
                  f"(the rest of {os.cpu_count()} cores' time went to the Netmiko client)")
            for error in errors[:5]:
                print(f"  error: {type(error).__name__}: {error}")
            rss_end = peak_rss_mb(lab.pid)
            print(f"peak RSS after the Netmiko run: {rss_end:.1f} MB")
        finally:
            lab.send_signal(signal.SIGTERM)
            lab.wait(15)

    met = status["startup_seconds"] <= GOAL_SECONDS and rss_start <= GOAL_MB and not errors
    print(f"goals (<= {GOAL_SECONDS:g} s, <= {GOAL_MB:g} MB, no errors) for {served} devices: "
          f"{'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
