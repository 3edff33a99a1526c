"""Every secret line of issue 11, typed into lab devices by hand and backed up by an unattended
run, is absent from everything tslcd writes or sends: git objects, SQLite, logs, reports, the
e-mail and webhook notifications of the out-of-band change, and the CLI's output."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import netmiko
import pytest
import yaml
from conftest import RunningLab, fetched_config

from tests.schedule.receivers import http_receiver, smtp_server
from tslcd.store.db import DB_NAME

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

PUSHED: dict[str, list[str]] = {
    "stttt-r1": [
        "key config-key password-encrypt CfgKeyE2E01",
        "aaa group server radius RG-E2E",
        " server-private 10.0.10.9 auth-port 1812 acct-port 1813 key 7 SrvPrivE2E02",
        "exit",
        "crypto isakmp client configuration group EZ-E2E",
        " key EzGrpE2E03",
        "exit",
        "interface Tunnel10",
        " ip nhrp authentication NhrpE2E4",
        "exit",
        "ip http client password HttpE2E05",
        "username tabuser\tprivilege 15\tsecret 9 $9$TabE2E06",
    ],
    "stp-fw1": [
        "config system api-user", 'edit "mon"', 'set accprofile "super_admin"', "set api-key FgApiE2E11",
        "next", "end",
        "config user radius", 'edit "nps"', 'set server "10.0.10.9"', "set secret FgSecE2E12",
        "set secondary-secret FgSecE2E13", "set tertiary-secret FgSecE2E14", "next", "end",
        "config user tacacs+", 'edit "tac"', 'set server "10.0.10.8"', "set key FgTacE2E15",
        "set secondary-key FgTacE2E16", "next", "end",
        "config system central-management", "set type fortimanager", "set fmg-password FgFmgE2E22", "end",
        "config system fortiguard", "set proxy-password FgProxyE2E17", "end",
        "config router ospf", "config ospf-interface", 'edit "wan1"', 'set interface "wan1"',
        "set authentication text", "set authentication-key FgOspfE2E18", "next", "end", "end",
        "config system ddns", "edit 1", "set ddns-password FgDdnsE2E19", "next", "end",
        "config wireless-controller vap", 'edit "corp"', "set sae-password FgSaeE2E20",
        "set passphrase FgWpaE2E25", "next", "end",
        "config system sdn-connector", 'edit "aws"', "set secret-key FgSdnE2E21", "next", "end",
    ],
    "stc-fw1": [
        "username e2euser password AsaE2EPlain23 privilege 15",
        "username e2etab\tpassword AsaE2ETab24 privilege 15",
        "tunnel-group 10.254.0.9 type ipsec-l2l",
        "tunnel-group 10.254.0.9 ipsec-attributes",
        " ikev1 pre-shared-key 8 AsaPsk8E2E07",
        " ikev2 remote-authentication pre-shared-key hex 0a0bE2E08",
        " ikev2 local-authentication pre-shared-key 8 AsaIk2E2E09",
        "exit",
        "tunnel-group LEGACY type ipsec-l2l",
        "tunnel-group LEGACY ipsec-attributes",
        " pre-shared-key LegacyE2E10",
    ],
}
HOSTS = "name=" + "|".join(PUSHED)
# What the devices hold for those lines once typed (FortiOS and the ASA encrypt or hash them).
STORED_FORMS = re.compile(r"(?:ENC|username e2e\w+ password) (\S+)")


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _written(data_dir: Path) -> str:
    parts: list[str] = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and path.relative_to(data_dir).parts[0] != "lab" and path.suffix != ".sqlite":
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    repo = data_dir / "backups"
    for args in (["log", "-p", "--all"], ["cat-file", "--batch-all-objects", "--batch"]):
        parts.append(subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
                     .stdout.decode("utf-8", "replace"))
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
        parts.extend(conn.iterdump())
    return "\n".join(parts)


def test_secret_lines_pushed_into_lab_devices_never_leave_them(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    with smtp_server() as (port, inbox), http_receiver() as (url, hooks):
        raw = yaml.safe_load(lab.config_path.read_text(encoding="utf-8"))
        raw["notifications"] = {
            "events": ["out-of-band-change", "backup-failure", "new-finding", "stale-backup"],
            "email": {"enabled": True, "host": "127.0.0.1", "port": port, "sender": "tslcd@angiang.gov.vn",
                      "recipients": ["noc@angiang.gov.vn"]},
            "webhook": {"enabled": True, "url": url},
        }
        lab.config_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        first = _cli(lab.config_path, "run", "backup+audit", "--lab", "--filter", HOSTS)
        assert first.returncode == 0, first.stderr
        for host, lines in PUSHED.items():
            with netmiko.ConnectHandler(**lab.netmiko_args(host)) as conn:
                conn.enable()
                conn.send_config_set(lines, error_pattern=r"Invalid input|parse error|Unknown action")
        second = _cli(lab.config_path, "run", "backup+audit", "--lab", "--filter", HOSTS)
        assert second.returncode == 0, second.stderr
        assert "3 out-of-band" in second.stdout
    outputs = [first.stdout, first.stderr, second.stdout, second.stderr]
    for args in (("show", "stttt-r1"), ("diff", "stp-fw1"), ("history", "stc-fw1"),
                 ("audit", "--format", "json")):
        result = _cli(lab.config_path, *args)
        outputs += [result.stdout, result.stderr]

    async def configs() -> dict[str, str]:
        return {name: fetched_config(lab.lab.devices[name].model) for name in PUSHED}

    held = lab.thread.call(configs)
    secrets = {s for lines in PUSHED.values() for line in lines for s in re.findall(r"\S*E2E\d+", line)}
    secrets |= {m for name in PUSHED for m in STORED_FORMS.findall(held[name])}
    ios = {s for line in PUSHED["stttt-r1"] for s in re.findall(r"\S*E2E\d+", line)}
    assert all(s in held["stttt-r1"] for s in ios)  # every line was taken
    assert "username e2euser password $sha512$" in held["stc-fw1"]  # hashed by the ASA
    assert "username e2etab password $sha512$" in held["stc-fw1"]
    asa = {s for line in PUSHED["stc-fw1"][2:] for s in re.findall(r"\S*E2E\d+", line)}
    assert all(s in held["stc-fw1"] for s in asa)  # the pre-shared keys, as more system: shows them
    for name in ("api-key", "secret", "secondary-secret", "tertiary-secret", "key", "secondary-key",
                 "fmg-password", "proxy-password", "authentication-key", "ddns-password", "sae-password",
                 "passphrase", "secret-key"):
        assert f"set {name} ENC " in held["stp-fw1"]  # encrypted by the FortiGate
    assert len(secrets) >= 20
    notices = [m.get_payload(decode=True).decode("utf-8") for m in inbox] + [str(h["json"]) for h in hooks]
    assert any("out-of-band" in n for n in notices)
    haystack = "\n".join([_written(lab.data_dir), *outputs, *notices])
    assert "api-key ENC <removed>" in haystack and "key config-key password-encrypt <removed>" in haystack
    assert sorted(s for s in secrets if s in haystack) == []
