"""Show commands of the lab IOS device whose output drivers parse (NAPALM getters, Netmiko).

Each function renders one command from the device state, in IOS's layout: NAPALM's get_facts
reads the hostname/uptime, model, serial and version lines; get_interfaces the interface blocks.
"""

from __future__ import annotations

from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_config import Node, ace_display
from tslcd.lab.models.ios_initial import serial_number
from tslcd.lab.models.ios_syntax import is_ipv4


def show_version(device: IosDeviceView) -> str:
    """Realistic IOS-XE ``show version`` (NAPALM reads model, serial, version, uptime)."""
    hw = device.hardware
    ports = sum(1 for p in hw.physical if p.startswith("GigabitEthernet"))
    return "\n".join([
        "Cisco IOS XE Software, Version 17.06.05",
        "Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
        "Version 17.6.5, RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        "Compiled Wed 01-Mar-23 04:06 by mcpre",
        "",
        "",
        "Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.",
        "All rights reserved.  Certain components of Cisco IOS-XE software are",
        "licensed under the GNU General Public License (\"GPL\") Version 2.0.  The",
        "software code licensed under GPL Version 2.0 is free software that comes",
        "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such",
        "GPL code under the terms of GPL Version 2.0.  For more details, see the",
        "documentation or \"License Notice\" file accompanying the IOS-XE software,",
        "or the applicable URL provided on the flyer accompanying the IOS-XE",
        "software.",
        "",
        "",
        "ROM: 16.12(2r)",
        "",
        f"{device.hostname} uptime is {device.uptime()}",
        f"Uptime for this control processor is {device.uptime()}",
        "System returned to ROM by PowerOn",
        f"System restarted at {device.boot_time()}",
        "System image file is \"bootflash:isr4300-universalk9.17.06.05.SPA.bin\"",
        "Last reload reason: PowerOn",
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. Delivery of Cisco cryptographic products does not imply",
        "third-party authority to import, export, distribute or use encryption.",
        "",
        "",
        "Suite License Information for Module:'esg'",
        "",
        "",
        f"{hw.processor}",
        f"Processor board ID {serial_number(device.name)}",
        "Router operating mode: Autonomous",
        f"{ports} Gigabit Ethernet interfaces",
        "32768K bytes of non-volatile configuration memory.",
        "4194304K bytes of physical memory.",
        "7086079K bytes of flash memory at bootflash:.",
        "",
        "Configuration register is 0x2102",
        "",
    ])


def show_hosts(device: IosDeviceView) -> str:
    """``show hosts``: NAPALM takes the domain from here."""
    domain = next((n.text.split()[-1] for n in device.root.children
                   if n.text.startswith(("ip domain name ", "ip domain-name "))), None)
    first = f"Default domain is {domain}" if domain else "Default domain is not set"
    return "\n".join([
        first,
        "Name/address lookup uses domain service",
        "Name servers are 255.255.255.255",
        "",
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
        "       temp - temporary, perm - permanent",
        "       NA - Not Applicable None - Not defined",
        "",
        "Host                      Port  Flags      Age Type   Address(es)",
        "",
    ])


def _interfaces(device: IosDeviceView) -> list[Node]:
    return [n for n in device.root.children if n.mode == "if"]


def _address(node: Node) -> tuple[str, str] | None:
    for c in node.children:
        parts = c.text.split()
        if c.text.startswith("ip address ") and len(parts) == 4:
            return parts[2], parts[3]
    return None


def _shutdown(node: Node) -> bool:
    return any(c.text == "shutdown" for c in node.children)


def show_ip_interface_brief(device: IosDeviceView) -> str:
    """``show ip interface brief``."""
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for node in _interfaces(device):
        name = node.text.split()[1]
        addr = _address(node)
        ip, method = (addr[0], "NVRAM") if addr else ("unassigned", "unset")
        down = _shutdown(node)
        status = "administratively down" if down else "up"
        proto = "down" if down else "up"
        lines.append(f"{name:<22} {ip:<15} YES {method:<6} {status:<21} {proto:<8}")
    return "\n".join(lines) + "\n"


def show_access_lists(device: IosDeviceView, wanted: str | None) -> str:
    """``show ip access-lists [NAME]``: entries as IOS lists them (standard wildcards spelt out)."""
    out = []
    for node in device.root.children:
        kind = {"acl-ext": "Extended", "acl-std": "Standard"}.get(node.mode or "")
        if not kind:
            continue
        name = node.text.split()[-1]
        if wanted and name != wanted:
            continue
        out.append(f"{kind} IP access list {name}")
        hits = _matches(device, name)
        for c in node.children:
            words = c.text.split()
            if words[1] == "remark":
                continue
            if kind == "Standard" and len(words) > 3 and is_ipv4(words[2]) and is_ipv4(words[3]):
                words[2:4] = [f"{words[2]}, wildcard bits {words[3]}"]
            # IOS pads "deny" in standard lists only; extended entries list as configured
            if "time-range" in words[:-1]:  # IOS shows whether the entry's time range is in force
                at = words.index("time-range") + 1
                words[at] += " (active)" if _time_range_defined(device, words[at]) else " (inactive)"
            text = " ".join(words) + (f" ({hits * (int(words[0]) // 10 % 7 + 1)} matches)" if hits else "")
            out.append("    " + (ace_display(text) if kind == "Standard" else text))
    return "\n".join(out) + "\n" if out else ""


def _time_range_defined(device: IosDeviceView, name: str) -> bool:
    """A ``time-range NAME`` section exists (the lab's clock is always within its periods)."""
    return any(n.text == f"time-range {name}" for n in device.root.children)


def _matches(device: IosDeviceView, acl: str) -> int:
    """Hit-count base of a list: traffic only reaches lists applied on interfaces that are up."""
    bound = any(n.mode == "if" and not any(c.text == "shutdown" for c in n.children)
                and any(c.text.startswith(f"ip access-group {acl} ") for c in n.children)
                for n in device.root.children)
    return int(device.uptime_seconds() // 3600) + 1 if bound else 0


# --- archive -----------------------------------------------------------------------------
def show_archive(device: IosDeviceView) -> str:
    """``show archive`` (NAPALM only needs to know whether the feature is on)."""
    if not device.archive_enabled():
        return "Archive feature not enabled\n"
    path = next((c.text.split()[1] for n in device.root.children if n.text == "archive"
                 for c in n.children if c.text.startswith("path ")), "flash:archive")
    return "\n".join([
        "The maximum archive configurations allowed is 10.",
        "There are currently 0 archive configurations saved.",
        f"The next archive file will be named {path}-1",
        " Archive #  Name",
        *(f"   {i:<8}" for i in range(1, 11)),
    ]) + "\n"
