"""Accepted risks: waivers hide a finding from the counts, mark it in every report, and expire."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.audit.audit_project import ROOT, make_project
from tslcd.audit.checks.registry import CHECKS
from tslcd.audit.reports import render
from tslcd.audit.waivers import load_waivers
from tslcd.errors import InputError
from tslcd.services import audit as service

RDP = "access-list OUTSIDE_IN extended permit tcp any object LAN-STC eq 3389"
WAIVERS = f"""\
stc-rdp:
  check: dangerous-service
  host: stc-fw1
  rule: "{RDP}"
  reason: vendor support until the move
  who: Nguyễn Văn An
  ticket: CHG-1
  expires: 2027-03-31
"""


def _write(config, text: str) -> Path:
    path = Path(config.inventory_dir) / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_waived_finding_is_accepted_not_new_not_failing_and_marked_in_every_format(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    before, _ = service.run_audit(config, today=date(2026, 12, 4))
    _write(config, WAIVERS + """
any-any:
  check: any-any-permit
  host: stc-fw1
  list: OUTSIDE_IN
  reason: test
  who: me
  ticket: CHG-2
  expires: 2027-01-01
""")
    result, _ = service.run_audit(config, compare=True, today=date(2026, 12, 4))
    accepted = result.accepted
    any_any = "access-list OUTSIDE_IN extended permit ip any any log"
    assert {(f.check, f.text) for f in accepted} == {("dangerous-service", RDP), ("any-any-permit", any_any)}
    assert len(result.active) == len(before.findings) - 2
    assert sum(result.by_severity().values()) == len(result.active)
    assert result.by_severity()["critical"] == before.by_severity()["critical"] - 1

    assert result.comparison is not None and result.comparison.new == []

    # a new finding that is waived as soon as it appears is not "new" (no alert)
    from tests.audit.audit_project import BACKUPS, store_backups

    planted = "access-list OUTSIDE_IN extended permit tcp any object LAN-STC eq 445 log"
    text = BACKUPS["stc-fw1"].read_text(encoding="utf-8")
    store_backups(config, {"stc-fw1": text.replace(RDP, planted + "\n" + RDP)})
    _write(config, WAIVERS + WAIVERS.replace("stc-rdp", "smb").replace(RDP, planted))
    later, _ = service.run_audit(config, compare=True, today=date(2026, 12, 4))
    assert later.comparison is not None and later.comparison.new
    assert all(f.text != planted or f.check != "dangerous-service" for f in later.comparison.new)
    assert any(f.text == planted and f.check == "dangerous-service" for f in later.accepted)

    json_doc = json.loads(render(result, "json"))
    waived = [f for f in json_doc["findings"] if "waiver" in f]
    assert {f["waiver"]["status"] for f in waived} == {"accepted"} and len(waived) == 2
    assert json_doc["accepted"] == 2
    sarif = json.loads(render(result, "sarif"))["runs"][0]["results"]
    suppressed = [r for r in sarif if r.get("suppressions")]
    assert len(suppressed) == 2
    assert suppressed[0]["suppressions"][0] == {
        "kind": "external", "status": "accepted",
        "justification": suppressed[0]["suppressions"][0]["justification"]}
    assert "CHG-" in suppressed[0]["suppressions"][0]["justification"]
    assert "accepted until 2027-03-31 (CHG-1, Nguyễn Văn An)" in render(result, "markdown")
    assert "accepted until 2027-03-31 (CHG-1, Nguyễn Văn An)" in render(result, "html")


def test_accepted_findings_do_not_fail_and_expired_waivers_bring_them_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands(["audit"])  # attaches the audit command CliRunner drives

    config = make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "--fail-on", "high"]).exit_code == 1
    serious = [f for f in service.run_audit(config)[0].findings if f.severity.name in ("critical", "high")]
    _write(config, "\n".join(
        f"w{n}:\n  fingerprint: {f.fingerprint}\n  reason: r\n  who: w\n  ticket: T\n  expires: 2999-01-01"
        for n, f in enumerate(serious)))
    res = runner.invoke(app, ["audit", "--fail-on", "high"], terminal_width=250)
    assert res.exit_code == 0, res.output
    assert res.output.count("accepted") >= len(serious)

    # expired: counts again, and the audit says so
    text = (Path(config.inventory_dir) / "waivers.yaml").read_text(encoding="utf-8")
    _write(config, text.replace("2999-01-01", "2020-01-01"))
    res = runner.invoke(app, ["audit", "--fail-on", "high"], terminal_width=250)
    assert res.exit_code == 1
    assert re.search(r"waiver 'w\d+' expired 2020-01-01 \(T\): counts again", res.output)
    result, _ = service.run_audit(config, compare=True)
    assert len(result.expired) == len(serious) and result.accepted == []
    doc = json.loads(render(result, "json"))
    assert {f["waiver"]["status"] for f in doc["findings"] if "waiver" in f} == {"expired"}
    assert not any(r.get("suppressions") for r in json.loads(render(result, "sarif"))["runs"][0]["results"])


def test_a_waiver_follows_its_rule_when_unrelated_lines_are_added(tmp_path: Path) -> None:
    from tests.audit.audit_project import BACKUPS, store_backups

    config = make_project(tmp_path)
    _write(config, WAIVERS)
    first, _ = service.run_audit(config)
    text = BACKUPS["stc-fw1"].read_text(encoding="utf-8")
    new_acl = "access-list NEW_IN extended permit tcp host 10.9.9.9 host 10.8.8.8 eq 22 log\n"
    store_backups(config, {"stc-fw1": "! a new banner\n" * 7 + text.replace(
        "access-list OUTSIDE_IN", new_acl + "access-list OUTSIDE_IN", 1)})
    second, _ = service.run_audit(config)
    assert [f.line for f in second.accepted] != [f.line for f in first.accepted]
    assert [f.fingerprint for f in second.accepted] == [f.fingerprint for f in first.accepted]


def test_bad_waivers_are_refused_naming_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands(["audit"])  # attaches the audit command CliRunner drives

    config = make_project(tmp_path)
    path = _write(config, """\
