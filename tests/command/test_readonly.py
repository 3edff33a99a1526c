"""Which ad-hoc commands count as read-only, per platform (the registry's lists decide)."""

from __future__ import annotations

import pytest

from tslcd.platforms import get_platform
from tslcd.readonly import refusal

ALLOWED = [
    ("cisco_ios", "show running-config | include snmp"),
    ("cisco_ios", "sh ip int br"),
    ("cisco_ios", "show run | i snmp|logging"),
    ("cisco_ios", "show running-config | section line vty"),
    ("cisco_asa", "show running-config access-list"),
    ("cisco_asa", "more system:running-config"),
    ("cisco_asa", "show run | grep logging"),
    ("fortinet", "get system status"),
    ("fortinet", "show full-configuration | grep -i snmp"),
    ("fortinet", "diagnose sys session list"),
]

REFUSED = [
    ("cisco_ios", "conf t", "not on the read-only list"),
    ("cisco_ios", "configure terminal", "not on the read-only list"),
    ("cisco_ios", "copy running-config startup-config", "not on the read-only list"),
    ("cisco_ios", "show run; conf t", "`;`"),
    ("cisco_ios", "show run\nconf t", "newline"),
    ("cisco_ios", "show run\rreload", "newline"),
    ("cisco_ios", "show run | redirect flash:x.txt", "may write (redirect)"),
    ("cisco_ios", "show run | red flash:x.txt", "may write (redirect)"),
    ("cisco_ios", "show run | tee flash:x.txt", "may write (tee)"),
    ("cisco_ios", "show run | append flash:x.txt", "may write (append)"),
    ("cisco_ios", "show run | include snmp | redirect flash:x", "may write (redirect)"),
    ("cisco_ios", "show run | include snmp|tee flash:x", "may write (tee)"),
    ("cisco_ios", "show run | format flash:spec", "not a read-only output filter"),
    ("cisco_ios", "", "empty"),
    ("cisco_asa", "write memory", "not on the read-only list"),
    ("cisco_asa", "clear configure all", "not on the read-only list"),
    ("fortinet", "execute reboot", "not on the read-only list"),
    ("fortinet", "config system global", "not on the read-only list"),
    ("fortinet", "diagnose debug enable", "not on the read-only list"),
    ("fortinet", "diagnose sys kill 11 1", "not on the read-only list"),
    ("fortinet", "show | grep x | tee y", "may write (tee)"),
]


@pytest.mark.parametrize(("platform", "command"), ALLOWED)
def test_read_only_commands_are_allowed(platform: str, command: str) -> None:
    assert refusal(command, get_platform(platform)) is None


@pytest.mark.parametrize(("platform", "command", "why"), REFUSED)
def test_anything_else_is_refused_with_the_reason(platform: str, command: str, why: str) -> None:
    reason = refusal(command, get_platform(platform))
    assert reason is not None and why in reason
