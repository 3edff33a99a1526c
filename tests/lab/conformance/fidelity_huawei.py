"""How closely the lab VRP V5 device (AR router, USG) behaves like a real one, on real material.

Figures (``measure()``: name -> (behaves like the real device, total)):

- ``commands``: the ``display`` commands ntc-templates has real huawei_vrp samples of; the lab's
  answer must parse with the same template.
- ``template fields``: per real sample, the fields the template fills from it; each counts when the
  lab's answer fills it too (``display version``: the samples of this VRP generation, 5.x here).
  ``display acl all`` runs on a lab holding the sample's own ACLs (their rules typed back in,
  without the hit counters a real device adds).
- ``real lines accepted``: configuration lines of napalm-huawei-vrp's test configurations and the
  ACL rules of ntc-templates' ``display acl all`` samples, typed in system view; each counts
  when the lab accepts it and lists it back as the device does.
- ``invalid lines rejected``: the lines those test configurations write as typos, and every
  accepted line broken in one way a real VRP refuses (a misspelt command word, an octet above
  255); each counts when the lab refuses it with VRP's ``Error: ... found at '^' position.``
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.lab.conformance.fidelity import Figure, add, broken_variants, compare_fields, read, real_files
from tests.lab.conformance.fidelity import template_rows as rows
from tslcd.lab.models.huawei import HuaweiDevice
from tslcd.lab.models.huawei_session import HuaweiSession

NTC = "huawei_vrp"  # ntc-templates' platform name
FOLDER = "huawei"
HOST = {
    "name": "ubnd-pt-r1", "hostname": "127.22.6.1", "platform": "huawei", "agency_code": "UBND-PT",
    "agency_name": "Uy ban nhan dan huyen Phu Tan", "role": "router", "lan_prefix": "10.11.6.0/24",
    "wan_prefix": "10.254.1.168/30", "circuit_id": "TSLCD-AGG-0106", "bandwidth_mbps": 50,
}
COMMANDS = {
    "display version": "ntc/huawei_vrp_display_version*.raw",
    "display interface brief": "ntc/huawei_vrp_display_interface_brief*.raw",
    "display acl all": "ntc/huawei_vrp_display_acl_all_1.raw",
    "display startup": "ntc/huawei_vrp_display_startup*.raw",
}
REFUSED = re.compile(r"^Error: (?:Unrecognized command|Wrong parameter|Incomplete command) found at "
                     r"'\^' position\.$", re.MULTILINE)
BREAK = ((re.compile(r"^(\s*)(\S)(\S)"), r"\1\3\2"),  # two letters of the command word swapped
         (re.compile(r"\b(\d+\.\d+\.\d+)\.\d+\b"), r"\1.300"))  # an octet above 255
_RULE = re.compile(r"^\s*(rule \d+ .*?)(?:\s+\(\d+ match(?:es)?\))?\s*$")
_ACL = re.compile(r"^(?:Basic|Advanced) ACL (?:(\S+) )?(\d+), \d+ rules?")


def session(device: HuaweiDevice | None = None) -> HuaweiSession:
    """A session in system view on a fresh lab AR router (or ``device``)."""
    cli = (device or HuaweiDevice(HOST["name"], HOST)).new_session("fidelity", "")
    assert isinstance(cli, HuaweiSession)
    cli.handle("screen-length 0 temporary")
    cli.handle("system-view")
    return cli


def acl_lines(text: str) -> list[str]:
    """The configuration lines of a ``display acl all`` listing's IPv4 ACLs."""
    lines: list[str] = []
    for raw in text.splitlines():
        if m := _ACL.match(raw.strip()):
            lines.append(f"acl name {m[1]} {m[2]}" if m[1] else f"acl number {m[2]}")
        elif (m := _RULE.match(raw)) and lines:
            lines.append(m[1].replace('description "', "description ").rstrip('"'))
    return lines


def typed(lines: list[str], make: Callable[[], HuaweiSession] = lambda: session(),
          commit: bool = False) -> tuple[Figure, list[str]]:
    """(accepted and listed back, lines accepted) of configuration lines typed in order
    (``commit``: each committed, on a two-stage device)."""
    cli = make()
    ok, accepted = 0, []
    for line in lines:
        answer = cli.handle(line)
        if line == "quit" or REFUSED.search(answer):
            continue
        if commit:
            cli.handle("commit")
        shown = cli.device.running_config() + "\n" + cli.handle("display acl all")
        if line.strip() in shown.replace('description "', "description ").replace('"\n', "\n"):
            ok += 1
            accepted.append(line)
    return (ok, sum(1 for line in lines if line != "quit")), accepted


def real_config_lines() -> tuple[list[str], list[str]]:
    """(configuration lines, lines written as typos) of the real test configurations."""
    good, typos = [], []
    for path in real_files(FOLDER, "napalm/*.conf"):
        for line in read(path).splitlines():
            if not line.strip() or line.strip() in ("#", "return"):
                continue
            (typos if path.stem.endswith("typo") and re.fullmatch(r"\s*[a-z]+", line) else good).append(line)
    for path in real_files(FOLDER, "ntc/huawei_vrp_display_acl_all_1.raw"):
        good += acl_lines(read(path))
    return good, typos


def rejected(lines: list[str], make: Callable[[], HuaweiSession] = lambda: session()) -> Figure:
    """Lines the lab refuses with VRP's error text (each typed in system view)."""
    cli = make()
    ok = 0
    for line in lines:
        ok += bool(REFUSED.search(cli.handle(line)))
        cli.handle("return")
        if cli.pending is not None:  # a two-stage device asks about uncommitted lines
            cli.handle("n")
        cli.handle("system-view")
    return ok, len(lines)


def display_figures(run: Callable[[str], str], acl_run: Callable[[str], str],
                    generation: str = "5") -> tuple[Figure, Figure]:
    """(commands, template fields) of the lab's answers against every real sample (``display
    version``: those of VRP ``generation``)."""
    answered: list[Figure] = []
    fields: list[Figure] = []
    for command, pattern in COMMANDS.items():
        lab = run(command)
        answered.append((int(bool(rows(NTC, command, lab))), 1))
        for path in real_files(FOLDER, pattern):
            real = read(path)
            if command == "display version" and f"Version {generation}." not in real:
                continue
            answer = acl_run(real) if command == "display acl all" else lab
            fields.append(compare_fields(NTC, command, real, answer)[1])
    return add(*answered), add(*fields)


def _acl_lab(real: str) -> str:
    cli = session()
    for line in acl_lines(real):
        cli.handle(line)
    return cli.handle("display acl all")


def measure() -> dict[str, Figure]:
    """Every figure of the lab VRP V5 device."""
    cli = session()
    commands, fields = display_figures(cli.handle, _acl_lab)
    good, typos = real_config_lines()
    accepted_figure, accepted = typed(good)
    broken = [b for line in accepted if not line.startswith(("acl ", "quit"))
              for b in broken_variants(line.strip(), BREAK)]
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_figure,
            "invalid lines rejected": rejected(typos + broken)}
