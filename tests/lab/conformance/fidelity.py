"""Lab fidelity, measured against real-device material: the shared layer of every platform module.

Each platform has a module ``fidelity_<platform>.py`` next to this one exposing
``measure() -> dict[str, tuple[int, int]]``: for each figure in `FIGURES` the pair (items that
behave like the real device, items measured). Items are real fixture material (ntc-templates
raw outputs, NAPALM mocked data, public real configs) under ``fixtures/real/<platform>/``, each
listed in that folder's ``SOURCES`` file, never text written to make a number. A figure a platform
cannot have (NAPALM getters exist only for IOS) is left out of its dict.

``bench/lab_fidelity.py`` prints the shares; ``test_fidelity.py`` asserts each is >= `GOAL`.
The helpers below are what the platform modules share: discovery, fixture reading, template
field comparison, running lines on a model without SSH.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from ntc_templates.parse import parse_output

from tslcd.lab.models.base import CliSession, DeviceModel

HERE = Path(__file__).resolve().parent
REAL = HERE / "fixtures" / "real"
GOAL = 0.95

Figure = tuple[int, int]
FIGURES: tuple[str, ...] = (
    "getters",  # NAPALM getters returning real-shaped data consistent with the config (IOS only)
    "commands",  # commands whose lab output the real template parses into rows
    "template fields",  # fields the template fills from real output that it also fills from the lab's
    "real lines accepted",  # lines of real configs the lab accepts and shows back as the device does
    "invalid lines rejected",  # lines a real device refuses that the lab refuses with its error text
    "commit-confirm",  # commit-confirm steps behaving as on the device (timer, confirm, revert)
)
#: Figures whose emulation another branch delivers: measured and printed, not yet held to `GOAL`.
PENDING: dict[str, str] = {}


def platform_modules() -> dict[str, ModuleType]:
    """Every ``fidelity_<platform>`` module in this folder, by platform name."""
    modules = {}
    for path in sorted(HERE.glob("fidelity_*.py")):
        platform = path.stem.removeprefix("fidelity_")
        modules[platform] = importlib.import_module(f"tests.lab.conformance.{path.stem}")
    return modules


def share(figure: Figure) -> float:
    """The share of items behaving like the real device (1.0 for an empty figure)."""
    ok, total = figure
    return ok / total if total else 1.0


def add(*figures: Figure) -> Figure:
    """Sum of figures."""
    return sum(f[0] for f in figures), sum(f[1] for f in figures)


def real_files(platform: str, pattern: str) -> list[Path]:
    """Fixture files of a platform matching a glob under ``fixtures/real/<platform>/``."""
    return sorted((REAL / platform).glob(pattern))


def read(path: Path) -> str:
    """A fixture's text (fixtures are UTF-8; stray bytes of old devices are replaced)."""
    return path.read_text(encoding="utf-8", errors="replace")


# --- templates ---------------------------------------------------------------------------------
def statements(lines: Iterable[str], comments: tuple[str, ...] = ("#",)) -> Iterator[str]:
    """A real listing's configuration lines, stripped, without blank lines and comment lines."""
    for line in lines:
        if line.strip() and not line.lstrip().startswith(comments):
            yield line.strip()


def template_rows(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """ntc-templates' parse of ``command`` output ([] when the template finds nothing or fails)."""
    try:
        rows = parse_output(platform=platform, command=command, data=text)
    except Exception:  # textfsm raises its own errors on output it cannot follow
        return []
    return rows if isinstance(rows, list) else []


def populated(rows: Iterable[dict[str, Any]]) -> set[str]:
    """Fields that hold a value in at least one row."""
    return {k for row in rows for k, v in row.items() if v not in ("", [], None)}


def compare_fields(platform: str, command: str, real: str, lab: str) -> tuple[Figure, Figure]:
    """(command figure, field figure): does the lab output parse, and into the real output's fields?"""
    real_fields = populated(template_rows(platform, command, real))
    lab_rows = template_rows(platform, command, lab)
    lab_fields = populated(lab_rows)
    return (int(bool(lab_rows)), 1), (len(real_fields & lab_fields), len(real_fields))


# --- running lines on a model ------------------------------------------------------------------
ENABLE_SECRET = "lab-enable"


def login(model: DeviceModel, privileged: bool = True) -> CliSession:
    """A CLI session on a model, privileged when the platform has an ``enable`` step."""
    session = model.new_session("fidelity", ENABLE_SECRET)
    if privileged:
        session.handle("enable")
        if not session.echo:
            session.handle(ENABLE_SECRET)
    return session


ERROR_MARK = re.compile(r"^\s*(%|\^|Command fail|command parse error|ERROR:)", re.MULTILINE)


def is_error(output: str) -> bool:
    """True when a configuration line's answer is a refusal (IOS/ASA ``%``, FortiOS errors)."""
    return bool(ERROR_MARK.search(output))


def feed(session: CliSession, lines: Iterable[str],
         refused: Callable[[str], bool] = is_error) -> list[tuple[str, str]]:
    """Send lines one by one; return (line, answer) of each line the device refused."""
    bad = []
    for line in lines:
        answer = session.handle(line)
        if refused(answer):
            bad.append((line, answer))
    return bad


def sample_figures(platform: str, commands: dict[str, str],
                   run: Callable[[str], str]) -> tuple[Figure, Figure]:
    """(commands, template fields) of ``run``'s answers against every real sample of each command.

    ``commands`` maps a command to the glob of its ntc-templates samples under
    ``fixtures/real/<platform>/``; a command counts when the template reads rows from the lab's
    answer, a field when the lab's answer fills a field a real sample fills.
    """
    answered: list[Figure] = []
    fields: list[Figure] = []
    for command, pattern in commands.items():
        lab = run(command)
        answered.append((int(bool(template_rows(platform, command, lab))), 1))
        fields += [compare_fields(platform, command, read(path), lab)[1]
                   for path in real_files(platform, pattern)]
    return add(*answered), add(*fields)


def broken_variants(line: str, rules: Iterable[tuple[re.Pattern[str], str]]) -> Iterator[str]:
    """``line`` broken by each rule that applies (its first match replaced): invalid-line material
    derived from a real line, one kind of mistake at a time."""
    for pattern, replacement in rules:
        broken = pattern.sub(replacement, line, count=1)
        if broken != line:
            yield broken
