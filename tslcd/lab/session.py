"""One interactive SSH login on a lab device: terminal plumbing and faults around a `CliSession`.

The model decides what a line means; this module makes the exchange look like a real device's to
Netmiko and Paramiko: input echoed character for character (not while a password is typed),
``\\r\\n`` line endings, ``\\r``, ``\\n`` and ``\\r\\n`` each ending exactly one line, Ctrl-C and
backspace, the banner then the prompt after login, and the prompt after every answer.
"""

from __future__ import annotations

import asyncio
import logging

import asyncssh

from tslcd.lab.devices import LabDevice
from tslcd.lab.faults import FaultTable
from tslcd.lab.models.base import CliSession, real_seconds

log = logging.getLogger(__name__)

CTRL_C = "\x03"
CTRL_Z = "\x1a"
ERASE = ("\x7f", "\x08")
# Mode-leaving lines are never counted or refused by the reject-after fault: a device that
# refuses configuration still lets the operator leave configuration mode.
MODE_EXITS = frozenset({"end", "exit"})


def crlf(text: str) -> str:
    """Terminal line endings for model output."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class ShellSession:
    """Drives one `CliSession` over one SSH channel, applying the device's active faults."""

    def __init__(self, process: asyncssh.SSHServerProcess, device: LabDevice, faults: FaultTable,
                 secret: str) -> None:
        self.process = process
        self.device = device
        self.faults = faults
        self.secret = secret
        self.config_lines = 0
        self._after_cr = False
        self._line: list[str] = []
        self._pending: list[str] = []
        self._more: list[str] | None = None  # output lines still held behind the --More-- prompt

    async def run(self) -> None:
        """Serve the login until the client leaves, the CLI closes, or a fault cuts it."""
        try:
            await self._serve()
        except (asyncssh.Error, ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away mid-exchange, as clients do
        finally:
            if not self.process.is_closing():
                self.process.exit(0)

    async def _serve(self) -> None:
        username = self.process.get_extra_info("username")
        if self.process.command is not None:  # `ssh user@device "show version"`
            cli = self.device.model.new_session(username, self.secret)
            self._emit(self._answer(cli, self.process.command))
            await self._flush()
            return
        if self._hung() and not await self._read():
            return
        cli = self.device.model.new_session(username, self.secret)
        self._emit(crlf(cli.banner()) + cli.prompt())
        await self._flush()
        while not cli.closed:
            data = await self._read_idle(cli)
            if not data:
                return
            for char in data:
                if await self._feed(cli, char):
                    return
            await self._flush()

    async def _read(self) -> str:
        """The next input chunk ('' at end of input); swallows input while the device hangs."""
        while True:
            data = await self.process.stdin.read(4096)
            if not data or not self._hung():
                return data

    async def _read_idle(self, cli: CliSession) -> str:
        """`_read`, ending the login ('' returned) once it idles past the session's timeout."""
        timeout = cli.idle_timeout()
        if not timeout:
            return await self._read()
        try:
            return await asyncio.wait_for(self._read(), real_seconds(timeout))
        except TimeoutError:
            self._emit(crlf(cli.timed_out()))
            await self._flush()
            return ""

    def _hung(self) -> bool:
        return self.faults.active(self.device.name, "hang")

    async def _feed(self, cli: CliSession, char: str) -> bool:
        """Take one typed character; True when the session is over."""
        after_cr, self._after_cr = self._after_cr, char == "\r"
        if char == "\n" and after_cr:
            return False  # the \n of a \r\n pair: the line already ended at \r
        if self._more is not None:
            self._page_key(cli, char)
            return False
        if char in "\r\n":
            self._emit("\r\n")
            line, self._line = "".join(self._line), []
            return await self._run_line(cli, line)
        if char == CTRL_C:
            self._line.clear()
            self._emit("^C\r\n" + cli.prompt())
        elif char == CTRL_Z and (leave := cli.ctrl_z()) is not None:
            self._line.clear()
            self._emit("^Z\r\n" + crlf(leave) + cli.prompt())
        elif char == "?" and cli.echo and (text := cli.help("".join(self._line))) is not None:
            self._emit("?\r\n" + crlf(text) + cli.prompt() + "".join(self._line))
        elif char in ERASE:
            if self._line:
                self._line.pop()
                if cli.echo:
                    self._emit("\b \b")
        else:
            self._line.append(char)
            if cli.echo:
                self._emit(char)
        return False

    async def _run_line(self, cli: CliSession, line: str) -> bool:
        """Answer one line with output and prompt, delayed, swallowed or cut as faults say."""
        name = self.device.name
        if self._hung():
            self._pending.clear()
            return False
        await self._flush()
        if self.faults.active(name, "latency"):
            await asyncio.sleep(self.faults.get(name, "latency") or 0)
        output = crlf(self._answer(cli, line))
        if output and not output.endswith("\r\n"):
            output += "\r\n"
        if output and self.faults.active(name, "drop"):
            self._emit(output[: max(1, len(output) // 2)])
            await self._flush()
            self.process.channel.get_connection().close()
            return True
        if cli.closed:
            self._emit(output)
            await self._flush()
            return True
        self._paged(cli, output)
        return False

    def _paged(self, cli: CliSession, output: str) -> None:
        """Emit an answer and the prompt, holding back what exceeds one screen behind --More--."""
        lines = output.splitlines(keepends=True)
        if cli.page_length <= 0 or len(lines) < cli.page_length:
            self._emit(output + cli.prompt())
            return
        self._more = lines
        self._show_more(cli, cli.page_length - 1)

    def _show_more(self, cli: CliSession, count: int) -> None:
        assert self._more is not None
        self._emit("".join(self._more[:count]))
        del self._more[:count]
        if self._more:
            self._emit(cli.more_prompt)
        else:
            self._more = None
            self._emit(cli.prompt())

    def _page_key(self, cli: CliSession, char: str) -> None:
        """A key pressed at --More--: space a page, Enter a line, anything else stops the output."""
        width = len(cli.more_prompt)
        self._emit("\b" * width + " " * width + "\b" * width)
        if char == " ":
            self._show_more(cli, max(1, cli.page_length - 1))
        elif char in "\r\n":
            self._show_more(cli, 1)
        else:
            self._more = None
            self._emit(cli.prompt())

    def _answer(self, cli: CliSession, line: str) -> str:
        """The model's answer, or the platform's rejection while the reject-after fault holds."""
        counted = cli.in_config_mode and line.strip() and line.strip().lower() not in MODE_EXITS
        if counted:
            self.config_lines += 1
            name = self.device.name
            if (self.faults.active(name, "reject-after")
                    and self.config_lines > (self.faults.get(name, "reject-after") or 0)):
                return cli.rejected(line)
        try:
            return cli.handle(line)
        except Exception as exc:  # a model bug must not take the lab down; the log keeps it
            log.exception("%s: model failed on %r", self.device.name, line)
            return f"% lab model error: {exc}"

    def _emit(self, text: str) -> None:
        if text:
            self._pending.append(text)

    async def _flush(self) -> None:
        if self._pending:
            self.process.stdout.write("".join(self._pending))
            self._pending.clear()
            await self.process.stdout.drain()
