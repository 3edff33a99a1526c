"""A syslog receiver on UDP and TCP (RFC 5426 datagrams; RFC 6587 newline or octet-counted
frames), handing each message and its sender's address to a callback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from tslcd.listener.messages import MAX_MESSAGE

OnMessage = Callable[[str, str], None]  # (sender address, message text)


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, on_message: OnMessage) -> None:
        self.on_message = on_message

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.on_message(addr[0], data[:MAX_MESSAGE].decode("utf-8", "replace"))


class Receiver:
    """UDP and TCP syslog on one address and port."""

    def __init__(self, address: str, port: int, on_message: OnMessage) -> None:
        self.address = address
        self.port = port
        self.on_message = on_message
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None

    async def start(self) -> None:
        """Bind both sockets (an address in use is an OSError for the caller to name)."""
        loop = asyncio.get_running_loop()
        self._udp, _ = await loop.create_datagram_endpoint(lambda: _Datagrams(self.on_message),
                                                           local_addr=(self.address, self.port))
        self._tcp = await asyncio.start_server(self._client, self.address, self.port,
                                               limit=MAX_MESSAGE + 16)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sender = writer.get_extra_info("peername")[0]
        try:
            while True:
                first = await reader.readexactly(1)
                if first.isdigit():  # octet counting: "LEN MSG", exactly LEN bytes follow
                    size = int(first + (await reader.readuntil(b" "))[:-1])
                    data = await reader.readexactly(min(size, MAX_MESSAGE))
                else:  # non-transparent framing: one message per line
                    data = (first + await reader.readuntil(b"\n")).rstrip(b"\r\n")
                self.on_message(sender, data.decode("utf-8", "replace"))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def close(self) -> None:
        """Stop receiving."""
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
