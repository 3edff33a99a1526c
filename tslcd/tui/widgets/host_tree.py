"""The inventory tree: group, agency, device; branches are filled when opened (2,000 devices stay fast)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tslcd.inventory import HostInfo
from tslcd.tui.grouping import Agency, Group, group_hosts

EXPAND_ALL_BELOW = 40  # a filter that leaves this few hosts shows them all at once

NodeData = Group | Agency | HostInfo


class HostTree(Tree[NodeData]):
    """Hosts grouped by agency type, district or role; the node data is the Group, Agency or host."""

    def show(self, hosts: list[HostInfo], grouping: str) -> None:
        """Redraw the tree for these hosts, keeping the highlighted host when it is still shown."""
        current = self.cursor_node.data if self.cursor_node else None
        self.clear()
        self.root.set_label(Text(f"{len(hosts)} devices"))
        expand = len(hosts) < EXPAND_ALL_BELOW
        for group in group_hosts(hosts, grouping):
            label = Text.assemble((group.label, "bold"), f" ({group.host_count})")
            node = self.root.add(label, data=group)
            if expand:
                _fill(node, expand=True)
        self.root.expand()
        if isinstance(current, HostInfo):
            self.select_host(current.name)

    def host_nodes(self) -> Iterator[TreeNode[NodeData]]:
        """The device nodes drawn so far (closed branches are not filled yet), top to bottom."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            if isinstance(node.data, HostInfo):
                yield node
            stack.extend(reversed(node.children))

    def select_host(self, name: str) -> bool:
        """Move the cursor to a host already drawn; False when its branch is closed or filtered out."""
        for node in self.host_nodes():
            if node.data.name == name:  # type: ignore[union-attr]
                self.call_after_refresh(self.move_cursor, node, animate=False)
                return True
        return False

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        _fill(event.node, expand=False)


def _fill(node: TreeNode[NodeData], *, expand: bool) -> None:
    """Add a branch's children once; with ``expand`` open the whole branch."""
    if not node.children:
        data = node.data
        if isinstance(data, Group):
            for agency in data.agencies.values():
                child = node.add(Text(agency.label), data=agency)
                if expand:
                    _fill(child, expand=True)
        elif isinstance(data, Agency):
            for host in data.hosts:
                node.add_leaf(Text.assemble(host.name, ("  " + host.platform, "dim")), data=host)
    if expand:
        node.expand()
