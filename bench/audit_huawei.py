"""Benchmark of the Huawei VRP audit: parse and whole audit of one large advanced ACL, and of the
Huawei fixtures and real rule material.

    python bench/audit_huawei.py             # ACL 3000 of 1,000 to 10,000 rules, then the corpus
    python bench/audit_huawei.py --quick     # 1,000 rules only

The ACL is applied by traffic-filter, so the audit also decides whether its default permit is
reachable. Figures are wall-clock seconds on a possibly shared machine, with CPU seconds beside.
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

from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device  # noqa: E402
from tslcd.audit.zones import load_policy  # noqa: E402

PORTS = (22, 25, 53, 80, 123, 443, 993, 1433, 3306, 3389, 5432, 8080, 8443)
FIXTURES = ROOT / "tests" / "audit" / "fixtures"
HEADER = re.compile(r"^(?:Basic|Advanced)( IPv6)? ACL (?:(?!\d)\S+ )?(\d+)\b.*$", re.M)
MATCHES = re.compile(r"\(\d+ matches\)|^Acl's step is \d+\s*$", re.M)  # counters, not configuration


def vrp_acl(n: int, rng: random.Random) -> str:
    """A VRP config with ``acl number 3000`` of ``n`` rules (agency /24s to DC hosts, some shadowing)."""
    lines = [
        "sysname bench-ar1",
        "#",
        " info-center loghost 10.0.10.6",
        " ntp-service unicast-server 10.0.10.5",
        "#",
        "acl number 3000",
    ]
    for i in range(1, n):
        action = "permit" if rng.random() < 0.8 else "deny"
        proto = rng.choice(("tcp", "tcp", "udp"))
        src = f"source 10.{10 + rng.randrange(20)}.{rng.randrange(256)}.0 0.0.0.255"
        if rng.random() < 0.05:
            src = ""
        dst = f"destination 10.0.{10 + rng.randrange(4)}.{rng.randrange(1, 255)} 0"
        if rng.random() < 0.1:
            dst = f"destination 10.0.{10 + rng.randrange(4)}.0 0.0.0.255"
        port = f"eq {rng.choice(PORTS)}" if rng.random() < 0.9 else f"range {1024 + rng.randrange(1000)} 9000"
        lines.append(
            f" rule {i * 5} {action} {proto} {src} {dst} destination-port {port} logging".replace("  ", " ")
        )
    lines.append(f" rule {n * 5} deny ip logging")
    lines += ["#", "interface GigabitEthernet0/0/1", " traffic-filter inbound acl 3000", "#", "return"]
    return "\n".join(lines) + "\n"


def timed(dev: DeviceConfig, policy) -> tuple[float, float, float, int, int]:
    """(parse s, audit s, CPU s, rules, findings) of one device."""
    start, cpu = time.perf_counter(), time.process_time()
    parsed = parse_device(dev)
    parse_s = time.perf_counter() - start
    findings = audit_parsed(parsed, policy)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    return parse_s, total, cpu, sum(len(lst.rules) for lst in parsed.lists), len(findings)


def main() -> None:
    """Run the benchmark (``--quick``: 1,000 rules only)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one 1,000-rule ACL only")
    args = parser.parse_args()
    policy = load_policy(ROOT / "inventory" / "zones.yaml")
    print("== Huawei ACL 3000 on traffic-filter: parse, and parse + every check ==")
    print(f"{'rules':>7} {'parse s':>8} {'audit s':>8} {'(CPU s)':>8} {'findings':>9}")
    for n in (1000,) if args.quick else (1000, 2000, 5000, 10000):
        dev = DeviceConfig("bench", "huawei", vrp_acl(n, random.Random(n)), {}, "bench")
        parse_s, total, cpu, _, found = timed(dev, policy)
        print(f"{n:>7} {parse_s:>8.2f} {total:>8.2f} {cpu:>8.2f} {found:>9}")
    print("== Huawei fixtures and real material (tests/audit/fixtures/huawei*) ==")
    files = sorted(FIXTURES.glob("huawei*/*.cfg"))
    start = time.perf_counter()
    rules = findings = 0
    for path in files:
        dev = DeviceConfig(path.stem, path.parent.name, path.read_text(encoding="utf-8"), {}, path.name)
        _, _, _, n_rules, n_found = timed(dev, policy)
        rules, findings = rules + n_rules, findings + n_found
    print(f"{len(files)} files, {rules} rules, {findings} findings in {time.perf_counter() - start:.3f} s")
    start, real = time.perf_counter(), 0
    for path in sorted((FIXTURES / "real" / "huawei").glob("*.raw")):
        # `display acl all` as a configuration: each "Basic|Advanced [IPv6] ACL N" header opens a view
        text = HEADER.sub(
            lambda m: f"#\nacl {'ipv6 ' if m[1] else ''}number {m[2]}", path.read_text(encoding="utf-8")
        )
        dev = DeviceConfig(
            path.stem, "huawei", f"sysname real\n{MATCHES.sub('', text)}\n#\nreturn\n", {}, path.name
        )
        real += timed(dev, policy)[3]
    took = time.perf_counter() - start
    print(f"real ntc-templates `display acl all` rules: {real} parsed and audited in {took:.3f} s")


if __name__ == "__main__":
    main()
