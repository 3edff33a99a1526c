"""Benchmark of the firewall audit: time and peak memory.

    python bench/audit.py            # everything
    python bench/audit.py --quick    # smaller network (CI smoke)

Prints, for one ACL of 1,000 to 10,000 rules, the time of the exact reachability engine and of
the whole audit (parse and every check), peak memory, and box fragments; then the adversarial
worst case (a grid of rules leaving one hole, and the budget guard); then the sample network
scaled to 500 devices x 300 rules across IOS, ASA and FortiGate: in one process, over every core
(printing the ratio measured in the same run), and re-audited unchanged (findings reused).
The machine may be shared: figures are wall-clock times under whatever else runs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tslcd.audit.model import DENY, PERMIT, Rule  # noqa: E402
from tslcd.audit.reachability import ListAnalysis, Stats  # noqa: E402
from tslcd.audit.runner import DeviceConfig, audit_device, parse_device  # noqa: E402
from tslcd.audit.zones import load_policy  # noqa: E402
from tslcd.services.audit import audit_configs, compare_runs, record_run  # noqa: E402
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path  # noqa: E402

PORTS = (22, 25, 53, 80, 123, 443, 993, 1433, 3306, 3389, 5432, 8080, 8443)


def measure(func: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """(seconds, CPU seconds, peak MiB) of one call; time is taken without tracemalloc, memory in a
    second call. On a shared machine the CPU time is what the call would take alone."""
    start, cpu = time.perf_counter(), time.process_time()
    value = func()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, cpu, peak, value


def ios_acl(n: int, rng: random.Random) -> str:
    """An IOS config with one extended ACL of ``n`` entries: agency /24s to DC hosts, some shadowing."""
    lines = [
        "hostname bench-r1",
        "logging host 10.0.10.6",
        "ntp server 10.0.10.5",
        "ip access-list extended BIG",
    ]
    for i in range(1, n):
        action = "permit" if rng.random() < 0.8 else "deny"
        proto = rng.choice(("tcp", "tcp", "udp"))
        src = f"10.{10 + rng.randrange(20)}.{rng.randrange(256)}.0 0.0.0.255"
        if rng.random() < 0.05:
            src = "any"
        dst = f"host 10.0.{10 + rng.randrange(4)}.{rng.randrange(1, 255)}"
        if rng.random() < 0.1:
            dst = f"10.0.{10 + rng.randrange(4)}.0 0.0.0.255"
        port = f"eq {rng.choice(PORTS)}" if rng.random() < 0.9 else f"range {1024 + rng.randrange(1000)} 9000"
        lines.append(f" {i * 10} {action} {proto} {src} {dst} {port} log")
    lines.append(f" {n * 10} deny ip any any log")
    lines += ["interface GigabitEthernet0/0/1", " ip access-group BIG in"]
    return "\n".join(lines) + "\n"


def dense_acl(n: int, rng: random.Random) -> str:
    """An IOS ACL over a small address and port universe: heavy overlap, half the rules unreachable."""
    srcs = [f"10.10.{k}.0 0.0.0.255" for k in range(30)] + [f"10.10.{k}.0 0.0.0.127" for k in range(30)]
    srcs += [f"host 10.10.{k}.5" for k in range(30)] + ["10.10.0.0 0.0.255.255", "any"]
    dsts = [f"host 10.0.10.{k}" for k in range(1, 31)] + ["10.0.10.0 0.0.0.255", "any"]
    ports = [f"eq {p}" for p in PORTS] + ["range 1024 65535", "gt 1023", "lt 1024"]
    lines = ["hostname bench-r2", "ip access-list extended DENSE"]
    for i in range(1, n):
        action = "permit" if rng.random() < 0.7 else "deny"
        proto = rng.choice(("tcp", "udp"))
        lines.append(
            f" {i * 10} {action} {proto} {rng.choice(srcs)} {rng.choice(dsts)} {rng.choice(ports)} log"
        )
    lines += [f" {n * 10} deny ip any any log", "interface GigabitEthernet0/0/1", " ip access-group DENSE in"]
    return "\n".join(lines) + "\n"


def asa_config(n: int, rng: random.Random, lan: str) -> str:
    """An ASA config with ``n`` access-list entries using objects and groups."""
    lines = [
        "hostname bench-asa",
        "logging host inside 10.0.10.6",
        "ntp server 10.0.10.5",
        "object network LAN",
        f" subnet {lan} 255.255.255.0",
        "object-group network DC",
    ]
    lines += [f" network-object host 10.0.10.{h}" for h in range(10, 60, 10)]
    lines += ["object-group service WEB tcp", " port-object eq 443", " port-object eq 8443"]
    for _ in range(n - 1):
        action = "permit" if rng.random() < 0.85 else "deny"
        dst = rng.choice(("object-group DC", f"host 10.0.{10 + rng.randrange(3)}.{rng.randrange(1, 255)}"))
        svc = rng.choice(("object-group WEB", f"eq {rng.choice(PORTS)}"))
        src = rng.choice(("object LAN", f"10.{10 + rng.randrange(20)}.{rng.randrange(256)}.0 255.255.255.0"))
        lines.append(f"access-list INSIDE_IN extended {action} tcp {src} {dst} {svc} log")
    lines += [
        "access-list INSIDE_IN extended deny ip any any log",
        "access-group INSIDE_IN in interface inside",
    ]
    return "\n".join(lines) + "\n"


def forti_config(n: int, rng: random.Random, lan: str) -> str:
    """A FortiGate config with ``n`` policies over two interface pairs."""
    lines = [
        "config log syslogd setting",
        "    set status enable",
        '    set server "10.0.10.6"',
        "end",
        "config firewall address",
        '    edit "LAN"',
        f"        set subnet {lan} 255.255.255.0",
        "    next",
    ]
    for h in range(1, 41):
        lines += [f'    edit "SRV-{h}"', f"        set subnet 10.0.10.{h} 255.255.255.255", "    next"]
    lines += ["end", "config firewall policy"]
    for i in range(1, n):
        out = rng.random() < 0.7
        src, dst = ("LAN", f"SRV-{rng.randrange(1, 41)}") if out else (f"SRV-{rng.randrange(1, 41)}", "LAN")
        lines += [
            f"    edit {i}",
            f'        set srcintf "{"lan" if out else "wan1"}"',
            f'        set dstintf "{"wan1" if out else "lan"}"',
            f"        set action {'accept' if rng.random() < 0.85 else 'deny'}",
            f'        set srcaddr "{src}"',
            f'        set dstaddr "{dst}"',
            '        set schedule "always"',
            f'        set service "{rng.choice(("HTTPS", "HTTP", "SSH", "DNS", "RDP", "NTP"))}"',
            "        set logtraffic all",
            "    next",
        ]
    lines += [
        f"    edit {n}",
        '        set srcintf "lan"',
        '        set dstintf "wan1"',
        '        set srcaddr "all"',
        '        set dstaddr "all"',
        '        set schedule "always"',
        '        set service "ALL"',
        "    next",
        "end",
    ]
    return "\n".join(lines) + "\n"


def bench_acl_sizes(name: str, build: Callable[[int, random.Random], str]) -> None:
    print(f"== one ACL ({name}): exact reachability engine, and whole audit (parse + every check) ==")
    print(
        f"{'rules':>7} {'engine s':>9} {'audit s':>8} {'(CPU s)':>8} {'peak MiB':>9} {'unreachable':>11} "
        f"{'fragments':>10}"
    )
    policy = load_policy(ROOT / "inventory" / "zones.yaml")
    for n in (1000, 2000, 5000, 10000):
        dev = DeviceConfig("bench", "cisco_ios", build(n, random.Random(n)), {}, "bench")
        rules = parse_device(dev).lists[0].rules
        stats = Stats()
        engine_s, _, _, verdicts = measure(lambda r=rules, s=stats: ListAnalysis(r, stats=s).verdicts())
        audit_s, audit_cpu, peak, _ = measure(lambda d=dev: audit_device(d, policy))
        unreachable = sum(1 for v in verdicts if v.reachable is False)
        fragments = stats.fragments // 2  # measure() runs the engine twice
        print(f"{n:>7} {engine_s:>9.2f} {audit_s:>8.2f} {audit_cpu:>8.2f} {peak:>9.1f} {unreachable:>11} "
              f"{fragments:>10}")


def _box(src: tuple[int, int], dst: tuple[int, int]) -> tuple[int, ...]:
    return (6, 6, *src, *dst, 0, 65535, 0, 65535, 0, 255)


def bench_worst_case() -> None:
    print("== worst case: a 100 x 100 grid of rules covering all but one cell, then a rule over the grid ==")
    m, w = 100, 256
    cells = [(a, b) for a in range(m) for b in range(m) if (a, b) != (m - 1, m - 1)]
    rules = [
        Rule(
            f"r{k}",
            DENY if k % 2 else PERMIT,
            [_box((a * w, a * w + w - 1), (b * w, b * w + w - 1))],
            "",
            k,
            k,
        )
        for k, (a, b) in enumerate(cells)
    ]
    rules.append(Rule("last", PERMIT, [_box((0, m * w - 1), (0, m * w - 1))], "", len(rules), len(rules)))
    stats = Stats()
    seconds, _, peak, verdicts = measure(lambda: ListAnalysis(rules, stats=stats).verdicts())
    print(
        f"  {len(rules)} rules: {seconds:.2f} s, peak {peak:.1f} MiB, last rule reachable="
        f"{verdicts[-1].reachable}, fragments for it {stats.worst_rule_fragments // 2}"
    )
    cells.append((m - 1, m - 1))
    rules.insert(-1, Rule("hole", DENY, [_box(((m - 1) * w, m * w - 1), ((m - 1) * w, m * w - 1))], "", 0, 0))
    seconds, _, peak, verdicts = measure(lambda: ListAnalysis(rules).verdicts())
    print(
        f"  hole filled: {seconds:.2f} s, peak {peak:.1f} MiB, last rule reachable={verdicts[-1].reachable} "
        f"blocked by {len(verdicts[-1].blocking)} rules together"
    )
    seconds, _, _, verdicts = measure(lambda: ListAnalysis(rules, budget=5000).verdicts())
    print(
        f"  same with a 5,000-fragment budget: {seconds:.2f} s, last rule reachable={verdicts[-1].reachable} "
        "(None = reported 'not analysed', never guessed)"
    )


def network(devices: int, rules_per_device: int) -> list[DeviceConfig]:
    """The sample network scaled: IOS, ASA and FortiGate in turn, each with its agency's LAN."""
    rng = random.Random(7)
    builders = (
        ("cisco_ios", lambda n, r, lan: ios_acl(n, r)),
        ("cisco_asa", asa_config),
        ("fortinet", forti_config),
    )
    devs = []
    for k in range(devices):
        platform, build = builders[k % 3]
        lan = f"10.{10 + k // 250}.{k % 250}.0"
        data = {
            "agency_code": f"CQ{k}",
            "agency_name": f"Cơ quan số {k}",
            "role": "firewall",
            "lan_prefix": f"{lan}/24",
        }
        devs.append(DeviceConfig(f"dev-{k}", platform, build(rules_per_device, rng, lan), data, f"dev-{k}"))
    return devs


