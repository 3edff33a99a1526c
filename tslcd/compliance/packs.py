"""Compliance packs: the operator's YAML files of controls, loaded and checked with file:line.

A pack is data the province edits (``compliance/*.yaml``): which controls exist, which security
levels and platforms they apply to, how each is verified (a tslcd audit check, assertions on the
stored configuration, or by hand) and where its wording comes from. Every problem in a pack is
reported with the file and line, all at once, so a typo never silently weakens an inspection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tslcd import yamlsafe
from tslcd.audit.checks.registry import CHECKS
from tslcd.errors import InputError
from tslcd.platforms import PLATFORMS

LEVELS = (1, 2, 3, 4, 5)
PACK_KEYS = {"pack", "version", "title", "description", "standard", "sources", "controls"}
CONTROL_KEYS = {"id", "standard", "clause", "title", "levels", "platforms", "verify", "remediation",
                "source", "verified", "note"}
ASSERTION_KEYS = {"contains", "absent", "each", "block", "value", "scale", "min", "max", "default",
                  "describe"}
_Loader = yamlsafe.Loader


class PackError(InputError):
    """A compliance pack failed validation; ``problems`` lists every problem with file:line."""


@dataclass(frozen=True)
class Text:
    """A phrase in Vietnamese and English (the report's language picks one)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The phrase in ``lang`` ("vi" or "en"), falling back to the other when empty."""
        return (self.en or self.vi) if lang == "en" else (self.vi or self.en)


@dataclass(frozen=True)
class Assertion:
    """One test on a configuration's lines (regexes match lines with their indentation removed).

    - ``contains``: some line matches; with ``each``: every block whose header matches ``each``
      has a child line matching (with ``block``: only lines inside blocks whose header matches);
    - ``absent``: no line matches (same scoping);
    - ``value``: every line matching holds a number (its groups times ``scale``, summed) within
      ``min``..``max``; with ``each`` and ``default``, a block without such a line has the default.
    """

    contains: re.Pattern[str] | None = None
    absent: re.Pattern[str] | None = None
    each: re.Pattern[str] | None = None
    block: re.Pattern[str] | None = None
    value: re.Pattern[str] | None = None
    scale: tuple[float, ...] = (1.0,)
    min: float | None = None
    max: float | None = None
    default: float | None = None
    describe: str = ""


@dataclass(frozen=True)
class Verification:
    """How a control is verified: audit checks, config assertions per platform, or by hand."""

    checks: tuple[str, ...] = ()
    config: dict[str, tuple[Assertion, ...]] = field(default_factory=dict)
    manual: str = ""


@dataclass(frozen=True)
class Source:
    """Where a pack's wording comes from."""

    id: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Control:
    """One requirement an inspector checks."""

    id: str
    standard: str
    clause: str
    title: Text
    levels: tuple[int, ...]
    platforms: tuple[str, ...]
    verify: Verification
    remediation: Text
    source: str
    verified: bool
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Pack:
    """A named, versioned set of controls from one file."""

    name: str
    version: str
    title: Text
    standard: str
    sources: dict[str, Source]
    controls: tuple[Control, ...]
    path: Path
    description: Text = Text("", "")

    def control(self, control_id: str) -> Control:
        """A control by id (KeyError when the pack has none of that id)."""
        return next(c for c in self.controls if c.id == control_id)


def pack_files(folder: Path) -> list[Path]:
    """The pack files of a folder (``*.yaml``/``*.yml``), sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_packs(folder: Path) -> dict[str, Pack]:
    """Every pack of ``folder`` by name; all problems of all files raised together."""
    problems: list[str] = []
    packs: dict[str, Pack] = {}
    for path in pack_files(folder):
        pack = _load_pack(path, problems)
        if pack is None:
            continue
        if pack.name in packs:
            problems.append(f"{path}:1: pack {pack.name!r} is also defined in {packs[pack.name].path}")
            continue
        packs[pack.name] = pack
    if problems:
        raise PackError(f"{len(problems)} problem(s) in the compliance packs of {folder}", problems)
    return packs


def load_pack_file(path: Path) -> Pack:
    """One pack file, validated (a PackError lists every problem)."""
    problems: list[str] = []
    pack = _load_pack(path, problems)
    if problems or pack is None:
        raise PackError(f"{len(problems)} problem(s) in {path}", problems)
    return pack


# --- reading -------------------------------------------------------------------------------------

def _compose(path: Path, problems: list[str]) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return None
    try:
        return yamlsafe.compose(text)
    except yaml.YAMLError as exc:  # syntax errors and alias bombs, with their line
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problems.append(f"{where}: YAML syntax error: {getattr(exc, 'problem', None) or exc}")
        return None


def _plain(node: yaml.Node) -> Any:
    """A node's Python value (the safe constructor, no tags beyond YAML's own)."""
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _keyed(node: yaml.Node) -> dict[str, yaml.Node]:
    """The value nodes of a mapping node by key (empty for anything else)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _load_pack(path: Path, problems: list[str]) -> Pack | None:
    root = _compose(path, problems)
    if root is None:
        return None
    where = f"{path}:{_line(root)}"
    if not isinstance(root, yaml.MappingNode):
        problems.append(f"{where}: a compliance pack must be a mapping (pack, version, controls)")
        return None
    nodes = _keyed(root)
    for key in sorted(set(nodes) - PACK_KEYS):
        problems.append(f"{path}:{_line(nodes[key])}: unknown pack key {key!r} "
                        f"(valid: {', '.join(sorted(PACK_KEYS))})")
    before = len(problems)
    name = _string(path, nodes, "pack", problems, where)
    version = _string(path, nodes, "version", problems, where)
    title = _text(path, nodes.get("title"), "title", problems, where)
    description = _text(path, nodes.get("description"), "description", problems, where, required=False)
    sources = _sources(path, nodes.get("sources"), problems, where)
    standard = str(_plain(nodes["standard"])) if "standard" in nodes else ""
    controls: list[Control] = []
    seen: dict[str, int] = {}
    controls_node = nodes.get("controls")
    if not isinstance(controls_node, yaml.SequenceNode) or not controls_node.value:
        problems.append(f"{where}: 'controls' must be a non-empty list")
    else:
        for item in controls_node.value:
            id_node = _keyed(item).get("id")
            control_id = str(id_node.value) if isinstance(id_node, yaml.ScalarNode) else ""
            if control_id in seen:
                problems.append(f"{path}:{_line(item)}: control {control_id!r} is already defined "
                                f"at line {seen[control_id]}")
                continue
            seen[control_id] = _line(item)
            control = _control(path, item, standard, sources, problems)
            if control is not None:
                controls.append(control)
    if len(problems) > before:
        return None
    return Pack(name, version, title, standard, sources, tuple(controls), path, description)


