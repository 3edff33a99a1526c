"""``python -m tslcd.lab``: the background lab's own entry point, started by ``tslcd lab up``.

It imports only the lab (not the CLI, the TUI or Nornir), so a background lab starts sooner and
stays small: ``tslcd lab run`` is the same lab in the foreground of an interactive shell.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tslcd.config import load_config
from tslcd.errors import TslcdError
from tslcd.lab.process import run_foreground
from tslcd.lab.server import Lab


def _ready(info: dict[str, Any], lab: Lab) -> None:
    print(f"lab ready: {len(lab.devices)} devices on port {info['port']} (pid {info['pid']}, "
          f"{info['startup_seconds']:.2f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the options ``lab up`` passes and serve until SIGTERM; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m tslcd.lab", description=__doc__)
    parser.add_argument("--config", help="project config file (default: ./tslcd.yaml)")
    parser.add_argument("--filter", action="append", default=[], help="host selection, as in tslcd")
    parser.add_argument("--extra-sites", type=int, default=None, help="synthetic sites to add")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        sites = config.lab.extra_sites if args.extra_sites is None else args.extra_sites
        run_foreground(config, args.filter, sites, _ready)
    except TslcdError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
