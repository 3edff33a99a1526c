"""How closely the lab ASA behaves like a real ASA, measured against real material.

Figures (``measure()``: name -> (behaves like the real device, total)):

- ``commands``: the commands tslcd and its operators run whose real output ntc-templates has
  samples of; the lab must answer and its output must parse with the same template.
- ``template fields``: per real sample, the fields ntc-templates fills from it; each counts when
  the lab's output fills it too. Configuration listings (``show running-config ...``, ``show
  access-list``) run on a lab holding the sample's own configuration (the access lists rebuilt
  from the listing: `asa_acl_samples`); state listings (routes, failover, NAT, version) on a lab
  holding Batfish's configurations of those features.
- ``real lines accepted``: every configuration line of Batfish's ASA test configurations (minus
  the two files written to be invalid) and of ntc-templates' real ``show running-config``
  fragments (typed after what their device also had: its named interfaces, forward references),
  typed into a lab ASA in configuration mode. Batfish wrote its configurations for ASA 5500
  hardware: ``GigabitEthernet0/N`` / ``Ethernet0/N`` become the lab ASA 5516's
  ``GigabitEthernet1/N+1`` (``Management0/0``: ``Management1/1``); nothing else changes. Lines
  that name what their own configuration never defines (Batfish's ``UNDEFINED_GROUP``, a route
  over an interface name no interface has) are invalid on a real ASA: they count below.
- ``invalid lines rejected``: those lines, and every accepted line broken in one way a real ASA
  refuses (a misspelt command word, an octet above 255, a non-contiguous mask, a port above
  65535, an interface name that is not configured, an object that does not exist); each counts
  when the lab refuses it with the ASA's error text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tests.lab.conformance.asa_acl_samples import rebuild
from tests.lab.conformance.fidelity import (
    REAL,
    Figure,
    add,
    broken_variants,
    compare_fields,
    read,
    real_files,
)
from tslcd.lab.models.asa import AsaDevice, AsaSession

PLATFORM = "cisco_asa"
HOST = {
    "name": "stc-fw1", "hostname": "127.21.2.2", "platform": "cisco_asa", "agency_code": "STC",
    "agency_name": "So Tai chinh", "agency_type": "so", "district": "long-xuyen",
    "district_name": "Long Xuyen", "role": "firewall", "lan_prefix": "10.10.2.0/24",
    "wan_prefix": "10.254.0.8/30", "circuit_id": "TSLCD-AGG-0002", "bandwidth_mbps": 100,
    "domain": "angiang.gov.vn",
}
SECRET = "lab-enable"
#: command -> the ntc-templates sample folder stem of its real outputs.
COMMANDS = {
    "show access-list": "ntc/*show_access-list*.raw",
    "show route": "ntc/*show_route*.raw",
    "show interface ip brief": "ntc/*show_interface_ip_brief*.raw",
    "show failover": "ntc/*show_failover*.raw",
    "show xlate": "ntc/*show_xlate*.raw",
    "show version": "ntc/*show_version*.raw",
    "show running-config object network": "ntc/*show_running-config_object_network*.raw",
    "show running-config object service": "ntc/*show_running-config_object_service*.raw",
    "show running-config object-group service": "ntc/*show_running-config_object-group_service*.raw",
    "show running-config access-group": "ntc/*show_running-config_access-group*.raw",
}
#: Real configurations the lab is loaded with before the commands run (NAT, failover, routes).
CONFIGURED = ("asa-nat-object-static", "asa-failover", "asa-static-route", "asa-service-object")
INVALID_FILES = ("asa-logging-bad-port", "asa_dns_bad_ranges")
ERRORS = ("ERROR:", "WARNING: % ")
#: Lines before these are comments or the listing's header, not configuration.
#: Batfish's names for references it means to be undefined.
UNDEFINED = re.compile(r"undef", re.IGNORECASE)
NOT_CONFIG = re.compile(r"^\s*(!|:|ASA Version|Cryptochecksum|$)")


def session(asa: AsaDevice | None = None) -> AsaSession:
    """A privileged session on a fresh lab ASA (or ``asa``)."""
    cli = (asa or AsaDevice(HOST["name"], HOST)).new_session("admin", SECRET)
    assert isinstance(cli, AsaSession)
    for line in ("enable", SECRET, "terminal pager 0"):
        cli.handle(line)
    return cli


def refused(output: str) -> bool:
    """The ASA's refusals all start ERROR: (or the caret line above it)."""
    return any(line.lstrip().startswith("ERROR:") for line in output.splitlines())


