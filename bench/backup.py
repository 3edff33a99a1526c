"""Backup benchmark: tslcd against plain Netmiko loops, over a lab of N devices with added latency.

Run: ``python bench/backup.py`` (options: --hosts 200, --workers 100, --latency 0.05,
--sequential-sample N). It writes a scaled inventory (the sample province plus synthetic commune
sites, trimmed to --hosts), starts the lab in the background (``tslcd lab up``), gives every device
a ``latency`` fault (each input line answered that many seconds late), then times:

- tslcd: ``run_backup`` (one Nornir run: NAPALM for IOS, Netmiko otherwise, masking, git commit,
  SQLite records), with --workers sessions spread over worker processes (config key
  ``processes``, one per core unless --processes says otherwise);
- tslcd again with everything in one process (``processes: 1``): the difference between the two
  is what the second core gives, the rest of the lead is tslcd's leaner sessions;
- a plain thread-pool Netmiko loop in one process with the same number of sessions (the
  single-process bound): per device connect, enable where needed, the platform's
  show-configuration command, disconnect;
- the same loop run sequentially (with --sequential-sample N, over N devices and scaled up,
  marked "estimated").

Why 100 sessions by default: a single-process pool reaches its bound (one core, the GIL) only when
it has enough sessions in flight to keep that core busy. At 20 sessions and 50 ms per command it
mostly waits on the devices (about half a core), and no number of processes can beat waiting; at
100 it is CPU-bound, which is the bound this bench is about. The core-usage line printed says which
case a run was in; ``--workers 20`` (tslcd's default) shows the waiting case.

Goals: tslcd at least 1.6x faster than the single-process thread pool (issue 15) and at least 10x
faster than the sequential loop (issue 4). Exit code 1 if either is missed or any device failed.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from netmiko import ConnectHandler

from tslcd.config import Config, load_config
from tslcd.errors import TslcdError
from tslcd.inventory import load_inventory
from tslcd.lab.credentials import load_lab_credentials
from tslcd.lab.scale import write_scaled_inventory
from tslcd.platforms import get_platform
from tslcd.services.backup import run_backup
from tslcd.services.lab import lab_down, lab_up, set_fault

ROOT = Path(__file__).resolve().parents[1]
GOAL_POOL_SPEEDUP = 1.6
GOAL_SEQUENTIAL_SPEEDUP = 10.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project(tmp: Path, hosts: int, workers: int, processes: int) -> Config:
    """A project folder with a scaled inventory of exactly ``hosts`` hosts and no topology faults."""
    base = ROOT / "inventory"
    sample = len(yaml.safe_load((base / "hosts.yaml").read_text(encoding="utf-8")))
    inventory_dir = write_scaled_inventory(base, tmp / "inventory", max(0, math.ceil((hosts - sample) / 2)))
    hosts_file = inventory_dir / "hosts.yaml"
    entries = yaml.safe_load(hosts_file.read_text(encoding="utf-8"))
    hosts_file.write_text(yaml.safe_dump(dict(list(entries.items())[:hosts]), allow_unicode=True,
                                         sort_keys=False), encoding="utf-8")
    (tmp / "topology.yaml").write_text("hosts: {}\n", encoding="utf-8")
    config_path = tmp / "tslcd.yaml"
    config_path.write_text(yaml.safe_dump({
        "inventory": str(inventory_dir), "data": str(tmp / "data"), "workers": workers,
        "processes": processes,
        "lab": {"port": free_port(), "topology": str(tmp / "topology.yaml")}}), encoding="utf-8")
    return load_config(str(config_path))


def fetch(args: dict[str, Any], command: str) -> int:
    """One plain Netmiko session: login, enable if not already, show the config, logout."""
    with ConnectHandler(**args) as conn:
        if not conn.check_enable_mode():
            conn.enable()
        return len(conn.send_command(command))


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of ``run()`` and its result."""
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


