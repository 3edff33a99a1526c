"""Paths built from data (host names, agency codes) stay inside the folder they belong to."""

from __future__ import annotations

from pathlib import Path

from tslcd.errors import InputError


def inside(root: Path, *parts: str) -> Path:
    """``root / parts``, refused when the result would leave ``root`` (``..``, absolute parts,
    symlinks pointing out)."""
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path == base or not path.is_relative_to(base):
        raise InputError(f"{'/'.join(parts)!r} would be outside {root}; refusing to use it as a path")
    return path