def _string(path: Path, nodes: dict[str, yaml.Node], key: str, problems: list[str], where: str) -> str:
    node = nodes.get(key)
    value = _plain(node) if node is not None else None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        line = f"{path}:{_line(node)}" if node is not None else where
        problems.append(f"{line}: {key!r} must be a non-empty text")
        return ""
    return str(value)


def _text(path: Path, node: yaml.Node | None, key: str, problems: list[str], where: str, *,
          required: bool = True) -> Text:
    """``{vi: ..., en: ...}``; both languages are required so either report is complete."""
    if node is None:
        if required:
            problems.append(f"{where}: {key!r} is required ({{vi: ..., en: ...}})")
        return Text("", "")
    value = _plain(node)
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip()
                                              for k in ("vi", "en")):
        problems.append(f"{path}:{_line(node)}: {key!r} must give both 'vi' and 'en' texts")
        return Text("", "")
    extra = sorted(set(value) - {"vi", "en"})
    if extra:
        problems.append(f"{path}:{_line(node)}: {key!r}: unknown language {extra[0]!r} (use vi, en)")
    return Text(value["vi"].strip(), value["en"].strip())


def _sources(path: Path, node: yaml.Node | None, problems: list[str], where: str) -> dict[str, Source]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.append(f"{where}: 'sources' must list where the controls' wording comes from")
        return {}
    out: dict[str, Source] = {}
    for item in node.value:
        value = _plain(item)
        at = f"{path}:{_line(item)}"
        if not isinstance(value, dict) or not isinstance(value.get("id"), str) \
                or not isinstance(value.get("title"), str):
            problems.append(f"{at}: a source needs 'id' and 'title' (and optionally 'url', 'note')")
            continue
        extra = sorted(set(value) - {"id", "title", "url", "note"})
        if extra:
            problems.append(f"{at}: unknown source key {extra[0]!r}")
        out[value["id"]] = Source(value["id"], value["title"], str(value.get("url") or ""),
                                  str(value.get("note") or ""))
    return out


