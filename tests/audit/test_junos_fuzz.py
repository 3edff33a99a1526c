"""Fuzz: real JunOS lines (both formats), mutated, never make the JunOS parser raise.

Lines come from ``fixtures/real/juniper_junos`` and the aerleon renderings; a mutation drops,
repeats, swaps or replaces words (braces, brackets, quotes and keywords included) or cuts a line
short. The audit of the device always completes: a line it cannot read is a not-analysed note.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audit.test_parser_fuzz import _mutate
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import default_policy

FIXTURES = Path(__file__).parent / "fixtures"
WORDS = [
    "{",
    "}",
    ";",
    "[",
    "]",
    '"',
    "inactive:",
    "except",
    "term",
    "then",
    "from",
    "accept",
    "next",
    "policy",
    "match",
    "any",
    "10.0.0.0/33",
    "2001:db8::/129",
    "1-2-3",
    "65536",
    "junos-http",
    "address-set",
    "apply-groups",
    "<*>",
    "deactivate",
    "set",
    "/*",
    "*/",
    "#",
]


@cache
def _files() -> list[list[str]]:
    paths = sorted((FIXTURES / "real" / "juniper_junos").glob("*.cfg"))
    paths += [FIXTURES / "aerleon" / "junos" / "edge.jcl", FIXTURES / "aerleon" / "srx" / "edge.srx"]
    return [p.read_bytes().decode("latin-1").splitlines() for p in paths]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 10**6),
    st.lists(
        st.tuples(st.integers(0, 10**4), st.integers(0, 4), st.integers(0, 50), st.sampled_from(WORDS)),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_real_junos_never_crashes_the_parser(seed: int, mutations: list) -> None:
    files = _files()
    lines = list(files[seed % len(files)])
    for at, how, pos, word in mutations:
        i = at % len(lines)
        lines[i] = _mutate(lines[i], how, pos, word)
    text = "set system host-name fuzz\n" + "\n".join(lines) + "\n"
    parsed = parse_device(DeviceConfig("fuzz", "juniper_junos", text, {}, "fuzz.cfg"))
    audit_parsed(parsed, default_policy())
    assert all(note.line > 0 for note in parsed.notes)
