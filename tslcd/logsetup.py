"""Where run messages go: a rotating log in the data folder (and stderr for unattended runs).

Driver chatter (paramiko, netmiko) is kept at WARNING so the log stays readable; secrets never
reach a log line because nothing logs configs or credentials, only host names and error classes.
As a last guard every line is formatted by `SafeFormatter`: a device command quoted in it is
masked and control bytes are neutralised (the log is read on terminals, and stderr is one).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tslcd.config import Config
from tslcd.sanitize import mask_message
from tslcd.textsafe import neutralise

LOG_NAME = "tslcd.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SafeFormatter(logging.Formatter):
    """Formats as usual, then masks quoted device commands and neutralises control bytes."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's line (and traceback), safe for a terminal and free of quoted secrets."""
        return neutralise(mask_message(super().format(record), None))


def log_path(config: Config) -> Path:
    """The log file in the data folder."""
    return config.data_dir / "logs" / LOG_NAME


@contextmanager
def file_logging(config: Config, *, stderr: bool = False) -> Iterator[Path]:
    """Send INFO and above to the rotating log (and to stderr when ``stderr``) for one command."""
    path = log_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                             encoding="utf-8")]
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    previous = root.level
    for handler in handlers:
        handler.setFormatter(SafeFormatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("paramiko", "netmiko", "asyncssh"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        yield path
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(previous)
