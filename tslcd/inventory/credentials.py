"""Device credentials, resolved per host at run time and never stored in the inventory.

Order: environment variables for one of the host's groups (``TSLCD_<GROUP>_USERNAME`` /
``_PASSWORD`` / ``_SECRET``, group name upper-cased with non-alphanumerics as ``_``), then the
global ``TSLCD_USERNAME`` / ``TSLCD_PASSWORD`` / ``TSLCD_SECRET``, then the OS keyring (service
``tslcd``, entries ``<group>:password`` or ``default:password``), then an interactive prompt when
a person is at a terminal. ``--lab`` runs use the lab's own credentials instead.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from tslcd.errors import CredentialError
from tslcd.inventory.model import HostInfo

KEYRING_SERVICE = "tslcd"


@dataclass(frozen=True)
class Credentials:
    """A login for a device. The repr never shows the password or the secret."""

    username: str
    password: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)


def env_prefix(group: str | None) -> str:
    """The environment-variable prefix for a group (None: the global one)."""
    if group is None:
        return "TSLCD_"
    return "TSLCD_" + re.sub(r"[^A-Za-z0-9]", "_", group).upper() + "_"


def _keyring_get(scope: str, what: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{scope}:{what}")
    except Exception:  # no backend on a headless jump host: keyring is optional
        return None


class CredentialResolver:
    """Resolves and caches credentials per scope, prompting at most once per scope."""

    def __init__(self, interactive: bool | None = None,
                 prompt: Callable[[str], str] = getpass.getpass) -> None:
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self._prompt = prompt
        self._cache: dict[str, Credentials] = {}
        self._lock = threading.Lock()

    def for_host(self, host: HostInfo) -> Credentials:
        """Credentials for one host; raises CredentialError naming the variables to set."""
        for group in host.all_groups:
            found = self._from_env(env_prefix(group), host.username)
            if found:
                return found
        found = self._from_env(env_prefix(None), host.username)
        if found:
            return found
        with self._lock:
            if "default" in self._cache:
                return self._cache["default"]
            username = host.username or os.environ.get("TSLCD_USERNAME") or _keyring_get(
                "default", "username")
            password = _keyring_get("default", "password")
            secret = _keyring_get("default", "secret")
            if username and password:
                self._cache["default"] = Credentials(username, password, secret or password)
                return self._cache["default"]
            if self.interactive:
                username = username or input("Device username: ")
                password = self._prompt(f"Password for {username}: ")
                secret = self._prompt("Enable secret (empty: same as password): ") or password
                self._cache["default"] = Credentials(username, password, secret)
                return self._cache["default"]
        groups = ", ".join(env_prefix(g) + "PASSWORD" for g in host.all_groups[:3])
        raise CredentialError(
            f"no credentials for host {host.name!r}: set TSLCD_USERNAME and TSLCD_PASSWORD "
            f"(and TSLCD_SECRET for enable), or per group ({groups}, ...), or store them in the "
            f"keyring (service {KEYRING_SERVICE!r}), or use --lab for the lab"
        )

    @staticmethod
    def _from_env(prefix: str, inventory_username: str | None) -> Credentials | None:
        password = os.environ.get(prefix + "PASSWORD")
        if not password:
            return None
        username = (os.environ.get(prefix + "USERNAME") or inventory_username
                    or os.environ.get("TSLCD_USERNAME"))
        if not username:
            return None
        return Credentials(username, password, os.environ.get(prefix + "SECRET") or password)
