"""YAML loading that remembers where things are, so every inventory problem can name file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tslcd import yamlsafe


@dataclass
class LocatedMapping:
    """A top-level YAML mapping: its values, the line of each key and of each key's fields."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    field_lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def where(self, name: str, field_name: str | None = None) -> str:
        """``file:line`` of an entry or of one of its fields (a dotted path such as
        ``connection_options.netmiko.extras.sock``; the nearest known parent when not recorded)."""
        line = None
        parts = (field_name or "").split(".") if field_name else []
        while parts and line is None:
            line = self.field_lines.get((name, ".".join(parts)))
            parts.pop()
        line = line or self.lines.get(name)
        return f"{self.path}:{line}" if line else str(self.path)


def load_located(path: Path, problems: list[str], *, required: bool) -> LocatedMapping | None:
    """Parse ``path`` as a mapping of named entries; append every problem found to ``problems``.

    Returns None when the file is unreadable or not YAML (the problem is recorded with its line).
    Duplicate keys, which plain YAML loaders silently overwrite, are reported with both lines.
    """
    result = LocatedMapping(path=path)
    if not path.exists():
        if required:
            problems.append(f"{path}: file not found")
            return None
        return result
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return None
    try:
        node = yamlsafe.compose(text)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(path, exc))
        return _recover(path, text, result, problems)
    return _read_mapping(path, node, result, problems, line_offset=0)


def _syntax_problem(path: Path, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    reason = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yamlsafe.ExpansionError):
        return f"{where}: YAML refused: {reason}"
    return f"{where}: YAML syntax error: {reason}"


_TOP_KEY = re.compile(r"^[^\s#\-][^:]*:")


def _recover(path: Path, text: str, result: LocatedMapping,
             problems: list[str]) -> LocatedMapping | None:
    """After a syntax error, parse each top-level entry on its own so the others are still checked.

    One broken host must not hide the problems of the other sixty: entries that parse are kept,
    the broken one is already reported with its line.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not starts:
        return None
    for begin, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        chunk = "".join(lines[begin:end])
        try:
            node = yamlsafe.compose(chunk)
        except yaml.YAMLError:
            continue  # the file-level error above already names this place
        if isinstance(node, yaml.MappingNode):
            _read_mapping(path, node, result, problems, line_offset=begin)
    return result


def _read_mapping(path: Path, node: yaml.Node | None, result: LocatedMapping, problems: list[str],
                  line_offset: int) -> LocatedMapping | None:
    if node is None:
        return result
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 + line_offset
        problems.append(f"{path}:{line}: expected a mapping of names to entries")
        return None
    constructor = yaml.constructor.SafeConstructor()
    for key_node, value_node in node.value:
        name = str(key_node.value)
        line = key_node.start_mark.line + 1 + line_offset
        if name in result.lines:
            problems.append(
                f"{path}:{line}: duplicate entry {name!r} (first defined at line {result.lines[name]})"
            )
            continue
        result.lines[name] = line
        try:
            value = constructor.construct_document(value_node)
        except yaml.YAMLError as exc:
            problems.append(f"{path}:{line}: entry {name!r}: {exc}")
            continue
        result.values[name] = value if value is not None else {}
        _record_lines(result, name, value_node, "", line_offset, set())
    return result


def _record_lines(result: LocatedMapping, name: str, node: yaml.Node, prefix: str, line_offset: int,
                  seen: set[int]) -> None:
    """Remember the line of every nested mapping key as a dotted path (each node walked once, so
    shared anchors cost nothing)."""
    if not isinstance(node, yaml.MappingNode) or id(node) in seen:
        return
    seen.add(id(node))
    for key_node, value_node in node.value:
        path = f"{prefix}{key_node.value}"
        result.field_lines.setdefault((name, path), key_node.start_mark.line + 1 + line_offset)
        _record_lines(result, name, value_node, path + ".", line_offset, seen)
