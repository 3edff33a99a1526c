"""YAML that cannot explode: every file tslcd reads is composed first and its alias expansion measured.

A YAML alias bomb ("billion laughs") is a few hundred bytes whose aliases expand to billions of
nodes. PyYAML builds it cheaply as shared references, but anything that walks the result (the
inventory checks, Nornir's merges, a JSON dump) then runs for ever. The composed node graph is
measured before anything is constructed: a recursive alias, or aliases that expand the document
far beyond its written size, is refused with the line of the offending alias.
"""

from __future__ import annotations

from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Expanded nodes always allowed (anchors reused for shared settings stay far below this).
MIN_BUDGET = 100_000
#: Beyond MIN_BUDGET, aliases may multiply the written document at most this many times.
MAX_FACTOR = 10


class ExpansionError(yaml.MarkedYAMLError):
    """The document's aliases expand too far, or an alias contains itself."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _shares_nodes(root: yaml.Node) -> bool:
    """True when some node is reached twice (only aliases do that): the common, alias-free file
    needs no further check."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def check_expansion(root: yaml.Node | None) -> None:
    """Raise ExpansionError when ``root`` expands beyond its budget or refers to itself.

    Linear in the number of distinct nodes: each node's expanded size is computed once.
    """
    if root is None or not _shares_nodes(root):
        return
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            state[key] = 2
            order.append(node)
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            raise ExpansionError(problem="recursive alias: a node contains itself",
                                 problem_mark=node.start_mark)
        state[key] = 1
        stack.append((node, True))
        for child in _children(node):
            if state.get(id(child)) == 1:
                raise ExpansionError(problem="recursive alias: a node contains itself",
                                     problem_mark=child.start_mark)
            if state.get(id(child)) != 2:
                stack.append((child, False))
    budget = max(MIN_BUDGET, MAX_FACTOR * len(order))
    for node in order:  # children before parents
        size = 1 + sum(sizes[id(child)] for child in _children(node))
        if size > budget:
            raise ExpansionError(
                problem=f"aliases expand this document beyond {budget} nodes (an alias bomb?)",
                problem_mark=node.start_mark)
        sizes[id(node)] = size


def compose(text: str) -> yaml.Node | None:
    """The checked node graph of one YAML document."""
    node = yaml.compose(text, Loader=Loader)
    check_expansion(node)
    return node


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the alias-expansion check; errors are ``yaml.YAMLError``."""
    node = compose(text)
    if node is None:
        return None
    return yaml.constructor.SafeConstructor().construct_document(node)
