"""Push benchmark: dry-run time over N lab devices, offline render + diff time over N stored configs.

Run: ``python bench/push.py`` (options: --hosts 500, --workers 40, --template baseline).

- Dry run: ``tslcd push TEMPLATE --lab`` through the service (render every host, read every
  running config over SSH with the real drivers, plan with hier_config, group); goal <= 60 s.
- Offline: render the template and compute the plan against each device's stored (masked)
  config, the lab's own configs standing in for a backup folder; goal <= 5 s.
Exit code 1 if a goal is missed or any device failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from backup import project  # noqa: E402  (the backup bench's scaled lab project)

from tslcd.inventory import load_inventory  # noqa: E402
from tslcd.platforms import get_platform, load_object  # noqa: E402
from tslcd.push.diff import plan  # noqa: E402
from tslcd.push.grouping import group_plans  # noqa: E402
from tslcd.push.render import Renderer, load_vars  # noqa: E402
from tslcd.sanitize import sanitize  # noqa: E402
from tslcd.services.lab import lab_down, lab_up  # noqa: E402
from tslcd.services.push import dry_run  # noqa: E402

GOAL_DRY_RUN = 60.0
GOAL_OFFLINE = 5.0
CHANGE_VARS = ROOT / "templates" / "change.example.yaml"


def main() -> int:
    """Run both measurements and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=500, help="lab devices")
    parser.add_argument("--workers", type=int, default=40, help="concurrent sessions")
    parser.add_argument("--template", default="baseline", help="template to plan")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tslcd-bench-push-") as tmp:
        config = project(Path(tmp), options.hosts, options.workers)
        config.templates = str(ROOT / "templates")
        inventory = load_inventory(config)
        stored = {h.name: sanitize(load_object(get_platform(h.platform).lab_model).initial_config(h.flat()),
                                   get_platform(h.platform)) for h in inventory}
        began = time.perf_counter()
        renderer = Renderer(config.templates_dir, options.template, inventory, load_vars(CHANGE_VARS))
        rendered = [r for r in renderer.render_all(list(inventory)) if not r.skipped]
        offline = [plan(r.host, r.platform, stored[r.host], r.text) for r in rendered]
        groups = group_plans(offline)
        offline_time = time.perf_counter() - began
        print(f"offline render + diff: {offline_time:6.2f} s  ({len(rendered)} stored configs, "
              f"{len(groups)} distinct changes; goal <= {GOAL_OFFLINE:g} s)")

        lab_up(config)
        try:
            began = time.perf_counter()
            report = dry_run(config, options.template, None, CHANGE_VARS, lab=True, workers=options.workers)
            dry_time = time.perf_counter() - began
        finally:
            lab_down(config)
        print(f"dry run over the lab:  {dry_time:6.2f} s  ({len(report.plans)}/{len(rendered)} devices "
              f"planned, {len(report.groups)} distinct changes, {len(report.failures)} failed, "
              f"{options.workers} workers; goal <= {GOAL_DRY_RUN:g} s)")
    met = dry_time <= GOAL_DRY_RUN and offline_time <= GOAL_OFFLINE and not report.failures
    print(f"goals {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
