"""Benchmark of change impact: a one-rule change in a 10,000-rule ACL, and the impact of a push of
the standard firewall policy on 500 firewalls (what a push dry run adds on top of its own work:
predicting each device's config after the plan, parsing both, comparing, the zone policy gate).

    python bench/impact.py            # everything
    python bench/impact.py --quick    # smaller sizes

Prints the time of parsing both versions, of the impact itself, and of the whole comparison, with
the one-rule figure against the goal (<= 2 s) and the 500-device figure against its goal (<= 10 s).
"""

from __future__ import annotations

import argparse
import dataclasses
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
from tslcd.config import load_config  # noqa: E402
from tslcd.inventory import load_inventory  # noqa: E402
from tslcd.platforms import get_platform, load_object  # noqa: E402
from tslcd.push.diff import plan  # noqa: E402
from tslcd.push.render import Renderer, load_vars  # noqa: E402
from tslcd.services.audit import load_zone_policy  # noqa: E402
from tslcd.services.change_impact import impacts  # noqa: E402


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


def _firewall_plans(count: int) -> tuple[dict, list, object]:
    """``count`` push plans of the standard firewall policy, made against the lab's configs of the
    sample firewalls (FortiGates and ASAs, repeated under new names): what a dry run hands on."""
    config = load_config(str(ROOT / "tslcd.yaml"))
    inventory = load_inventory(config)
    firewalls = [h for h in inventory.hosts.values() if h.flat().get("role") == "firewall"]
    templates = ROOT / "templates"
    renderer = Renderer(templates, "firewall-policy", inventory, load_vars(templates / "change.example.yaml"))
    base = [(h, load_object(get_platform(h.platform).lab_model)(h.name, h.flat(), None).running_config(),
             renderer.render(h).text) for h in firewalls]
    hosts, plans = {}, []
    for d in range(count):
        info, running, change = base[d % len(base)]
        name = f"{info.name}-{d}"
        hosts[name] = dataclasses.replace(info, name=name)
        plans.append(plan(name, info.platform, running, change))
    return hosts, plans, load_zone_policy(config)


def many_devices(count: int) -> tuple[float, float, int]:
    """(seconds the dry run adds for the impact and the zone gate, seconds per device, flagged
    devices) over ``count`` planned firewalls: the config after each plan is predicted, both
    versions parsed, every list compared exactly, newly permitted flows checked against zones.yaml.
    Planning itself (the dry run's own work) is excluded."""
    hosts, plans, policy = _firewall_plans(count)
    start = time.perf_counter()
    result = impacts(hosts, plans, policy)
    seconds = time.perf_counter() - start
    assert len(result.reports) + len(result.unanalysed) == sum(not p.empty for p in plans)
    return seconds, seconds / count, len(result.forbidden)


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
              f"  regions {regions}{goal}" + (f", {(parse_s + impact_s) / 2:.0%} of it" if goal else ""))
    count = 50 if args.quick else 500
    seconds, each, flagged = many_devices(count)
    print(f"dry run of the standard firewall policy on {count} firewalls: impact and zone gate add "
          f"{seconds:.2f} s beyond the dry run ({each * 1000:.1f} ms per device, {flagged} flagged; "
          f"goal <= 10 s, {seconds / 10:.0%} of it)")


if __name__ == "__main__":
    main()