def bench_network(devices: int, rules_per_device: int) -> None:
    print(f"== sample network scaled: {devices} devices x {rules_per_device} rules (IOS, ASA, FortiGate) ==")
    devs = network(devices, rules_per_device)
    policy = load_policy(ROOT / "inventory" / "zones.yaml")
    policy_key = "bench"
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        print(f"  (shared machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start)")
        start, cpu = time.perf_counter(), time.process_time()
        single = audit_configs(devs, policy, workers=1)
        one, one_cpu = time.perf_counter() - start, time.process_time() - cpu
        cores = os.cpu_count() or 1
        start = time.perf_counter()
        result = audit_configs(devs, policy, cache_dir=data_dir, policy_key=policy_key)
        pooled = time.perf_counter() - start
        assert [f.fingerprint for f in result.findings] == [f.fingerprint for f in single.findings]
        print(f"  one process: {one:.1f} s ({one_cpu:.1f} CPU s) for {devices * rules_per_device:,} rules, "
              f"{len(result.findings):,} findings")
        print(f"  {cores} cores (process pool, results remembered): {pooled:.1f} s, {one / pooled:.2f}x "
              f"faster than one process in this same run (load average now {os.getloadavg()[0]:.1f})")
        record_run(data_dir, result, "inventory")

        # nothing changed: every device's findings come from the cache; the run is still stored
        start, cpu = time.perf_counter(), time.process_time()
        again = audit_configs(devs, policy, cache_dir=data_dir, policy_key=policy_key)
        record_run(data_dir, again, "inventory")
        compare_runs(data_dir, again, "inventory")
        unchanged, unchanged_cpu = time.perf_counter() - start, time.process_time() - cpu
        store = ConfigStore(data_dir)
        with store.writer():
            store.prepare()
            store.write(StoredConfig(d.host, layout_path(d.host, "so", d.host), d.text) for d in devs)
            store.commit("bench")
        start = time.perf_counter()
        texts = store.read_many([d.host for d in devs])
        reading = time.perf_counter() - start
        assert len(texts) == len(devs)
        print(f"  re-audit of the unchanged network: {unchanged + reading:.2f} s ({reading:.2f} s reading "
              f"{len(texts)} backups from git, {unchanged:.2f} s ({unchanged_cpu:.2f} CPU s) reusing "
              f"{len(again.findings):,} findings, storing the run and comparing it with the previous one; "
              f"load average {os.getloadavg()[0]:.1f})")
    tracemalloc.start()
    audit_configs(devs[:30], policy, workers=1)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"  peak {peak:.1f} MiB for 30 devices in one process (memory does not grow with the device "
          "count: a worker holds one device at a time)")


def main() -> None:
    """Run every benchmark (``--quick``: a smaller network)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller network scale")
    args = parser.parse_args()
    bench_acl_sizes("agency-style: sparse /24 sources to DC hosts", ios_acl)
    bench_acl_sizes("dense: 92 sources x 32 destinations x 16 port sets", dense_acl)
    bench_worst_case()
    bench_network(60 if args.quick else 500, 300)


if __name__ == "__main__":
    main()