def cpu_seconds(lab_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by this bench (its threads and reaped worker processes) and by the
    lab server: on a machine whose cores the lab shares, they bound what more processes can win."""
    own = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
    fields = Path(f"/proc/{lab_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return own, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(label: str, lab_pid: int, run: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """Wall time, client CPU time, lab server CPU time and result of ``run()``; the split printed."""
    own0, lab0 = cpu_seconds(lab_pid)
    wall, result = timed(run)
    own1, lab1 = cpu_seconds(lab_pid)
    print(f"  {label}: client cpu {own1 - own0:.2f} s, lab server cpu {lab1 - lab0:.2f} s")
    return wall, own1 - own0, lab1 - lab0, result


def netmiko_jobs(config: Config) -> list[tuple[dict[str, Any], str]]:
    """(ConnectHandler arguments, show command) per inventory host, with the lab's login."""
    creds = load_lab_credentials(config.data_dir, create=False)
    return [({"device_type": h.platform, "host": h.hostname, "port": config.lab.port,
              "username": creds.username, "password": creds.password, "secret": creds.secret},
             get_platform(h.platform).config_command) for h in load_inventory(config)]


def sequential(jobs: Sequence[tuple[dict[str, Any], str]]) -> list[int]:
    """The plain sequential loop."""
    return [fetch(*job) for job in jobs]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=200, help="lab devices to back up")
    parser.add_argument("--workers", type=int, default=100,
                        help="concurrent sessions (tslcd and pool); see above for why 100")
    parser.add_argument("--processes", type=int, default=0,
                        help="tslcd's worker processes (0: one per core)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every command")
    parser.add_argument("--sequential-sample", type=int, default=0,
                        help="time the sequential loop on this many devices and scale up (0: all)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tslcd-bench-backup-") as tmp:
        config = project(Path(tmp), options.hosts, options.workers, options.processes)
        lab_pid = int(lab_up(config).status["pid"])
        try:
            jobs = netmiko_jobs(config)
            for host in load_inventory(config):
                set_fault(config, host.name, "latency", options.latency)
            print(f"lab: {len(jobs)} devices, {options.latency * 1000:g} ms added per command, "
                  f"{options.workers} workers, tslcd over {options.processes or os.cpu_count()} processes; "
                  f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

            with ThreadPoolExecutor(options.workers) as pool:  # untimed: every device's first
                warm_time, _ = timed(lambda: list(pool.map(lambda job: fetch(*job), jobs)))
            print(f"warm-up pass (untimed): {warm_time:.2f} s  (the lab's first login to a device "
                  "costs it more: no side pays it in the figures)")
            tslcd_time, tslcd_client, tslcd_lab, report = measured("tslcd", lab_pid, lambda: run_backup(
                config, lab=True, workers=options.workers))
            print(f"tslcd backup:          {tslcd_time:7.2f} s  ({len(report.hosts) - len(report.failed)}"
                  f"/{len(report.hosts)} ok, {len(report.with_status('changed'))} stored, 1 commit)")
            again_time, again = timed(lambda: run_backup(config, lab=True, workers=options.workers))
            print(f"tslcd backup, again:   {again_time:7.2f} s  ({len(again.with_status('unchanged'))} "
                  f"unchanged, commit: {again.commit or 'none'})")
            single = replace(config, processes=1)
            single_time, _, _, alone = measured("tslcd in one process", lab_pid, lambda: run_backup(
                single, lab=True, workers=options.workers))
            print(f"tslcd in one process:  {single_time:7.2f} s  (what the second core adds: "
                  f"{single_time / again_time:.2f}x)")

            with ThreadPoolExecutor(options.workers) as pool:
                pool_time, pool_client, pool_lab, _ = measured(
                    "thread pool", lab_pid, lambda: list(pool.map(lambda job: fetch(*job), jobs)))
            print(f"netmiko thread pool:   {pool_time:7.2f} s  (the lower bound)")

            sample = jobs[: options.sequential_sample] if options.sequential_sample else jobs
            seq_time, _ = timed(lambda: sequential(sample))
            estimated = len(sample) < len(jobs)
            seq_time *= len(jobs) / len(sample)
            print(f"netmiko sequential:    {seq_time:7.2f} s"
                  + (f"  (estimated from {len(sample)} devices)" if estimated else ""))
        finally:
            try:
                lab_down(config)
            except TslcdError:  # the control socket failed: stop the process this bench started
                os.kill(lab_pid, signal.SIGTERM)

    ratio = pool_time / tslcd_time
    speedup = seq_time / tslcd_time
    failed = len(report.failed) + len(again.failed) + len(alone.failed)
    met = ratio >= GOAL_POOL_SPEEDUP and speedup >= GOAL_SEQUENTIAL_SPEEDUP and not failed
    print(f"thread pool / tslcd = {ratio:.2f}x faster (goal >= {GOAL_POOL_SPEEDUP}x); "
          f"sequential / tslcd = {speedup:.1f}x (goal >= {GOAL_SEQUENTIAL_SPEEDUP:g}x); "
          f"failed hosts: {failed}; goals {'met' if met else 'MISSED'}")
    cores = os.cpu_count() or 1
    print(f"the thread pool kept {pool_client / pool_time:.2f} core(s) busy itself and "
          f"{(pool_client + pool_lab) / pool_time:.2f} of {cores} with the lab server: "
          + ("below one core, it waits on the devices (latency x commands / sessions), not on the "
             "CPU, and more processes at the same number of sessions cannot beat it"
             if pool_client / pool_time < 0.9 else
             f"CPU-bound; its own work spread over {cores} cores would be at most "
             f"{cores * pool_time / (pool_client + pool_lab):.2f}x faster"))
    hosts = len(report.hosts)
    print(f"CPU per device, client + lab server: tslcd {1000 * tslcd_client / hosts:.1f} + "
          f"{1000 * tslcd_lab / hosts:.1f} ms, thread pool {1000 * pool_client / hosts:.1f} + "
          f"{1000 * pool_lab / hosts:.1f} ms (tslcd's FortiOS sessions use curve25519 key exchange "
          "where plain Netmiko forces Diffie-Hellman group exchange: see tslcd/platforms/fortinet.py)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
