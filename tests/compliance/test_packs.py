"""Packs are operator data: every shipped control names its source, and a broken pack is refused
with every problem at file:line (exit 2 from the CLI), never half-loaded."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tslcd.compliance.packs import PackError, load_pack_file, load_packs

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_packs_load_and_every_control_names_its_source() -> None:
    packs = load_packs(ROOT / "compliance")
    assert {"attt-cap-do", "cis-network"} <= set(packs)
    for pack in packs.values():
        assert pack.version
        for control in pack.controls:
            assert control.source in pack.sources, control.id
            assert control.title.vi and control.title.en and control.clause
            assert control.verify.checks or control.verify.config or control.verify.manual
            # A clause is only "verified" when it was read in the named source.
            if control.verified:
                assert pack.sources[control.source].note or pack.sources[control.source].url
    by_level = packs["attt-cap-do"]
    assert {2, 3} <= {level for c in by_level.controls for level in c.levels}
    assert any(set(c.levels) == {4, 5} for c in by_level.controls)  # what differs at levels 4-5


BROKEN = """\
pack: local
version: "1"
title: {vi: Quy định của tỉnh, en: Provincial rules}
sources:
  - {id: qd, title: Quyết định của UBND tỉnh}
controls:
  - id: P-1
    clause: "Điều 5"
    verified: maybe
    source: qd
    title: {vi: A, en: A}
    levels: [2, 7]
    verify:
      check: [no-such-check]
    remediation: {vi: B, en: B}
  - id: P-2
    clause: "Điều 6"
    verified: false
    source: nowhere
    title: {vi: A}
    levels: [2]
    platforms: [junos]
    verify:
      config:
        cisco_ios:
          - value: '^exec-timeout (\\d+) (\\d+)'
            scale: [60]
          - contains: '(['
    remediation: {vi: B, en: B}
  - id: P-1
    clause: "x"
    verified: true
    source: qd
    title: {vi: A, en: A}
    levels: [3]
    verify: {manual: by hand}
    remediation: {vi: B, en: B}
"""


def test_a_broken_pack_names_every_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    problems = caught.value.problems
    text = "\n".join(problems)
    for where, what in [(9, "'verified' must be true"), (12, "'levels' must list"),
                        (14, "unknown audit check 'no-such-check'"), (19, "'source' must name"),
                        (20, "'title' must give both"), (22, "unknown platform 'junos'"),
                        (26, "value has 2 group(s) but scale has 1"), (26, "needs 'min'"),
                        (28, "not a valid regular expression"), (30, "already defined at line 7")]:
        assert any(p.startswith(f"{path}:{where}:") and what in p for p in problems), (where, what, text)


def test_cli_refuses_a_broken_pack_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "local.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "tslcd.yaml").write_text(
        f"inventory: {ROOT / 'inventory'}\ndata: {tmp_path / 'data'}\ncompliance: {{packs: packs}}\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tslcd", "--config", str(tmp_path / "tslcd.yaml"),
                             "compliance"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "local.yaml:14" in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_alias_bombs_are_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    bomb += "pack: p\n" + "z: [" + ", ".join(["*i"] * 300) + "]\n"  # 300 x 9**9 nodes
    (tmp_path / "bomb.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(PackError, match="an alias bomb"):
        load_packs(tmp_path)
    assert time.perf_counter() - started < 1.0
