"""The control channel of a running lab: a Unix socket in its data folder (``<data>/lab/control.sock``).

One JSON request per connection, one JSON answer. Requests: ``{"op": "status"}``,
``{"op": "fault", "host": H, "kind": K, "value": V}``, ``{"op": "clear", "host": H, "kind": K}``
(kind optional) and ``{"op": "stop"}``. Answers carry ``"ok": true`` and the lab's status, or
``"ok": false`` and an ``"error"`` message. The socket is mode 0600: only the lab's owner may
steer it. Stopping through the socket rather than by signalling a pid means ``tslcd lab down``
can only ever stop the lab of its own data folder, even one running in a container (whose pids
mean nothing on the host).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tslcd.errors import InputError, TslcdError
from tslcd.lab.server import Lab

SOCKET_NAME = "control.sock"
MAX_PATH = 100  # sun_path holds 108 bytes on Linux


class LabNotRunning(InputError):
    """No lab answers on this data folder's control socket."""

    exit_code = 1


def socket_path(lab_folder: Path) -> Path:
    """Where the control socket of the lab using ``lab_folder`` lives."""
    path = lab_folder / SOCKET_NAME
    if len(os.fsencode(path)) > MAX_PATH:
        raise InputError(f"the lab control socket path {path} is too long for a Unix socket; "
                         "use a shorter data folder")
    return path


async def _answer(lab: Lab, info: dict[str, Any], request: dict[str, Any],
                  on_stop: Callable[[], None]) -> dict[str, Any]:
    op = request.get("op")
    if op == "stop":
        on_stop()
    elif op == "fault":
        await lab.set_fault(str(request["host"]), str(request["kind"]), request.get("value"))
    elif op == "clear":
        await lab.clear_faults(str(request["host"]), request.get("kind"))
    elif op != "status":
        raise InputError(f"unknown control request {op!r}")
    return {"ok": True, **info, "devices": lab.status()}


async def serve_control(lab: Lab, lab_folder: Path, info: dict[str, Any],
                        on_stop: Callable[[], None]) -> asyncio.AbstractServer:
    """Answer control requests for ``lab``; ``info`` (pid, start time, ...) is in every answer,
    ``on_stop`` is called for a stop request."""
    path = socket_path(lab_folder)
    path.unlink(missing_ok=True)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = json.loads(await reader.readline())
            answer = await _answer(lab, info, request, on_stop)
        except KeyError as exc:
            answer = {"ok": False, "error": f"control request lacks {exc}"}
        except (TslcdError, ValueError, TypeError) as exc:
            answer = {"ok": False, "error": str(exc)}
        writer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(handle, path)
    path.chmod(0o600)
    return server


def request(lab_folder: Path, message: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
    """Send one request to the lab using ``lab_folder``; raises `LabNotRunning` when none answers."""
    path = socket_path(lab_folder)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise LabNotRunning("the lab is not running (start it with: tslcd lab up)") from None
        sock.sendall(json.dumps(message).encode() + b"\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    answer = json.loads(data)
    if not answer.get("ok"):
        raise InputError(answer.get("error", "the lab refused the request"))
    return answer
