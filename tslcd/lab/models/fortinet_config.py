"""FortiOS configuration tree: tokenising CLI input, checking values, rendering ``show`` output.

The tree is a root `Node` whose children are the top-level blocks by path (``firewall policy``);
entries of a table are `Node` objects whose children are nested blocks (``hosts``). Schema keys
for nested blocks join the paths with ``/`` (``system snmp community/hosts``).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
import uuid

from tslcd.lab.models.fortinet_schema import ORDER, SCHEMA, Attr, Block, Node, Table

INDENT = "    "
_UUID_NS = uuid.UUID("6f0c3c1e-2b1a-4d0e-9c55-7a1f0e2d9b10")


class FortiError(Exception):
    """A refused command; ``str(error)`` is exactly what FortiOS prints."""


def parse_error(token: str) -> FortiError:
    """FortiOS's answer to a word it does not expect."""
    return FortiError(f"command parse error before '{token}'\nCommand fail. Return code -61")


def missing_reference(value: str) -> FortiError:
    """FortiOS 7's answer to a reference to an entry that does not exist."""
    return FortiError(f"entry not found in datasource\n\nvalue parse error before '{value}'\n"
                      "Command fail. Return code -3")


def tokenize(line: str) -> list[str]:
    """Split a CLI line into words; double or single quotes group words, backslash escapes."""
    tokens, open_quote = _scan(line)
    if open_quote:
        raise parse_error(line.rsplit(open_quote, 1)[-1] or open_quote)
    return tokens


def continues(line: str) -> bool:
    """Whether a quoted value is still open at the end of ``line``: FortiOS reads on (a multi-line
    ``set buffer "..."``), the newline being part of the value."""
    return _scan(line)[1] is not None


def _scan(line: str) -> tuple[list[str], str | None]:
    """The words of ``line`` and the quote left open at its end, if any."""
    tokens: list[str] = []
    word: list[str] = []
    quote: str | None = None
    started = False
    chars = iter(line)
    for char in chars:
        if char == "\\":
            word.append(next(chars, ""))
            started = True
        elif quote:
            if char == quote:
                quote = None
            else:
                word.append(char)
        elif char in "\"'":
            quote, started = char, True
        elif char.isspace():
            if started:
                tokens.append("".join(word))
                word, started = [], False
        else:
            word.append(char)
            started = True
    if started and not quote:
        tokens.append("".join(word))
    return tokens, quote


def quote(value: str) -> str:
    """A FortiOS quoted string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def block_label(path: str) -> str:
    """The word FortiOS shows in the prompt inside a block: ``(policy)``, ``(hosts)``."""
    return path.rsplit("/", 1)[-1].split()[-1]


def stable_uuid(*parts: str) -> str:
    """A UUID derived from the object's identity, so regenerated configs are byte-identical."""
    return str(uuid.uuid5(_UUID_NS, "\x00".join(parts)))


def encrypt(secret: str, *identity: str) -> list[str]:
    """Store a secret the way FortiOS shows it (``ENC <base64>``), deterministically."""
    digest = hashlib.sha256("\x00".join((*identity, secret)).encode()).digest()
    return ["ENC", "SH2" + base64.b64encode(digest + digest[:12]).decode()]


def _ipmask(values: list[str]) -> list[str]:
    text = values[0] if len(values) == 1 else " ".join(values[:2])
    if len(values) > 2:
        raise parse_error(values[2])
    try:
        net = ipaddress.IPv4Interface(text.replace(" ", "/"))
    except ValueError:
        raise parse_error(values[-1]) from None
    return [str(net.ip), str(net.netmask)]


_DOTTED = re.compile(r"\d+\.\d+\.\d+\.\d+(/\d+)?$")
_PORTRANGE = re.compile(r"(\d+)(?:-(\d+))?(?::(\d+)(?:-(\d+))?)?$")


def _check_dotted(value: str) -> None:
    """An address (or prefix) typed into an unmodelled block is still checked as FortiOS does."""
    try:
        ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise parse_error(value) from None


def _check_portrange(value: str) -> None:
    """``LOW[-HIGH][:SRCLOW[-SRCHIGH]]``, each port 0-65535 (0 only as a source)."""
    match = _PORTRANGE.match(value)
    ports = [int(p) for p in match.groups() if p is not None] if match else []
    if not ports or any(p > 65535 for p in ports) or int(match.group(1)) == 0:
        raise parse_error(value)


def normalize(attr: Attr, values: list[str], identity: tuple[str, ...]) -> list[str]:
    """Check ``set ATTR VALUES`` against the schema and return the values as FortiOS stores them."""
    if not values:
        raise parse_error(attr.name)
    if attr.kind == "ipmask":
        return _ipmask(values)
    if attr.kind == "password":
        return values[:2] if values[0] == "ENC" and len(values) == 2 else encrypt(values[0], *identity)
    if not attr.multi and len(values) > 1:
        raise parse_error(values[1])
    for value in values:
        if attr.kind == "open" and _DOTTED.match(value):
            _check_dotted(value)
        elif attr.kind == "portrange":
            _check_portrange(value)
        elif attr.kind == "ip":
            try:
                ipaddress.IPv4Address(value)
            except ValueError:
                raise parse_error(value) from None
        elif (attr.kind == "int" and not value.isdigit()) or (attr.choices and value not in attr.choices):
            raise parse_error(value)
    return list(dict.fromkeys(values)) if attr.multi else values


