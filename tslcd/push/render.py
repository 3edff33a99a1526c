"""Rendering change templates per host, strictly: a missing variable fails before any device is touched.

Templates live in ``templates/<platform>/<name>.j2``. A template may start with a selection comment
``{#- applies-to: role=router #}`` written in the ``--filter`` syntax: hosts it does not match are
skipped (the restructuring of agency routers must never reach a switch), not failed.
Variables: the host's data (groups and defaults inherited) with ``name``/``hostname``/``platform``,
overridden by the change file's top-level keys, overridden by its ``hosts: {NAME: {...}}`` entry.
"""

from __future__ import annotations

import ipaddress
import re
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from tslcd import yamlsafe
from tslcd.errors import InputError
from tslcd.inventory.filters import predicate
from tslcd.inventory.model import HostInfo, Inventory

APPLIES_TO = re.compile(r"^\{#-?\s*applies-to:\s*(?P<expr>.*?)\s*-?#\}")


class RenderError(InputError):
    """A template could not be rendered for a host; the message names host, template, line, variable."""


@dataclass(frozen=True)
class Rendered:
    """One host's rendered change (``text`` empty and ``skipped`` set when the template does not apply)."""

    host: str
    platform: str
    template: str
    text: str
    skipped: str | None = None

    @property
    def lines(self) -> list[str]:
        """Non-blank lines of the rendered text."""
        return [line for line in self.text.splitlines() if line.strip()]


@dataclass
class ChangeVars:
    """Variables from ``--vars change.yaml``: shared ones and per-host overrides."""

    shared: dict[str, Any] = field(default_factory=dict)
    per_host: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None

    def for_host(self, name: str) -> dict[str, Any]:
        """Shared variables with this host's overrides applied."""
        return {**self.shared, **self.per_host.get(name, {})}

    def as_record(self) -> dict[str, Any]:
        """The variables as stored in the change log."""
        return {**self.shared, "hosts": self.per_host} if self.per_host else dict(self.shared)


def load_vars(path: Path | None) -> ChangeVars:
    """Read a change-variables file; no file means no change variables."""
    if path is None:
        return ChangeVars()
    if not path.is_file():
        raise InputError(f"variables file {path} does not exist")
    try:
        raw = yamlsafe.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: the variables file must be a mapping")
    per_host = raw.pop("hosts", None) or {}
    if not isinstance(per_host, dict) or not all(isinstance(v, dict) for v in per_host.values()):
        raise InputError(f"{path}: 'hosts' must map host names to mappings of variables")
    return ChangeVars(shared=raw, per_host=per_host, source=str(path))


# --- filters: addressing arithmetic the templates need ------------------------------------------

def _net(value: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(str(value), strict=False)


def network(value: str) -> str:
    """``10.10.1.0/24`` -> ``10.10.1.0``."""
    return str(_net(value).network_address)


def netmask(value: str) -> str:
    """``10.10.1.0/24`` -> ``255.255.255.0``."""
    return str(_net(value).netmask)


def wildcard(value: str) -> str:
    """``10.10.1.0/24`` -> ``0.0.0.255`` (IOS ACL wildcard)."""
    return str(_net(value).hostmask)


def nth_host(value: str, index: int) -> str:
    """The index-th address of a prefix (1 = first usable): ``10.254.0.4/30 | nth_host(2)`` -> .6."""
    net = _net(value)
    if not 0 < index < net.num_addresses:
        raise ValueError(f"{value} has no host number {index}")
    return str(net.network_address + index)


def subnet_index(value: str, within: str) -> int:
    """Which subnet of its size ``value`` is inside ``within`` (10.254.0.4/30 in 10.254.0.0/16 -> 1)."""
    net, parent = _net(value), _net(within)
    if not net.subnet_of(parent):
        raise ValueError(f"{value} is not inside {within}")
    return (int(net.network_address) - int(parent.network_address)) // net.num_addresses


def nth_subnet(pool: str, prefixlen: int, index: int) -> str:
    """The index-th subnet of a size inside a pool: ``10.253.0.0/16 | nth_subnet(30, 1)`` -> .4/30."""
    net = _net(pool)
    size = 2 ** (32 - int(prefixlen))
    if not 0 <= index < net.num_addresses // size:
        raise ValueError(f"{pool} has no /{prefixlen} number {index}")
    return f"{net.network_address + index * size}/{prefixlen}"


FILTERS = {"network": network, "netmask": netmask, "wildcard": wildcard, "nth_host": nth_host,
           "subnet_index": subnet_index, "nth_subnet": nth_subnet}


@cache
def _environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir), encoding="utf-8"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True, autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def template_path(templates_dir: Path, platform: str, name: str) -> str:
    """The loader name of a template: ``<platform>/<name>.j2``."""
    return f"{platform}/{name.removesuffix('.j2')}.j2"


