"""Rendering change templates per host, strictly: a missing variable fails before any device is touched.

Templates live in ``templates/<platform>/<name>.j2``. A template may start with a selection comment
``{#- applies-to: role=router #}`` written in the ``--filter`` syntax: hosts it does not match are
skipped (the restructuring of agency routers must never reach a switch), not failed.
Variables: the host's data (groups and defaults inherited) with ``name``/``hostname``/``platform``,
overridden by the change file's top-level keys, overridden by its ``hosts: {NAME: {...}}`` entry.

Variables are untrusted: a value with a line break would add device commands of its own, so it is
refused unless the template declares that variable multi-line with a comment anywhere in it:
``{# tslcd: multiline banner_text, motd #}``. Templates run in Jinja's sandbox with a bound on loop
iterations and output size, so a runaway template stops with an error naming template and line.
"""

from __future__ import annotations

import contextvars
import ipaddress
import math
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from tslcd import yamlsafe
from tslcd.errors import InputError
from tslcd.inventory.filters import predicate
from tslcd.inventory.model import HostInfo, Inventory

APPLIES_TO = re.compile(r"^\{#-?\s*applies-to:\s*(?P<expr>.*?)\s*-?#\}")
MULTILINE = re.compile(r"\{#-?\s*tslcd:\s*multiline\s+(?P<names>[\w\s,]+?)\s*-?#\}")
#: Characters that end a line for a device CLI or for Python's splitlines.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
MAX_LOOP_STEPS = 100_000  # loop iterations per host, all loops of the template together
MAX_OUTPUT = 1_000_000  # characters of rendered text per host


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


def prefixlen(value: str) -> int:
    """``10.10.1.0/24`` -> ``24`` (VRP address sets and routes take a length)."""
    return _net(value).prefixlen


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
           "subnet_index": subnet_index, "nth_subnet": nth_subnet, "prefixlen": prefixlen}


@dataclass
class _Budget:
    """What one rendering has used so far (loop iterations, characters produced)."""

    steps: int = 0
    output: int = 0


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("tslcd_render_budget")


class _CountingCodeGenerator(CodeGenerator):
    """Every loop body starts by charging one step to the rendering's budget."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        """Compile the loop with a budget step first in its body (recursive loops included)."""
        if not getattr(node, "tslcd_counted", False):
            step = nodes.Call(nodes.EnvironmentAttribute("tslcd_loop_step", lineno=node.lineno),
                              [], [], None, None, lineno=node.lineno)
            node.body.insert(0, nodes.ExprStmt(step, lineno=node.lineno))
            node.tslcd_counted = True  # type: ignore[attr-defined]
        super().visit_For(node, frame)


def _too_big(size: float) -> bool:
    return size > MAX_OUTPUT


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, plus bounds on loops, output and the operators that build huge values."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%"})

    def tslcd_loop_step(self) -> str:
        """Charge one loop iteration; refuse past the budget (also past the output bound)."""
        budget = _BUDGET.get()
        budget.steps += 1
        if budget.steps > MAX_LOOP_STEPS:
            raise SecurityError(f"more than {MAX_LOOP_STEPS} loop iterations (a runaway loop?)")
        if _too_big(budget.output):
            raise SecurityError(f"output larger than {MAX_OUTPUT} characters")
        return ""

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """``'x' * 10**9``, ``9 ** 9 ** 9`` and ``'%999999999s' % x`` are refused before they run."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int) and _too_big(
                        len(seq) * count):
                    raise SecurityError(f"repetition would exceed {MAX_OUTPUT} characters")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
                    and right * math.log2(abs(left)) > 4096):
                raise SecurityError("power too large")
        elif operator == "%" and isinstance(left, str) and any(
                _too_big(int(width)) for width in re.findall(r"%[-#0 +]*(\d+)", left)):
            raise SecurityError(f"format width would exceed {MAX_OUTPUT} characters")
        return super().call_binop(context, operator, left, right)


