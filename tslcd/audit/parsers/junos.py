"""Juniper JunOS stored configuration (SRX firewalls and routers) into the rule model.

Either format (hierarchical braces or ``display set``) is read as set statements
(`junos_tree`); then objects (`junos_objects`), router firewall filters (`junos_filter`), SRX
security policies (`junos_srx`) and management facts (`junos_mgmt`).
"""

from __future__ import annotations

from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.common import new_config
from tslcd.audit.parsers.junos_filter import filters
from tslcd.audit.parsers.junos_mgmt import management
from tslcd.audit.parsers.junos_objects import Books, applications, prefix_lists
from tslcd.audit.parsers.junos_srx import policies
from tslcd.audit.parsers.junos_tree import read_config
from tslcd.audit.parsers.objects import Objects

_UNMODELLED = {
    "logical-systems": "logical systems (their filters and policies) not analysed",
    "tenants": "tenant systems (their policies) not analysed",
}


def parse(text: str, host: str = "", source: str = "") -> ParsedConfig:
    """Parse one JunOS configuration; raises `ParseProblem` only for a file that is no JunOS one."""
    parsed = new_config(host, "juniper_junos", text, source or host or "config")
    config = read_config(parsed)
    objects = Objects(parsed)
    books = Books(parsed, objects)
    books.read(config)
    prefix_lists(parsed, config, objects)
    applications(parsed, config, objects)
    filters(parsed, config, objects)
    policies(parsed, config, objects, books)
    management(parsed, config)
    objects.finish()
    for name, obj in list(parsed.objects.items()):
        if obj.line == 0:  # junos-defaults applications: the device's own, never "unused"
            del parsed.objects[name]
    noted: set[str] = set()
    for s in config.stmts:
        head = s.words[0]
        if head in _UNMODELLED and head not in noted and not s.inactive:
            noted.add(head)
            parsed.note(s.line, _UNMODELLED[head])
    return parsed
