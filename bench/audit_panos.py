"""Benchmark of the PAN-OS audit: parse and audit the real corpus and a large generated rulebase.

    python bench/audit_panos.py            # 5,000 rules over 8 and 40 zones, XML and set forms
    python bench/audit_panos.py --quick    # 1,000 rules (CI smoke)

The real corpus is every file under tests/audit/fixtures/real/paloalto_panos (Batfish's grammar
tests and iron-skillet). The generated rulebase has address objects, nested groups, services and
rules between random zone pairs (some ``any``), a few App-ID rules, in XML and set form. The
machine may be shared: figures are wall-clock times under whatever else runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device  # noqa: E402
from tslcd.audit.zones import ZonePolicy  # noqa: E402

POLICY = ZonePolicy(zones={}, flows=[])


def _timed(text: str, name: str) -> tuple[float, float, int, int]:
    """(parse seconds, audit seconds, rules, findings) for one configuration."""
    t0 = time.perf_counter()
    parsed = parse_device(DeviceConfig(name, "paloalto_panos", text, {}, name))
    t1 = time.perf_counter()
    findings = audit_parsed(parsed, POLICY)
    t2 = time.perf_counter()
    rules = len({id(r) for lst in parsed.lists for r in lst.rules})
    return t1 - t0, t2 - t1, rules, len(findings)


def _rulebase(n: int, zones: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    names = [f"z{i}" for i in range(zones)] + ["any"]
    rules = []
    for i in range(n):
        src = f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.0/{rnd.choice((16, 24, 28))}"
        dst = f"172.{16 + rnd.randrange(16)}.{rnd.randrange(256)}.{rnd.randrange(256)}/{rnd.choice((24, 32))}"
        rules.append({
            "name": f"r{i}", "from": rnd.choice(names), "to": rnd.choice(names), "src": src, "dst": dst,
            "port": rnd.choice((22, 53, 80, 443, 3389, 8080, rnd.randrange(1024, 65535))),
            "app": "web-browsing" if i % 50 == 0 else "any",
            "action": "allow" if rnd.random() < 0.7 else "deny",
        })
    return rules


def _as_set(rules: list[dict]) -> str:
    out = [f"set zone {z} network layer3 ethernet1/{i + 1}"
           for i, z in enumerate(sorted({r['from'] for r in rules} - {'any'}))]
    for r in rules:
        out.append(f"set service svc-{r['name']} protocol tcp port {r['port']}")
        base = f"set rulebase security rules {r['name']}"
        out += [f"{base} from {r['from']}", f"{base} to {r['to']}", f"{base} source {r['src']}",
                f"{base} destination {r['dst']}", f"{base} application {r['app']}",
                f"{base} service svc-{r['name']}", f"{base} action {r['action']}"]
    return "\n".join(out) + "\n"


def _as_xml(rules: list[dict]) -> str:
    zones = sorted({r["from"] for r in rules} - {"any"})
    out = ['<config version="10.2.0" urldb="paloaltonetworks"><devices><entry name="localhost.localdomain">',
           "<vsys><entry name=\"vsys1\"><zone>", *(f'<entry name="{z}"/>' for z in zones), "</zone><service>"]
    out += [f'<entry name="svc-{r["name"]}"><protocol><tcp><port>{r["port"]}</port></tcp></protocol></entry>'
            for r in rules]
    out.append("</service><rulebase><security><rules>")
    for r in rules:
        out.append(
            f'<entry name="{r["name"]}">\n<from><member>{r["from"]}</member></from>\n'
            f'<to><member>{r["to"]}</member></to>\n<source><member>{r["src"]}</member></source>\n'
            f'<destination><member>{r["dst"]}</member></destination>\n'
            f'<application><member>{r["app"]}</member></application>\n'
            f'<service><member>svc-{r["name"]}</member></service>\n<action>{r["action"]}</action>\n</entry>'
        )
    out.append("</rules></security></rulebase></entry></vsys></entry></devices></config>")
    return "\n".join(out) + "\n"


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 generated rules instead of 5,000")
    args = parser.parse_args()
    corpus = sorted((ROOT / "tests/audit/fixtures/real/paloalto_panos").glob("*.cfg"))
    t0 = time.perf_counter()
    totals = [_timed(p.read_text(encoding="utf-8"), p.name) for p in corpus]
    wall = time.perf_counter() - t0
    print(f"real corpus: {len(corpus)} files, {sum(t[2] for t in totals)} rules, "
          f"{sum(t[3] for t in totals)} findings, parse {sum(t[0] for t in totals):.2f} s, "
          f"audit {sum(t[1] for t in totals):.2f} s, total {wall:.2f} s")
    n = 1000 if args.quick else 5000
    for zones in (8, 40):
        rules = _rulebase(n, zones=zones)
        for form, text in (("set", _as_set(rules)), ("xml", _as_xml(rules))):
            parse_s, audit_s, count, findings = _timed(text, f"generated.{form}")
            print(f"generated {form}, {zones} zones: {n} rules ({len(text) // 1024} KiB), {count} in lists, "
                  f"{findings} findings, parse {parse_s:.2f} s, audit {audit_s:.2f} s")


if __name__ == "__main__":
    main()
