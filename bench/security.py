"""Benchmark of the security checks: what they cost on a good inventory, how fast they refuse.

    python bench/security.py

Prints the time to load and check the sample inventory (65 hosts) and one scaled to 2,000 hosts,
the time to refuse a billion-laughs alias bomb, the time the runaway-template bounds take to
stop a template, and the time to build Nornir with every connection checked and pinned.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tslcd import yamlsafe  # noqa: E402
from tslcd.config import load_config  # noqa: E402
from tslcd.inventory import load_inventory  # noqa: E402
from tslcd.inventory.credentials import Credentials  # noqa: E402
from tslcd.inventory.runner import make_nornir  # noqa: E402
from tslcd.push.render import ChangeVars, Renderer, RenderError  # noqa: E402

BOMB = "a: &a [" + ",".join(["lol"] * 9) + "]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


def timed(label: str, action: Callable[[], object], repeat: int = 3) -> None:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<58} {best * 1000:9.1f} ms")


def project(folder: Path, extra_hosts: int) -> Path:
    shutil.copytree(ROOT / "inventory", folder / "inventory")
    shutil.copytree(ROOT / "templates", folder / "templates")
    if extra_hosts:
        hosts = yaml.safe_load((folder / "inventory" / "hosts.yaml").read_text(encoding="utf-8"))
        template = hosts["stc-r1"]
        for i in range(extra_hosts):
            hosts[f"x{i}-r1"] = {**template, "hostname": f"127.30.{i // 250}.{i % 250 + 1}",
                                 "data": {**template["data"], "agency_code": f"X{i}"}}
        (folder / "inventory" / "hosts.yaml").write_text(yaml.safe_dump(hosts, allow_unicode=True),
                                                         encoding="utf-8")
    (folder / "tslcd.yaml").write_text("inventory: inventory\ntemplates: templates\ndata: data\n")
    return folder / "tslcd.yaml"


def refuse(action: Callable[[], object], error: type[BaseException]) -> Callable[[], None]:
    def run() -> None:
        try:
            action()
        except error:
            return
        raise AssertionError("not refused")
    return run


def main() -> None:
    creds = Credentials("bench", "bench", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        for extra in (0, 2000):
            config = load_config(str(project(Path(tmp) / f"p{extra}", extra)))
            inventory = load_inventory(config)
            timed(f"load + check inventory, {len(inventory)} hosts", lambda c=config: load_inventory(c))
            hosts = list(inventory)
            timed(f"make_nornir, {len(hosts)} hosts, 2 connections pinned each",
                  lambda c=config, i=inventory, h=hosts: make_nornir(c, i, h, lab_credentials=creds),
                  repeat=1)
        timed("refuse a 9^9-node alias bomb", refuse(lambda: yamlsafe.safe_load(BOMB), yaml.YAMLError))
        probe = Path(tmp) / "p0" / "templates" / "cisco_ios" / "probe.j2"
        probe.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                         "{% endfor %}\n", encoding="utf-8")
        config = load_config(str(Path(tmp) / "p0" / "tslcd.yaml"))
        inventory = load_inventory(config)
        renderer = Renderer(config.templates_dir, "probe", inventory, ChangeVars())
        timed("stop a 10^10-iteration template", refuse(lambda: renderer.render(inventory.hosts["stc-r1"]),
                                                        RenderError))


if __name__ == "__main__":
    main()
