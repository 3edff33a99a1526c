"""No import circles inside the lab models or the platform registry (even type-only ones).

A circle makes a module's meaning depend on import order and hides which one is the lower layer;
sessions see their device through a Protocol (``*_api.py``) instead of importing it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tslcd

PACKAGE_DIR = Path(tslcd.__file__).parent


def _imports(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (any import statement, anywhere)."""
    folder = PACKAGE_DIR.joinpath(*package.split(".")[1:])
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == package:
                edges |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package + "."):
                edges.add(node.module[len(package) + 1:].split(".")[0])
        graph[path.stem] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` (as the modules along it), None when there is none."""
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target in graph and target not in state and (found := visit(target, [*path, target])):
                return found
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module, [module])):
            return found
    return None


@pytest.mark.parametrize("package", ["tslcd.lab.models", "tslcd.platforms"])
def test_package_has_no_import_circle(package: str) -> None:
    assert _cycle(_imports(package)) is None


def test_the_check_sees_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