def _center(value: str, width: int = 80) -> str:
    if _too_big(width):
        raise SecurityError(f"center width would exceed {MAX_OUTPUT} characters")
    return str(value).center(width)


@cache
def _environment(templates_dir: Path) -> jinja2.Environment:
    env = _BoundedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates_dir), encoding="utf-8"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True, autoescape=False,
    )
    env.filters.update(FILTERS)
    env.filters["center"] = _center
    return env


def multiline_variables(source: str) -> set[str]:
    """Variables the template declares multi-line (``{# tslcd: multiline a, b #}``)."""
    return {name for match in MULTILINE.finditer(source)
            for name in re.split(r"[\s,]+", match["names"]) if name}


def _line_break_in(value: Any, path: str) -> str | None:
    """The path (``banner``, ``users[2].name``) of the first string holding a line break."""
    if isinstance(value, str):
        return path if LINE_BREAKS.search(value) else None
    if isinstance(value, dict):
        items: Iterable[tuple[str, Any]] = ((f"{path}.{k}", v) for k, v in value.items())
        for key in value:
            if isinstance(key, str) and LINE_BREAKS.search(key):
                return f"{path} (a key)"
    elif isinstance(value, list | tuple | set):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for sub_path, item in items:
        found = _line_break_in(item, sub_path)
        if found:
            return found
    return None


def _bounded(chunks: Iterator[str], budget: _Budget) -> Iterator[str]:
    """Count what the template produces; the next loop step refuses past the bound (naming its
    line), this refuses whatever no loop step catches."""
    for chunk in chunks:
        budget.output += len(chunk)
        if budget.output > 2 * MAX_OUTPUT:
            raise SecurityError(f"output larger than {MAX_OUTPUT} characters")
        yield chunk


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
        self._refuse_line_breaks(host.platform, variables, where)
        budget = _Budget()
        token = _BUDGET.set(budget)
        try:
            text = "".join(_bounded(template.generate(variables), budget))
            if _too_big(len(text)):
                raise SecurityError(f"output larger than {MAX_OUTPUT} characters")
        except jinja2.UndefinedError as exc:
            line = _template_line(exc, template.filename)
            raise RenderError(f"{where}, line {line}: undefined variable: {_variable(exc)}") from None
        except SecurityError as exc:
            line = _template_line(exc, template.filename)
            at = f"{where}, line {line}" if line else where
            raise RenderError(f"{at}: refused: {exc}") from None
        except RecursionError:
            raise RenderError(f"{where}: refused: macros or loops nested too deeply") from None
        except jinja2.TemplateError as exc:
            raise RenderError(f"{where}: {exc}") from None
        except (ValueError, TypeError, OverflowError) as exc:  # a filter refusing bad data
            line = _template_line(exc, template.filename)
            raise RenderError(f"{where}, line {line}: {exc}") from None
        finally:
            _BUDGET.reset(token)
        return Rendered(host.name, host.platform, self.name, _tidy(text))

    def _refuse_line_breaks(self, platform: str, variables: dict[str, Any], where: str) -> None:
        """A line break in a variable the template uses would inject commands of its own."""
        env = _environment(self.templates_dir)
        source = env.loader.get_source(env, template_path(self.templates_dir, platform, self.name))[0]
        allowed = multiline_variables(source)
        tree = env.parse(source)
        # an included or imported template sees every variable: then every variable is checked
        used = (set(variables) if any(True for _ in jinja2.meta.find_referenced_templates(tree))
                else jinja2.meta.find_undeclared_variables(tree))
        for name in sorted(used - allowed):
            found = _line_break_in(variables.get(name), name)
            if found:
                raise RenderError(
                    f"{where}: variable {found!r} contains a line break, which would add device "
                    f"commands; refused (if it is meant to span lines, mark it in the template: "
                    f"{{# tslcd: multiline {name} #}})")

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


