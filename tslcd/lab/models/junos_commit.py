"""JunOS's commit model on a lab device: commit check, commit, ``commit confirmed N``, rollback N.

A commit checks the candidate first (references a security policy makes must be defined, as
JunOS's ``configuration check-out`` does), then makes it active and puts it first in the commit
history (``rollback 0``). ``commit confirmed N`` arms a timer of N minutes (at the lab's time
scale): unless a plain ``commit`` comes in time, the device activates the previous configuration
(``rollback 1``) by itself. Every commit is announced to the ``system syslog host`` servers as
``UI_COMMIT``, the message a real device's management daemon sends.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tslcd.lab.models import confirm
from tslcd.lab.models.junos_api import JunosDeviceView
from tslcd.lab.models.junos_tree import Node, find, leaves

#: Names a policy may use without defining them.
BUILT_IN_ADDRESSES = frozenset({"any", "any-ipv4", "any-ipv6"})
CONFIRM_DEFAULT, CONFIRM_MAX = 10, 65535
CHECK_FAILED = "error: configuration check-out failed"


def _defined(tree: Node, *path: str) -> set[str]:
    node = find(tree, list(path))
    return set(node.children) if node else set()


def _addresses(tree: Node) -> set[str]:
    names = _defined(tree, "security", "address-book", "global", "address")
    names |= _defined(tree, "security", "address-book", "global", "address-set")
    for book in _defined(tree, "security", "address-book") - {"global"}:
        names |= _defined(tree, "security", "address-book", book, "address")
        names |= _defined(tree, "security", "address-book", book, "address-set")
    for zone in _defined(tree, "security", "zones", "security-zone"):
        names |= _defined(tree, "security", "zones", "security-zone", zone, "address-book", "address")
        names |= _defined(tree, "security", "zones", "security-zone", zone, "address-book",
                          "address-set")
    return names | BUILT_IN_ADDRESSES


def check(tree: Node) -> list[str]:
    """The check-out errors of a candidate ([] when it may be committed)."""
    addresses = _addresses(tree)
    applications = (_defined(tree, "applications", "application")
                    | _defined(tree, "applications", "application-set") | {"any"})
    zones = _defined(tree, "security", "zones", "security-zone") | {"junos-host"}
    errors: list[str] = []
    for path in leaves(tree):
        if path[:2] != ("security", "policies") or len(path) < 4:
            continue
        where = " ".join(path[:-2])
        if path[2] == "from-zone" and len(path) > 5:
            for zone in (path[3], path[5]):
                if zone not in zones:
                    errors.append(f"[edit {' '.join(path[:6])}]\n  Security zone '{zone}' is not defined")
        word, value = path[-2], path[-1]
        if word in ("source-address", "destination-address") and value not in addresses:
            errors.append(f"[edit {where}]\n  '{word} {value}'\n    Address {value} is not defined")
        if word == "application" and value not in applications and not value.startswith("junos-"):
            errors.append(f"[edit {where}]\n  '{word} {value}'\n    Application {value} is not defined")
    return errors


def commit_note(minutes: int | None) -> str:
    """How ``show system commit`` describes a commit."""
    return f"commit confirmed, rollback in {minutes}mins" if minutes else ""


def commit(device: JunosDeviceView, user: str, minutes: int | None = None) -> tuple[bool, str]:
    """Check and activate the candidate; with ``minutes``, arm the rollback timer. Returns
    (committed, what the device prints)."""
    errors = check(device.candidate)
    if errors:
        return False, "\n".join([*errors, CHECK_FAILED]) + "\n"
    confirm.cancel(device)  # a commit confirms a pending commit confirmed
    device.activate(device.candidate.clone(), user, commit_note(minutes))
    if minutes is None:
        return True, "commit complete\n"
    previous = device.history[1].tree if len(device.history) > 1 else None

    def roll_back() -> None:
        if previous is not None:
            device.activate(previous.clone(), "root", "rollback (commit confirmed timeout)")
            device.candidate = previous.clone()

    confirm.schedule(device, minutes * 60, roll_back, minutes, user)
    return True, (f"commit confirmed will be automatically rolled back in {minutes} minutes "
                  "unless confirmed\ncommit complete\n")


def pending_minutes(device: JunosDeviceView) -> int | None:
    """Whole minutes left before an unconfirmed commit is rolled back (None: nothing pending)."""
    confirm.tick(device)
    left = confirm.remaining(device)
    return None if left is None else max(1, int(-(-left // 60)))


def rollback(device: JunosDeviceView, number: int) -> str:
    """``rollback N``: the candidate becomes the configuration of commit N."""
    if not 0 <= number < len(device.history):
        return f"error: rollback file {number} does not exist\n"
    device.candidate = device.history[number].tree.clone()
    return "load complete\n"


def history(device: JunosDeviceView) -> str:
    """``show system commit``."""
    confirm.tick(device)
    lines = []
    for number, entry in enumerate(device.history[:50]):
        when = entry.when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        note = f" {entry.note}" if entry.note else ""
        if number == 0 and entry.note.startswith("commit confirmed") and confirm.remaining(device) is None:
            note = ""
        lines.append(f"{number:<3} {when} by {entry.user} via {entry.client}{note}")
    return "\n".join(lines) + "\n"


def now() -> datetime:
    """The device clock."""
    return datetime.now(UTC)
