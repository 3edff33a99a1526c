"""Huawei VRP / USG audit: real rule lines read as ntc-templates reads them, traffic-filter's default
permit, match-order auto claiming nothing, detection, and a mutation fuzz over the fixtures."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tslcd.audit.parsers.common import ParseProblem
from tslcd.audit.parsers.huawei import parse
from tslcd.audit.parsers.huawei_acl import parse_rule
from tslcd.audit.runner import DeviceConfig, audit_parsed, parse_device
from tslcd.audit.space import DPORT, DST, PROTO, SRC, V6_BASE
from tslcd.audit.zones import default_policy
from tslcd.platforms import detect_platform

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real" / "huawei"
_HEADER = re.compile(
    r"^(Basic|Advanced)( IPv6)? ACL (?:(\S+) )?(\d+)(?: name (\S+))?,.*?(match-order is auto)?$"
)
_RULE = re.compile(r"^ rule (\d+) (permit|deny) (.*?)\s*(?:\(\d+ matches\))?\s*$")


def _display_acl_all(path: Path) -> list[tuple[str, int, str, bool, bool, str]]:
    """(ACL number, rule id, rule words, advanced, IPv6, auto) of every rule line of `display acl all`."""
    out = []
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line.strip())
        if header:
            current = (header.group(4), header.group(1) == "Advanced", bool(header.group(2)))
            auto = bool(header.group(6))
            continue
        m = _RULE.match(line)
        if m and current is not None:
            number, advanced, v6 = current
            out.append((number, int(m.group(1)), f"{m.group(2)} {m.group(3)}", advanced, v6, auto))
    return out


def _expected_interval(text: str) -> tuple[int, int] | None:
    """ntc-templates' address text (``1.2.3.4 0.0.0.3``, ``34::/128``) as an interval, independently."""
    if not text:
        return None
    if "/" in text:
        net6 = ipaddress.IPv6Network(text, strict=False)
        return V6_BASE + int(net6.network_address), V6_BASE + int(net6.broadcast_address)
    addr, wildcard = text.split()
    bits = 0 if wildcard == "0" else bin(int(ipaddress.IPv4Address(wildcard))).count("1")
    net = ipaddress.IPv4Network(f"{addr}/{32 - bits}", strict=False)
    return int(net.network_address), int(net.broadcast_address)


@pytest.mark.parametrize(
    "name", ["ntc__huawei_vrp_display_acl_all_1", "ntc__huawei_vrp_display_acl_ipv6_all_1"]
)
def test_real_rule_lines_read_as_ntc_templates_reads_them(name: str) -> None:
    rules = _display_acl_all(REAL / f"{name}.raw")
    published = {
        (r["acl_number"], r["sn"]): r
        for r in yaml.safe_load((REAL / f"{name}.yml").read_text(encoding="utf-8"))["parsed_sample"]
        if r["sn"] and r["action"]
    }
    assert len(rules) == {"ntc__huawei_vrp_display_acl_all_1": 13}.get(name, 3)
    for number, rule_id, words, advanced, v6, _ in rules:
        ace = parse_rule(words.split(), advanced, 6 if v6 else 4)
        assert not ace.inexact, words
        ref = published[(number, str(rule_id))]
        assert ace.action == ref["action"]
        box = ace.boxes[0]
        for dim, field in ((SRC, "source"), (DST, "destination")):
            want = _expected_interval(ref[field])
            if want is not None:
                assert (box[2 * dim], box[2 * dim + 1]) == want, (words, field)
        if ref["destination_port_modifier"] == "eq" and ref["destination_port_range"].isdigit():
            port = int(ref["destination_port_range"])
            assert (box[2 * DPORT], box[2 * DPORT + 1]) == (port, port), words
        if ref["protocol"] in ("tcp", "udp"):
            assert box[2 * PROTO] == {"tcp": 6, "udp": 17}[ref["protocol"]], words


