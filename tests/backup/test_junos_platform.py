"""The JunOS registry entry on real material: every way JunOS stores a secret is masked before a
backup is stored (``$9$`` reversible, ``$1$``/``$5$``/``$6$`` hashes, each keyword that carries a
secret, in ``display set`` lines and in braces) while what is not a secret stays byte for byte;
facts are read from real ``show version`` / ``show chassis hardware`` / ``show system uptime``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.platforms import get_platform
from tslcd.sanitize import MASK, sanitize
from tslcd.tasks.facts import parse_facts

PLATFORM = get_platform("juniper_junos")
REAL = Path(__file__).resolve().parents[1] / "lab" / "conformance" / "fixtures" / "real" / "juniper_junos"

#: (line, the secret it holds) in display set form, one per JunOS secret keyword.
SET_LINES: list[tuple[str, str]] = [
    ('set system root-authentication encrypted-password "$6$aB3dE$Zx9Yq0lWm2o8X3kz1VtF0c"', "$6$aB3dE"),
    ('set system login user noc authentication encrypted-password "$1$Qw7$Rt5Yu8Io0Pl"', "$1$Qw7"),
    ('set system login user ops authentication encrypted-password "$5$Hx2$Lk4Jh6Gf8Ds"', "$5$Hx2"),
    ("set system login user ops authentication encrypted-password $6$unquoted$Zx9Yq0lWm2o8", "unquoted"),
    ('set system radius-server 10.0.10.8 secret "$9$dkbs4ZGjkqfz"', "$9$dkbs4ZGjkqfz"),
    ('set system tacplus-server 10.0.10.9 secret "$9$Ab1Cd2Ef3Gh"', "$9$Ab1Cd2Ef3Gh"),
    ('set access radius-server 10.0.10.8 secret "$9$rAdIuSaCcEsS"', "$9$rAdIuSaCcEsS"),
    ('set system ntp authentication-key 1 type md5 value "$9$secret1"', "$9$secret1"),
    ("set system ntp authentication-key 2 value secret2", "secret2"),
    ('set security ike policy P1 pre-shared-key ascii-text "$9$H.fQ69p0IcS"', "$9$H.fQ69p0IcS"),
    ('set security ike policy P2 pre-shared-key hexadecimal "f00ba4"', "f00ba4"),
    ('set security ike policy P3 pre-shared-key ascii-text "psk1"', "psk1"),
    ('set protocols bgp group EBGP authentication-key "$9$bGpK3y"', "$9$bGpK3y"),
    ('set protocols ospf area 0.0.0.0 interface ge-0/0/0.0 authentication md5 1 key "$9$oSpF"',
     "$9$oSpF"),
    ('set protocols ospf area 0.0.0.0 interface ge-0/0/1.0 authentication simple-password "$9$sImPlE"',
     "$9$sImPlE"),
    ('set protocols isis interface ge-0/0/2.0 level 2 hello-authentication-key "$9$iSiS"', "$9$iSiS"),
    ('set protocols vrrp-group authentication-key plainvrrp', "plainvrrp"),
    ('set security authentication-key-chains key-chain BFD key 0 secret "$9$kEyChAiN"', "$9$kEyChAiN"),
    ('set snmp v3 usm local-engine user mon authentication-sha authentication-key "$9$uSmAuTh"',
     "$9$uSmAuTh"),
    ('set snmp v3 usm local-engine user mon privacy-aes128 privacy-key "$9$uSmPrIv"', "$9$uSmPrIv"),
    ("set snmp community Tslcd-RO-2026 authorization read-only", "Tslcd-RO-2026"),
    ("set snmp community Tslcd-RO-2026 clients 10.0.99.0/24", "Tslcd-RO-2026"),
    ("set snmp trap-group TrapSecret targets 10.0.10.6", "TrapSecret"),
    ('set system services dhcp-local-server group G authentication password "$9$dHcP"', "$9$dHcP"),
    ('set security ipsec vpn V manual authentication key ascii-text "$9$mAnUaL"', "$9$mAnUaL"),
]
#: The same secrets as ``show configuration`` prints them (braces).
HIERARCHICAL: list[tuple[str, str]] = [
    ('        encrypted-password "$6$aB3dE$Zx9Yq0lWm2o8X3kz1VtF0c"; ## SECRET-DATA', "$6$aB3dE"),
    ('    secret "$9$dkbs4ZGjkqfz"; ## SECRET-DATA', "$9$dkbs4ZGjkqfz"),
    ('        pre-shared-key ascii-text "$9$H.fQ69p0IcS"; ## SECRET-DATA', "$9$H.fQ69p0IcS"),
    ("    community Tslcd-RO-2026 {", "Tslcd-RO-2026"),
    ('        authentication-key "$9$bGpK3y"; ## SECRET-DATA', "$9$bGpK3y"),
]
#: Lines that name keys or communities but hold no secret: kept as they are.
KEPT = [
    "set system ntp server 10.0.0.1 key 1",
    "set system ntp trusted-key 1",
    "set snmp community public authorization read-only",
    "set snmp community private authorization read-write",
    "set security ike proposal P authentication-method pre-shared-keys",
    "set security authentication-key-chains key-chain BFD key 0 start-time 2020-1-1.00:00:00",
    "set system login password minimum-length 10",
    "set system services ssh root-login deny-password",
    "set security pki ca-profile CA ca-identity CA",
]


@pytest.mark.parametrize(("line", "secret"), SET_LINES + HIERARCHICAL,
                         ids=[f"secret{i}" for i in range(len(SET_LINES) + len(HIERARCHICAL))])
def test_every_secret_form_is_masked(line: str, secret: str) -> None:
    masked = sanitize(line + "\n", PLATFORM)
    assert secret not in masked and MASK in masked, masked
    assert sanitize(masked, PLATFORM) == masked  # masking twice is masking once


def test_lines_without_secrets_are_kept() -> None:
    text = "\n".join(KEPT) + "\n"
    assert sanitize(text, PLATFORM) == text


def test_real_configs_keep_no_secret() -> None:
    """Batfish's JunOS test configurations with secrets in them, masked."""
    for name, secrets in (("ntp", ("$9$secret1", "secret2", "secret3", "secret4")),
                          ("ike-policy", ('"psk1"',)), ("ipsec-vpn", ('"f00ba4"',))):
        masked = sanitize((REAL / "batfish" / name).read_text(encoding="utf-8"), PLATFORM)
        assert not any(s in masked for s in secrets), name
        assert "set system ntp server 10.0.0.1 key 1" in masked or name != "ntp"


