"""Fuzz: real configuration lines, mutated, never make a parser raise (hypothesis).

Lines come from the real corpus (``fixtures/real``); a mutation drops, repeats, swaps or replaces
words, or cuts the line short. Whatever comes out, the audit of the device completes: the
mutated line is analysed or becomes a not-analysed note.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import default_policy

REAL = Path(__file__).parent / "fixtures" / "real"
HEADERS = {"cisco_ios": "hostname fuzz\n", "cisco_asa": "ASA Version 9.8\nhostname fuzz\n", "fortinet": ""}
WORDS = [
    "any",
    "host",
    "eq",
    "range",
    "object-group",
    "object",
    "255.255.255.0",
    "0.0.0.255",
    "10.1.1.1",
    "2001:db8::/32",
    "icmp",
    "tcp",
    "udp",
    "log",
    "99999",
    "-1",
    '"',
    "\\",
    "set",
    "edit",
    "next",
    "end",
    "config",
    "member",
    "1-2:3",
    "a-b",
    "/",
    "::",
    "permit",
    "deny",
    "portgroup",
    "echo",
    "unreachable",
]


@cache
def _blocks(platform: str) -> list[list[str]]:
    """Top-level blocks (a line and its indented lines) of the platform's real files."""
    out: list[list[str]] = []
    for path in sorted((REAL / platform).glob("*.cfg"))[:60]:
        current: list[str] = []
        depth = 0  # FortiOS nesting: a block is a whole top-level config ... end section
        for line in path.read_bytes().decode("latin-1").splitlines():
            head = line.split()[0] if line.split() else ""
            top = depth == 0 if platform == "fortinet" else bool(line) and not line[0].isspace()
            if top and current and (platform != "fortinet" or head == "config"):
                out.append(current)
                current = []
            current.append(line)
            depth += (head in ("config", "edit")) - (head in ("next", "end"))
            depth = max(depth, 0)
        if current:
            out.append(current)
    return [b for b in out if len(b) < 60]


def _mutate(line: str, how: int, pos: int, word: str) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    w = line.split()
    if not w:
        return word
    k = pos % len(w)
    if how == 0:
        del w[k]
    elif how == 1:
        w.insert(k, w[k])
    elif how == 2:
        w[k], w[-1] = w[-1], w[k]
    elif how == 3:
        w[k] = word
    else:
        w = w[:k]
    return indent + " ".join(w)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(HEADERS)),
    st.integers(0, 10**6),
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 4), st.integers(0, 50), st.sampled_from(WORDS)),
        max_size=4,
    ),
)
def test_mutated_real_lines_never_crash_a_parser(platform: str, seed: int, mutations: list) -> None:
    blocks = _blocks(platform)
    chosen = [list(blocks[(seed + 7919 * n) % len(blocks)]) for n in range(6)]
    lines = [line for block in chosen for line in block]
    for at, how, pos, word in mutations:
        i = at % len(lines)
        lines[i] = _mutate(lines[i], how, pos, word)
    text = HEADERS[platform] + "\n".join(lines) + "\n"
    parsed = parse_device(DeviceConfig("fuzz", platform, text, {}, "fuzz.cfg"))
    audit_parsed(parsed, default_policy())
