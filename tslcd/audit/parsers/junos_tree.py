"""JunOS configuration text, hierarchical (braces) or ``display set``, as one list of set statements.

The two formats say the same thing; the set form is the cleaner one to read (every statement
carries its full path, no nesting to track), so braces are flattened into it: ``a { b c; }``
becomes the statement ``a b c`` at the line of ``b c;``. ``[ x y ]`` lists become one statement
per element, as ``display set`` shows them. ``inactive:`` (braces) and ``deactivate PATH`` (set)
mark a path inactive. ``apply-groups`` copies the group's statements into place (groups with
wildcards are noted, not expanded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.common import problem

Path = tuple[str, ...]


@dataclass(frozen=True)
class Stmt:
    """One leaf statement: its full path of words and the line it came from."""

    words: Path
    line: int
    inactive: bool = False


@dataclass
class Config:
    """The statements of one configuration, with where each container starts and ends."""

    stmts: list[Stmt] = field(default_factory=list)
    opens: dict[Path, int] = field(default_factory=dict)  # container path -> first line
    closes: dict[Path, int] = field(default_factory=dict)  # container path -> last line
    inactive: set[Path] = field(default_factory=set)

    def add(self, words: Path, line: int, inactive: bool = False) -> None:
        """Record a statement and the containers it sits in."""
        for n in range(1, len(words)):
            prefix = words[:n]
            self.opens.setdefault(prefix, line)
            if self.closes.get(prefix, 0) < line:
                self.closes[prefix] = line
        self.stmts.append(Stmt(words, line, inactive or self.is_inactive(words)))

    def is_inactive(self, words: Path) -> bool:
        """True when the path or any container above it is deactivated."""
        return any(words[:n] in self.inactive for n in range(1, len(words) + 1))

    def under(self, *prefix: str) -> list[Stmt]:
        """Active statements below a path, in configuration order."""
        n = len(prefix)
        return [s for s in self.stmts if s.words[:n] == prefix and not s.inactive]


_WORD = re.compile(r'"((?:[^"\\]|\\.)*)"|([{};\[\]])|([^\s{};\[\]"]+)')
_PROMPT = re.compile(r"^\{(?:master|backup|primary|secondary|linecard|fpc)[^}]*\}$|^\S+@\S+[>#%]")
_FLAGS = ("inactive:", "replace:", "protect:", "active:")


def read_config(parsed: ParsedConfig) -> Config:
    """Statements of either format; raises `ParseProblem` for a file that is no JunOS configuration."""
    lines = parsed.lines
    body = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith(("#", "/*", "*"))]
    set_lines = sum(1 for ln in body if ln.startswith(("set ", "deactivate ", "delete ", "activate ")))
    config = Config()
    if body and set_lines * 2 >= len(body):
        _read_set(parsed, config)
    else:
        _read_braces(parsed, config)
    if body and not config.stmts:
        raise problem(parsed, 1, "not a JunOS configuration (no statement in braces or set form)")
    _apply_groups(parsed, config)
    return config


def _words(text: str) -> list[str]:
    """Words of a line; quotes removed, ``#`` comments dropped."""
    out: list[str] = []
    for quoted, punct, bare in _WORD.findall(text):
        if bare.startswith("#"):
            break
        out.append(punct or bare or quoted)
    return out


def _expand(words: list[str]) -> list[Path]:
    """``a [ x y ] b`` as ``a x b`` and ``a y b``."""
    if "[" not in words:
        return [tuple(words)]
    i = words.index("[")
    j = words.index("]", i) if "]" in words[i:] else len(words)
    return [(*words[:i], item, *words[j + 1 :]) for item in words[i + 1 : j]] or [tuple(words[:i])]