def test_volatile_commit_header_is_dropped() -> None:
    text = "## Last commit: 2026-12-05 05:30:00 UTC by admin\nversion 21.4R3-S5.4;\n"
    assert sanitize(text, PLATFORM) == "version 21.4R3-S5.4;\n"


@pytest.mark.parametrize(("version", "hardware", "uptime", "expected"), [
    ("show_version_srx_cluster", "show_chassis_hardware1", "show_system_uptime",
     ("srx1500", "19.4R3-S1.3", "XXXXXXXX0000", 154 * 86400)),
    ("show_version_qfx5100", "show_chassis_hardware_dac_no_revision", "show_system_uptime_2",
     ("qfx5100-48t-6q", "21.4R3-S3.4", "XH3123120000", 185 * 86400)),
])
def test_facts_from_real_junos_output(version: str, hardware: str, uptime: str,
                                      expected: tuple[str, str, str, int]) -> None:
    """The facts patterns on real ``show version`` / ``show chassis hardware`` / ``show system
    uptime`` output (ntc-templates samples), as tslcd joins them."""
    text = "\n".join((REAL / "ntc" / f"juniper_junos_{name}.raw").read_text(encoding="utf-8")
                     for name in (version, hardware, uptime))
    facts = parse_facts(text, PLATFORM)
    assert (facts["model"], facts["os_version"], facts["serial"], facts["uptime_seconds"]) == expected
