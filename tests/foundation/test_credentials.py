"""Credentials come from the environment, the keyring or a prompt, never from the inventory."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tslcd.config import load_config
from tslcd.errors import CredentialError
from tslcd.inventory import load_inventory
from tslcd.inventory.credentials import CredentialResolver, env_prefix
from tslcd.lab.credentials import load_lab_credentials

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("TSLCD_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def host(name: str):
    return load_inventory(load_config(str(ROOT / "tslcd.yaml"))).hosts[name]


def test_group_variables_win_over_global(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSLCD_USERNAME", "netops")
    monkeypatch.setenv("TSLCD_PASSWORD", "global-pw")
    monkeypatch.setenv(env_prefix("cisco_asa") + "PASSWORD", "asa-pw")
    monkeypatch.setenv(env_prefix("cisco_asa") + "SECRET", "asa-enable")
    resolver = CredentialResolver(interactive=False)
    asa = resolver.for_host(host("syt-fw1"))
    ios = resolver.for_host(host("syt-r1"))
    assert env_prefix("cisco_asa") == "TSLCD_CISCO_ASA_"
    assert env_prefix("ubnd-cap-huyen") == "TSLCD_UBND_CAP_HUYEN_"
    assert (asa.username, asa.password, asa.secret) == ("netops", "asa-pw", "asa-enable")
    assert (ios.password, ios.secret) == ("global-pw", "global-pw")
    assert "pw" not in repr(asa) and "asa-enable" not in repr(asa)


def test_missing_credentials_name_the_variables_without_prompting() -> None:
    with pytest.raises(CredentialError) as info:
        CredentialResolver(interactive=False).for_host(host("syt-r1"))
    assert "TSLCD_PASSWORD" in str(info.value) and "TSLCD_SO_PASSWORD" in str(info.value)


def test_prompt_is_asked_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSLCD_USERNAME", "netops")
    answers = iter(["typed-pw", ""])
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return next(answers)

    resolver = CredentialResolver(interactive=True, prompt=prompt)
    first = resolver.for_host(host("syt-r1"))
    second = resolver.for_host(host("stc-fw1"))
    assert first is second and first.password == "typed-pw" and first.secret == "typed-pw"
    assert len(asked) == 2


def test_lab_credentials_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_lab_credentials(tmp_path)
    again = load_lab_credentials(tmp_path)
    assert first == again and len(first.password) >= 20 and first.password != first.secret
    path = tmp_path / "lab" / "credentials.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_lab_credentials(tmp_path / "other") != first
