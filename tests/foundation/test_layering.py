"""The core never imports a front-end library (textual, typer, rich): only cli/ and tui/ may."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import tslcd

FRONT_END_LIBS = {"textual", "typer", "rich"}
FRONT_END_PACKAGES = ("tslcd.cli", "tslcd.tui")
PACKAGE_DIR = Path(tslcd.__file__).parent


def core_modules() -> list[str]:
    names = ["tslcd"]
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="tslcd."):
        if not info.name.startswith(FRONT_END_PACKAGES) and info.name != "tslcd.__main__":
            names.append(info.name)
    return names


def test_there_are_core_modules_to_check() -> None:
    names = core_modules()
    assert "tslcd.inventory.model" in names and "tslcd.platforms" in names
    assert not any(n.startswith("tslcd.cli") for n in names)


def test_core_source_has_no_front_end_import() -> None:
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module.startswith(FRONT_END_PACKAGES) or module == "tslcd.__main__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{module}: {n}" for n in names if n.split(".")[0] in FRONT_END_LIBS]
    assert offenders == []


def test_importing_every_core_module_loads_no_front_end_library() -> None:
    """Run in a fresh interpreter so modules loaded by other tests do not count."""
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(FRONT_END_LIBS)!r}))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
