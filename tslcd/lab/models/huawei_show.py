"""The lab VRP's ``display`` commands, in the layouts ntc-templates' huawei_vrp templates read."""

from __future__ import annotations

import hashlib
import re

from tslcd.lab.models.huawei_api import HuaweiDeviceView
from tslcd.lab.models.huawei_config import Node

_FILTER = re.compile(r"^(.*?)\s+\|\s*(\S+)\s+(.+)$")


def _uptime(device: HuaweiDeviceView) -> str:
    digest = int(hashlib.sha256(device.name.encode()).hexdigest(), 16)
    weeks, days, hours, minutes = digest % 60, digest // 60 % 7, digest // 420 % 24, digest // 9000 % 60
    return f"{weeks} weeks, {days} days, {hours} hours, {minutes} minutes"


def version(device: HuaweiDeviceView) -> str:
    """``display version`` (V5 AR/USG layout; V8 the NE/CE one)."""
    head = ["Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {device.vrp_version} ({device.model} {device.software})"]
    if device.two_stage:
        return "\n".join([*head, "Copyright (C) 2012-2020 Huawei Technologies Co., Ltd.",
                          f"HUAWEI {device.model} uptime is {_uptime(device)}",
                          f"Patch Version: {device.software[:8]}SPH010", "",
                          f"{device.model} version information:"])
    return "\n".join([*head, "Copyright (C) 2011-2020 HUAWEI TECH CO., LTD",
                      f"Huawei {device.model} Router uptime is {_uptime(device)}",
                      "BKP 0 version information:",
                      "1. PCB      Version  : AR01BAK2B VER.A",
                      f"3. Board    Type     : {device.model}"])


def esn(device: HuaweiDeviceView) -> str:
    """``display esn``."""
    return f"ESN of master: {device.serial}"


def interface_brief(device: HuaweiDeviceView) -> str:
    """``display interface brief``: every interface of the configuration, state from it."""
    lines = ["PHY: Physical", "*down: administratively down", "^down: standby", "(l): loopback",
             "(s): spoofing", "(E): E-Trunk down", "(b): BFD down", "(e): ETHOAM down",
             "(d): Dampening Suppressed", "InUti/OutUti: input utility/output utility",
             "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors"]
    for node in device.root.children:
        if not node.text.startswith("interface "):
            continue
        name = node.text.split(None, 1)[1]
        down = any(c.text == "shutdown" for c in node.children)
        has_ip = any(c.text.startswith("ip address ") for c in node.children)
        phy = "*down" if down else "up"
        proto = "down" if down else ("up(s)" if name.startswith(("LoopBack", "NULL")) else
                                     "up" if has_ip else "down")
        lines.append(f"{name:<28}{phy:<6}{proto:<10}{'0%':>5}{'0%':>7}{0:>11}{0:>11}")
    return "\n".join(lines)


def acl_all(device: HuaweiDeviceView) -> str:
    """``display acl all``: every ACL with its rules, as VRP lists them."""
    acls = [n for n in device.root.children if n.text.startswith("acl ")]
    out = [f" Total quantity of nonempty ACL number is {sum(1 for a in acls if _rules(a))} ", ""]
    count = {id(a): sum(1 for r in _rules(a) if " description " not in r) for a in acls}
    for acl in acls:
        words = acl.text.split()
        number = words[-1] if words[1] == "number" else (words[3] if len(words) > 3 else "3999")
        name = f"{words[2]} " if words[1] == "name" else ""
        kind = "Basic" if number.isdigit() and int(number) < 3000 else "Advanced"
        rules, n = _rules(acl), count[id(acl)]
        out += [f"{kind} ACL {name}{number}, {n} rule{'s' if n != 1 else ''}",
                "Acl's step is 5", *(" " + r for r in rules), ""]
    return "\n".join(out)


def _rules(acl: Node) -> list[str]:
    """Rules by number, each rule's description after it in quotes, as VRP lists them."""
    numbered = [c.text for c in acl.children if re.match(r"^rule \d+ (?:permit|deny)", c.text)]
    described = {c.text.split()[1]: c.text.split(None, 3)[3] for c in acl.children
                 if re.match(r"^rule \d+ description \S", c.text)}
    out = []
    for text in sorted(numbered, key=lambda t: int(t.split()[1])):
        out.append(text)
        if text.split()[1] in described:
            out.append(f'rule {text.split()[1]} description "{described[text.split()[1]]}"')
    return out


def startup(device: HuaweiDeviceView) -> str:
    """``display startup``."""
    image = f"flash:/{device.model}-{device.software}.cc"
    return "\n".join(["MainBoard: ",
                      f"  Startup system software:                   {image}",
                      f"  Next startup system software:              {image}",
                      "  Backup system software for next startup:   null",
                      "  Startup saved-configuration file:          flash:/vrpcfg.zip",
                      "  Next startup saved-configuration file:     flash:/vrpcfg.zip",
                      "  Startup license file:                      null",
                      "  Next startup license file:                 null",
                      "  Startup patch package:                     null",
                      "  Next startup patch package:                null",
                      "  Startup voice-files:                       null",
                      "  Next startup voice-files:                  null"])


def apply_filter(output: str, kind: str, pattern: str) -> str | None:
    """``| include/exclude/begin/count REGEX`` (None: not a filter VRP has)."""
    rx = re.compile(pattern)
    lines = output.split("\n")
    if "include".startswith(kind) and kind.startswith("i"):
        return "\n".join(line for line in lines if rx.search(line))
    if "exclude".startswith(kind) and kind.startswith("e"):
        return "\n".join(line for line in lines if not rx.search(line))
    if "begin".startswith(kind) and kind.startswith("b"):
        start = next((i for i, line in enumerate(lines) if rx.search(line)), len(lines))
        return "\n".join(lines[start:])
    if "count".startswith(kind) and kind.startswith("c"):
        return f"Total lines: {sum(1 for line in lines if rx.search(line))}."
    return None


def split_filter(line: str) -> tuple[str, tuple[str, str] | None]:
    """A display command and its ``| FILTER REGEX`` part, if any."""
    m = _FILTER.match(line)
    return (m[1], (m[2], m[3])) if m else (line, None)
