"""How closely the lab FortiGate behaves like a real FortiGate, measured against real material.

Figures (``measure()``: name -> (behaves like the real device, total)):

- ``commands``: the ``get`` commands tslcd and its operators run whose real output ntc-templates
  has samples of; the lab must answer and its output must parse with the same template.
- ``template fields``: the fields those real samples populate; each counts when the lab's output
  populates it too.
- ``real lines accepted``: every line of Batfish's FortiOS test configurations, minus the files
  written to be invalid (``*warn*``, ``*bad*``, ``*invalid*``, ``*recovery*``), typed into a lab
  FortiGate's CLI. Lines naming what Batfish calls ``undefined`` count under the next figure.
- ``invalid lines rejected``: the accepted ``set`` lines, each broken in one way a real FortiGate
  refuses (a misspelt attribute, an octet above 255, a non-contiguous mask, a port above 65535, a
  reference to an entry that does not exist); each counts when the lab refuses it with FortiOS's
  error text, as must Batfish's references to undefined names (``command parse error before``,
  ``entry not found in datasource``, ``Command fail.``, ``Unknown
  action`` at the top level).
- ``commit-confirm``: revert mode (``set cfg-save revert``): set, an unconfirmed change reverted
  when ``cfg-revert-timeout`` passes, ``execute cfg save`` keeping one (branch change-safety
  emulates it; until then this figure is measured and printed, not held to the goal).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

from tests.lab.conformance.fidelity import broken_variants, read, real_files, sample_figures, statements
from tslcd.lab.models.base import TIME_SCALE_ENV, real_seconds
from tslcd.lab.models.fortinet import FortinetDevice

PLATFORM = "fortinet"
HOST = {
    "name": "skhdt-fw1", "hostname": "127.21.3.2", "platform": "fortinet", "agency_code": "SKHDT",
    "agency_name": "So Ke hoach va Dau tu", "agency_type": "so", "district": "long-xuyen",
    "district_name": "Long Xuyen", "role": "firewall", "lan_prefix": "10.10.3.0/24",
    "wan_prefix": "10.254.0.12/30", "circuit_id": "TSLCD-AGG-0003", "bandwidth_mbps": 100,
}
COMMANDS = {
    "get system interface": "ntc/fortinet_get_system_interface*.raw",
    "get router info routing-table all": "ntc/*routing-table_all*.raw",
    "get system ha status": "ntc/*ha_status*.raw",
    "get system status": "ntc/*system_status*.raw",
}
#: Batfish's names for references it means to be undefined (invalid on a real FortiGate).
UNDEFINED = re.compile(r"undefined", re.IGNORECASE)
INVALID_FILE = re.compile(r"warn|bad|invalid|recovery")
ERROR = re.compile(r"command parse error|Command fail|entry not found|Unknown action")


def refused(output: str) -> bool:
    """FortiOS's refusals."""
    return bool(ERROR.search(output))


def real_configs() -> list[tuple[str, list[str]]]:
    """(file name, lines) of Batfish's valid FortiOS test configurations."""
    return [(p.name, read(p).splitlines()) for p in real_files(PLATFORM, "batfish/*")
            if not INVALID_FILE.search(p.name)]


def config_lines(lines: list[str]) -> Iterator[str]:
    """Configuration lines without blank lines and ``#`` comments."""
    return statements(lines)


def load_config(lines: list[str]):
    """Type a configuration into a fresh lab FortiGate: the session and (line, output) per line."""
    cli = FortinetDevice(HOST["name"], HOST).new_session("admin", "")
    return cli, [(line, cli.handle(line)) for line in config_lines(lines)]


def accepted_lines() -> tuple[int, int]:
    """Real configuration lines the lab accepts."""
    ok = total = 0
    for _, lines in real_configs():
        _, results = load_config(lines)
        valid = [out for line, out in results if not UNDEFINED.search(line)]
        ok += sum(not refused(out) for out in valid)
        total += len(valid)
    return ok, total


MUTATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^set (\S+)"), r"set \1zz"),
    (re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"), r"\1.\2.\3.256"),
    (re.compile(r"\b255\.255\.255\.(0|128|192|224|240|248|252)\b"), "255.0.255.0"),
    (re.compile(r"^(set (?:tcp|udp)-portrange) \S+"), r"\1 65536"),
    (re.compile(r'^(set (?:srcaddr|dstaddr|service|member|srcintf|dstintf)) "?[^"\s]+"?'),
     r'\1 "no-such-entry"'),
)


def rejected_lines() -> tuple[int, int]:
    """Broken real ``set`` lines the lab refuses with FortiOS's error text."""
    ok = total = 0
    for _, lines in real_configs():
        _, results = load_config(lines)
        # Replay with each broken line typed just before its original line, in the same context.
        cli, _ = load_config([])
        for line, output in results:
            if UNDEFINED.search(line):
                total += 1
                ok += refused(output)
            elif line.startswith("set ") and not refused(output) and "comment" not in line:
                for broken in broken_variants(line, MUTATIONS):
                    total += 1
                    ok += refused(cli.handle(broken))
            cli.handle(line)
    return ok, total


#: Before the commands run the lab FortiGate gets what most real samples' devices have: an HA
#: pair (active-passive) and a VLAN interface.
HA_SETUP = ("config system ha", "set mode a-p", "set group-id 28", 'set hbdev "port3" 50', "end",
            "config system interface", 'edit "vlan10"', "set vdom root", "set type vlan",
            'set interface "lan"', "set vlanid 10", "set ip 10.10.10.1 255.255.255.0", "next", "end")


def figure_commands() -> tuple[tuple[int, int], tuple[int, int]]:
    """Commands answered and parsed; template fields populated like the real samples."""
    cli, _ = load_config(list(HA_SETUP))
    return sample_figures(PLATFORM, COMMANDS, cli.handle)


#: Revert mode (FortiOS's commit-confirm), as the FortiOS CLI reference sets it up.
REVERT_MODE = ("config system global", "set cfg-save revert", "set cfg-revert-timeout 10", "end")


def commit_confirm() -> tuple[int, int]:
    """Revert mode's steps: it can be set, an unconfirmed change is reverted when the timeout
    passes (at the lab's time scale), ``execute cfg save`` keeps a change."""
    cli, results = load_config(list(REVERT_MODE))
    steps = [not any(refused(out) for _, out in results)]
    if steps[0]:
        previous = os.environ.get(TIME_SCALE_ENV)
        os.environ[TIME_SCALE_ENV] = "1000"
        try:
            cli.handle("config system global")
            cli.handle('set alias "revert-me"')
            cli.handle("end")
            time.sleep(real_seconds(12))
            steps.append("revert-me" not in cli.handle("show system global"))
            cli.handle("config system global")
            cli.handle('set alias "keep-me"')
            cli.handle("end")
            steps.append(not refused(cli.handle("execute cfg save")))
            time.sleep(real_seconds(12))
            steps.append("keep-me" in cli.handle("show system global"))
        finally:
            if previous is None:
                del os.environ[TIME_SCALE_ENV]
            else:
                os.environ[TIME_SCALE_ENV] = previous
    return sum(steps), 4


def measure() -> dict[str, tuple[int, int]]:
    """Every FortiOS figure."""
    commands, fields = figure_commands()
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_lines(),
            "invalid lines rejected": rejected_lines(), "commit-confirm": commit_confirm()}


if __name__ == "__main__":
    for name, (good, total) in measure().items():
        print(f"{name:24} {good:5}/{total:<5} {100 * good / max(total, 1):5.1f}%")
