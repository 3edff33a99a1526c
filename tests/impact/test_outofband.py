"""An out-of-band change says what it does to traffic, in the notice and the run report."""

from __future__ import annotations

from tests.impact.test_platforms import ROOT, _lab_config, _opened
from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.runreport.model import OutOfBand, RunReport
from tslcd.services.impact import traffic_summary
from tslcd.services.scheduled import _notices


def test_the_notice_names_the_newly_permitted_flow() -> None:
    host = next(h for h in load_inventory(load_config(str(ROOT / "tslcd.yaml"))) if h.name == "skhcn-fw1")
    _, text, _ = _lab_config("skhcn-fw1")
    impact = traffic_summary(host, text, _opened(text))
    assert impact == [f"now permits tcp any -> {host.get('lan_prefix')} port 3389 (wan1 -> lan)"]
    report = RunReport("r1", "backup", "2026-12-04T02:00:00+00:00", "", 0,
                       out_of_band=[OutOfBand("skhcn-fw1", "Sở KH&CN", ["+ edit 99"], impact)])
    (notice,) = _notices(report, {"skhcn-fw1": host}, "report.html", first_audit=True)
    assert "now permits tcp any -> 10.10.16.0/24 port 3389" in notice.summary
    assert notice.details[0] == impact[0]


def test_an_unreadable_config_says_the_impact_was_not_analysed() -> None:
    host = next(h for h in load_inventory(load_config(str(ROOT / "tslcd.yaml"))) if h.name == "stc-r1")
    impact = traffic_summary(host, "hostname stc-r1\n", "this is not an IOS configuration\n")
    (line,) = impact
    assert line.startswith("traffic impact not analysed: stc-r1 after") and "not a" in line