def renumber(line: str) -> str:
    """ASA 5500 ports to the lab ASA 5516's (GigabitEthernet0/N -> GigabitEthernet1/N+1)."""
    line = re.sub(r"\b(?:Gigabit)?Ethernet0/(\d+)", lambda m: f"GigabitEthernet1/{int(m.group(1)) + 1}", line)
    return line.replace("Management0/0", "Management1/1")


def device_context(lines: list[str]) -> list[str]:
    """What the device a listing fragment came from also had: the interfaces it names, and its
    other objects (``forward-reference enable`` lets the fragment name them)."""
    named = sorted({n for line in lines for n in re.findall(r"\binterface ([^\s/]+)$", line)})
    return ["forward-reference enable", *(line for n, name in enumerate(named, start=1)
                                          for line in (f"interface GigabitEthernet1/{n}", f" nameif {name}"))]


def real_configs() -> list[tuple[str, list[str], list[str]]]:
    """(source name, configuration lines, device context) of every real configuration: Batfish's
    whole configurations, and ntc-templates' ``show running-config`` fragments in their context."""
    configs = [(p.name, read(p).splitlines(), []) for p in real_files(PLATFORM, "batfish/*")
               if p.name not in INVALID_FILES]
    for path in real_files(PLATFORM, "ntc/*show_running-config*.raw"):
        lines = read(path).splitlines()
        configs.append((path.name, lines, device_context(lines)))
    return configs


#: Names a configuration defines (interface names, objects, groups, access lists, time ranges).
DEFINITION = re.compile(r"^\s*(?:nameif|object(?:-group)? \S+|access-list|time-range|route-map) (\S+)",
                        re.MULTILINE)
MISSING = re.compile(r"[(<](\S+?)[)>] does not exist")
NAME_REFERENCES = (
    re.compile(r"\((\S+?),(\S+?)\)"), re.compile(r"^route (\S+)"),
    re.compile(r"^(?:logging|snmp-server) host (\S+)"),
    re.compile(r"^access-group \S+ (?:in|out) interface (\S+)"),
    re.compile(r"\bsource (?:static|dynamic) (\S+) (\S+)"), re.compile(r"\bdestination static (\S+) (\S+)"),
)


def undefined_reference(line: str, output: str, defined: set[str]) -> bool:
    """The line names something its configuration never defines: a real ASA refuses it too."""
    missing = MISSING.search(output)
    if missing:
        return missing.group(1) not in defined
    names = {n for pattern in NAME_REFERENCES for m in pattern.finditer(line.strip()) for n in m.groups()}
    keywords = ("any", "interface", "null0")
    return any(n not in defined and n not in keywords and not n[0].isdigit() for n in names)


def invalid_in_source(results: list[tuple[str, str]], text: str) -> set[int]:
    """Indexes of lines invalid in their own configuration (Batfish's undefined references)."""
    defined = set(DEFINITION.findall(text))
    return {i for i, (line, output) in enumerate(results)
            if (UNDEFINED.search(line) and not line.startswith("object"))
            or (refused(output) and undefined_reference(line, output, defined))}


def config_lines(lines: list[str]) -> Iterator[str]:
    """The configuration lines of a listing, renumbered for the lab's hardware."""
    for line in lines:
        if not NOT_CONFIG.match(line):
            yield renumber(line.rstrip())


def load_config(lines: list[str], context: list[str] = ()) -> tuple[AsaSession, list[tuple[str, str]]]:
    """Type a configuration (after its ``context``) into a fresh lab ASA: the session and
    (line, output) per line of ``lines``."""
    cli = session()
    for line in ("configure terminal", *context):
        cli.handle(line)
    return cli, [(line, cli.handle(line)) for line in config_lines(lines)]


