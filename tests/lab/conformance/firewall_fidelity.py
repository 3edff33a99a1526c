"""Measuring helpers shared by the ASA and FortiOS fidelity modules.

The yardstick is real material nobody on tslcd wrote (ntc-templates' device outputs and parsed
results, Batfish's test configurations); see ``fixtures/real/*/SOURCES``. A figure is
``(behaves like the real device, total)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from ntc_templates.parse import parse_output

REAL = Path(__file__).parent / "fixtures" / "real"


def populated(records: Iterable[dict[str, object]]) -> set[str]:
    """Template fields holding a value in at least one record."""
    return {key.lower() for record in records for key, value in record.items() if value not in ("", [], None)}


def real_fields(platform: str, stem: str) -> set[str]:
    """Fields the real outputs of one command populate, from ntc-templates' parsed results."""
    fields: set[str] = set()
    for path in sorted((REAL / platform / "ntc").glob(f"*{stem}*.yml")):
        fields |= populated(yaml.safe_load(path.read_text(encoding="utf-8"))["parsed_sample"])
    return fields


def lab_fields(platform: str, command: str, output: str) -> set[str]:
    """Fields the lab's output of ``command`` populates when parsed with the same template."""
    try:
        return populated(parse_output(platform=platform, command=command, data=output))
    except Exception:
        return set()


def command_figures(platform: str, commands: dict[str, str], run: Callable[[str], str]
                    ) -> tuple[tuple[int, int], tuple[int, int]]:
    """(commands that answer and parse, fields populated as in the real outputs)."""
    answered = fields_ok = fields_total = 0
    for command, stem in commands.items():
        wanted = real_fields(platform, stem)
        got = lab_fields(platform, command, run(command))
        answered += bool(got)
        fields_ok += len(wanted & got)
        fields_total += len(wanted)
    return (answered, len(commands)), (fields_ok, fields_total)


def config_files(platform: str, skip: Callable[[str], bool] = lambda name: False) -> list[Path]:
    """Batfish's test configurations for a platform, minus those meant to be invalid."""
    return [path for path in sorted((REAL / platform / "batfish").iterdir()) if not skip(path.name)]
