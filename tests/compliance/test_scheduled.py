"""The scheduled run produces the compliance reports, and the trend counts each run."""

from __future__ import annotations

import pytest

from tslcd.errors import InputError
from tslcd.schedule.units import check_action
from tslcd.services.compliance import run_compliance
from tslcd.services.scheduled import run_scheduled


def test_scheduled_run_writes_a_report_per_pack_and_the_trend_grows(lab_project) -> None:
    config, _ = lab_project
    before = len(run_compliance(config, "attt-cap-do", record=False).trend)
    run = run_scheduled(config, "compliance")
    packs = {c["pack"]: c for c in run.report.compliance}
    assert set(packs) == {"attt-cap-do", "cis-network"}
    for entry in packs.values():
        html = (config.data_dir / "reports" / "compliance").glob(f"*-{entry['pack']}.html")
        assert any(entry["report"] == str(p) for p in html)
        assert entry["counts"]["pass"] > entry["counts"].get("fail", 0) > 0
    assert run.report.exit_code == 0
    assert "Compliance" in run.html_path.read_text(encoding="utf-8")
    assert len(run_compliance(config, "attt-cap-do", record=False).trend) == before + 1


@pytest.mark.parametrize("action", ["compliance", "backup+audit+compliance", "audit+compliance"])
def test_actions_combine_in_order(action: str) -> None:
    assert check_action(action) == action


@pytest.mark.parametrize("action", ["compliance+backup", "audit+audit", "report", "backup+"])
def test_other_actions_are_refused(action: str) -> None:
    with pytest.raises(InputError, match="unknown scheduled action"):
        check_action(action)
