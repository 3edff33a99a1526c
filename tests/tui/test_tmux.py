"""End to end in a real terminal: `tslcd tui --lab` in tmux at 80x24 with 16 colours; keys for a
backup and an audit; the captured pane must show their results. Skipped where tmux is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import SAMPLE_INVENTORY, SAMPLE_TOPOLOGY, free_port
from tslcd.config import Config, load_config
from tslcd.services import lab

pytestmark = [pytest.mark.lab, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]
RICH_COLOUR = re.compile(r"\x1b\[[0-9;]*[34]8;[25];")  # 256-colour or truecolour SGR


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Config]:
    """A project over the sample inventory whose lab runs in the background, as `tslcd lab up` starts it."""
    path = tmp_path / "tslcd.yaml"
    path.write_text(yaml.safe_dump({"inventory": str(SAMPLE_INVENTORY), "data": "data",
                                    "lab": {"port": free_port(), "topology": str(SAMPLE_TOPOLOGY)}}))
    config = load_config(str(path))
    lab.lab_up(config)
    try:
        yield config
    finally:
        lab.lab_down(config)


class Pane:
    """One tmux session running a command; killed by name when the test ends."""

    def __init__(self, name: str, command: str, cwd: Path) -> None:
        self.name = name
        _tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(cwd), command)

    def text(self, colours: bool = False) -> str:
        """What the terminal shows now (with escape sequences when ``colours``)."""
        return _tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", self.name)

    def keys(self, *keys: str) -> None:
        """Type keys (tmux key names: Enter, Escape...)."""
        _tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, pattern: str, timeout: float = 90) -> str:
        """Wait until the screen matches ``pattern``; the last screen is in the failure message."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{self.text()}")

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def test_backup_and_audit_from_the_keyboard(project: Config, tmp_path: Path) -> None:
    command = (f"env TERM=xterm-16color COLORTERM= TEXTUAL_ANIMATIONS=none {sys.executable} -m tslcd "
               f"--config {project.source} tui --lab")
    pane = Pane(f"tslcd-tui-test-{os.getpid()}", command, project.root)
    try:
        pane.wait_for(r"65 of 65 devices[\s\S]*/ Filter")  # loaded, and the keys of the tab apply
        pane.keys("/")
        pane.wait_for(r"district=an-phu, group=so")  # the filter box has the focus: its hint shows
        pane.keys("district=an-phu", "Enter")
        pane.wait_for(r"2 of 65 devices")
        pane.keys("2")
        pane.wait_for(r"targets: 2 devices")
        pane.keys("b")
        backup = pane.wait_for(r"run \d+: 2 changed, 0 unchanged, 0 failed")
        (tmp_path / "backup.txt").write_text(backup, encoding="utf-8")
        assert re.search(r"ubnd-ap-r1\s+changed", backup) and re.search(r"ubnd-ap-fw1\s+changed", backup)

        pane.keys("3", "a")
        audit = pane.wait_for(r"run \d+: \d+ findings \(")
        (tmp_path / "audit.txt").write_text(audit, encoding="utf-8")
        assert re.search(r"(critical|high|medium|low|info)\s+\S*\s*ubnd-ap-", audit)
        assert "on ubnd-ap-" in audit  # the detail pane of the first finding

        coloured = pane.text(colours=True)
        assert not RICH_COLOUR.search(coloured), "a 16-colour terminal got 256/truecolour codes"
        pane.keys("q")
    finally:
        pane.kill()
