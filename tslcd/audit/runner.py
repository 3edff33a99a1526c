"""Audit devices: parse each stored configuration with its platform's parser, run every check.

Devices are independent, so a large audit spreads them over a process pool (one worker per core)
and gathers the findings in the parent, which alone writes to SQLite. `result_key` names what a
device's findings depend on, so an unchanged device can reuse its earlier findings.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tslcd import __version__
from tslcd.audit.checks import management, objects, rules, zoning
from tslcd.audit.checks.registry import CHECKS, finding
from tslcd.audit.model import Finding, ParsedConfig
from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.reachability import DEFAULT_BUDGET, ListAnalysis
from tslcd.audit.zones import ZonePolicy
from tslcd.platforms import get_platform, load_object


@dataclass
class DeviceConfig:
    """A configuration to audit, wherever it came from (backup store, a file, a test)."""

    host: str
    platform: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)  # inventory data: agency, role, lan_prefix...
    source: str = ""
    decoding: str = ""  # how the bytes were decoded when not plain UTF-8 (noted in the audit)


def parse_device(dev: DeviceConfig) -> ParsedConfig:
    """Parse with the parser the platform registry names; raises `ParseProblem` naming the line."""
    parser = load_object(get_platform(dev.platform).audit_parser)
    parsed: ParsedConfig = parser(dev.text, host=dev.host, source=dev.source or dev.host)
    parsed.data = dict(dev.data)
    if dev.decoding:
        parsed.note(1, f"file decoded as {dev.decoding}")
    return parsed


def audit_parsed(parsed: ParsedConfig, policy: ZonePolicy, budget: int = DEFAULT_BUDGET) -> list[Finding]:
    """Every finding on one parsed configuration, in a stable order."""
    out: list[Finding] = []
    seen_rules: set[int] = set()
    zone_lists: list[tuple] = []
    zoned = policy.applies_to(parsed.data)
    applied = {b.list_name for b in parsed.bindings} | parsed.other_list_refs
    analysed = []
    reached: set[int] = set()
    for lst in parsed.lists:
        analysis = ListAnalysis(lst.rules, budget)
        verdicts = analysis.verdicts()
        reached |= {id(lst.rules[v.index]) for v in verdicts if v.reachable is not False}
        analysed.append((lst, analysis, verdicts))
    for lst, analysis, verdicts in analysed:
        live = lst.traffic and lst.name in applied  # exposure only counts where traffic meets the list
        for rule in lst.rules:
            if id(rule) not in seen_rules:
                seen_rules.add(id(rule))
                out += rules.rule_level(parsed, lst, rule, policy, id(rule) in reached)
        for v in verdicts:
            out += rules.reachability(parsed, lst, v)
            if v.reachable:
                if live:
                    out += rules.exposure(parsed, lst, analysis, v.index, policy)
                out += rules.anomalies(parsed, lst, analysis, v.index)
        out += rules.catch_all(parsed, lst)
        if zoned and live:
            out += zoning.not_allowed(parsed, lst, analysis, policy)
            zone_lists.append((lst, analysis))
    if zoned:
        out += zoning.required_blocked(parsed, zone_lists, policy)
    out += objects.object_findings(parsed)
    out += objects.binding_findings(parsed)
    out += objects.note_findings(parsed)
    out += management.management_findings(parsed)
    return _dedupe([f for f in out if parsed.platform in CHECKS[f.check].platforms])


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """A FortiGate policy in several interface-pair lists reports the same exposure once."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (f.check, f.rule or str(f.line), f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def audit_device(dev: DeviceConfig, policy: ZonePolicy, budget: int = DEFAULT_BUDGET) -> list[Finding]:
    """Findings for one device; an unreadable configuration becomes a parse-error finding."""
    try:
        parsed = parse_device(dev)
    except ParseProblem as exc:
        empty = ParsedConfig(host=dev.host, platform=dev.platform, source=dev.source, data=dict(dev.data))
        return [finding("parse-error", empty, str(exc))]
    return audit_parsed(parsed, policy, budget)


POOL_MIN_BYTES = 512 * 1024  # below this much configuration text a pool costs more than it saves
_worker_policy: tuple[ZonePolicy, int] | None = None


def _init_worker(policy: ZonePolicy, budget: int) -> None:
    global _worker_policy
    _worker_policy = (policy, budget)


def _audit_in_worker(dev: DeviceConfig) -> list[Finding]:
    assert _worker_policy is not None, "worker not initialised"
    return audit_device(dev, *_worker_policy)


def audit_devices(
    devices: Sequence[DeviceConfig],
    policy: ZonePolicy,
    workers: int | None = None,
    budget: int = DEFAULT_BUDGET,
) -> Iterator[tuple[DeviceConfig, list[Finding]]]:
    """Each device with its findings, in order. With more than one worker (default: one per core)
    and enough text to be worth it, devices are audited in a process pool."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    size = sum(len(d.text) for d in devices)
    if workers < 2 or len(devices) < 2 or size < POOL_MIN_BYTES:
        for dev in devices:
            yield dev, audit_device(dev, policy, budget)
        return
    # forkserver: a fresh process forks the workers, never the caller, which may run threads (TUI)
    context = multiprocessing.get_context("forkserver")
    chunk = max(1, min(16, len(devices) // (workers * 8)))
    with _real_stderr():  # the pool starts its helper processes here
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                   initargs=(policy, budget))
    try:
        with _real_stderr():
            results = pool.map(_audit_in_worker, devices, chunksize=chunk)
        yield from zip(devices, results, strict=True)
    finally:
        pool.shutdown(cancel_futures=True)


@contextmanager
def _real_stderr() -> Iterator[None]:
    """multiprocessing's resource tracker hands ``sys.stderr``'s descriptor to its process; a front
    end that captures stderr (Textual, pytest) has none, so lend it the real one meanwhile."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = captured


@cache
def engine_version() -> str:
    """A hash of the audit engine's own source (parsers, model, checks) and tslcd's version: when
    either changes, no earlier result is reused."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        if "reports" not in path.relative_to(root).parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def result_key(dev: DeviceConfig, policy_key: str, budget: int = DEFAULT_BUDGET) -> str:
    """What a device's findings depend on: its configuration text and how it was decoded, platform,
    name, source and inventory data, the zone policy (``policy_key``), the budget and the engine
    version."""
    parts = (engine_version(), policy_key, str(budget), dev.host, dev.platform, dev.source,
             json.dumps(dev.data, sort_keys=True, default=str), dev.decoding, dev.text)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