def accepted_lines() -> tuple[int, int]:
    """Real configuration lines the lab accepts (lines invalid in their own source left out)."""
    ok = total = 0
    for _, lines, context in real_configs():
        _, results = load_config(lines, context)
        invalid = invalid_in_source(results, "\n".join(lines))
        valid = [out for i, (_, out) in enumerate(results) if i not in invalid]
        ok += sum(not refused(out) for out in valid)
        total += len(valid)
    return ok, total


MUTATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b(?! 255\.\d)"), r"\1.\2.\3.256"),
    (re.compile(r"\b255\.255\.255\.(0|128|192|224|240|248|252)\b"), "255.0.255.0"),
    (re.compile(r"\b(eq|range|lt|gt|neq) \S+"), r"\1 65536"),
    (re.compile(r"\((\w+),(\w+)\)"), r"(nosuchif,\2)"),
    (re.compile(r"\b(object|object-group) (?!network\b|service\b)(\S+)"), r"\1 no-such-object"),
)


def mutants(line: str) -> Iterator[str]:
    """Broken variants of one accepted line, each invalid on a real ASA."""
    head, _, tail = line.lstrip().partition(" ")
    indent = line[: len(line) - len(line.lstrip())]
    yield f"{indent}{head}zz {tail}".rstrip()
    yield from broken_variants(line, MUTATIONS)


def rejected_lines() -> tuple[int, int]:
    """Broken real lines the lab refuses with the ASA's error text."""
    ok = total = 0
    for _, lines, context in real_configs():
        cli, results = load_config(lines, context)
        invalid = invalid_in_source(results, "\n".join(lines))
        for index, (line, output) in enumerate(results):
            if index in invalid:
                total += 1
                ok += refused(output)
                continue
            free_text = line.lstrip().startswith(("no ", "description", "remark")) or " remark " in line
            if refused(output) or free_text:
                continue
            for broken in mutants(line):
                context = _context_line(results, line)
                if context:
                    cli.handle(context)
                total += 1
                ok += refused(cli.handle(broken))
                cli.handle("end")
                cli.handle("configure terminal")
    return ok, total


def _context_line(results: list[tuple[str, str]], line: str) -> str | None:
    """The sub-mode command an indented line belongs to (typed again before its mutant)."""
    if not line.startswith(" "):
        return None
    index = next(i for i, (text, _) in enumerate(results) if text == line)
    return next((text for text, _ in reversed(results[:index]) if not text.startswith(" ")), None)


def sample_lab(command: str, sample: str) -> AsaSession | None:
    """A lab ASA holding the configuration a real sample was listed from, when the listing shows
    it: a ``show running-config`` listing is configuration, a ``show access-list`` listing is
    rebuilt (`asa_acl_samples`); None for listings of operational state."""
    if command.startswith("show running-config"):
        lines = sample.splitlines()
    elif command == "show access-list":
        lines = rebuild(sample)
    else:
        return None
    cli, _ = load_config(lines, device_context(lines))
    cli.handle("end")
    return cli


def figure_commands() -> tuple[Figure, Figure]:
    """Commands answered and parsed; template fields populated like the real samples.

    State listings (routes, failover, NAT) run on a lab holding Batfish's configurations of
    those features; configuration listings run on a lab holding the sample's own configuration.
    """
    sources = [REAL / PLATFORM / "batfish" / name for name in CONFIGURED]
    configured, _ = load_config([line for path in sources for line in read(path).splitlines()])
    configured.handle("end")
    answered: list[Figure] = []
    fields: list[Figure] = []
    for command, pattern in COMMANDS.items():
        parsed = False
        for path in real_files(PLATFORM, pattern):
            sample = read(path)
            lab = (sample_lab(command, sample) or configured).handle(command)
            ok, field_figure = compare_fields(PLATFORM, command, sample, lab)
            parsed = parsed or bool(ok[0])
            fields.append(field_figure)
        answered.append((int(parsed), 1))
    return add(*answered), add(*fields)


def measure() -> dict[str, tuple[int, int]]:
    """Every ASA figure."""
    commands, fields = figure_commands()
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_lines(),
            "invalid lines rejected": rejected_lines()}


if __name__ == "__main__":
    for name, (good, total) in measure().items():
        print(f"{name:24} {good:5}/{total:<5} {100 * good / max(total, 1):5.1f}%")
