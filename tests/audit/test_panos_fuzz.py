"""Mutated real PAN-OS configurations (set, brace and XML forms) never crash the parser: each is
either audited or refused with a ParseProblem naming the file and line."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.zones import default_policy

REAL = Path(__file__).parent / "fixtures" / "real" / "paloalto_panos"
WORDS = ["any", "[", "]", "{", "}", ";", '"', "'", "<", ">", "</entry>", "<member>", "set", "delete",
         "move", "top", "before", "10.1.1.1-10.1.1", "2001:db8::/129", "10.0.0.0/33", "65536", "1-",
         "negate-source", "yes", "application-default", "rule-type", "intrazone", "&amp;", "&x;"]


@cache
def _corpus() -> dict[str, list[str]]:
    forms = {"set": [], "brace": [], "xml": []}
    for path in sorted(REAL.glob("*.cfg")):
        text = path.read_text(encoding="utf-8")
        form = "xml" if text.lstrip().startswith("<") else "brace" if re.search(r"\{$", text, re.M) else "set"
        forms[form].append(text)
    return forms


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["set", "brace", "xml"]),
    st.integers(0, 10**6),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3), st.sampled_from(WORDS)), max_size=5),
)
def test_mutated_real_configs_are_audited_or_refused_by_line(form: str, seed: int, mutations: list) -> None:
    texts = _corpus()[form]
    lines = texts[seed % len(texts)].splitlines()
    for at, how, word in mutations:
        i = at % max(len(lines), 1)
        if not lines:
            lines = [word]
        elif how == 0:
            del lines[i]
        elif how == 1:
            lines.insert(i, word)
        elif how == 2:
            lines[i] = lines[i] + " " + word
        else:
            words = lines[i].split()
            words[at % max(len(words), 1):at % max(len(words), 1) + 1] = [word]
            lines[i] = " ".join(words)
    try:
        parsed = parse_device(DeviceConfig("fuzz", "paloalto_panos", "\n".join(lines) + "\n", {}, "fuzz.cfg"))
    except ParseProblem as exc:
        assert re.match(r"fuzz\.cfg:\d+: ", str(exc)), str(exc)
        return
    audit_parsed(parsed, default_policy())