def _control(path: Path, node: yaml.Node, standard: str, sources: dict[str, Source],
             problems: list[str]) -> Control | None:
    line = _line(node)
    at = f"{path}:{line}"
    nodes = _keyed(node)
    if not nodes:
        problems.append(f"{at}: a control must be a mapping")
        return None
    before = len(problems)
    for key in sorted(set(nodes) - CONTROL_KEYS):
        problems.append(f"{path}:{_line(nodes[key])}: unknown control key {key!r} "
                        f"(valid: {', '.join(sorted(CONTROL_KEYS))})")
    control_id = _string(path, nodes, "id", problems, at)
    label = f"control {control_id!r}" if control_id else "control"
    clause = _string(path, nodes, "clause", problems, at)
    title = _text(path, nodes.get("title"), "title", problems, at)
    remediation = _text(path, nodes.get("remediation"), "remediation", problems, at)
    source = str(_plain(nodes["source"])) if "source" in nodes else ""
    if source not in sources:
        problems.append(f"{_at(path, nodes, 'source', at)}: {label}: 'source' must name one of the "
                        f"pack's sources ({', '.join(sorted(sources)) or 'none defined'})")
    verified = _plain(nodes["verified"]) if "verified" in nodes else None
    if not isinstance(verified, bool):
        problems.append(f"{_at(path, nodes, 'verified', at)}: {label}: 'verified' must be true (clause "
                        "read in the named source) or false")
    levels = _levels(path, nodes.get("levels"), label, problems, at)
    platforms = _platforms(path, nodes.get("platforms"), label, problems)
    verify = _verification(path, nodes.get("verify"), label, problems, at)
    if len(problems) > before:
        return None
    note = str(_plain(nodes["note"])) if "note" in nodes else ""
    ctl_standard = str(_plain(nodes["standard"])) if "standard" in nodes else standard
    return Control(control_id, ctl_standard, clause, title, levels, platforms, verify, remediation, source,
                   bool(verified), note, line)


def _at(path: Path, nodes: dict[str, yaml.Node], key: str, fallback: str) -> str:
    """``file:line`` of a key's value, or of its mapping when the key is missing."""
    return f"{path}:{_line(nodes[key])}" if key in nodes else fallback


def _levels(path: Path, node: yaml.Node | None, label: str, problems: list[str], at: str) -> tuple[int, ...]:
    value = _plain(node) if node is not None else None
    if not isinstance(value, list) or not value or not all(
            isinstance(v, int) and not isinstance(v, bool) and v in LEVELS for v in value):
        where = f"{path}:{_line(node)}" if node is not None else at
        problems.append(f"{where}: {label}: 'levels' must list security levels from 1 to 5")
        return ()
    return tuple(sorted(set(value)))


def _platforms(path: Path, node: yaml.Node | None, label: str, problems: list[str]) -> tuple[str, ...]:
    if node is None:
        return tuple(sorted(PLATFORMS))
    value = _plain(node)
    if not isinstance(value, list) or not value:
        problems.append(f"{path}:{_line(node)}: {label}: 'platforms' must be a list of platform names")
        return ()
    unknown = [p for p in value if p not in PLATFORMS]
    if unknown:
        problems.append(f"{path}:{_line(node)}: {label}: unknown platform {unknown[0]!r} "
                        f"(known: {', '.join(sorted(PLATFORMS))})")
    return tuple(value)


