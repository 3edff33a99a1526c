"""One compliance run's outcome, as the report formats and front ends read it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tslcd.audit.result import DeviceInfo
from tslcd.compliance.evaluate import Status, Verdict
from tslcd.compliance.packs import Pack


@dataclass
class DeviceCompliance:
    """One device: who it belongs to, the level it was judged at, and every control's verdict."""

    info: DeviceInfo
    level: int | None
    backup: str  # where its evidence comes from ('' when there is no backup)
    verdicts: list[Verdict] = field(default_factory=list)

    def counts(self) -> Counter[Status]:
        """Verdicts by status."""
        return Counter(v.status for v in self.verdicts)


@dataclass(frozen=True)
class TrendPoint:
    """One earlier run of the same pack: when, and how many verdicts of each status."""

    run_id: int
    started: str
    scope: str
    counts: dict[str, int]

    @property
    def pass_rate(self) -> float:
        """Share of decided verdicts (pass or fail) that passed, in percent."""
        decided = self.counts.get("pass", 0) + self.counts.get("fail", 0)
        return 100.0 * self.counts.get("pass", 0) / decided if decided else 0.0


@dataclass
class ComplianceResult:
    """One run of one pack over the selected devices."""

    pack: Pack
    devices: list[DeviceCompliance]
    started: str
    scope: str
    level_override: int | None = None
    run_id: int | None = None
    trend: list[TrendPoint] = field(default_factory=list)

    def counts(self) -> Counter[Status]:
        """Verdicts by status over every device."""
        total: Counter[Status] = Counter()
        for device in self.devices:
            total.update(device.counts())
        return total

    def open_failures(self) -> int:
        """Failed verdicts that are not an accepted risk (what ``--fail`` counts)."""
        verdicts = (v for d in self.devices for v in d.verdicts)
        return sum(1 for v in verdicts if v.status is Status.failed and not v.accepted)

    def agencies(self) -> list[tuple[str, str, list[DeviceCompliance]]]:
        """Devices grouped by agency (code, name), in agency-code order."""
        groups: dict[tuple[str, str], list[DeviceCompliance]] = {}
        for device in self.devices:
            groups.setdefault((device.info.agency_code, device.info.agency_name), []).append(device)
        return [(code, name, devs) for (code, name), devs in sorted(groups.items())]
