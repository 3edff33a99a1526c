"""Device text on its way to a terminal or the TUI: no control character gets through.

A minimal neutraliser for the text `cmd` and `grep` print (branch sec-secrets brings the shared
one, `tslcd.textsafe`; this one gives way to it when that lands).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with line ends normalised and every other control character (ESC included) removed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
