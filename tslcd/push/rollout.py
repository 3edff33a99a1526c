"""The order a commit touches devices in: canary hosts first, then batches, halting on failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tslcd.errors import InputError


@dataclass(frozen=True)
class RolloutPolicy:
    """How cautiously to roll out: canary count, batch size and how many failures to tolerate."""

    canary: int = 1
    batch_size: int = 10
    max_failures: int = 0

    def __post_init__(self) -> None:
        if self.canary < 0 or self.batch_size < 1 or self.max_failures < 0:
            raise InputError("--canary and --max-failures must be >= 0 and --batch-size >= 1")


def batches(hosts: Sequence[str], policy: RolloutPolicy) -> list[list[str]]:
    """The hosts split into the canary batch (if any) and then batches of ``batch_size``."""
    canary = list(hosts[: policy.canary])
    rest = list(hosts[policy.canary:])
    chunks = [rest[i:i + policy.batch_size] for i in range(0, len(rest), policy.batch_size)]
    return [canary, *chunks] if canary else chunks


def halt_reason(policy: RolloutPolicy, batch_index: int, batch_failures: int,
                total_failures: int) -> str | None:
    """Why the rollout must stop after this batch (None: carry on).

    A failing canary always stops it: canaries exist to catch a bad change before it spreads.
    """
    if policy.canary and batch_index == 0 and batch_failures:
        return f"{batch_failures} canary host(s) failed"
    if total_failures > policy.max_failures:
        return f"{total_failures} failure(s), more than --max-failures {policy.max_failures}"
    return None
