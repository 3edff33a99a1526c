"""CLI start-up bench: median wall time of the commands that touch no device.

    python bench/cli.py [--runs 7]

Goal (issue 15): `--help`, `--version`, `inventory list|show|check`, `history`, `diff`, `show`,
`changes` and `audit` of stored backups each finish in <= 0.3 s. Each command runs as the
console script, output piped, against a throw-away project: the sample inventory and every
host's lab config stored as one backup (plus a second version of one host, for `diff`).
"""

from __future__ import annotations

import argparse
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


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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
        baseline = median_seconds([sys.executable, "-c", "pass"], args.runs)
        print(f"{'command':<32} {'median s':>9} {'python -c pass':>15}   goal <= {GOAL} s")
        worst = 0.0
        for command in commands:
            seconds = median_seconds([tslcd, "--config", config, *command], args.runs)
            worst = max(worst, seconds)
            mark = "ok" if seconds <= GOAL else "SLOW"
            print(f"{'tslcd ' + ' '.join(command):<32} {seconds:>9.3f} {baseline:>15.3f}   {mark}")
        print(f"slowest: {worst:.3f} s ({'within' if worst <= GOAL else 'over'} the {GOAL} s goal)")


if __name__ == "__main__":
    main()
