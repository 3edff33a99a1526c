"""CLI start-up bench: median wall time of the commands that touch no device.

    python bench/cli.py [--runs 7]

Goal (issue 15): `--help`, `--version`, `inventory list|show|check`, `history`, `diff`, `show`,
`changes` and `audit` of stored backups each finish in <= 0.3 s. Each command runs as the
console script, output piped, against a throw-away project: the sample inventory and every
host's lab config stored as one backup (plus a second version of one host, for `diff`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.lab.devices import registry_model
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.3
HOST = "stc-fw1"


def make_project(folder: Path) -> Path:
    """A tslcd.yaml over the sample inventory whose data folder holds one backup of every host."""
    config_path = folder / "tslcd.yaml"
    config_path.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    config = load_config(config_path)
    hosts = list(load_inventory(config).hosts.values())
    stored = [StoredConfig(h.name, layout_path(h.name, h.data.get("agency_type"), h.data.get("agency_code")),
                           registry_model(h.platform).initial_config(h.flat())) for h in hosts]
    store = ConfigStore(config.data_dir)
    with store.writer():
        store.prepare()
        store.write(stored)
        store.commit("backup run: bench\n")
        first = next(s for s in stored if s.host == HOST)
        store.write([StoredConfig(first.host, first.path, first.text + "# bench change\n")])
        store.commit("backup run: bench 2\n")
    return config_path


def median_seconds(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``argv``; on a loaded machine the
    CPU time is the figure that does not depend on the neighbours."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median shown)")
    args = parser.parse_args()
    tslcd = str(Path(sys.executable).with_name("tslcd"))
    with tempfile.TemporaryDirectory(prefix="tslcd-bench-cli-") as tmp:
        config = str(make_project(Path(tmp)))
        commands = [["--version"], ["--help"], ["inventory", "list"], ["inventory", "show", HOST],
                    ["inventory", "check"], ["history", HOST], ["diff", HOST], ["show", HOST],
                    ["changes"], ["audit", "-f", HOST]]
        base_wall, base_cpu = median_seconds([sys.executable, "-c", "pass"], args.runs)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'command':<32} {'wall s':>7} {'cpu s':>7}   python -c pass: wall {base_wall:.3f}, "
              f"cpu {base_cpu:.3f}; goal <= {GOAL} s")
        worst = 0.0
        for command in commands:
            wall, cpu = median_seconds([tslcd, "--config", config, *command], args.runs)
            worst = max(worst, wall)
            mark = "ok" if wall <= GOAL else "SLOW"
            print(f"{'tslcd ' + ' '.join(command):<32} {wall:>7.3f} {cpu:>7.3f}   {mark}")
        print(f"slowest wall time: {worst:.3f} s ({'within' if worst <= GOAL else 'over'} the {GOAL} s goal)")


if __name__ == "__main__":
    main()
