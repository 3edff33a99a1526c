"""Pairwise Al-Shaer hints next to the exact verdicts: generalisation and correlation."""

from __future__ import annotations

from tslcd.audit.checks.rules import anomalies
from tslcd.audit.parsers.ios import parse
from tslcd.audit.reachability import ListAnalysis

CONFIG = """\
ip access-list extended EDGE
 10 deny tcp host 10.10.1.5 host 10.0.10.10 eq 443
 20 permit tcp 10.10.1.0 0.0.0.255 host 10.0.10.10 eq 443
 30 deny tcp 10.10.1.0 0.0.0.127 10.0.10.0 0.0.0.255 eq 443
 40 permit tcp 10.10.2.0 0.0.0.255 host 10.0.10.20 eq 22
"""


def test_generalisation_and_correlation_hints() -> None:
    parsed = parse(CONFIG, host="r1")
    lst = parsed.lists[0]
    analysis = ListAnalysis(lst.rules)
    found = {
        (f.check, f.rule): f.details["related"]
        for v in analysis.verdicts()
        if v.reachable
        for f in anomalies(parsed, lst, analysis, v.index)
    }
    assert found == {
        ("generalised-rule", "line 3"): ["line 2"],  # 20 covers 10 and acts differently
        ("correlated-rules", "line 4"): ["line 3"],  # 30 and 20 overlap partly, different actions
    }
