"""A scheduled run's out-of-band change names the user the device reported (the author `listen` gave
the backup it made) next to what the change does to traffic, in the notice and the HTML report."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.impact.test_platforms import ROOT, _lab_config, _opened
from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.platforms import get_platform
from tslcd.runreport.model import RunReport
from tslcd.runreport.write import write_report
from tslcd.sanitize import sanitize
from tslcd.services.scheduled import _notices, _out_of_band
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path

HOST = "skhcn-fw1"
FLOW = "now permits tcp any -> 10.10.16.0/24 port 3389 (wan1 -> lan)"


def test_the_run_report_names_the_user_and_the_flow(tmp_path: Path) -> None:
    project = tmp_path / "tslcd.yaml"
    project.write_text(yaml.safe_dump({"inventory": str(ROOT / "inventory"), "data": str(tmp_path / "data")}),
                       encoding="utf-8")
    config = load_config(str(project))
    hosts = {h.name: h for h in load_inventory(config)}
    platform, text, data = _lab_config(HOST)
    store = ConfigStore(config.data_dir)
    store.prepare()
    path = layout_path(HOST, data["agency_type"], data["agency_code"])
    commits = []
    for version, author in ((text, None), (_opened(text), "nguyenvana")):
        with store.writer():
            store.write([StoredConfig(HOST, path, sanitize(version, get_platform(platform)))])
            commits.append(store.commit("backup", author))
    previous = RunReport("r1", "backup", "2026-12-04T01:00:00+00:00", "2026-12-04T01:05:00+00:00", 0,
                         store_head=commits[0])

    (found,) = _out_of_band(config, store, previous, hosts)
    assert (found.host, found.users, found.impact) == (HOST, ["nguyenvana"], [FLOW])
    report = RunReport("r2", "backup", "2026-12-05T01:00:00+00:00", "2026-12-05T01:05:00+00:00", 0,
                       out_of_band=[found])
    (notice,) = _notices(report, hosts, "report.html", first_audit=True)
    assert notice.summary.endswith(f", changed by nguyenvana; {FLOW}")
    html = write_report(config.data_dir, report)[1].read_text(encoding="utf-8")
    assert "Changed by nguyenvana (as the device reported)." in html
    assert "now permits tcp any -&gt; 10.10.16.0/24 port 3389" in html