ok:
  check: any-any-permit
  host: stc-fw1
  reason: r
  who: w
  ticket: T
  expires: 2027-01-01
no-reason:
  check: any-any-permit
  host: stc-fw1
  who: w
  ticket: T
  expires: 2027-01-01
bad-date:
  fingerprint: 0123456789abcdef
  reason: r
  who: w
  ticket: T
  expires: next year
both:
  fingerprint: 0123456789abcdef
  check: any-any-permit
  reason: r
  who: w
  ticket: T
  expires: 2027-01-01
typo:
  check: no-such-check
  host: h
  colour: red
  reason: r
  who: w
  ticket: T
  expires: 2027-01-01
short:
  fingerprint: abc
  reason: r
  who: w
  ticket: T
  expires: 2027-01-01
ok:
  check: x
""")
    with pytest.raises(InputError) as err:
        load_waivers(path, set(CHECKS))
    text = str(err.value)
    for expected in (f"{path}:8: waiver 'no-reason': missing 'reason'",
                     f"{path}:19: waiver 'bad-date': 'expires' must be a date",
                     f"{path}:21: waiver 'both': give either fingerprint",
                     f"{path}:28: waiver 'typo': unknown check 'no-such-check'",
                     f"{path}:30: waiver 'typo': unknown field 'colour'",
                     f"{path}:36: waiver 'short': a fingerprint is 16 hex digits",
                     f"{path}:41: duplicate entry 'ok' (first defined at line 1)"):
        assert expected in text, text
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["audit"])
    assert res.exit_code == 2 and "waivers.yaml:8:" in res.output and "Traceback" not in res.output


def test_the_shipped_example_is_empty_and_its_examples_are_valid(tmp_path: Path) -> None:
    example = ROOT / "inventory" / "waivers.yaml"
    assert load_waivers(example, set(CHECKS)) == []
    uncommented = tmp_path / "waivers.yaml"
    body = example.read_text(encoding="utf-8").split("# Examples")[1].split("\n", 2)[2]
    uncommented.write_text("\n".join(line[2:] for line in body.splitlines()), encoding="utf-8")
    waivers = load_waivers(uncommented, set(CHECKS))
    assert [w.name for w in waivers] == ["stc-legacy-rdp", "ttdl-no-log-dns", "ubnd-ap-telnet"]
