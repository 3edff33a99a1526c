"""Config files named on the command line (`audit --file`, `explain --file`): which platform."""

from __future__ import annotations

from pathlib import Path

from tslcd.errors import InputError
from tslcd.platforms import PLATFORMS, detect_platform, get_platform


def file_platform(path: Path, platform: str | None) -> tuple[str, bool]:
    """The platform to read ``path`` as: the one given, or detected from its content.

    Returns the platform name and whether it was detected (the front end says which it chose).
    """
    if platform:
        return get_platform(platform).name, False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read configuration ({exc})") from None
    found = detect_platform(text)
    if found is None:
        raise InputError(f"{path}: cannot tell the platform from the content; give --platform "
                         f"({', '.join(sorted(PLATFORMS))})")
    return found.name, True
