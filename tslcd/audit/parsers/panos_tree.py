"""A PAN-OS configuration in any of the forms it is exported in, as one tree with line numbers.

The XML of ``show config running`` / the XML API / a Panorama export, the ``set`` commands of
``set cli config-output-format set``, and the brace text the CLI shows by default all describe the
same tree: ``<entry name="R1">`` is a node named ``R1``, ``<member>`` elements and ``[ a b ]``
lists are a node's values, a leaf's text is its one value. The parser reads only that tree, so
each export form is read the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from tslcd.audit.model import ParsedConfig
from tslcd.audit.parsers.common import problem


@dataclass
class PNode:
    """One element of the configuration tree: its name, where it is, its values and children."""

    name: str
    line: int
    end_line: int = 0
    values: list[str] = field(default_factory=list)
    children: dict[str, PNode] = field(default_factory=dict)

    def child(self, *path: str) -> PNode | None:
        """The node at ``path`` below this one, if present."""
        node: PNode | None = self
        for part in path:
            node = node.children.get(part) if node is not None else None
        return node

    def get(self, *path: str, default: str = "") -> str:
        """The (last) value of the leaf at ``path``, or ``default``."""
        node = self.child(*path)
        return node.values[-1] if node is not None and node.values else default

    def members(self, *path: str) -> list[str]:
        """Every value of the node at ``path`` (a member list); empty when absent."""
        node = self.child(*path)
        return list(node.values) if node is not None else []

    def entries(self, *path: str) -> list[PNode]:
        """The named entries (children) of the node at ``path``, in configuration order."""
        node = self.child(*path)
        return list(node.children.values()) if node is not None else []

    def add(self, name: str, line: int) -> PNode:
        """The child ``name``, created at ``line`` when new (set lines add to existing nodes)."""
        node = self.children.get(name)
        if node is None:
            node = self.children[name] = PNode(name, line, line)
        node.end_line = max(node.end_line, line)
        return node


def parse_tree(parsed: ParsedConfig) -> PNode:
    """The configuration as a tree, whichever of the three forms it is in."""
    text = "\n".join(parsed.lines)
    first = next((ln.strip() for ln in parsed.lines if ln.strip()), "")
    if first.startswith("<"):
        return _xml(parsed, text)
    commands = [ln for ln in parsed.lines if ln.strip() and not ln.lstrip().startswith(("#", "!"))]
    verbs = [ln.split(None, 1)[0] in _SET_VERBS for ln in commands]
    if verbs and verbs.count(True) * 2 > len(verbs):
        return _set(parsed)
    if "{" in text:
        return _brace(parsed)
    raise problem(parsed, 1, "not a PAN-OS configuration (no XML, set commands or { } blocks)")


# --- XML -----------------------------------------------------------------------------------------


class _XmlHandler(ContentHandler):
    """Builds `PNode`s from SAX events, keeping each element's line."""

    def __init__(self) -> None:
        super().__init__()
        self.root = PNode("", 0)
        self.stack = [self.root]
        self.text: list[list[str]] = [[]]
        self.locator = None

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def _line(self) -> int:
        return self.locator.getLineNumber() if self.locator is not None else 0

    def startElement(self, name: str, attrs) -> None:
        parent = self.stack[-1]
        line = self._line()
        if name == "member":
            node = PNode("member", line, line)
        else:
            key = attrs.get("name", name) if name == "entry" else name
            node = parent.add(key, line)
        self.stack.append(node)
        self.text.append([])

    def characters(self, content: str) -> None:
        self.text[-1].append(content)

    def endElement(self, name: str) -> None:
        node = self.stack.pop()
        value = "".join(self.text.pop()).strip()
        parent = self.stack[-1]
        node.end_line = max(node.end_line, self._line())
        parent.end_line = max(parent.end_line, node.end_line)
        if name == "member":
            if value:
                parent.values.append(value)
        elif value and not node.children:
            node.values.append(value)


def _xml(parsed: ParsedConfig, text: str) -> PNode:
    handler = _XmlHandler()
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), handler)
    except SAXParseException as exc:
        raise problem(parsed, exc.getLineNumber(), f"XML not well-formed ({exc.getMessage()})") from None
    except DefusedXmlException as exc:
        why = f"XML refused ({type(exc).__name__}: entities and DTDs are not read)"
        raise problem(parsed, 1, why) from None
    root = handler.root
    for wrapper in (("response", "result"), ("result",)):
        inner = root.child(*wrapper)
        if inner is not None:
            root = inner
    return root.child("config") or root


# --- set commands --------------------------------------------------------------------------------

