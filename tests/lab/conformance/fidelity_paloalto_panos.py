"""How closely the lab PAN-OS firewall behaves like a real one, measured against real material.

Figures (``measure()``: name -> (behaves like the real device, total)):

- ``commands``: the operational commands tslcd runs (``show system info`` for facts) and operators
  run after a commit or to check management (``show jobs all``, ``show interface management``)
  whose real output ntc-templates has samples of; the lab must answer and its output must parse
  with the same template.
- ``template fields``: the fields those real samples populate; each counts when the lab's output
  populates it too.
- ``real lines accepted``: every line of Batfish's PAN-OS test configurations in set format for a
  firewall (files written for Panorama, templates or device groups, and those named as invalid or
  as warnings, are left out), typed into a lab firewall's configuration mode. Names of undefined
  objects count too: PAN-OS checks references at commit, not while a line is typed.
- ``invalid lines rejected``: those lines, each broken in one way a real firewall refuses (a
  misspelt first keyword, an octet above 255, a port above 65535, a yes/no setting given another
  word); each counts when the lab answers ``Invalid syntax.``.
- ``commit-confirm``: PAN-OS has no commit confirmed; its commit model is measured instead: a
  commit makes the candidate running, a commit with an undefined reference is refused and changes
  nothing, ``revert config`` empties the candidate, another administrator's commit lock blocks a
  commit, ``load config from`` a saved snapshot and ``commit`` bring the earlier config back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tests.lab.conformance.fidelity import broken_variants, read, real_files, sample_figures, statements
from tslcd.lab.models.panos import PanosDevice
from tslcd.lab.models.panos_session import PanosSession

PLATFORM = "paloalto_panos"
HOST = {
    "name": "sxd-fw1", "hostname": "127.21.11.2", "platform": PLATFORM, "agency_code": "SXD",
    "agency_name": "Sở Xây dựng", "agency_type": "so", "district": "long-xuyen",
    "district_name": "Long Xuyen", "role": "firewall", "lan_prefix": "10.10.11.0/24",
    "wan_prefix": "10.254.0.44/30", "circuit_id": "TSLCD-AGG-0011", "bandwidth_mbps": 100,
}
COMMANDS = {
    "show system info": "ntc/*show_system_info*.raw",
    "show jobs all": "ntc/*show_jobs_all*.raw",
    "show interface management": "ntc/show_interface_management*.raw",
}
ERROR = re.compile(r"^(?:Invalid syntax\.|Unknown command: )", re.MULTILINE)


def refused(output: str) -> bool:
    """PAN-OS's refusals of a typed line."""
    return bool(ERROR.search(output))


def real_configs() -> list[tuple[str, list[str]]]:
    """(file name, lines) of Batfish's firewall set-format test configurations."""
    return [(p.name, read(p).splitlines()) for p in real_files(PLATFORM, "batfish/*")]


def config_lines(lines: list[str]) -> Iterator[str]:
    """Configuration lines without blank lines and comments (``#``; Batfish also writes ``!``)."""
    return statements(lines, ("#", "!"))


def fresh() -> PanosSession:
    """A configuration-mode session on a new lab firewall."""
    session = PanosSession(PanosDevice(HOST["name"], HOST), "admin")
    session.handle("configure")
    return session


def accepted_lines() -> tuple[int, int]:
    """Real configuration lines the lab accepts."""
    ok = total = 0
    for _, lines in real_configs():
        cli = fresh()
        for line in config_lines(lines):
            total += 1
            ok += not refused(cli.handle(line))
    return ok, total


MUTATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^set (\S+)"), r"set \1zz"),
    (re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"), r"\1.\2.\3.256"),
    (re.compile(r"\b((?:source-)?port) \d+"), r"\1 65536"),
    (re.compile(r"\b(yes|no)$"), "maybe"),
)


def rejected_lines() -> tuple[int, int]:
    """Broken real ``set`` lines the lab refuses with PAN-OS's error text."""
    ok = total = 0
    for _, lines in real_configs():
        cli = fresh()
        for line in config_lines(lines):
            if line.startswith("set ") and not refused(cli.handle(line)):
                for broken in broken_variants(line, MUTATIONS):
                    total += 1
                    ok += refused(cli.handle(broken))
    return ok, total


def figure_commands() -> tuple[tuple[int, int], tuple[int, int]]:
    """Commands answered and parsed; template fields populated like the real samples."""
    cli = fresh()
    cli.handle("set address MAY-IN ip-netmask 10.10.11.50/32")
    cli.handle("commit")  # a job for `show jobs all`
    cli.handle("exit")
    return sample_figures(PLATFORM, COMMANDS, cli.handle)


def commit_model() -> tuple[int, int]:
    """The commit model's steps, each as a real firewall behaves."""
    cli = fresh()
    device = cli.device
    steps = []
    cli.handle("save config to truoc-thay-doi.xml")
    cli.handle("set address MOI ip-netmask 10.10.11.60/32")
    steps.append("Configuration committed successfully" in cli.handle("commit")
                 and "MOI" in device.running_config())
    before = device.running_config()
    cli.handle("set rulebase security rules SAI from khong-co-zone")
    answer = cli.handle("commit")
    steps.append("Validation Error:" in answer and device.running_config() == before)
    cli.handle("revert config")
    steps.append(cli.handle("check pending-changes") == "no")
    other = PanosSession(device, "admin2")
    other.handle("request commit-lock add")
    cli.handle("set address KHOA ip-netmask 10.10.11.61/32")
    steps.append("held by admin2" in cli.handle("commit") and "KHOA" not in device.running_config())
    other.handle("request commit-lock remove")
    cli.handle("revert config")
    cli.handle("load config from truoc-thay-doi.xml")
    cli.handle("commit")
    steps.append("MOI" not in device.running_config())
    return sum(steps), len(steps)


def measure() -> dict[str, tuple[int, int]]:
    """Every PAN-OS figure."""
    commands, fields = figure_commands()
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_lines(),
            "invalid lines rejected": rejected_lines(), "commit-confirm": commit_model()}


if __name__ == "__main__":
    for name, (good, total) in measure().items():
        print(f"{name:24} {good:5}/{total:<5} {100 * good / max(total, 1):5.1f}%")
