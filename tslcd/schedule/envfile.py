"""The credentials file of unattended runs: written once by `schedule install`, read by `run`.

Format: ``NAME=value`` lines (value raw to the end of the line, no quoting), ``#`` comments.
tslcd reads it itself (`tslcd run --env-file`), so systemd and cron start the same command and no
shell ever interprets a password. The file must be a regular file owned by the user the run
runs as, readable by nobody else (mode 0600), as ssh insists for its keys.
"""

from __future__ import annotations

import os
import pwd
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from tslcd.errors import InputError

# Credentials and notification secrets tslcd reads from the environment (see README, Credentials).
SECRET_VARIABLES = re.compile(
    r"^TSLCD_(?:[A-Z0-9_]+_)?(?:USERNAME|PASSWORD|SECRET)$|^TSLCD_WEBHOOK_TOKEN$")
_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def credential_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """The tslcd credential variables set in ``environ`` (what an unattended run needs)."""
    return {k: v for k, v in sorted(environ.items()) if SECRET_VARIABLES.match(k) and v}


def write_env_file(path: Path, values: Mapping[str, str], owner: str | None = None) -> None:
    """Write ``values`` to ``path`` with mode 0600 from the first byte, owned by ``owner``."""
    for name, value in values.items():
        if not _NAME.match(name) or "\n" in value or "\r" in value or "\0" in value:
            raise InputError(f"{name}: a credential must be one line")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        if owner is not None:
            entry = _user(owner)
            os.fchown(out.fileno(), entry.pw_uid, entry.pw_gid)
        out.write("# tslcd unattended-run credentials (tslcd schedule install); mode 0600\n")
        out.writelines(f"{name}={value}\n" for name, value in values.items())
    os.replace(tmp, path)


def check_env_file(path: Path) -> None:
    """Refuse a file others could read or that belongs to someone else (named, exit 2)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the credentials file ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: the credentials file is not a regular file")
    if info.st_mode & 0o077:
        raise InputError(f"{path}: the credentials file is readable by others "
                         f"(mode {stat.S_IMODE(info.st_mode):04o}); chmod 600 it")
    if info.st_uid != os.geteuid():
        raise InputError(f"{path}: the credentials file belongs to uid {info.st_uid}, not to the "
                         f"user running tslcd (uid {os.geteuid()})")


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of a checked credentials file; a malformed line is named by its number."""
    check_env_file(path)
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not _NAME.match(name.strip()):
            raise InputError(f"{path}:{number}: expected NAME=value")
        values[name.strip()] = value
    return values


def _user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise InputError(f"--user {name!r}: no such user on this machine") from None
