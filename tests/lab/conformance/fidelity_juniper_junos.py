"""How closely the lab SRX behaves like a real JunOS device, measured against real material.

Figures (``measure()``: name -> (behaves like the real device, total)):

- ``commands``: the operational commands tslcd and its operators run whose real output
  ntc-templates has samples of (SRX, EX and QFX samples: the MX ones list line cards an SRX does
  not have); the lab must answer and its output must parse with the same template.
- ``template fields``: the fields those real samples populate; each counts when the lab's output
  populates it too.
- ``real lines accepted``: every ``set`` line of Batfish's JunOS test configurations for what an
  SRX holds (security policies, zones, address books, applications, NAT, IKE/IPsec, screens,
  firewall filters, interfaces, static routes, system, SNMP, NTP, syslog), typed in configuration
  mode; a line counts when the lab takes it and ``show | display set`` lists it back.
- ``invalid lines rejected``: the accepted lines, each broken in one way a real JunOS refuses (a
  misspelt statement at the first or second level, an octet above 255, a prefix longer than 32,
  a port above 65535); each counts when the lab refuses it with JunOS's error text.
- ``commit-confirm``: ``commit confirmed N`` arms the timer, an unconfirmed commit is rolled back
  when N minutes pass (at the lab's time scale) and ``show system commit`` says so, a ``commit``
  confirms and keeps the change, ``rollback N`` + ``commit`` puts an earlier configuration back,
  a commit naming an undefined address fails the check-out.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

from tests.lab.conformance.fidelity import add, broken_variants, read, real_files, sample_figures, statements
from tslcd.lab.models.base import TIME_SCALE_ENV, real_seconds
from tslcd.lab.models.junos import JunosDevice
from tslcd.lab.models.junos_session import JunosSession
from tslcd.lab.models.junos_tree import expand, tokens

PLATFORM = "juniper_junos"
HOST = {
    "name": "sgtvt-fw1", "hostname": "127.21.10.2", "platform": PLATFORM, "agency_code": "SGTVT",
    "agency_name": "So Giao thong van tai", "agency_type": "so", "district": "long-xuyen",
    "role": "firewall", "lan_prefix": "10.10.10.0/24", "wan_prefix": "10.254.0.40/30",
    "circuit_id": "TSLCD-AGG-0010", "bandwidth_mbps": 100,
}
#: Each command's real samples under ``ntc/`` (file names without ``juniper_junos_`` and ``.raw``).
COMMANDS: dict[str, tuple[str, ...]] = {
    "show version": ("show_version_srx_cluster", "show_version_ex"),
    "show chassis hardware": ("show_chassis_hardware1", "show_chassis_hardware_add_fpc_info",
                              "show_chassis_hardware_dac_no_revision"),
    "show system uptime": ("show_system_uptime", "show_system_uptime_2"),
    "show arp no-resolve": ("show_arp_no-resolve",),
    "show route summary": ("show_route_summary",),
}
ERROR = re.compile(r"^(?:syntax error\.|unknown command\.|error: )", re.MULTILINE)


def refused(output: str) -> bool:
    """JunOS's refusals."""
    return bool(ERROR.search(output))


def real_configs() -> list[tuple[str, list[str]]]:
    """(file name, lines) of the Batfish JunOS test configurations."""
    return [(p.name, read(p).splitlines()) for p in real_files(PLATFORM, "batfish/*")]


def config_lines(lines: list[str]) -> Iterator[str]:
    """Statements without blank lines and ``#`` comments."""
    return statements(lines)


def session() -> JunosSession:
    """A configuration-mode login on a fresh lab SRX."""
    cli = JunosDevice(HOST["name"], HOST).new_session("fidelity", "")
    assert isinstance(cli, JunosSession)
    cli.handle("configure")
    return cli


def _listed(line: str) -> list[str]:
    """The ``display set`` lines a ``set`` line must appear as (brackets expanded, one blank)."""
    words = tokens(line)
    if words[:1] != ["set"]:
        return []
    return ["set " + " ".join(path) for path in expand(words[1:])]