def available(templates_dir: Path) -> dict[str, list[str]]:
    """Template names and the platforms each exists for."""
    found: dict[str, list[str]] = {}
    for path in sorted(templates_dir.glob("*/*.j2")):
        found.setdefault(path.stem, []).append(path.parent.name)
    return found


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The line of the template where rendering failed (Jinja maps its frames to template lines)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename and frame.filename == filename:
            line = frame.lineno
    return line


class Renderer:
    """Renders one template for many hosts; compiled once, strict about undefined variables."""

    def __init__(self, templates_dir: Path, name: str, inventory: Inventory,
                 change_vars: ChangeVars | None = None) -> None:
        """Check that the template exists for at least one platform."""
        self.templates_dir = templates_dir
        self.name = name.removesuffix(".j2")
        self.inventory = inventory
        self.vars = change_vars or ChangeVars()
        self.platforms = available(templates_dir).get(self.name, [])
        if not self.platforms:
            known = ", ".join(sorted(available(templates_dir))) or "none"
            raise InputError(f"no template {self.name!r} in {templates_dir} (templates: {known})")

    def _template(self, platform: str) -> jinja2.Template:
        try:
            return _environment(self.templates_dir).get_template(
                template_path(self.templates_dir, platform, self.name))
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"template {exc.filename}, line {exc.lineno}: {exc.message}") from None

    def _applies(self, platform: str, host: HostInfo) -> str | None:
        """Why the template does not apply to a host (None: it applies)."""
        if platform not in self.platforms:
            return f"no {self.name} template for platform {platform}"
        source = (self.templates_dir / template_path(self.templates_dir, platform, self.name))
        first = source.read_text(encoding="utf-8").split("\n", 1)[0]
        match = APPLIES_TO.match(first)
        if match and not predicate([match["expr"]], self.inventory)(host):
            return f"template applies to {match['expr']}"
        return None

    def render(self, host: HostInfo) -> Rendered:
        """The host's rendered change, or a skip; raises RenderError naming host, template, line, variable."""
        skipped = self._applies(host.platform, host)
        if skipped:
            return Rendered(host.name, host.platform, self.name, "", skipped)
        template = self._template(host.platform)
        variables = {**host.flat(), **self.vars.for_host(host.name)}
        where = f"host {host.name}: template {template_path(self.templates_dir, host.platform, self.name)}"
        try:
            text = template.render(variables)
        except jinja2.UndefinedError as exc:
            line = _template_line(exc, template.filename)
            raise RenderError(f"{where}, line {line}: undefined variable: {_variable(exc)}") from None
        except jinja2.TemplateError as exc:
            raise RenderError(f"{where}: {exc}") from None
        except (ValueError, TypeError) as exc:  # a filter refusing bad data (an address that is not one)
            line = _template_line(exc, template.filename)
            raise RenderError(f"{where}, line {line}: {exc}") from None
        return Rendered(host.name, host.platform, self.name, _tidy(text))

    def render_all(self, hosts: list[HostInfo]) -> list[Rendered]:
        """Render every host first, so one bad host stops the run before any device is touched."""
        return [self.render(host) for host in hosts]


def _variable(exc: jinja2.UndefinedError) -> str:
    """The missing name from Jinja's message (``'x' is undefined`` / ``... has no attribute 'x'``)."""
    message = str(exc.message or exc)
    found = re.findall(r"'([^']+)'", message)
    if "has no attribute" in message and len(found) >= 2:
        return f"{found[-1]} (of {found[0]})"
    return found[0] if found else message


def _tidy(text: str) -> str:
    """Strip trailing spaces and blank-line runs so equal changes compare equal."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


