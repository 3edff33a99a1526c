"""Config-change syslog messages of each vendor are recognised, with the user they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.listener.messages import parse

FIXTURES = Path(__file__).parent / "fixtures" / "real" / "messages.txt"
CASES = [line.rsplit(" => ", 1) for line in FIXTURES.read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]


@pytest.mark.parametrize(("message", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_vendor_messages(message: str, expected: str) -> None:
    change = parse(message)
    if expected == "none":
        assert change is None
        return
    vendor, user, what = (part.strip() for part in expected.split("|"))
    assert change is not None and change.vendor == vendor
    assert change.user == (None if user == "-" else user)
    assert what in change.what and "\n" not in change.what