def _verification(path: Path, node: yaml.Node | None, label: str, problems: list[str],
                  at: str) -> Verification:
    nodes = _keyed(node) if node is not None else {}
    if not nodes or not set(nodes) & {"check", "config", "manual"}:
        where = f"{path}:{_line(node)}" if node is not None else at
        problems.append(f"{where}: {label}: 'verify' needs 'check' (audit check ids), 'config' "
                        "(assertions per platform) or 'manual' (how to verify by hand)")
        return Verification()
    for key in sorted(set(nodes) - {"check", "config", "manual"}):
        problems.append(f"{path}:{_line(nodes[key])}: {label}: unknown verify key {key!r}")
    checks: tuple[str, ...] = ()
    if "check" in nodes:
        raw = _plain(nodes["check"])
        checks = tuple(raw) if isinstance(raw, list) else (raw,)
        unknown = [c for c in checks if c not in CHECKS]
        if unknown:
            problems.append(f"{path}:{_line(nodes['check'])}: {label}: unknown audit check {unknown[0]!r} "
                            "(see `tslcd audit --help` for the check ids)")
    config: dict[str, tuple[Assertion, ...]] = {}
    for platform, list_node in _keyed(nodes.get("config")).items() if "config" in nodes else ():
        if platform not in PLATFORMS:
            problems.append(f"{path}:{_line(list_node)}: {label}: unknown platform {platform!r}")
            continue
        items = list_node.value if isinstance(list_node, yaml.SequenceNode) else []
        if not items:
            problems.append(f"{path}:{_line(list_node)}: {label}: {platform}: a list of assertions is needed")
        config[platform] = tuple(a for a in (_assertion(path, i, label, problems) for i in items) if a)
    manual = str(_plain(nodes["manual"])) if "manual" in nodes else ""
    return Verification(checks, config, manual)


def _regex(path: Path, node: yaml.Node, key: str, value: Any, label: str,
           problems: list[str]) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return re.compile(str(value))
    except re.error as exc:
        problems.append(f"{path}:{_line(node)}: {label}: {key}: not a valid regular expression ({exc})")
        return None


def _number(path: Path, node: yaml.Node, key: str, value: Any, label: str,
            problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{path}:{_line(node)}: {label}: {key} must be a number")
        return None
    return float(value)


def _assertion(path: Path, node: yaml.Node, label: str, problems: list[str]) -> Assertion | None:
    value = _plain(node)
    at = f"{path}:{_line(node)}"
    if not isinstance(value, dict):
        problems.append(f"{at}: {label}: an assertion must be a mapping (contains/absent/value ...)")
        return None
    for key in sorted(set(value) - ASSERTION_KEYS):
        problems.append(f"{at}: {label}: unknown assertion key {key!r} "
                        f"(valid: {', '.join(sorted(ASSERTION_KEYS))})")
    kinds = [k for k in ("contains", "absent", "value") if k in value]
    if len(kinds) != 1:
        problems.append(f"{at}: {label}: an assertion has exactly one of contains, absent, value")
        return None
    rx = {k: _regex(path, node, k, value.get(k), label, problems) for k in ("contains", "absent", "each",
                                                                           "block", "value")}
    scale = value.get("scale", [1])
    if not isinstance(scale, list) or not all(isinstance(s, (int, float)) for s in scale):
        problems.append(f"{at}: {label}: scale must be a list of numbers (one per group)")
        scale = [1]
    bounds = {k: _number(path, node, k, value.get(k), label, problems) for k in ("min", "max", "default")}
    if kinds == ["value"]:
        groups = rx["value"].groups if rx["value"] else 0
        if rx["value"] is not None and groups != len(scale):
            problems.append(f"{at}: {label}: value has {groups} group(s) but scale has "
                            f"{len(scale)} number(s)")
        if bounds["min"] is None and bounds["max"] is None:
            problems.append(f"{at}: {label}: value needs 'min' and/or 'max'")
    return Assertion(rx["contains"], rx["absent"], rx["each"], rx["block"], rx["value"],
                     tuple(float(s) for s in scale), bounds["min"], bounds["max"], bounds["default"],
                     str(value.get("describe") or ""))
