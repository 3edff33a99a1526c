"""The way back to a pre-change config, computed from what the device holds now.

The change log keeps pre-change configs masked like backups, so a secret line (a user's password
hash, an SNMP community) reads ``<removed>`` there. At restore time each masked line is taken from
the device's own config now, where the same line (same place, same words around the secret) still
is. A masked line the device no longer has cannot be restored by tslcd: it is reported, never
guessed. A secret the change replaced in place (a user's new password) is not distinguishable in
masked text and stays as the change left it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tslcd.platforms import Platform, load_object
from tslcd.push.diff import restore_commands
from tslcd.sanitize import MASK, sanitize


def _chained(text: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each line with the lines it is nested under (by indentation), outermost first."""
    parents: list[tuple[int, str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.rstrip()
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip(" "))
        while parents and parents[-1][0] >= depth:
            parents.pop()
        yield tuple(p for _, p in parents), line
        parents.append((depth, line.strip()))


@dataclass(frozen=True)
class Target:
    """A pre-change config with its secrets filled in from the device, and what could not be."""

    text: str
    unresolved: tuple[str, ...] = ()


def _decoded(line: str, candidates: list[str], platform: Platform | None) -> tuple[str, str] | None:
    """(device line used, restored line) for a masked clear-text secret the device now holds
    reversibly encoded (IOS ``password 0`` that became ``password 7``)."""
    for clear, encoded, decoder in platform.push.decodable_secrets if platform else ():
        suffix = f" {clear} {MASK}"
        if not line.endswith(suffix):
            continue
        head = line[: -len(suffix)]
        pattern = re.compile(re.escape(head) + rf" {re.escape(encoded)} (\S+)")
        for candidate in candidates:
            found = pattern.fullmatch(candidate)
            if found:
                return candidate, f"{head} {clear} {load_object(decoder)(found.group(1))}"
    return None


def unmask(masked: str, raw_now: str, platform: Platform | None = None) -> Target:
    """``masked`` with each ``<removed>`` line replaced by the device's own line where it has it."""
    if MASK not in masked:
        return Target(masked)
    available: dict[tuple[str, ...], list[str]] = {}
    for chain, line in _chained(raw_now):
        available.setdefault(chain, []).append(line)
    out: list[str] = []
    missing: list[str] = []
    for chain, line in _chained(masked):
        if MASK not in line:
            out.append(line)
            continue
        pattern = re.compile(re.escape(line).replace(re.escape(MASK), ".+"))
        candidates = available.get(chain, [])
        found = next((c for c in candidates if pattern.fullmatch(c)), None)
        decoded = _decoded(line, candidates, platform) if found is None else None
        if decoded is not None:
            found, restored = decoded
        elif found is None:
            missing.append(line.strip())
            continue
        else:
            restored = found
        candidates.remove(found)
        out.append(restored)
    return Target("\n".join(out) + "\n", tuple(missing))


def commands_back(platform: Platform, raw_now: str, pre_masked: str) -> tuple[list[str], Target]:
    """The commands that bring the device from ``raw_now`` to its pre-change config (raw: they
    may carry the device's own secrets), and the target they aim at."""
    target = unmask(pre_masked, raw_now, platform)
    return restore_commands(platform.name, raw_now, target.text), target


def differences(platform: Platform, raw_now: str, pre_masked: str) -> list[str]:
    """What still differs between the device now and its pre-change config (masked lines)."""
    return restore_commands(platform.name, sanitize(raw_now, platform), pre_masked)
