"""The audit's user actions through the service layer and the command line (no device contact)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tslcd.audit.reports import render
from tslcd.audit.runner import DeviceConfig
from tslcd.audit.zones import load_policy
from tslcd.errors import InputError
from tslcd.services import audit as service

FIXTURES = Path(__file__).parent / "fixtures"
ASA = FIXTURES / "cisco_asa" / "acl_objects.cfg"
DATA = {
    "agency_code": "STC",
    "agency_name": "Sở Tài chính",
    "agency_type": "so",
    "role": "firewall",
    "lan_prefix": "10.10.2.0/24",
}


def _result(text: str | None = None):
    dev = DeviceConfig("stc-fw1", "cisco_asa", text or ASA.read_text(encoding="utf-8"), DATA, str(ASA))
    return service.audit_configs([dev], load_policy(FIXTURES / "zones.yaml"))


def test_runs_are_stored_and_compared(tmp_path: Path) -> None:
    first = _result()
    service.record_run(tmp_path, first, "inventory")
    fixed = ASA.read_text(encoding="utf-8").replace(
        "access-list OUTSIDE_IN extended permit ip any any log\n", ""
    )
    second = _result(fixed)
    service.record_run(tmp_path, second, "inventory")
    diff = service.compare_runs(tmp_path, second, "inventory")
    assert diff.previous_run == first.run_id
    assert "any-any-permit" in {f.check for f in diff.resolved}
    assert not diff.new
    stored = service.run_findings(tmp_path, first.run_id)
    assert {f.fingerprint for f in stored} == {f.fingerprint for f in first.findings}


def test_compare_ignores_hosts_not_in_both_runs(tmp_path: Path) -> None:
    first = _result()
    service.record_run(tmp_path, first, "inventory")
    other = service.audit_configs([], load_policy(FIXTURES / "zones.yaml"))
    service.record_run(tmp_path, other, "inventory")
    assert service.compare_runs(tmp_path, other, "inventory").resolved == []


def test_reports_keep_vietnamese_and_shapes() -> None:
    result = _result()
    html = render(result, "html")
    assert "Sở Tài chính" in html and "<script" not in html and "http://" not in html.split("<body>")[1]
    assert "Sở Tài chính" in render(result, "markdown")
    doc = json.loads(render(result, "json"))
    assert doc["totals"]["by_agency"][0]["agency_name"] == "Sở Tài chính"
    sarif = json.loads(render(result, "sarif"))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        region = res["locations"][0]["physicalLocation"].get("region")
        assert region is None or region["startLine"] >= 1


def test_explain_names_the_rule_and_the_implicit_deny() -> None:
    dev = DeviceConfig("stc-fw1", "cisco_asa", ASA.read_text(encoding="utf-8"), DATA, str(ASA))
    shown, rows = service.explain_packet(dev, "10.10.2.5 10.250.10.10 tcp 443")
    assert shown == "tcp 10.10.2.5 port 49152 -> 10.250.10.10 port 443"
    inside = next(r for r in rows if r.list_name == "INSIDE_IN")
    assert (inside.action, inside.line) == ("permit", 22)
    _, rows = service.explain_packet(dev, "10.10.2.5 8.8.8.8 udp 53", "INSIDE_IN")
    assert [(r.action, r.line) for r in rows] == [("deny", 28)]
    with pytest.raises(InputError):
        service.explain_packet(dev, "10.10.2.5 nowhere tcp 443")


def test_unreadable_entry_is_a_note_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cfg"
    bad.write_text("hostname x\naccess-list A extended permit tcp any any eq nosuchport\n", encoding="utf-8")
    findings = service.audit_configs(
        [service.file_device(bad, "cisco_asa")], load_policy(FIXTURES / "zones.yaml")
    ).findings
    notes = [f for f in findings if f.check == "not-analysed"]
    assert [f.line for f in notes] == [2] and "bad.cfg:2:" in notes[0].message
    assert "parse-error" not in {f.check for f in findings}


def test_a_file_of_another_platform_is_refused_with_why(tmp_path: Path) -> None:
    bad = tmp_path / "forti.cfg"
    bad.write_text("config system global\n    set hostname x\nend\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"forti\.cfg: a FortiOS configuration"):
        service.parse_device(service.file_device(bad, "cisco_asa"))
    findings = service.audit_configs(
        [service.file_device(bad, "cisco_asa")], load_policy(FIXTURES / "zones.yaml")
    ).findings
    assert [f.check for f in findings] == ["parse-error"]
    asa = tmp_path / "asa.cfg"
    asa.write_text("ASA Version 9.8(2)\nhostname fw\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"asa\.cfg: an ASA configuration, not an IOS one"):
        service.parse_device(service.file_device(asa, "cisco_ios"))


def test_zone_policy_errors_name_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "zones.yaml"
    path.write_text(
        "zones:\n  a: {prefixes: [10.0.0.0/33]}\nflows:\n  - {from: a, to: b}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_policy(path)
    assert "bad prefix" in str(err.value) and "unknown zone 'b'" in str(err.value)


def test_cli_audit_file_and_fail_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands([])  # attaches every command CliRunner drives

    (tmp_path / "tslcd.yaml").write_text(
        f"inventory: {tmp_path}\ndata: {tmp_path / 'data'}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    out = tmp_path / "r.sarif"
    res = runner.invoke(
        app,
        [
            "audit",
            "--file",
            str(ASA),
            "--platform",
            "cisco_asa",
            "--format",
            "sarif",
            "--output",
            str(out),
            "--fail-on",
            "critical",
        ],
    )
    assert res.exit_code == 1, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    res = runner.invoke(app, ["audit", "--file", str(ASA), "--platform", "nope"])
    assert res.exit_code == 2
    res = runner.invoke(
        app,
        [
            "explain",
            "--file",
            str(ASA),
            "--platform",
            "cisco_asa",
            "--packet",
            "10.10.2.5 10.250.10.10 tcp 443",
        ],
    )
    assert res.exit_code == 0 and "line 22" in res.output


def test_core_never_imports_front_end_libraries() -> None:
    root = Path(__file__).resolve().parents[2] / "tslcd"
    files = [*(root / "audit").rglob("*.py"), root / "services" / "audit.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert name.split(".")[0] not in ("typer", "rich", "textual"), (path, name)


def test_latest_run_returns_the_newest_inventory_run_and_its_findings(tmp_path: Path) -> None:
    from tslcd.config import load_config

    assert service.latest_run(tmp_path) is None
    first = _result()
    service.record_run(tmp_path, first, "inventory")
    service.record_run(tmp_path, _result(), "file:/elsewhere.cfg")  # another scope: not "latest"
    run_id, found = service.latest_run(tmp_path)  # type: ignore[misc]
    assert run_id == first.run_id
    assert {f.fingerprint for f in found} == {f.fingerprint for f in first.findings}

    # as a result for the front ends: devices from the inventory, new/resolved against the run before
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "tslcd.yaml").write_text(
        f"inventory: {root / 'inventory'}\ndata: {tmp_path}\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "tslcd.yaml"))
    fixed = ASA.read_text(encoding="utf-8").replace(
        "access-list OUTSIDE_IN extended permit ip any any log\n", ""
    )
    second = _result(fixed)
    service.record_run(tmp_path, second, "inventory")
    latest = service.latest_result(config)
    assert latest is not None and latest.run_id == second.run_id
    assert [d.host for d in latest.devices] == ["stc-fw1"]
    assert latest.devices[0].agency_name == "Sở Tài chính"
    assert latest.comparison is not None and latest.comparison.previous_run == first.run_id
    assert "any-any-permit" in {f.check for f in latest.comparison.resolved}


def test_file_in_utf16_or_latin1_is_audited_and_the_decoding_noted(tmp_path: Path) -> None:
    text = "hostname x\nbanner motd ^C Caf\u00e9 ^C\naccess-list 10 permit any\n"
    for name, data, how in (
        ("u16.cfg", text.encode("utf-16"), "UTF-16 (byte-order mark)"),
        ("l1.cfg", text.encode("latin-1"), "latin-1 (not valid UTF-8 at byte 29)"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        findings = service.audit_configs(
            [service.file_device(path, "cisco_ios")], load_policy(FIXTURES / "zones.yaml")
        ).findings
        notes = [f.message for f in findings if f.check == "not-analysed"]
        assert notes == [f"{path}:1: file decoded as {how}"]
