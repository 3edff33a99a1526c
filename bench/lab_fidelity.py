"""Lab fidelity: per platform, the share of each figure that behaves like the real device.

Run: ``python bench/lab_fidelity.py [--platform NAME]``. Every
``tests/lab/conformance/fidelity_<platform>.py`` module is measured (see ``fidelity.py`` there for
the figures and what counts); the material is real device output and configuration under
``tests/lab/conformance/fixtures/real/``. Exit code 1 when a figure is under the goal (95%), except
figures listed as pending another branch's work, which are printed and marked.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab.conformance import fidelity as fd  # noqa: E402


def main() -> int:
    """Measure every platform (or one) and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", help="measure only this platform (module fidelity_<NAME>)")
    args = parser.parse_args()
    modules = fd.platform_modules()
    if args.platform:
        if args.platform not in modules:
            print(f"no fidelity module for {args.platform!r}; have: {', '.join(sorted(modules))}",
                  file=sys.stderr)
            return 2
        modules = {args.platform: modules[args.platform]}
    missed = False
    print(f"{'platform':<10} {'figure':<24} {'like real':>9} {'of':>6} {'share':>7}")
    for platform, module in modules.items():
        start = time.monotonic()
        figures = module.measure()
        for name in fd.FIGURES:
            if name not in figures:
                continue
            ok, total = figures[name]
            share = fd.share(figures[name])
            note = ""
            if share < fd.GOAL:
                if name in fd.PENDING:
                    note = f"  (pending: {fd.PENDING[name]})"
                else:
                    note, missed = "  (under goal)", True
            print(f"{platform:<10} {name:<24} {ok:>9} {total:>6} {share:>7.1%}{note}")
        print(f"{platform:<10} measured in {time.monotonic() - start:.1f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
