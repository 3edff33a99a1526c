"""Faults a lab device can be given, so features are tested against misbehaving devices.

Each kind imitates one way real devices fail, as the SSH client experiences it:

- ``latency SECONDS``: every input line is answered SECONDS late (slow link, busy CPU).
- ``auth-fail``: every login is refused, whatever the password (changed or locked account).
- ``refuse``: the device stops listening; new connections get "connection refused".
- ``drop``: the next command with output sends half of it, then the connection is cut.
- ``hang``: the device stops answering: no banner, no prompt, no echo, input is swallowed.
- ``reject-after N``: after N configuration lines in a session, further ones are rejected.
- ``slow-banner SECONDS``: the SSH identification string is sent SECONDS late.

Faults apply to new sessions and, where that makes sense, to open ones: ``latency``, ``drop``,
``hang`` and ``reject-after`` act on the next line an open session receives; ``auth-fail``,
``refuse`` and ``slow-banner`` only concern new connections.
"""

from __future__ import annotations

from dataclasses import dataclass

from tslcd.errors import InputError


@dataclass(frozen=True)
class FaultKind:
    """One kind of fault: its name, what its value means, and the value used when none is given."""

    name: str
    help: str
    default: float | None = None  # None: the kind takes no value
    integer: bool = False


FAULT_KINDS: dict[str, FaultKind] = {
    k.name: k
    for k in (
        FaultKind("latency", "answer every input line this many seconds late", 2.0),
        FaultKind("auth-fail", "refuse every login"),
        FaultKind("refuse", "stop listening: connections are refused"),
        FaultKind("drop", "cut the connection half-way through the next command output"),
        FaultKind("hang", "stop answering: no banner, prompt or echo"),
        FaultKind("reject-after", "reject configuration lines after this many in a session", 3,
                  integer=True),
        FaultKind("slow-banner", "send the SSH identification string this many seconds late", 10.0),
    )
}


def check_fault(kind: str, value: float | str | None = None) -> float | None:
    """Validate a fault kind and value; returns the value to store (the kind's default if none)."""
    spec = FAULT_KINDS.get(kind)
    if spec is None:
        raise InputError(f"unknown fault kind {kind!r} (known: {', '.join(FAULT_KINDS)})")
    unset = value is None or value is True or value == ""  # YAML `hang: true`, CLI without VALUE
    if spec.default is None:
        if not unset:
            raise InputError(f"fault {kind!r} takes no value (got {value!r})")
        return None
    if unset:
        return spec.default
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"fault {kind!r} needs a number, got {value!r}") from None
    if number < 0 or (spec.integer and number != int(number)):
        what = "a whole number >= 0" if spec.integer else "a number >= 0"
        raise InputError(f"fault {kind!r} needs {what}, got {value!r}")
    return int(number) if spec.integer else number


class FaultTable:
    """The active faults of every device, read by sessions at each step so changes act at once."""

    def __init__(self) -> None:
        self._faults: dict[str, dict[str, float | None]] = {}

    def get(self, device: str, kind: str) -> float | None:
        """The fault's value (None when the kind takes none); KeyError when it is not active."""
        return self._faults[device][kind]

    def active(self, device: str, kind: str) -> bool:
        """True when ``kind`` is active on ``device``."""
        return kind in self._faults.get(device, {})

    def of(self, device: str) -> dict[str, float | None]:
        """A copy of one device's active faults."""
        return dict(self._faults.get(device, {}))

    def set(self, device: str, kind: str, value: float | str | None = None) -> float | None:
        """Activate (or re-value) one fault on one device; returns the stored value."""
        stored = check_fault(kind, value)
        self._faults.setdefault(device, {})[kind] = stored
        return stored

    def clear(self, device: str, kind: str | None = None) -> None:
        """Remove one fault, or all of a device's faults when ``kind`` is None."""
        current = self._faults.get(device, {})
        if kind is None:
            current.clear()
        elif kind in FAULT_KINDS:
            current.pop(kind, None)
        else:
            raise InputError(f"unknown fault kind {kind!r} (known: {', '.join(FAULT_KINDS)})")
        if not current:
            self._faults.pop(device, None)