def _read_set(parsed: ParsedConfig, config: Config) -> None:
    for n, raw in enumerate(parsed.lines, start=1):
        text = raw.strip()
        if not text or text.startswith(("#", "/*")) or _PROMPT.match(text):
            continue
        words = _words(text)
        head, rest = words[0], words[1:]
        if head == "set" and rest:
            for path in _expand(rest):
                config.add(path, n)
        elif head == "deactivate" and rest:
            config.inactive.add(tuple(rest))
            config.stmts = [
                Stmt(s.words, s.line, s.inactive or config.is_inactive(s.words)) for s in config.stmts
            ]
        elif head == "activate":
            config.inactive.discard(tuple(rest))
        else:
            parsed.note(n, f"{head!r} line in a display-set configuration not analysed")


def _read_braces(parsed: ParsedConfig, config: Config) -> None:
    stack: list[list] = [[(), False, True]]  # [path, inactive, has children]
    words: list[str] = []
    start = 0
    flag_inactive = False
    in_comment = False
    for n, raw in enumerate(parsed.lines, start=1):
        text = raw.strip()
        if in_comment:
            if "*/" not in text:
                continue
            text, in_comment = text.split("*/", 1)[1], False
        while "/*" in text:
            before, _, after = text.partition("/*")
            if "*/" in after:
                text = before + " " + after.split("*/", 1)[1]
            else:
                text, in_comment = before, True
        if not text or _PROMPT.match(text):
            continue
        for word in _words(text):
            if word in _FLAGS and not words:
                flag_inactive = flag_inactive or word == "inactive:"
                continue
            if not words:
                start = n
            if word == "{":
                path, inactive, _ = stack[-1]
                stack[-1][2] = True
                new = (*path, *words)
                config.opens.setdefault(new, start)
                if flag_inactive:
                    config.inactive.add(new)
                stack.append([new, flag_inactive or inactive, False])
                words, flag_inactive = [], False
            elif word == "}":
                if words:
                    parsed.note(start, "statement without ';' before '}'; not analysed")
                    words = []
                if len(stack) == 1:
                    parsed.note(n, "'}' without an open block; ignored")
                    continue
                path, inactive, has_children = stack.pop()
                config.closes[path] = max(config.closes.get(path, 0), n)
                if not has_children and path:  # an empty container is a presence statement
                    config.add(path, config.opens[path], inactive)
            elif word == ";":
                path, inactive, _ = stack[-1]
                stack[-1][2] = True
                for full in _expand(words):
                    if flag_inactive:
                        config.inactive.add((*path, *full))
                    config.add((*path, *full), start, inactive or flag_inactive)
                words, flag_inactive = [], False
            else:
                words.append(word)
    if len(stack) > 1:
        parsed.note(config.opens.get(stack[-1][0], 1), "block is never closed with '}'; read to the end")


def _apply_groups(parsed: ParsedConfig, config: Config) -> None:
    """Copy each applied group's statements to where ``apply-groups`` names it."""
    groups: dict[str, list[Stmt]] = {}
    for s in config.stmts:
        if s.words[0] == "groups" and len(s.words) > 2:
            groups.setdefault(s.words[1], []).append(s)
    for s in [s for s in config.stmts if "apply-groups" in s.words and not s.inactive]:
        at = s.words.index("apply-groups")
        if s.words[0] == "groups" or at + 1 >= len(s.words):
            continue
        name, where = s.words[at + 1], s.words[:at]
        members = [g for g in groups.get(name, []) if g.words[2 : 2 + len(where)] == where]
        wild = [g for g in members if any(w.startswith("<") for w in g.words)]
        if wild:
            parsed.note(s.line, f"apply-groups {name}: wildcard statements (<...>) not expanded")
        if any(g.words[2] in ("firewall", "security") for g in members):
            parsed.note(
                s.line,
                f"apply-groups {name}: inherited filter terms/policies are placed "
                "after the configuration's own; JunOS merges them by path",
            )
        for g in members:
            if g not in wild:
                config.add(g.words[2:], g.line, g.inactive)
