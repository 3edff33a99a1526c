"""What went wrong on one host, in words an engineer acts on, and whether trying again can help.

Drivers raise a zoo of exceptions (paramiko, netmiko, napalm, sockets), often wrapping the real
cause; `classify` walks the chain to the cause and names one class. Messages are written here,
never copied from a driver, so they stay one line and carry no credential; what a device or driver
said is quoted in backticks, and `masked` masks every quoted command with the platform's patterns.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterable, Iterator
from enum import StrEnum

from tslcd.sanitize import mask_message


class ErrorClass(StrEnum):
    """The kinds of host failure a run reports (stored in SQLite as these strings)."""

    AUTHENTICATION = "authentication"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    DISCONNECTED = "disconnected"
    HOST_KEY = "host-key"
    COMMAND_REJECTED = "command-rejected"
    PARSE = "parse"
    INTERNAL = "internal"
    CANCELLED = "cancelled"  # the operator stopped the run before this host was contacted


TRANSIENT = frozenset({ErrorClass.TIMEOUT, ErrorClass.UNREACHABLE, ErrorClass.DISCONNECTED})


class HostFailure(Exception):
    """A classified failure: what the run records and shows for a host."""

    def __init__(self, error_class: ErrorClass, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[ErrorClass, str]]:
        """Pickled whole: a backup's worker process sends its hosts' failures to the parent."""
        return (type(self), (self.error_class, self.message))

    @property
    def transient(self) -> bool:
        """True when the same attempt may well succeed a little later."""
        return self.error_class in TRANSIENT


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_REFUSED = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL}
_DROPPED = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}


def _class_of(exc: BaseException) -> tuple[ErrorClass, str] | None:
    # The drivers load here, on a failure, not when a command that touches no device starts.
    from napalm.base.exceptions import ConnectionClosedException
    from netmiko.exceptions import (
        ConfigInvalidException,
        NetmikoAuthenticationException,
        NetmikoParsingException,
        ReadTimeout,
    )
    from paramiko.ssh_exception import (
        AuthenticationException,
        BadHostKeyException,
        NoValidConnectionsError,
        SSHException,
    )

    if isinstance(exc, AuthenticationException | NetmikoAuthenticationException):
        return ErrorClass.AUTHENTICATION, "login refused: wrong username or password (or key)"
    if isinstance(exc, BadHostKeyException) or "known_hosts" in str(exc):
        return ErrorClass.HOST_KEY, "the device's SSH host key does not match the known one"
    if isinstance(exc, NoValidConnectionsError | ConnectionRefusedError) or (
        isinstance(exc, OSError) and exc.errno in _REFUSED
    ):
        return ErrorClass.UNREACHABLE, "connection refused or no route to the device's SSH port"
    if isinstance(exc, socket.gaierror):
        return ErrorClass.UNREACHABLE, "the device's name does not resolve"
    if isinstance(exc, ReadTimeout):
        return ErrorClass.TIMEOUT, "the device stopped answering (no prompt or output in time)"
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
        return ErrorClass.TIMEOUT, "no answer from the device in time"
    if isinstance(exc, ConfigInvalidException):
        return ErrorClass.COMMAND_REJECTED, "the device rejected a command"
    if isinstance(exc, NetmikoParsingException):
        return ErrorClass.PARSE, "the device's output could not be parsed"
    if isinstance(exc, EOFError | ConnectionClosedException) or (
        isinstance(exc, OSError) and (exc.errno in _DROPPED or "closed" in str(exc).lower())
    ):
        return ErrorClass.DISCONNECTED, "the device closed the session before the output was complete"
    text = str(exc)
    if isinstance(exc, SSHException) and "banner" in text:
        return ErrorClass.TIMEOUT, "the device did not send its SSH banner in time"
    if isinstance(exc, SSHException) and "session not active" in text.lower():
        return ErrorClass.DISCONNECTED, "the device closed the session before the output was complete"
    if "TCP connection to device failed" in text:
        return ErrorClass.UNREACHABLE, "cannot open a TCP connection to the device's SSH port"
    if isinstance(exc, SSHException) and ("timed out" in text.lower() or "timeout" in text.lower()):
        return ErrorClass.TIMEOUT, "no answer from the device in time"
    return None


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every known credential in ``text`` (a last guard for messages from elsewhere)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<removed>")
    return text


def classify(exc: BaseException, secrets: Iterable[str | None] = ()) -> HostFailure:
    """The class of the root cause (the innermost exception a class is known for), one-line message."""
    if isinstance(exc, HostFailure):
        return exc
    for candidate in reversed(list(_chain(exc))):
        found = _class_of(candidate)
        if found:
            return HostFailure(*found)
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    detail = redact(first_line, secrets)
    return HostFailure(ErrorClass.INTERNAL,
                       f"unexpected {type(exc).__name__}" + (f": `{detail}`" if detail else ""))


def masked(failure: HostFailure, platform: str | None) -> HostFailure:
    """``failure`` with every device command its message quotes masked by the platform's secret
    patterns (a device that rejects a command may echo a password hash; drivers quote output)."""
    message = mask_message(failure.message, platform)
    return failure if message == failure.message else HostFailure(failure.error_class, message)