def test_real_rules_as_a_configuration_are_analysed_whole() -> None:
    """The real rule lines, put back into ``acl number N`` views and applied by traffic-filter."""
    lines = ["sysname real"]
    for name in ("ntc__huawei_vrp_display_acl_all_1", "ntc__huawei_vrp_display_acl_ipv6_all_1"):
        acls: dict[tuple[str, bool, bool, bool], list[str]] = {}
        for number, rule_id, words, advanced, v6, auto in _display_acl_all(REAL / f"{name}.raw"):
            acls.setdefault((number, v6, auto, advanced), []).append(f" rule {rule_id} {words}")
        for (number, v6, auto, _), rules in acls.items():
            lines += ["#", f"acl {'ipv6 ' if v6 else ''}number {number}{' match-order auto' if auto else ''}"]
            lines += rules
            lines += [
                f"interface Eth{number}{int(v6)}",
                f" traffic-filter inbound {'ipv6 ' if v6 else ''}acl {number}",
            ]
    parsed = parse("\n".join(lines) + "\n#\nreturn\n", source="real.cfg")
    findings = audit_parsed(parsed, default_policy())
    names = {lst.name for lst in parsed.lists}
    assert {"2000", "2500", "3997", "3998", "ipv6 3344", "ipv6 3999"} <= names
    assert not [f for f in findings if f.check == "parse-error"]
    notes = [f for f in findings if f.check == "not-analysed"]
    assert all(f.message.startswith(f"real.cfg:{f.line}: ") for f in notes)
    # 3998 ends "rule 20 permit ip": nothing reaches the default; 2000 has no final deny: it does.
    assert parsed.lists[[lst.name for lst in parsed.lists].index("3998")].rules[-1].key == "acl 3998 rule 20"
    assert (
        parsed.lists[[lst.name for lst in parsed.lists].index("2000")].rules[-1].key
        == "acl 2000 default permit"
    )


def _acl_config(rules: str, order: str = "") -> str:
    return (
        "sysname r1\n#\nacl number 3000"
        + order
        + "\n"
        + rules
        + "#\ninterface GigabitEthernet0/0/1\n traffic-filter inbound acl 3000\n#\nreturn\n"
    )


def test_traffic_filter_default_permit_is_a_last_rule_only_when_reachable() -> None:
    open_end = parse(_acl_config(" rule 5 deny tcp destination-port eq 23\n"))
    last = open_end.lists[0].rules[-1]
    assert (last.key, last.action, last.line) == ("acl 3000 default permit", "permit", 7)
    closed = parse(_acl_config(" rule 5 deny tcp destination-port eq 23\n rule 10 deny ip\n"))
    assert [r.key for r in closed.lists[0].rules] == ["acl 3000 rule 5", "acl 3000 rule 10"]
    # covered only by two rules together: still no default
    halves = parse(
        _acl_config(
            " rule 5 deny ip source 0.0.0.0 127.255.255.255\n"
            " rule 10 deny ip source 128.0.0.0 127.255.255.255\n"
        )
    )
    assert halves.lists[0].rules[-1].key == "acl 3000 rule 10"


def test_vty_acl_keeps_the_implicit_deny_and_is_no_traffic_filter() -> None:
    parsed = parse(
        "sysname r1\n#\nacl number 2000\n rule 5 permit source 10.0.0.0 0.255.255.255\n#\n"
        "user-interface vty 0 4\n acl 2000 inbound\n#\nreturn\n"
    )
    acl = parsed.lists[0]
    assert not acl.traffic and [r.key for r in acl.rules] == ["acl 2000 rule 5"]
    assert not parsed.mgmt.unrestricted


def test_match_order_auto_claims_no_unreachable_rule() -> None:
    cfg = _acl_config(" rule 5 permit ip\n rule 10 deny tcp destination-port eq 23\n", " match-order auto")
    findings = audit_parsed(parse(cfg, source="auto.cfg"), default_policy())
    checks = {f.check for f in findings}
    assert not checks & {"shadowed-rule", "redundant-rule", "rule-after-catch-all", "any-any-permit"}
    assert any(f.check == "not-analysed" and f.line == 3 for f in findings)


def test_rules_sorted_by_rule_id_and_steps() -> None:
    parsed = parse(_acl_config(" rule 20 permit ip\n rule 5 deny tcp destination-port eq 23\n"))
    assert [r.key for r in parsed.lists[0].rules] == ["acl 3000 rule 5", "acl 3000 rule 20"]


