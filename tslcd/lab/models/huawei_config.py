"""A VRP configuration as a tree of lines, read from and printed as ``display current-configuration``.

VRP prints one block per feature: a header at column 0, its children one space further in per
level, a ``#`` line between blocks (global one-line settings are grouped between ``#`` lines too)
and ``return`` at the end. Children keep the order they were entered in, except ACL rules, which
VRP lists by rule number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_RULE_NUMBER = re.compile(r"^rule (\d+)\b")
#: Blocks VRP prints as blocks even when empty (``interface NULL0``).
BLOCKS = ("interface ", "aaa", "acl ", "security-policy", "firewall zone ", "user-interface ")


@dataclass
class Node:
    """One configuration line and the lines under it."""

    text: str
    children: list[Node] = field(default_factory=list)

    def find(self, text: str) -> Node | None:
        """The child whose line is exactly ``text``."""
        return next((c for c in self.children if c.text == text), None)

    def copy(self) -> Node:
        """A deep copy (a candidate, an archive for rollback)."""
        return Node(self.text, [c.copy() for c in self.children])


def parse(text: str) -> Node:
    """A configuration listing as a tree (header comments, ``#`` and ``return`` lines dropped)."""
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith(("#", "!")) or line == "return":
            continue
        if line.startswith("[V") and line.endswith("]"):
            continue
        depth = len(line) - len(line.lstrip(" "))
        while stack[-1][0] >= depth:
            stack.pop()
        node = Node(line.strip())
        stack[-1][1].children.append(node)
        stack.append((depth, node))
    return root


def _ordered(node: Node) -> list[Node]:
    numbered = [c for c in node.children if _RULE_NUMBER.match(c.text)]
    if node.text.startswith("acl ") and numbered:
        rest = [c for c in node.children if not _RULE_NUMBER.match(c.text)]
        return rest + sorted(numbered, key=lambda c: int(_RULE_NUMBER.match(c.text)[1]))  # type: ignore[index]
    return node.children


def _lines(node: Node, depth: int) -> list[str]:
    out = [" " * depth + node.text]
    for child in _ordered(node):
        out += _lines(child, depth + 1)
    return out


def render(root: Node) -> list[str]:
    """The body of ``display current-configuration``: blocks and grouped settings, ``#`` between."""
    out: list[str] = ["#"]
    leaf_run = False
    for child in root.children:
        if child.children or child.text.startswith(BLOCKS):
            if leaf_run:
                out.append("#")
            out += _lines(child, 0)
            out.append("#")
            leaf_run = False
        else:
            out.append(child.text)
            leaf_run = True
    if leaf_run:
        out.append("#")
    out.append("return")
    return out
