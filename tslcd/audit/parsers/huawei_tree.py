"""VRP's displayed configuration as a tree: a view's lines are indented one space under it.

``display current-configuration`` separates top-level views with ``#`` lines and indents each
sub-view's lines by one more space; global commands between two ``#`` lines are themselves
indented by one space (`` sysname R1``), so the least-indented line of each ``#`` section is top
level. It may open with ``!`` comment lines (VRP V8) and closes with ``return``. Line numbers are
kept so every finding can point at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    """One configuration line and the lines of its sub-view."""

    line: int
    text: str
    children: list[Node] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The line split on blanks."""
        return self.text.split()


def vrp_tree(lines: list[str]) -> list[Node]:
    """Top-level nodes of the configuration (``#``/``!`` lines, blank lines and ``return`` skipped)."""
    top: list[Node] = []
    stack: list[tuple[int, Node]] = []
    base: int | None = None  # indent of the top level in the current "#" section
    for n, raw in enumerate(lines, start=1):
        text = raw.strip()
        if text.startswith("#"):
            stack, base = [], None
        if not text or text.startswith(("#", "!")) or text == "return":
            continue
        indent = len(raw) - len(raw.lstrip())
        if base is None or indent < base:
            base = indent
        node = Node(n, text)
        while stack and (stack[-1][0] >= indent or indent <= base):
            stack.pop()
        (stack[-1][1].children if stack else top).append(node)
        stack.append((indent, node))
    return top
