"""Canary first, then batches; a failing canary or too many failures halts the rollout."""

from __future__ import annotations

import pytest

from tslcd.errors import InputError
from tslcd.push.rollout import RolloutPolicy, batches, halt_reason

HOSTS = [f"r{i}" for i in range(7)]


def test_canary_then_batches() -> None:
    assert batches(HOSTS, RolloutPolicy(canary=2, batch_size=3)) == [
        ["r0", "r1"], ["r2", "r3", "r4"], ["r5", "r6"]]


def test_no_canary() -> None:
    assert batches(HOSTS, RolloutPolicy(canary=0, batch_size=4)) == [HOSTS[:4], HOSTS[4:]]


def test_a_failing_canary_halts_even_when_failures_are_tolerated() -> None:
    policy = RolloutPolicy(canary=1, batch_size=5, max_failures=3)
    assert halt_reason(policy, 0, 1, 1) == "1 canary host(s) failed"
    assert halt_reason(policy, 1, 2, 3) is None
    assert halt_reason(policy, 2, 1, 4) == "4 failure(s), more than --max-failures 3"


def test_bad_policy_is_an_input_error() -> None:
    with pytest.raises(InputError):
        RolloutPolicy(batch_size=0)
