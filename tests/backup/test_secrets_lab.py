"""No lab secret reaches anything tslcd writes or prints: store, git objects, database, logs, output."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from conftest import RunningLab, fetched_config

from tslcd.store.db import DB_NAME

from .conftest import tslcd

pytestmark = [pytest.mark.lab, pytest.mark.slow]

# Deliberately independent of tslcd.platforms: any value after a secret-bearing keyword.
# The words between a keyword and its value that say how the value is kept or used (VRP
# "password irreversible-cipher X", "community read cipher X"; JunOS "ascii-text X") are skipped.
SECRET_VALUE = re.compile(r"\b(?:secret|password|passwd|community|key|key-string|psksecret|pre-shared-key)"
                          r"(?: ENC)?(?: (?:read|write|cipher|irreversible-cipher|simple|ascii-text"
                          r"|hexadecimal))*(?: [0-9]{1,2})? (\S+)")
FORTI_COMMUNITIES = re.compile(r"^config system snmp community\n(.*?)^end$", re.S | re.M)
NOT_SECRET = {"public", "private", '"public"', '"private"', "*****", "<removed>"}


def _raw_secrets(lab: RunningLab) -> set[str]:
    async def configs() -> dict[str, str]:
        return {name: fetched_config(device.model) for name, device in lab.lab.devices.items()}

    found: set[str] = set()
    for text in lab.thread.call(configs).values():
        found.update(SECRET_VALUE.findall(text))
        for block in FORTI_COMMUNITIES.findall(text):
            found.update(re.findall(r'set name "([^"]+)"', block))
    return {s.strip('"') for s in found} - NOT_SECRET


def _everything_written(data_dir: Path) -> str:
    parts: list[str] = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and "lab" not in path.relative_to(data_dir).parts[:1] and path.suffix != ".sqlite":
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    repo = data_dir / "backups"
    for args in (["log", "-p", "--all"], ["cat-file", "--batch-all-objects", "--batch"]):
        parts.append(subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
                     .stdout.decode("utf-8", "replace"))
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
        parts.extend(conn.iterdump())
    return "\n".join(parts)


def test_no_lab_secret_is_stored_logged_or_printed(fresh_lab: RunningLab) -> None:
    lab = fresh_lab
    outputs: list[str] = []

    def run(*args: str) -> None:
        result = tslcd(lab.config_path, *args)
        outputs.extend([result.stdout, result.stderr])

    lab.fault("stp-fw1", "auth-fail")
    try:
        run("backup", "--lab")
        run("facts", "--lab", "--json")
    finally:
        lab.clear_all()
    run("backup", "--lab", "--json")
    for host in ("stttt-r1", "stp-fw1", "stc-fw1"):
        run("show", host)
        run("history", host)
    run("changed", "--since", "1 day ago", "--json")

    secrets = _raw_secrets(lab) | {lab.credentials.password, lab.credentials.secret or ""}
    secrets.discard("")
    assert len(secrets) > 100  # enable/user hashes, communities, keys, PSKs, the lab logins
    haystack = _everything_written(lab.data_dir) + "\n".join(outputs)
    assert "enable secret 9 <removed>" in haystack  # the configs really are in the haystack
    assert (lab.data_dir / "logs" / "tslcd.log").stat().st_size > 0
    leaked = sorted(s for s in secrets if s in haystack)
    assert leaked == []
