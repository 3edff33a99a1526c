"""The lab's own credentials: generated on first use, kept in the data folder with mode 0600."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import yaml

from tslcd import yamlsafe
from tslcd.inventory.credentials import Credentials

FILE_NAME = "credentials.yaml"


def lab_dir(data_dir: Path) -> Path:
    """The lab's folder in the data folder (keys, credentials, device state, pid, log)."""
    return data_dir / "lab"


def load_lab_credentials(data_dir: Path, *, create: bool = True) -> Credentials:
    """Read the lab credentials, generating them the first time (random, never in the repo)."""
    path = lab_dir(data_dir) / FILE_NAME
    if path.exists():
        raw = yamlsafe.safe_load(path.read_text(encoding="utf-8")) or {}
        return Credentials(raw["username"], raw["password"], raw["secret"])
    if not create:
        raise FileNotFoundError(f"{path} does not exist: start the lab once (tslcd lab up)")
    path.parent.mkdir(parents=True, exist_ok=True)
    creds = Credentials("tslcd-lab", secrets.token_urlsafe(18), secrets.token_urlsafe(18))
    text = yaml.safe_dump({"username": creds.username, "password": creds.password,
                           "secret": creds.secret})
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return creds
