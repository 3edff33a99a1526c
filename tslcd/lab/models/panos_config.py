"""A PAN-OS configuration tree: ``set`` and ``delete`` on it, and its set-format listing.

The tree is nested dicts keyed by the path's words: a leaf holds its value (str), a member list
its members (list), an entry or container its children (dict). An entry with no children is
listed on its own (``set address WEB``); a container left empty by a ``delete`` disappears, as
PAN-OS shows nothing for it.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from tslcd.lab.models.panos_schema import (
    OPAQUE,
    ROOT,
    Entries,
    Leaf,
    Members,
    Resolved,
    SyntaxErr,
    members,
    quote,
    resolve,
    valid,
)

Tree = dict[str, Any]


def _walk(tree: Tree, keys: tuple[str, ...]) -> Tree:
    """The dict at ``keys``, created on the way (a value met on the way becomes an entry)."""
    node = tree
    for key in keys:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {child: {}} if isinstance(child, str) else {}
            node[key] = child
        node = child
    return node


def set_path(tree: Tree, where: Resolved) -> None:
    """Apply one resolved ``set``: a leaf takes its value, a member list grows, an entry appears."""
    keys, node, values = where.keys, where.node, where.values
    if isinstance(node, Leaf):
        if len(values) != 1 or values[0] in ("[", "]") or not valid(node.kind, values[0]):
            raise SyntaxErr(" ".join(values))
        _walk(tree, keys[:-1])[keys[-1]] = values[0]
    elif isinstance(node, Members):
        parent = _walk(tree, keys[:-1])
        have = parent.get(keys[-1])
        have = have if isinstance(have, list) else []
        named = members(values, node.kind) if values else []
        parent[keys[-1]] = have + [m for m in named if m not in have]
    elif keys:  # an entry, a container or an opaque path: PAN-OS creates it empty
        _walk(tree, (*keys, *values))
    else:
        raise SyntaxErr("set")


def _prune(tree: Tree, keys: tuple[str, ...]) -> None:
    """Drop containers a delete left empty (entries stay: they exist without children)."""
    for depth in range(len(keys), 0, -1):
        parent = get(tree, keys[: depth - 1])
        child = parent.get(keys[depth - 1]) if isinstance(parent, dict) else None
        if child in ({}, []) and not resolve(ROOT, list(keys[:depth])).entry:
            del parent[keys[depth - 1]]


def delete_path(tree: Tree, where: Resolved) -> None:
    """Apply one resolved ``delete``: the node at the path (or the named members) goes.

    A path that is not configured is no error: the firewall has nothing to do.
    """
    keys, values = where.keys, where.values
    if isinstance(where.node, Members) and values:
        parent = get(tree, keys[:-1])
        have = parent.get(keys[-1]) if isinstance(parent, dict) else None
        if isinstance(have, list):
            gone = set(members(values, where.node.kind))
            parent[keys[-1]] = [m for m in have if m not in gone]
    else:
        if values and not (where.node == OPAQUE and len(values) == 1):
            raise SyntaxErr(" ".join(values))
        keys = keys + values
        parent = get(tree, keys[:-1])
        if isinstance(parent, dict):
            parent.pop(keys[-1], None)
    _prune(tree, keys)


def get(tree: Tree, keys: tuple[str, ...]) -> Any:
    """The node at ``keys`` (None when not configured)."""
    node: Any = tree
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _child(schema: object, key: str) -> object:
    """The schema of a tree node's child ``key`` (OPAQUE below what the schema names)."""
    if isinstance(schema, Entries):
        return schema.child
    if isinstance(schema, dict):
        return schema.get(key, OPAQUE)
    return OPAQUE


def _ordered(tree: Tree, schema: object) -> list[tuple[str, Any]]:
    """A container's children in schema order, as PAN-OS lists them; entries as created."""
    if not isinstance(schema, dict):
        return list(tree.items())
    rank = {key: n for n, key in enumerate(schema)}
    return sorted(tree.items(), key=lambda item: rank.get(item[0], len(rank)))


def render(tree: Any, prefix: tuple[str, ...] = (), schema: object = ROOT) -> list[str]:
    """The set-format listing of a (sub)tree: one ``set`` line per leaf, list and bare entry."""
    head = " ".join(quote(w) for w in prefix)
    if isinstance(tree, str):
        return [f"set {head} {quote(tree)}"]
    if isinstance(tree, list):
        if len(tree) == 1:
            return [f"set {head} {quote(tree[0])}"]
        return [f"set {head} [ " + " ".join(quote(m) for m in tree) + " ]"] if tree else []
    if not tree:
        return [f"set {head}"] if prefix else []
    lines: list[str] = []
    for key, child in _ordered(tree, schema):
        lines += render(child, (*prefix, key), _child(schema, key))
    return lines


def copy_tree(tree: Tree) -> Tree:
    """An independent copy (candidate and running never share nodes)."""
    return copy.deepcopy(tree)


def diff(running: Tree, candidate: Tree) -> str:
    """``show config diff``: the candidate against the running configuration, line by line."""
    lines = difflib.unified_diff(render(running), render(candidate), "running-config",
                                 "candidate-config", lineterm="", n=1)
    return "\n".join(lines)


def move(tree: Tree, keys: tuple[str, ...], where: str, other: str | None) -> None:
    """``move ... top|bottom|before X|after X``: reorder an entry among its siblings."""
    parent = get(tree, keys[:-1])
    name = keys[-1]
    if not isinstance(parent, dict) or name not in parent or (other is not None and other not in parent):
        raise SyntaxErr(name)
    items = [(k, v) for k, v in parent.items() if k != name]
    at = {"top": 0, "bottom": len(items)}.get(where)
    if at is None:
        at = [k for k, _ in items].index(str(other)) + (where == "after")
    items.insert(at, (name, parent[name]))
    parent.clear()
    parent.update(items)
