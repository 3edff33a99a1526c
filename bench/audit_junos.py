"""Benchmark of the JunOS audit: the real corpus, and one large SRX in both formats.

    python bench/audit_junos.py            # corpus + 2,000-policy SRX
    python bench/audit_junos.py --quick    # corpus + 300-policy SRX

Times parsing alone and parsing plus every check over tests/audit/fixtures/real/juniper_junos
(Batfish's JunOS configs), then a generated SRX with N zone policies written as ``display set``
and as braces (the same policies: both formats must give the same findings). Wall-clock on a
possibly shared machine; CPU seconds are printed beside.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tslcd.audit.parsers.common import decode_config  # noqa: E402
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device  # noqa: E402
from tslcd.audit.zones import load_policy  # noqa: E402

CORPUS = ROOT / "tests" / "audit" / "fixtures" / "real" / "juniper_junos"
POLICY = load_policy(ROOT / "tests" / "audit" / "fixtures" / "zones.yaml")
APPS = ("junos-https", "junos-http", "junos-ssh", "junos-dns-udp", "junos-ntp", "junos-ms-sql")


def timed(func: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, value) of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    value = func()
    return time.perf_counter() - start, time.process_time() - cpu, value


def braces(path: list[str], leaves: list[str]) -> list[str]:
    """``a { b { leaf; ... } }`` for one path of containers around some leaf statements."""
    out = [f"{'    ' * d}{word} {{" for d, word in enumerate(path)]
    out += [f"{'    ' * len(path)}{leaf};" for leaf in leaves]
    return out + [f"{'    ' * d}}}" for d in reversed(range(len(path)))]


def srx(n: int, rng: random.Random) -> tuple[str, str]:
    """N trust->untrust policies over zone and global addresses, as display set and as braces."""
    lan = [(f"LAN-{k}", f"10.{10 + k // 50}.{k % 256}.0/24") for k in range(200)]
    dc = [(f"DC-{k}", f"10.250.{k}.0/24") for k in range(40)]
    policies = []
    for i in range(n):
        dst = "any" if rng.random() < 0.05 else f"DC-{rng.randrange(40)}"
        policies.append((f"p{i}", f"LAN-{rng.randrange(200)}", dst, rng.choice(APPS),
                         "permit" if rng.random() < 0.8 else "deny"))
    system = ["host-name bench-srx", "syslog host 10.0.10.6 any any", "ntp server 10.0.10.5"]
    base = [f"system {line}" for line in system]
    base += [f"security address-book global address {a} {p}" for a, p in dc]
    base += [f"security zones security-zone trust address-book address {a} {p}" for a, p in lan]
    for name, src, dst, app, action in policies:
        head = f"security policies from-zone trust to-zone untrust policy {name}"
        base += [f"{head} match source-address {src}", f"{head} match destination-address {dst}",
                 f"{head} match application {app}", f"{head} then {action}"]
    tree = braces(["system"], system)
    tree += braces(["security", "address-book", "global"], [f"address {a} {p}" for a, p in dc])
    zone = ["security", "zones", "security-zone trust", "address-book"]
    tree += braces(zone, [f"address {a} {p}" for a, p in lan])
    for name, src, dst, app, action in policies:
        where = ["security", "policies", "from-zone trust to-zone untrust", f"policy {name}"]
        tree += braces([*where, "match"], [f"source-address {src}", f"destination-address {dst}",
                                           f"application {app}"])
        tree += braces([*where, "then"], [action])
    return "".join(f"set {line}\n" for line in base), "\n".join(tree) + "\n"


def main() -> None:
    """Corpus figures, then the generated SRX in both formats."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 300-policy SRX instead of 2,000")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.cfg"))
    devs = []
    for path in files:
        text, decoding = decode_config(path.read_bytes())
        devs.append(DeviceConfig(path.stem, "juniper_junos", text, {}, path.name, decoding))
    size = sum(len(d.text) for d in devs)
    wall, cpu, parsed = timed(lambda: [parse_device(d) for d in devs])
    rules = sum(len(lst.rules) for p in parsed for lst in p.lists)
    print(f"real JunOS corpus: {len(devs)} files, {size / 1024:.0f} KiB, "
          f"{sum(len(p.lists) for p in parsed)} lists, {rules} rules")
    print(f"  parse: {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU)")
    wall, cpu, found = timed(lambda: [audit_parsed(parse_device(d), POLICY) for d in devs])
    print(f"  parse + audit: {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU), {sum(map(len, found))} findings")
    n = 300 if args.quick else 2000
    set_text, braces_text = srx(n, random.Random(17))
    results = {}
    for label, text in (("display set", set_text), ("braces", braces_text)):
        dev = DeviceConfig("bench-srx", "juniper_junos", text, {}, label)
        wall, cpu, findings = timed(lambda dev=dev: audit_parsed(parse_device(dev), POLICY))
        results[label] = sorted((f.check, f.rule) for f in findings)
        print(f"SRX with {n} policies ({label}, {len(text.splitlines())} lines): parse + audit "
              f"{wall:.2f} s ({cpu:.2f} s CPU), {len(findings)} findings")
    print(f"  both formats give the same findings: {results['display set'] == results['braces']}")


if __name__ == "__main__":
    main()
