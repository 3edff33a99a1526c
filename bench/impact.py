"""Benchmark of change impact: a one-rule change in a 10,000-rule ACL, and the impact of a change
on 500 devices (what a push dry run adds on top of its own work).

    python bench/impact.py            # everything
    python bench/impact.py --quick    # smaller sizes

Prints the time of parsing both versions, of the impact itself, and of the whole comparison, with
the one-rule figure against the goal (<= 2 s) and the 500-device figure against its goal (<= 10 s).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from audit import ios_acl  # noqa: E402

from tslcd.audit.impact import compare_configs  # noqa: E402
from tslcd.audit.runner import DeviceConfig, parse_device  # noqa: E402


def _edit(text: str, rng: random.Random) -> str:
    """The same config with one new entry in the middle of the ACL."""
    lines = text.splitlines()
    entries = [i for i, line in enumerate(lines) if re.match(r" \d+ (permit|deny) ", line)]
    at = entries[len(entries) // 2]
    seq = int(lines[at].split()[0]) - 5
    source = f"10.{rng.randrange(10, 30)}.{rng.randrange(256)}.0 0.0.0.255"
    new = f" {seq} permit tcp {source} host 10.9.9.9 eq 3389"
    return "\n".join([*lines[:at], new, *lines[at:]]) + "\n"


def one_change(n: int) -> tuple[float, float, int]:
    """(seconds parsing both, seconds of impact, regions) for a one-rule change in an n-rule ACL."""
    rng = random.Random(n)
    before = ios_acl(n, rng)
    after = _edit(before, rng)
    start = time.perf_counter()
    old = parse_device(DeviceConfig("bench-r1", "cisco_ios", before))
    new = parse_device(DeviceConfig("bench-r1", "cisco_ios", after))
    parsed = time.perf_counter()
    impacts = compare_configs(old, new)
    done = time.perf_counter()
    return parsed - start, done - parsed, sum(len(i.regions) for i in impacts)


def many_devices(count: int, rules: int) -> float:
    """Seconds of impact alone (parsing excluded: a dry run parses anyway) over ``count`` devices."""
    rng = random.Random(count)
    pairs = []
    for d in range(count):
        before = ios_acl(rules, random.Random(d))
        pairs.append((parse_device(DeviceConfig(f"r{d}", "cisco_ios", before)),
                      parse_device(DeviceConfig(f"r{d}", "cisco_ios", _edit(before, rng)))))
    start = time.perf_counter()
    for old, new in pairs:
        compare_configs(old, new)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    sizes = (1_000, 2_000) if args.quick else (1_000, 2_000, 5_000, 10_000)
    print("one-rule change in one ACL (rules: parsing both versions, the impact, total, regions)")
    for n in sizes:
        parse_s, impact_s, regions = one_change(n)
        goal = "  (goal <= 2 s)" if n == 10_000 else ""
        print(f"  {n:>6}: parse {parse_s:6.2f} s  impact {impact_s:6.3f} s  total {parse_s + impact_s:6.2f} s"
              f"  regions {regions}{goal}")
    count, rules = (50, 300) if args.quick else (500, 300)
    seconds = many_devices(count, rules)
    print(f"impact over {count} devices x {rules} rules: {seconds:.2f} s beyond the dry run (goal <= 10 s)")


if __name__ == "__main__":
    main()
