"""Lab devices tell their syslog servers when their configuration changed, as real ones do.

Called from a model's config-exit path: for every syslog server on 127.0.0.0/8 in the running
configuration (IOS ``logging host``, FortiOS ``config log syslogd setting``), the model's
config-change message goes out over UDP from the device's own address (so the receiver knows which
device spoke), naming the logged-in user.
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
# FortiOS "config log syslogd setting" with "set status enable", "set server" and maybe "set port"
_SYSLOGD = re.compile(r"^config log syslogd setting\n(?P<body>(?:[ \t]+.*\n)*?)end$", re.MULTILINE)
_SYSLOGD_SERVER = re.compile(r'^\s*set server "?(?P<addr>\d+(?:\.\d+){3})"?\s*$', re.MULTILINE)
_SYSLOGD_PORT = re.compile(r"^\s*set port (?P<port>\d+)\s*$", re.MULTILINE)
PRI_NOTICE = 189  # local7.notice, what IOS sends by default


def syslog_frame(text: str) -> str:
    """A device message as ``logging host`` receivers get it (IOS's default layout)."""
    stamp = time.strftime("%b %e %H:%M:%S", time.gmtime())
    return f"<{PRI_NOTICE}>1: *{stamp}.000: {text}"


def _targets(running_config: str, hosts: re.Pattern[str]) -> list[tuple[str, int]]:
    """(address, UDP port) of every syslog server the configuration names."""
    out = [(m["addr"], int(m["port"] or SYSLOG_PORT)) for m in hosts.finditer(running_config)]
    for block in _SYSLOGD.finditer(running_config):
        body = block["body"]
        server, port = _SYSLOGD_SERVER.search(body), _SYSLOGD_PORT.search(body)
        if server and re.search(r"^\s*set status enable\s*$", body, re.MULTILINE):
            out.append((server["addr"], int(port["port"]) if port else SYSLOG_PORT))
    return out


def announce(device_address: str, running_config: str, message: str,
             hosts: re.Pattern[str] = _LOGGING_HOST) -> int:
    """Send ``message`` to each loopback log host of ``running_config``; how many got it.

    ``hosts`` finds the servers (groups ``addr`` and ``port``) where a platform words them
    otherwise than IOS ``logging host`` (PAN-OS ``shared log-settings syslog``, VRP
    ``info-center loghost``); FortiOS ``config log syslogd setting`` is always read.

    Never raises: a lab device with an unreachable syslog server carries on, as a real one does.
    """
    sent = 0
    for addr, port in _targets(running_config, hosts):
        target = ipaddress.ip_address(addr)
        if not target.is_loopback:  # the lab speaks to 127.0.0.0/8 only
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.bind((device_address, 0))
                sock.sendto(message.encode("utf-8"), (str(target), port))
            sent += 1
        except OSError:
            continue
    return sent