def _shown(listing: str, line: str) -> bool:
    """Whether a listing has the statement (itself, or with the statements under it)."""
    shown = listing.splitlines()
    return all(any(have == want or have.startswith(want + " ") for have in shown)
               for want in _listed(line))


def accepted_lines() -> tuple[int, int]:
    """Real configuration lines the lab takes and lists back right after (a later line of the
    same file may replace a value, as on the device)."""
    ok = total = 0
    for _, lines in real_configs():
        cli = session()
        for line in config_lines(lines):
            total += 1
            ok += not refused(cli.handle(line)) and _shown(cli.handle("show | display set"), line)
    return ok, total


MUTATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^set (\S+)"), r"set \1zz"),
    (re.compile(r"^set (system|security) (\S+)"), r"set \1 \2zz"),
    (re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"), r"\1.\2.\3.256"),
    (re.compile(r"\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/\d{1,2}\b"), r"\1/33"),
    (re.compile(r"\b((?:destination|source)-port) \d+\b"), r"\1 65536"),
)


def rejected_lines() -> tuple[int, int]:
    """Broken real ``set`` lines the lab refuses with JunOS's error text."""
    ok = total = 0
    for _, lines in real_configs():
        cli = session()
        for line in config_lines(lines):
            if line.startswith("set ") and not refused(cli.handle(line)):
                for broken in broken_variants(line, MUTATIONS):
                    total += 1
                    ok += refused(cli.handle(broken))
    return ok, total


def figure_commands() -> tuple[tuple[int, int], tuple[int, int]]:
    """Commands answered and parsed; template fields populated like the real samples."""
    cli = JunosDevice(HOST["name"], HOST).new_session("fidelity", "")
    answered, fields = [], []
    for command, samples in COMMANDS.items():
        figures = [sample_figures(PLATFORM, {command: f"ntc/juniper_junos_{name}.raw"}, cli.handle)
                   for name in samples]
        answered.append(figures[0][0])
        fields += [figure[1] for figure in figures]
    return add(*answered), add(*fields)


def _time_scale(scale: str) -> str | None:
    previous = os.environ.get(TIME_SCALE_ENV)
    os.environ[TIME_SCALE_ENV] = scale
    return previous


def commit_confirm() -> tuple[int, int]:
    """Commit confirmed's steps on a lab SRX, timer included (at a fast lab time scale)."""
    previous = _time_scale("1000")
    try:
        cli = session()
        steps = []
        cli.handle('set system login message "revert-me"')
        answer = cli.handle("commit confirmed 1")
        steps.append("commit confirmed will be automatically rolled back in 1 minutes" in answer)
        steps.append("revert-me" in cli.handle("run show configuration system login | display set"))
        time.sleep(real_seconds(70))
        steps.append("revert-me" not in cli.handle("run show configuration system login | display set"))
        cli.handle('set system login message "keep-me"')
        cli.handle("commit confirmed 1")
        steps.append("commit complete" in cli.handle("commit"))
        time.sleep(real_seconds(70))
        steps.append("keep-me" in cli.handle("run show configuration system login | display set"))
        # rollback 1 is the commit confirmed's own configuration; 2 is the one before it
        steps.append(not refused(cli.handle("rollback 2")) and "commit complete" in cli.handle("commit"))
        steps.append("keep-me" not in cli.handle("run show configuration system login | display set"))
        cli.handle("set security policies from-zone trust to-zone untrust policy X match "
                   "source-address KHONG-CO")
        steps.append("configuration check-out failed" in cli.handle("commit"))
        steps.append(len(cli.handle("run show system commit").splitlines()) >= 4)
    finally:
        if previous is None:
            del os.environ[TIME_SCALE_ENV]
        else:
            os.environ[TIME_SCALE_ENV] = previous
    return sum(steps), len(steps)


def measure() -> dict[str, tuple[int, int]]:
    """Every JunOS figure."""
    commands, fields = figure_commands()
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_lines(),
            "invalid lines rejected": rejected_lines(), "commit-confirm": commit_confirm()}


if __name__ == "__main__":
    for name, (good, total) in measure().items():
        print(f"{name:24} {good:5}/{total:<5} {100 * good / max(total, 1):5.1f}%")
