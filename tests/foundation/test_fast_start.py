"""Commands that touch no device start without loading the drivers, Nornir, Textual or Jinja2.

Each command runs in a fresh interpreter (as the console script does) and reports which of the
heavy libraries it loaded; the time itself is a figure of `bench/cli.py`, not a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("netmiko", "napalm", "paramiko", "nornir", "textual", "asyncssh", "hier_config", "jinja2",
         "netutils")

# Run the CLI as `tslcd ARGS` would, then list the heavy top-level packages it imported.
PROBE = """
import sys
sys.argv = ["tslcd", *sys.argv[1:]]
from tslcd.cli import main
try:
    main()
except SystemExit:
    pass
heavy = {heavy!r}
sys.stderr.write("LOADED:" + ",".join(sorted(m for m in heavy if m in sys.modules)) + "\\n")
"""


def loaded_by(args: list[str], config: Path) -> list[str]:
    code = PROBE.format(heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, "--config", str(config), *args],
                         capture_output=True, text=True, timeout=60)
    line = [x for x in out.stderr.splitlines() if x.startswith("LOADED:")]
    assert line, out.stderr
    return [m for m in line[-1].removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize("args", [
    ["--version"], ["--help"], ["inventory", "list"], ["inventory", "show", "stc-fw1"],
    ["history", "--runs"], ["diff", "stc-fw1"], ["show", "stc-fw1"], ["changes"], ["audit"],
    ["audit", "--help"], ["grep", "logging"],
])
def test_command_that_touches_no_device_loads_no_driver(args: list[str], inventory_copy: Path) -> None:
    assert loaded_by(args, inventory_copy) == []


def test_inventory_check_builds_connection_targets_without_a_driver(inventory_copy: Path) -> None:
    """The check resolves every address a connection would use (Nornir hosts), opens none."""
    assert [m for m in loaded_by(["inventory", "check"], inventory_copy) if m != "nornir"] == []


def test_the_command_table_names_every_registered_command() -> None:
    """`tslcd.cli.register.COMMANDS` (which module to load for a command) matches what the
    modules register, so no command is ever missing when its word is typed."""
    code = (
        "from tslcd.cli import app\n"
        "from tslcd.cli.register import COMMANDS, load_commands\n"
        "load_commands([])\n"
        "names = {c.name or c.callback.__name__ for c in app.registered_commands}\n"
        "names |= {g.name for g in app.registered_groups}\n"
        "print(sorted(names) == sorted(COMMANDS), sorted(set(names) ^ set(COMMANDS)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("True"), out.stdout + out.stderr
