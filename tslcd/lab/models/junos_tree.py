"""A JunOS configuration as a tree of words: what ``set``/``delete`` change and what is listed.

JunOS keeps a schema for every statement; the lab keeps what its users touch: every statement is a
path of words, a leaf is a statement, and the keywords that hold exactly one value
(`SINGLE_VALUE`) or one of exclusive choices (`EXCLUSIVE`) replace the old value when set again,
as on the device. ``show configuration | display set`` lists every leaf as ``set <path>`` in
the order the statements were created, inactive ones followed by their ``deactivate`` line; the
hierarchical listing puts the same tree in braces.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Keywords whose value replaces the previous one (JunOS leaves of a single value).
SINGLE_VALUE = frozenset({
    "host-name", "domain-name", "time-zone", "description", "encrypted-password", "class", "uid",
    "full-name", "mtu", "vlan-id", "native-vlan-id", "idle-timeout", "authentication-algorithm",
    "encryption-algorithm", "dh-group", "lifetime-seconds", "authentication-method", "ascii-text",
    "hexadecimal", "secret", "value", "connection-limit", "rate-limit", "router-id",
    "autonomous-system", "message", "authorization", "proposal-set", "external-interface",
    "ike-user-type", "local-identity",
    "remote-identity", "version", "inactivity-timeout", "retry", "timeout", "preference", "metric",
    "facility-override", "transport", "routing-instance", "source-address-name", "log-prefix",
})
#: Choices of which a statement holds one: setting one removes the others (a policy's action).
EXCLUSIVE: tuple[frozenset[str], ...] = (
    frozenset({"permit", "deny", "reject"}),
    frozenset({"accept", "discard"}),
)
#: A word: a quoted string (quotes kept), a bracket, or a run of anything else.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\[|\]|[^\s\[\]"]+')


def tokens(text: str) -> list[str]:
    """The words of a statement; a quoted string is one word (quotes kept)."""
    return _TOKEN.findall(text)


def expand(words: list[str]) -> list[list[str]]:
    """A statement's paths: ``a b [ c d ]`` is ``a b c`` and ``a b d``."""
    if "[" not in words:
        return [words]
    start = words.index("[")
    end = words.index("]", start) if "]" in words[start:] else len(words)
    head, values, tail = words[:start], words[start + 1:end], words[end + 1:]
    return [[*head, value, *tail] for value in values] or [head]


@dataclass
class Node:
    """One word of the configuration and what follows it."""

    children: dict[str, Node] = field(default_factory=dict)
    inactive: bool = False

    def clone(self) -> Node:
        """A deep copy (candidate and committed trees never share nodes)."""
        return copy.deepcopy(self)


def find(root: Node, path: list[str]) -> Node | None:
    """The node at ``path`` (None when it is not configured)."""
    node = root
    for word in path:
        child = node.children.get(word)
        if child is None:
            return None
        node = child
    return node


def add(root: Node, path: list[str]) -> bool:
    """``set <path>``: True when the tree changed."""
    node, changed = root, False
    for i, word in enumerate(path):
        if i > 0 and path[i - 1] in SINGLE_VALUE and i == len(path) - 1 and word not in node.children:
            if node.children:
                node.children.clear()
            changed = True
        for group in EXCLUSIVE:
            if word in group:
                for other in group - {word}:
                    if node.children.pop(other, None) is not None:
                        changed = True
        child = node.children.get(word)
        if child is None:
            child = node.children[word] = Node()
            changed = True
        node = child
    return changed


def remove(root: Node, path: list[str]) -> bool:
    """``delete <path>``: the statement and everything under it; empty parents go too."""
    trail = [root]
    for word in path:
        child = trail[-1].children.get(word)
        if child is None:
            return False
        trail.append(child)
    for depth in range(len(path) - 1, -1, -1):
        parent = trail[depth]
        if depth == len(path) - 1 or not trail[depth + 1].children:
            del parent.children[path[depth]]
        else:
            break
    return True


