"""FortiOS ``config / edit / set / next / end`` text as a tree with line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.common import problem


@dataclass
class Setting:
    """One ``set KEY VALUE...`` line."""

    values: list[str]
    line: int


@dataclass
class Node:
    """A ``config PATH`` section or an ``edit NAME`` entry inside one."""

    name: str
    line: int
    settings: dict[str, Setting] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    end_line: int = 0

    def get(self, key: str, default: str = "") -> str:
        """The first value of a setting, or ``default``."""
        s = self.settings.get(key)
        return s.values[0] if s and s.values else default

    def values(self, key: str) -> list[str]:
        """All values of a setting (empty when unset)."""
        s = self.settings.get(key)
        return s.values if s else []

    def section(self, path: str) -> Node | None:
        """The child ``config PATH`` section, if present."""
        return next((c for c in self.children if c.name == path), None)


_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)', re.S)


def _split(text: str) -> list[str]:
    """Words of a ``set`` line; double-quoted values keep their blanks (FortiOS quoting)."""
    if '"' not in text:
        return text.split()
    return [q.replace('\\"', '"') if q or not bare else bare for q, bare in _TOKEN.findall(text)]


def parse_tree(parsed: ParsedConfig) -> Node:
    """The whole configuration as a tree; top-level sections are children of the root."""
    root = Node("", 0)
    stack = [root]
    lines = parsed.lines
    n = 0
    while n < len(lines):
        raw = lines[n].strip()
        n += 1
        if not raw or raw.startswith("#"):
            continue
        words = raw.split(None, 1)
        head, rest = words[0], words[1] if len(words) > 1 else ""
        if head == "config":
            node = Node(rest, n)
            stack[-1].children.append(node)
            stack.append(node)
        elif head == "edit":
            node = Node(_split(rest)[0] if rest else "", n)
            stack[-1].children.append(node)
            stack.append(node)
        elif head in ("next", "end"):
            if len(stack) == 1:
                parsed.note(n, f"{head!r} without a matching config/edit; ignored")
                continue
            stack[-1].end_line = n
            stack.pop()
        elif head in ("set", "unset", "append", "select"):
            start = n
            while _open_quote(rest) and n < len(lines):  # a quoted value that spans lines
                rest += "\n" + lines[n]
                n += 1
            parts = _split(rest)
            if head in ("set", "append") and parts:
                stack[-1].settings.setdefault(parts[0], Setting([], start))
                if head == "set":
                    stack[-1].settings[parts[0]] = Setting(parts[1:], start)
                else:
                    stack[-1].settings[parts[0]].values.extend(parts[1:])
        else:
            parsed.note(n, f"unexpected {head!r}: line not analysed")
    if len(stack) > 1:
        parsed.note(stack[-1].line, "section is never closed with end/next; read to the end of the file")
    if not root.children and any(line.strip() and not line.strip().startswith("#") for line in lines):
        raise problem(parsed, 1, "not a FortiOS configuration (no 'config' section)")
    return root


def _open_quote(text: str) -> bool:
    """True when ``text`` has an unclosed double quote (escaped quotes do not count)."""
    return text.replace("\\\\", "").replace('\\"', "").count('"') % 2 == 1
