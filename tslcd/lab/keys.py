"""The lab's SSH host key: generated once and kept in the data folder.

Keeping it means clients that remember host keys (an engineer's ``ssh``, known_hosts) see the same
key after every lab restart, as with a real device.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

KEY_FILE = "ssh_host_ed25519_key"


def load_host_key(lab_folder: Path) -> asyncssh.SSHKey:
    """Read the host key from ``lab_folder``, generating it (mode 0600) the first time."""
    path = lab_folder / KEY_FILE
    if path.exists():
        return asyncssh.read_private_key(path)
    lab_folder.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="tslcd-lab")
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
    os.replace(tmp, path)
    return key
