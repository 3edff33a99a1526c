"""Fixtures for the security tests: a private project (config + copy of the sample inventory) to
attack, and the CLI run in-process so each refusal costs milliseconds, not a Python start-up."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tslcd.cli import app
from tslcd.cli.register import load_commands
from tslcd.config import Config, load_config

ROOT = Path(__file__).resolve().parents[2]

load_commands([])  # every sub-command attached to the app CliRunner drives


@dataclass
class Project:
    """A throw-away tslcd project: ``config_path``, its ``inventory`` folder and ``data`` folder."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "tslcd.yaml"

    @property
    def inventory(self) -> Path:
        return self.root / "inventory"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def config(self) -> Config:
        return load_config(str(self.config_path))

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace the first ``old`` in inventory file ``name`` (the text must be there)."""
        path = self.inventory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, name: str, text: str) -> None:
        path = self.inventory / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def line_of(self, name: str, needle: str) -> int:
        """1-based line of the first line containing ``needle``."""
        lines = (self.inventory / name).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, 1) if needle in line)

    def tslcd(self, *args: str) -> Result:
        """Run the CLI in this process (exit code, stdout, stderr kept apart)."""
        return CliRunner().invoke(app, ["--config", str(self.config_path), *args])

    def check_fails(self, *expected: str) -> str:
        """`tslcd inventory check` exits 2 without a traceback and says each of ``expected``."""
        result = self.tslcd("inventory", "check")
        assert result.exit_code == 2, (result.stdout, result.stderr)
        for text in expected:
            assert text in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        return result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The sample inventory in a project of its own, allowed networks as shipped (127.0.0.0/8)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "inventory", root / "inventory")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "tslcd.yaml").write_text(
        "inventory: inventory\ntemplates: templates\ndata: data\n"
        "safety: {allowed_networks: [127.0.0.0/8]}\n", encoding="utf-8")
    return Project(root)


def fake_dns(monkeypatch: pytest.MonkeyPatch, name: str, answers: list[str]) -> list[str]:
    """Make ``name`` resolve to ``answers`` in turn (a DNS that changes its mind after the first
    answer); returns the list of lookups of ``name`` made, to count them."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = answers[min(len(asked), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked
