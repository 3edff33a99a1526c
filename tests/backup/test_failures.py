"""Error classification: the root cause decides the class, messages are one line and secret-free."""

from __future__ import annotations

import paramiko
import pytest
from napalm.base.exceptions import ConnectionException
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from tslcd.tasks.failures import ErrorClass, HostFailure, classify


def chained(*layers: BaseException) -> BaseException:
    """Raise ``layers`` innermost first, each inside the handler of the previous, like drivers do."""
    def raise_from(index: int) -> None:
        if index == 0:
            raise layers[0]
        try:
            raise_from(index - 1)
        except BaseException:
            raise layers[index]  # noqa: B904 - the implicit __context__ is the point

    try:
        raise_from(len(layers) - 1)
    except BaseException as exc:
        return exc
    raise AssertionError


CASES = [
    (chained(ConnectionRefusedError(111, "Connection refused"),
             NetmikoTimeoutException("TCP connection to device failed.\n\nCommon causes...")),
     ErrorClass.UNREACHABLE),
    (chained(TimeoutError("timed out"), NetmikoTimeoutException("TCP connection to device failed.")),
     ErrorClass.TIMEOUT),
    (chained(ConnectionRefusedError(111, "Connection refused"),
             NetmikoTimeoutException("TCP connection to device failed."),
             ConnectionException("Cannot connect to 127.21.1.1")), ErrorClass.UNREACHABLE),
    (chained(paramiko.AuthenticationException("Authentication failed."),
             NetmikoAuthenticationException("Authentication to device failed.\n\nCommon causes")),
     ErrorClass.AUTHENTICATION),
    (chained(paramiko.SSHException("Error reading SSH protocol banner"),
             NetmikoTimeoutException("A paramiko SSHException occurred during connection creation")),
     ErrorClass.TIMEOUT),
    (ReadTimeout("Pattern not detected: 'r1#' in output."), ErrorClass.TIMEOUT),
    (TimeoutError("timed out"), ErrorClass.TIMEOUT),
    (EOFError("Channel stream closed by remote device."), ErrorClass.DISCONNECTED),
    (OSError("Socket is closed"), ErrorClass.DISCONNECTED),
    (paramiko.BadHostKeyException("r1", paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024)),
     ErrorClass.HOST_KEY),
    (HostFailure(ErrorClass.PARSE, "no configuration"), ErrorClass.PARSE),
]


@pytest.mark.parametrize(("exc", "expected"), CASES, ids=[c[1].value + str(i) for i, c in enumerate(CASES)])
def test_root_cause_decides_the_class(exc: BaseException, expected: ErrorClass) -> None:
    failure = classify(exc)
    assert failure.error_class is expected
    assert "\n" not in failure.message and failure.message


def test_only_network_trouble_is_retried() -> None:
    assert classify(TimeoutError()).transient
    assert classify(ConnectionRefusedError(111, "refused")).transient
    assert classify(EOFError()).transient
    assert not classify(paramiko.AuthenticationException()).transient
    assert not HostFailure(ErrorClass.COMMAND_REJECTED, "x").transient
    assert not HostFailure(ErrorClass.CANCELLED, "x").transient


def test_unknown_errors_are_named_and_credentials_removed() -> None:
    failure = classify(ValueError("login with Secr3tPassw0rd failed\nmore lines"), ["Secr3tPassw0rd", None])
    assert failure.error_class is ErrorClass.INTERNAL
    assert failure.message == "unexpected ValueError: `login with <removed> failed`"
