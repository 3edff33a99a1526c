"""The receiver takes syslog over UDP and TCP (newline and octet-counted frames) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket

from tslcd.listener.receiver import Receiver


def test_udp_and_both_tcp_framings() -> None:
    got: list[tuple[str, str]] = []

    async def scenario() -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        receiver = Receiver("127.0.0.1", port, lambda sender, text: got.append((sender, text)))
        await receiver.start()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(b"<189>over udp", ("127.0.0.1", port))
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"<189>line one\n12 <189>counted<189>line two\r\n")
        await writer.drain()
        for _ in range(50):
            if len(got) == 4:
                break
            await asyncio.sleep(0.05)
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(0.05)  # the receiver sees the end of the stream
        receiver.close()

    asyncio.run(scenario())
    assert sorted(text for _, text in got) == ["<189>counted", "<189>line one", "<189>line two",
                                               "<189>over udp"]
    assert {sender for sender, _ in got} == {"127.0.0.1"}
