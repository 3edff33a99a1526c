"""Lab devices tell their syslog servers when their configuration changed, as real ones do.

Called from a model's config-exit path: for every ``logging host`` on 127.0.0.0/8 in the running
configuration, the model's config-change message goes out over UDP from the device's own
address (so the receiver knows which device spoke), naming the logged-in user.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time

SYSLOG_PORT = 514
# IOS "logging host [vrf V] ADDR [transport udp port N]"; the port defaults to 514
_LOGGING_HOST = re.compile(r"^logging host (?:vrf \S+ )?(?P<addr>\d+(?:\.\d+){3})"
                           r"(?:\s+transport udp port (?P<port>\d+))?", re.MULTILINE)
PRI_NOTICE = 189  # local7.notice, what IOS sends by default


def syslog_frame(text: str) -> str:
    """A device message as ``logging host`` receivers get it (IOS's default layout)."""
    stamp = time.strftime("%b %e %H:%M:%S", time.gmtime())
    return f"<{PRI_NOTICE}>1: *{stamp}.000: {text}"


def announce(device_address: str, running_config: str, message: str,
             hosts: re.Pattern[str] = _LOGGING_HOST) -> int:
    """Send ``message`` to each loopback log host of ``running_config`` (``hosts``: groups
    ``addr`` and ``port``; IOS ``logging host`` unless given); how many got it.

    Never raises: a lab device with an unreachable syslog server carries on, as a real one does.
    """
    sent = 0
    for m in hosts.finditer(running_config):
        target = ipaddress.ip_address(m["addr"])
        if not target.is_loopback:  # the lab speaks to 127.0.0.0/8 only
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.bind((device_address, 0))
                sock.sendto(message.encode("utf-8"), (str(target), int(m["port"] or SYSLOG_PORT)))
            sent += 1
        except OSError:
            continue
    return sent