def set_active(root: Node, path: list[str], active: bool) -> bool:
    """``activate``/``deactivate <path>``: False when the statement is not configured."""
    node = find(root, path)
    if node is None:
        return False
    node.inactive = not active
    return True


def leaves(node: Node, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every statement (a path ending in a leaf) in creation order."""
    for word, child in node.children.items():
        path = (*prefix, word)
        if child.children:
            yield from leaves(child, path)
        else:
            yield path


def display_set(root: Node, prefix: tuple[str, ...] = ()) -> list[str]:
    """``show configuration | display set``: one ``set`` line per statement, then ``deactivate``
    after the last statement of each inactive part."""
    lines: list[str] = []

    def walk(node: Node, prefix: tuple[str, ...]) -> None:
        for word, child in node.children.items():
            path = (*prefix, word)
            if child.children:
                walk(child, path)
            else:
                lines.append("set " + " ".join(path))
            if child.inactive:
                lines.append("deactivate " + " ".join(path))

    walk(root, prefix)
    return lines


#: Statements named by an identifier: the listing puts the name on the statement's line.
IDENTIFIED = frozenset({
    "address", "address-set", "application", "application-set", "class", "community", "family", "filter",
    "from-zone", "gateway", "group", "host", "neighbor", "policy", "policy-statement", "pool",
    "proposal", "route", "rule", "rule-set", "security-zone", "server", "term", "to-zone", "unit",
    "user", "vpn", "file", "ids-option", "prefix-list",
})


def _block(lines: list[str], pad: str, head: str, node: Node, indent: int) -> None:
    """One statement: ``head;`` for a leaf, ``head value;`` for a single value, else a block."""
    mark = "inactive: " if node.inactive else ""
    if not node.children:
        lines.append(f"{pad}{mark}{head};")
        return
    only = next(iter(node.children.items())) if len(node.children) == 1 else None
    if only is not None and not only[1].children and not only[1].inactive:
        lines.append(f"{pad}{mark}{head} {only[0]};")
        return
    lines.append(f"{pad}{mark}{head} {{")
    lines.extend(hierarchical(node, indent + 1))
    lines.append(pad + "}")


def hierarchical(root: Node, indent: int = 0) -> list[str]:
    """The tree in braces, as ``show configuration`` prints it: a keyword and its single value
    share a line (``host-name fw1;``), a named statement its name (``policy P {``, ``from-zone
    trust to-zone untrust {``)."""
    lines: list[str] = []
    pad = "    " * indent
    for word, child in root.children.items():
        named = word in IDENTIFIED and all(n.children for n in child.children.values())
        if not named or not child.children:
            _block(lines, pad, word, child, indent)
            continue
        for name, entry in child.children.items():
            zones = entry.children.get("to-zone") if word == "from-zone" else None
            if zones is not None and len(entry.children) == 1 and not entry.inactive:
                for other, pair in zones.children.items():
                    _block(lines, pad, f"from-zone {name} to-zone {other}", pair, indent)
                continue
            _block(lines, pad, f"{word} {name}", entry, indent)
    return lines


def compare(old: Node, new: Node) -> list[str]:
    """``show | compare``: removed and added statements under the hierarchy they sit in."""
    before, after = set(leaves(old)), set(leaves(new))
    out: list[str] = []
    header = None
    changes = [("-", p) for p in leaves(old) if p not in after] + [("+", p) for p in leaves(new)
                                                                    if p not in before]
    for sign, path in changes:
        cut = 2 if len(path) > 1 and path[-2] in SINGLE_VALUE else 1
        parent = " ".join(path[:-cut])
        if parent != header:
            out.append(f"[edit {parent}]" if parent else "[edit]")
            header = parent
        out.append(f"{sign}   {' '.join(path[-cut:])};")
    return out


def from_set_lines(lines: list[str]) -> Node:
    """A tree from ``display set`` lines (a saved configuration); other lines are skipped."""
    root = Node()
    for line in lines:
        words = tokens(line)
        if not words:
            continue
        if words[0] == "set":
            for path in expand(words[1:]):
                add(root, path)
        elif words[0] == "deactivate":
            set_active(root, words[1:], False)
    return root