_SET_VERBS = frozenset({"set", "delete", "move", "edit", "up", "top", "exit"})
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|(\[|\]|\{|\}|;)|([^\s\[\]{};"\']+)', re.S)


def _tokens(text: str) -> list[str]:
    """Words of a set line or brace text: quoted values keep blanks, brackets stand alone."""
    out = []
    for dq, sq, punct, word in _TOKEN.findall(text):
        out.append(punct or word or (dq if dq or not sq else sq))
    return out


def _set(parsed: ParsedConfig) -> PNode:
    root = PNode("", 0)
    lines = parsed.lines
    n = 0
    while n < len(lines):
        start = n + 1
        raw = lines[n].strip()
        n += 1
        if not raw or raw.startswith(("#", "!")):
            continue
        while raw.count('"') % 2 == 1 and n < len(lines):  # a quoted value spanning lines
            raw += "\n" + lines[n]
            n += 1
        words = _tokens(raw)
        if not words:
            parsed.note(start, "unreadable line (unbalanced quote) not analysed")
            continue
        verb, rest = words[0], words[1:]
        if verb == "set" and rest:
            path, values = _split_path(rest)
            node = root
            for part in path:
                node = node.add(part, start)
            for v in values:
                if v not in node.values:
                    node.values.append(v)
        elif verb == "delete" and rest:
            _delete(root, rest)
        elif verb == "move" and len(rest) >= 2:
            _move(root, rest)
        else:
            parsed.note(start, f"PAN-OS command {verb!r} not analysed")
    return unwrap_config(root)


def _split_path(words: list[str]) -> tuple[list[str], list[str]]:
    """``a b c [ x y ]`` -> (a b c, x y); ``a b c v`` -> (a b c, v)."""
    if "[" in words:
        i = words.index("[")
        return words[:i], [w for w in words[i + 1 :] if w != "]"]
    if len(words) == 1:
        return words, []
    return words[:-1], words[-1:]


def _delete(root: PNode, words: list[str]) -> None:
    """``delete PATH`` removes a node; ``delete PATH VALUE`` removes one member of a list."""
    parent = root.child(*words[:-1])
    if parent is None:
        return
    if words[-1] in parent.children:
        del parent.children[words[-1]]
    elif words[-1] in parent.values:
        parent.values.remove(words[-1])


def _move(root: PNode, words: list[str]) -> None:
    """``move PATH top|bottom`` and ``move PATH before|after OTHER``: rule order changes."""
    for i, w in enumerate(words):
        if w in ("top", "bottom", "before", "after"):
            path, where, other = words[:i], w, words[i + 1] if i + 1 < len(words) else ""
            break
    else:
        return
    parent = root.child(*path[:-1])
    if parent is None or path[-1] not in parent.children:
        return
    node = parent.children.pop(path[-1])
    items = list(parent.children.items())
    if where == "top":
        at = 0
    elif where == "bottom" or other not in parent.children:
        at = len(items)
    else:
        at = [k for k, _ in items].index(other) + (1 if where == "after" else 0)
    items.insert(at, (node.name, node))
    parent.children = dict(items)


# --- brace text ----------------------------------------------------------------------------------


def _brace(parsed: ParsedConfig) -> PNode:
    """``name { ... }``, ``name value;``, ``name [ a b ];`` nested to any depth."""
    tokens = _brace_tokens(parsed)
    root = PNode("", 0)
    stack = [root]
    words: list[tuple[str, int]] = []
    in_list = False
    for tok, line in tokens:
        if tok == "[" and words:
            in_list = True
            words.append(("[", line))
        elif tok == "]":
            in_list = False
            words.append(("]", line))
        elif in_list:
            words.append((tok, line))
        elif tok == "{":
            node = stack[-1]
            for w, at in words or [("", line)]:
                node = node.add(w, at)
            stack.append(node)
            words = []
        elif tok == ";":
            _statement(stack[-1], words)
            words = []
        elif tok == "}":
            if words:
                _statement(stack[-1], words)
                words = []
            if len(stack) == 1:
                parsed.note(line, "'}' without a matching '{'; ignored")
                continue
            stack[-1].end_line = line
            stack.pop()
        else:
            words.append((tok, line))
    if len(stack) > 1:
        parsed.note(stack[-1].line, "block is never closed with '}'; read to the end of the file")
    if not root.children:
        raise problem(parsed, 1, "not a PAN-OS configuration (no { } blocks)")
    return unwrap_config(root)


def unwrap_config(root: PNode) -> PNode:
    """The ``config`` node when the text spells it out (``config { ... }``, ``set config ...``).

    Whatever stands beside it (``show config merged``'s ``policy { }``) is kept under it.
    """
    config = root.children.pop("config", None)
    if config is None:
        return root
    for name, node in root.children.items():
        config.children.setdefault(name, node)
    return config


def _statement(node: PNode, words: list[tuple[str, int]]) -> None:
    """One ``path value;`` statement under ``node``; a lone word is a value of ``node`` itself."""
    if not words:
        return
    names = [w for w, _ in words]
    if len(names) == 1:
        node.values.append(names[0])
        return
    path, values = _split_path(names)
    for w, at in words[: len(path)]:
        node = node.add(w, at)
    node.values.extend(values)


def _brace_tokens(parsed: ParsedConfig) -> list[tuple[str, int]]:
    """Tokens of the whole text with their lines; a quoted value may span lines (certificates).

    Comment lines (``#``, ``!``) and a leading command echo (``show config running``) are blanked
    first, keeping the line count.
    """
    kept = []
    for raw in parsed.lines:
        stripped = raw.strip()
        skip = stripped.startswith(("#", "!")) or (stripped.startswith("show ") and not any(kept))
        kept.append("" if skip else raw)
    text = "\n".join(kept)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    out = []
    for m in _TOKEN.finditer(text):
        dq, sq, punct, word = m.groups()
        out.append((punct or word or (dq if dq or not sq else sq), bisect.bisect_right(starts, m.start())))
    return out
