"""A lab device's flash file system over SCP and SFTP, as NAPALM's ios driver uses it.

NAPALM copies a candidate with ``scp -t flash:/merge_config.txt`` on a second SSH connection and
then reads it back through the CLI (``verify /md5``, ``copy flash:/... running-config``), so the
files must land in the model's ``flash_dir``. Clients name files ``flash:/X``, ``flash:X`` or
``/X``; all three map to ``flash_dir/X``, and nothing outside that folder is reachable.
"""

from __future__ import annotations

import asyncssh

FLASH_PREFIX = b"flash:"


class FlashSFTPServer(asyncssh.SFTPServer):
    """SFTP/SCP rooted at the device's flash folder; devices without one deny every file access."""

    def __init__(self, chan: asyncssh.SSHServerChannel) -> None:
        flash = chan.get_extra_info("lab_device").model.flash_dir
        if flash is not None:
            flash.mkdir(parents=True, exist_ok=True)
        self._has_flash = flash is not None
        super().__init__(chan, chroot=str(flash).encode() if flash is not None else None)

    def map_path(self, path: bytes) -> bytes:
        """Map ``flash:/X``, ``flash:X`` and ``/X`` to ``flash_dir/X`` (confined to that folder)."""
        if not self._has_flash:
            raise asyncssh.SFTPPermissionDenied("this device has no file system to copy to")
        if path.lower().startswith(FLASH_PREFIX):
            path = path[len(FLASH_PREFIX):]
        return super().map_path(path)