def effective(block: Block, node: Node, name: str) -> str | None:
    """An attribute's value as one string: what is set, else the default."""
    if name in node.attrs:
        return " ".join(node.attrs[name])
    spec = block.attr(name)
    return spec.default if spec else None


def _render_value(attr: Attr | None, values: list[str]) -> str:
    if attr is not None and attr.quoted:
        return " ".join(quote(v) for v in values)
    return " ".join(values)


def _plain(value: str) -> str:
    """An open block's value: quoted unless it is a word, number or address."""
    return value if re.fullmatch(r"[\w.:/-]+", value) else quote(value)


def _render_attrs(block: Block, node: Node, full: bool, depth: int) -> list[str]:
    pad = INDENT * depth
    if block.open:
        return [f"{pad}set {name} {' '.join(map(_plain, values))}" for name, values in node.attrs.items()]
    lines = []
    for spec in block.attrs:
        if spec.when and effective(block, node, spec.when[0]) != spec.when[1]:
            continue
        if spec.name in node.attrs:
            values = node.attrs[spec.name]
            if not full and spec.default is not None and " ".join(values) == spec.default:
                continue
            lines.append(f"{pad}set {spec.name} {_render_value(spec, values)}".rstrip())
        elif full and spec.default is not None:
            shown = "''" if spec.default == "" else _render_value(spec, spec.default.split())
            lines.append(f"{pad}set {spec.name} {shown}".rstrip())
    return lines


def render_node(path: str, node: Node, full: bool, depth: int) -> list[str]:
    """The ``set`` lines and nested blocks of one settings block or entry."""
    block = SCHEMA[path]
    lines = _render_attrs(block, node, full, depth)
    for child in block.children if not block.open else tuple(node.children):
        sub = node.children.get(child)
        if sub is not None and (full or not isinstance(sub, Table) or sub.entries):
            lines += render_block(f"{path}/{child}", sub, full, depth, name=child)
    return lines


def render_entry(path: str, key: str, node: Node, full: bool, depth: int) -> list[str]:
    """One ``edit KEY`` ... ``next`` entry."""
    shown = key if SCHEMA[path].numeric else quote(key)
    pad = INDENT * depth
    return [f"{pad}edit {shown}", *render_node(path, node, full, depth + 1), f"{pad}next"]


def render_block(path: str, obj: Table | Node, full: bool, depth: int = 0,
                 name: str | None = None, only: str | None = None) -> list[str]:
    """One ``config PATH`` ... ``end`` block; ``only`` limits a table to one entry."""
    pad = INDENT * depth
    if SCHEMA[path].message and name in (None, path):
        parent, _, message = path.rpartition(" ")
        name = f"{parent} {quote(message)}"
    lines = [f"{pad}config {name or path}"]
    if isinstance(obj, Table):
        for key, entry in obj.entries.items():
            if only is None or key == only:
                lines += render_entry(path, key, entry, full, depth + 1)
    else:
        lines += render_node(path, obj, full, depth + 1)
    lines.append(f"{pad}end")
    return lines


def render_tree(root: Node, full: bool) -> list[str]:
    """Every top-level block in FortiOS order."""
    lines: list[str] = []
    for path in (*ORDER, *(p for p in root.children if p not in ORDER)):
        obj = root.children.get(path)
        if obj is None and full and SCHEMA[path].message:
            obj = new_block(path)
        if obj is not None:
            lines += render_block(path, obj, full)
    return lines


def new_block(path: str) -> Table | Node:
    """An empty block of the kind the schema says ``path`` is."""
    return Table() if SCHEMA[path].table else Node()


def exists(root: Node, table: str, name: str) -> bool:
    """Whether the top-level table ``table`` has an entry called ``name``."""
    obj = root.children.get(table)
    return isinstance(obj, Table) and name in obj.entries


def references(root: Node) -> set[tuple[str, str]]:
    """Every (table, entry name) some attribute refers to: the entries that may not be deleted."""
    used: set[tuple[str, str]] = set()

    def visit(path: str, obj: Table | Node) -> None:
        block = SCHEMA[path]
        for node in obj.entries.values() if isinstance(obj, Table) else (obj,):
            for spec in block.attrs:
                for value in node.attrs.get(spec.name, ()) if spec.refs else ():
                    used.update((table, value) for table in spec.refs if exists(root, table, value))
            for child, sub in node.children.items():
                visit(f"{path}/{child}", sub)

    for path, obj in root.children.items():
        visit(path, obj)
    return used
