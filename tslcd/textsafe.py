"""Device text made safe to show: control bytes become visible marks, never terminal commands.

A compromised or careless device can print escape sequences (CSI colour and cursor moves, OSC 52
clipboard writes, OSC 0/2 window titles), NUL, backspaces and carriage returns that hide what
precedes them, or Unicode bidi overrides that reorder a line on screen. Every front end and report
passes device, inventory and finding text through `neutralise` before showing it; the sequence
then stays readable as text, so an operator sees that the device sent it:

- C0 controls (except newline and tab) and DEL become their Unicode "control picture"
  (ESC -> ``␛``, NUL -> ``␀``, BEL -> ``␇``, CR -> ``␍``, DEL -> ``␡``), one character each;
- C1 controls (U+0080-U+009F, e.g. the one-byte CSI U+009B) and bidi controls become the literal
  text ``\\x9b`` / ``\\u202e``.

Stored configurations keep the device's text except NUL (`storable`): git treats a file holding
NUL as binary, which hides its diffs. Bytes that are not UTF-8 are decoded by `decode` to a
visible ``\\xff`` escape instead of being dropped.
"""

from __future__ import annotations

import codecs
import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_KEEP = {"\n", "\t"}
_BIDI = (*range(0x200E, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TABLE: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in _KEEP},
    0x7F: "\u2421",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in _BIDI},
}
NUL_MARK = _TABLE[0]


def neutralise(text: str) -> str:
    """``text`` with every control character (but newline and tab) replaced by a visible mark."""
    return text.translate(_TABLE)


def neutralised(value: T) -> T:
    """A copy of ``value`` (a string, or dataclasses, dicts, lists and tuples holding strings) with
    every string neutralised: what a report or a table renders from a whole result."""
    return _walk(value)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list | tuple):
        return type(value)(_walk(v) for v in value)
    if isinstance(value, dict):
        return {_walk(k): _walk(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def storable(text: str) -> str:
    """``text`` as a stored config may hold it: everything kept but NUL, which becomes ``␀``."""
    return text.replace("\0", NUL_MARK)


def decode(data: bytes) -> str:
    """UTF-8 bytes as text; invalid bytes stay visible as ``\\xff`` escapes instead of vanishing."""
    return data.decode("utf-8", "backslashreplace")


def incremental_decoder() -> codecs.IncrementalDecoder:
    """A decoder for a byte stream read in chunks: a character split between two reads is joined,
    invalid bytes become ``\\xff`` escapes."""
    return codecs.getincrementaldecoder("utf-8")("backslashreplace")