def test_detection_and_refusal() -> None:
    v5 = (FIXTURES / "huawei" / "ar_acls.cfg").read_text(encoding="utf-8")
    v8 = (FIXTURES / "huawei_vrpv8" / "ne_acls.cfg").read_text(encoding="utf-8")
    usg = (FIXTURES / "huawei" / "usg_policy.cfg").read_text(encoding="utf-8")
    assert [getattr(detect_platform(t), "name", None) for t in (v5, v8, usg)] == [
        "huawei",
        "huawei_vrpv8",
        "huawei",
    ]
    from tslcd.lab.devices import registry_model

    host = {
        "name": "x",
        "hostname": "127.0.0.9",
        "agency_code": "X",
        "agency_name": "X",
        "lan_prefix": "10.1.1.0/24",
        "wan_prefix": "10.2.0.0/30",
    }
    for role in ("router", "firewall"):
        for platform in ("huawei", "huawei_vrpv8"):
            text = registry_model(platform).initial_config({**host, "role": role})
            assert getattr(detect_platform(text), "name", None) == platform, (role, platform)
    with pytest.raises(ParseProblem, match="FortiOS"):
        parse_device(DeviceConfig("x", "huawei", "config system global\n set hostname x\nend\n", {}, "x.cfg"))
    with pytest.raises(ParseProblem, match=r"x\.cfg"):
        parse("hostname r1\nline vty 0 4\n", source="x.cfg")


def test_cli_audit_file_platform_huawei(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tslcd.cli import app
    from tslcd.cli.register import load_commands

    load_commands(["audit"])

    (tmp_path / "tslcd.yaml").write_text(
        f"inventory: {tmp_path}\ndata: {tmp_path / 'data'}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    cfg = FIXTURES / "huawei" / "usg_policy.cfg"
    res = CliRunner().invoke(
        app,
        [
            "audit",
            "--file",
            str(cfg),
            "--platform",
            "huawei",
            "--format",
            "json",
            "--output",
            str(tmp_path / "r.json"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "rule lan-to-lgsp-again" in (tmp_path / "r.json").read_text(encoding="utf-8")


_CASES = sorted((FIXTURES / "huawei").glob("*.cfg")) + sorted((FIXTURES / "huawei_vrpv8").glob("*.cfg"))
_WORDS = [
    "any",
    "0",
    "0.0.0.255",
    "10.1.1.1",
    "2001:db8::/32",
    "eq",
    "range",
    "rule",
    "permit",
    "deny",
    "source",
    "destination",
    "destination-port",
    "acl",
    "inbound",
    "tcp",
    "icmp-type",
    "99999",
    "address-set",
    "service",
    "mask",
    "to",
    "name",
    "#",
    "-1",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 10**6),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 50), st.sampled_from(_WORDS)), max_size=4),
)
def test_mutated_fixture_lines_never_crash(seed: int, mutations: list) -> None:
    path = _CASES[seed % len(_CASES)]
    lines = path.read_text(encoding="utf-8").splitlines()
    for at, pos, word in mutations:
        i = at % len(lines)
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        words = lines[i].split() or [word]
        words[pos % len(words)] = word
        lines[i] = indent + " ".join(words)
    parsed = parse_device(
        DeviceConfig("fuzz", path.parent.name, "sysname fuzz\n" + "\n".join(lines), {}, "f.cfg")
    )
    audit_parsed(parsed, default_policy())


def test_compliance_pack_asserts_huawei_idle_timeout_snmp_and_passwords() -> None:
    from tslcd.compliance.evaluate import DeviceText, evaluate
    from tslcd.compliance.packs import load_pack_file

    pack = load_pack_file(Path(__file__).parents[2] / "compliance" / "attt-cap-do.yaml")
    controls = {c.id: c for c in pack.controls}
    bad = (
        "sysname r1\n#\n snmp-agent community read cipher %^%#x%^%#\n"
        "#\naaa\n local-user admin password simple Secret1\n#\n"
        "user-interface con 0\nuser-interface vty 0 4\n acl 2000 inbound\n idle-timeout 30 0\n#\nreturn\n"
    )
    good = (
        "sysname r1\n#\n snmp-agent community read cipher %^%#x%^%# acl 2000\n"
        "#\naaa\n local-user admin password irreversible-cipher %^%#y%^%#\n#\n"
        "user-interface con 0\nuser-interface vty 0 4\n acl 2000 inbound\n idle-timeout 5 0\n#\nreturn\n"
    )
    for platform in ("huawei", "huawei_vrpv8"):
        for text, want in ((bad, "failed"), (good, "passed")):
            dev = DeviceText("r1", platform, 3, text, "r1.cfg")
            got = {
                cid: evaluate(controls[cid], dev, []).status.name
                for cid in ("CD-MANG-03", "CD-MANG-09", "CD-MANG-10")
            }
            assert set(got.values()) == {want}, (platform, got)


def test_real_configurations_parse_without_dropping_anything() -> None:
    """napalm-huawei-vrp's test configurations (one with a typo inside an ACL view, one at top level)."""
    files = sorted(REAL.glob("*.cfg"))
    assert len(files) == 5
    for path in files:
        parsed = parse_device(
            DeviceConfig(path.stem, "huawei", path.read_text(encoding="utf-8"), {}, path.name)
        )
        findings = audit_parsed(parsed, default_policy())
        assert not [f for f in findings if f.check == "parse-error"], path
        assert all(
            f.message.startswith(f"{path.name}:{f.line}: ") for f in findings if f.check == "not-analysed"
        )
        if "acl name" in "\n".join(parsed.lines):
            (acl,) = parsed.lists
            assert (acl.name, acl.kind, [r.key for r in acl.rules]) == (
                "vty_access",
                "standard-acl",
                ["acl vty_access rule 5", "acl vty_access rule 1000"],
            )
    typo = parse((REAL / "napalm-vrp__merge_typo.cfg").read_text(encoding="utf-8"), source="t.cfg")
    assert [(n.line, n.text) for n in typo.notes] == [(4, "asdasda")]


@pytest.mark.parametrize(
    ("words", "low", "high"),
    [
        ("permit ip source 10.1.1.0 0.0.0.255", "10.1.1.0", "10.1.1.255"),
        ("permit ip source 10.1.1.0 255.255.255.0", "10.1.1.0", "10.1.1.255"),  # netmask form
        ("permit ip source 10.1.1.7 0", "10.1.1.7", "10.1.1.7"),
        ("permit ip source 0.0.0.0 255.255.255.255", "0.0.0.0", "255.255.255.255"),
        ("permit ip", "0.0.0.0", "255.255.255.255"),
    ],
)
def test_source_wildcards_and_masks(words: str, low: str, high: str) -> None:
    box = parse_rule(words.split(), True, 4).boxes[0]
    assert (box[2 * SRC], box[2 * SRC + 1]) == (
        int(ipaddress.IPv4Address(low)),
        int(ipaddress.IPv4Address(high)),
    )


def test_acl_used_by_traffic_filter_and_vty_is_noted() -> None:
    parsed = parse(
        "sysname r\n#\nacl number 2000\n rule 5 permit source 10.0.0.0 0.255.255.255\n#\n"
        "interface G1\n traffic-filter inbound acl 2000\n#\n"
        "user-interface vty 0 4\n acl 2000 inbound\n#\nreturn\n"
    )
    assert [n.line for n in parsed.notes] == [7] and parsed.lists[0].rules[
        -1
    ].key == "acl 2000 default permit"


def test_usg_default_action_permit_ends_every_zone_pair_once() -> None:
    cfg = (
        "sysname fw\n#\nip service-set HI type object\n"
        " service 0 protocol udp destination-port 5000 to 5010\n#\n"
        "security-policy\n default action permit\n"
        " rule name a\n  source-zone trust\n  destination-zone untrust\n"
        "  source-address range 10.1.1.1 10.1.1.9\n  service HI\n  action deny\n"
        " rule name b\n  source-zone dmz\n  destination-zone untrust\n  action deny\n#\nreturn\n"
    )
    parsed = parse(cfg, source="fw.cfg")
    lists = {lst.name: lst for lst in parsed.lists}
    assert set(lists) == {"trust -> untrust", "dmz -> untrust"}
    defaults = {id(lst.rules[-1]) for lst in lists.values()}
    assert len(defaults) == 1 and lists["dmz -> untrust"].rules[-1].key == "default action permit"
    box = lists["trust -> untrust"].rules[0].boxes[0]
    assert (box[2 * SRC], box[2 * SRC + 1]) == (
        int(ipaddress.IPv4Address("10.1.1.1")),
        int(ipaddress.IPv4Address("10.1.1.9")),
    )
    assert (box[2 * DPORT], box[2 * DPORT + 1]) == (5000, 5010)
    findings = audit_parsed(parsed, default_policy())
    assert len([f for f in findings if f.check == "any-any-permit"]) == 1


def test_ssh_server_acl_restricts_ssh_only_vty_lines() -> None:
    base = "sysname r\n#\n{}#\nuser-interface vty 0 4\n protocol inbound {}\n#\nreturn\n"
    assert not parse(base.format("ssh server acl 2000\n", "ssh")).mgmt.unrestricted
    assert parse(base.format("ssh server acl 2000\n", "all")).mgmt.unrestricted
    assert parse(base.format("", "ssh")).mgmt.unrestricted
