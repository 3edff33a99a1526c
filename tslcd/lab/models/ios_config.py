"""The IOS configuration tree and the engine that applies configuration lines to it.

Every way a configuration changes (typed in ``configure terminal``, merged with
``copy flash:X running-config``, loaded by ``configure replace``, read back from startup) goes
through `ConfigEngine.apply`, so the three agree on what is valid and on where lines land. Lines
are kept in IOS's canonical order (a rank table per mode), which makes ``show running-config``
deterministic and makes replacing a device's configuration by its own output a no-op.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from tslcd.lab.models.ios_checks import check, known_command, unknown_command
from tslcd.lab.models.ios_modes import MODES, Mode
from tslcd.lab.models.ios_syntax import Match, ParseError, match

#: Mode of a section the grammar does not detail: its lines are kept as typed (see `ios_checks`).
VERBATIM = "verbatim"


@dataclass
class Node:
    """One configuration line; a section (``mode`` set) holds the lines entered in its sub-mode."""

    text: str
    mode: str | None = None
    children: list[Node] = field(default_factory=list)
    body: str | None = None  # banner text between the delimiters

    @property
    def key(self) -> str:
        """Identity used by diffs: the line plus any banner text."""
        return self.text if self.body is None else f"{self.text} ^C{self.body}^C"

    def lines(self, depth: int = 0) -> list[str]:
        """The node rendered as IOS prints it, one string per output line."""
        pad = " " * depth
        if self.body is not None:
            return f"{pad}{self.text} ^C{self.body}^C".split("\n")
        out = [pad + self.text]
        spec = MODES.get(self.mode or "")
        for child in self.children:
            if child.mode and spec and spec.bang_before_sections:
                out.append(pad + " !")
            if spec and spec.sequenced:
                out.append(pad + " " + ace_display(child.text))
                continue
            out.extend(child.lines(depth + 1))
        if spec and spec.closer:
            out.append(pad + spec.closer)
        return out


_DENY = re.compile(r"^(\d+ )?deny ")


def ace_display(text: str) -> str:
    """An access-list entry as IOS prints it: ``deny`` padded to the width of ``permit``."""
    return _DENY.sub(lambda m: f"{m.group(1) or ''}deny   ", text, count=1)


_IF_TYPE_ORDER = ("Loopback", "Tunnel", "Port-channel", "Virtual-Template")


def _if_sort_key(text: str) -> tuple[int, list[int]]:
    name = text.split()[1]
    typ = re.match(r"[A-Za-z-]+", name)
    kind = typ.group() if typ else ""
    order = _IF_TYPE_ORDER.index(kind) if kind in _IF_TYPE_ORDER else (9 if kind == "Vlan" else 5)
    return order, [int(n) for n in re.findall(r"\d+", name)]


def _if_order(existing: Node, new: Node) -> bool:
    """True when interface `new` sorts before `existing` (IOS prints interfaces in order)."""
    return (existing.mode == new.mode == "if"
            and _if_sort_key(new.text) < _if_sort_key(existing.text))


# Cisco's fixed type-7 key: "encryption" that only hides passwords from shoulder-surfing.
_TYPE7_KEY = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_CLEAR_PASSWORD = re.compile(
    r"^(username \S+(?: privilege \d+)? password|enable password(?: level \d+)?|password) (?:0 )?(\S+)$")


def type7(password: str) -> str:
    """Type-7 encoding of a password (seeded from the text, so configurations stay deterministic)."""
    seed = sum(map(ord, password)) % 16
    return f"{seed:02d}" + "".join(
        f"{ord(c) ^ ord(_TYPE7_KEY[(seed + i) % len(_TYPE7_KEY)]):02X}" for i, c in enumerate(password))


def type7_line(text: str) -> str:
    """A configuration line with its clear-text password (type 0 or none) encoded as type 7."""
    m = _CLEAR_PASSWORD.match(text)
    if m is None or text.split()[-2] == "7":
        return text
    return f"{m.group(1)} 7 {type7(m.group(2))}"


# "interface GigabitEthernet 0/0/1": IOS also takes the number as a separate word.
_SPACED_INTERFACE = re.compile(r"^(\s*(?:no\s+|default\s+)?int\S*\s+)([A-Za-z][A-Za-z-]*)\s+(\d[\d/.]*\s*$)",
                               re.IGNORECASE)


def interface_mode_prompt(name: str) -> str:
    """Sub-interfaces have their own prompt on IOS."""
    return "config-subif" if "." in name else "config-if"


@dataclass
class Result:
    """What applying one configuration line did."""

    output: str = ""
    error: ParseError | None = None
    error_offset: int = 0  # column of the parsed text inside the input line (after "no ")
    exit_config: bool = False  # ``end`` (or ``exit`` at the top) left configuration mode


class ConfigEngine:
    """Applies configuration lines to a tree, tracking the mode stack as IOS does."""

    def __init__(self, root: Node, physical: tuple[str, ...] = ()) -> None:
        """`physical` names interfaces that exist in hardware (they cannot be deleted)."""
        self.root = root
        self.physical = physical
        self.stack: list[Node] = [root]
        self.changed = False
        self._banner: tuple[Node, Node, str] | None = None  # parent, banner being read, delimiter
        self.last_banner: Node | None = None  # the banner the last line completed, if it changed
        self.created: Node | None = None  # the section the last line created, if any
        # (indentation, node) of the verbatim section being read and its nested lines
        self._verbatim: list[tuple[int, Node]] = []

    # --- state -------------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        """The current configuration mode."""
        return MODES[self.levels()[-1][1].mode or "config"]

    def levels(self) -> list[tuple[int, Node]]:
        """(stack level, section) of the modes the grammar knows, outermost first."""
        return [(i, n) for i, n in enumerate(self.stack) if n.mode != VERBATIM]

    @property
    def prompt_mode(self) -> str:
        """The text between the parentheses of the prompt."""
        node = self.stack[-1]
        if node.mode == "if":
            return interface_mode_prompt(node.text)
        return self.mode.prompt

    @property
    def collecting_banner(self) -> bool:
        """True while banner text lines are being read."""
        return self._banner is not None

    def context(self) -> list[str]:
        """Section headers of the current mode, outermost first (nested verbatim lines included)."""
        nested = self._verbatim[1:] if self.stack[-1].mode == VERBATIM else []
        return [n.text for n in self.stack[1:]] + [n.text for _, n in nested]

    # --- applying lines ----------------------------------------------------------------------
    def apply(self, line: str) -> Result:
        """Apply one line; invalid lines leave the tree unchanged and carry a `ParseError`."""
        if self._banner is not None:
            self._banner_line(line)
            return Result()
        line = _SPACED_INTERFACE.sub(r"\1\2\3", line)
        text = line.strip()
        offset = len(line) - len(line.lstrip())
        spaces = len(line) - len(line.lstrip(" "))  # a tab after them is part of a verbatim line
        if text and self.stack[-1].mode == VERBATIM and spaces > self._verbatim[0][0]:
            return self._verbatim_line(line, spaces)
        if not text or text.startswith("!"):
            return Result()
        if self.mode.sequenced:
            text = " ".join(text.split())  # an entry as IOS prints it ("deny   ip") reads back
        words = text.split()
        if words[0].lower() in ("no", "default") and len(words[0]) >= 2:
            return self._negate(line, words[0].lower(), offset)
        errors: list[ParseError] = []
        for level, node in reversed(self.levels()):
            # IOS tries a line in the current mode, then in each enclosing mode in turn
            m = match(MODES[node.mode or "config"].commands, text)
            if isinstance(m, Match):
                res = self._run(m, level, text)
                if res.error is not None:
                    res.error_offset = offset
                return res
            errors.append(m)
        worst = max(errors, key=lambda e: e.col)  # stable: the deepest mode wins ties
        if unknown_command(worst, text):
            kept = self._keep_verbatim(text, offset)
            if kept is not None:
                return kept
        return Result(error=worst, error_offset=offset)

    def _keep_verbatim(self, text: str, offset: int) -> Result | None:
        """Keep a line the grammar does not detail when IOS has that command in this mode.

        It becomes a section: following lines indented deeper than it are its content.
        """
        knowing = [(level, parent) for level, parent in reversed(self.levels())
                   if known_command(None if parent is self.root else parent.mode, text)]
        if not knowing:
            return None
        # an unindented line IOS has at the top goes there, not into an open sub-mode
        level, parent = knowing[-1] if offset == 0 and knowing[-1][1] is self.root else knowing[0]
        del self.stack[level + 1:]
        node = self.find(parent, text)
        if node is None:
            node = self.created = Node(text, VERBATIM)
            self.insert(parent, node)
        self.stack.append(node)
        self._verbatim = [(offset, node)]
        return Result()

    def _verbatim_line(self, line: str, offset: int) -> Result:
        """A line indented under a verbatim section: content, nested by indentation, kept as typed."""
        while len(self._verbatim) > 1 and self._verbatim[-1][0] >= offset:
            self._verbatim.pop()
        parent_offset, parent = self._verbatim[-1]
        # printed one space deeper than its parent; any further indentation is part of the line
        text = " " * (offset - parent_offset - 1) + line.lstrip(" ").rstrip()
        node = self.find(parent, text)
        if node is None:
            node = self.created = Node(text, VERBATIM)
            parent.children.append(node)
            self.changed = True
        self._verbatim.append((offset, node))
        return Result()

    def _run(self, m: Match, level: int, typed: str) -> Result:
        action = m.command.data
        if action == "@exit":
            if self.stack[-1].mode == VERBATIM:
                self.stack.pop()
                return Result()
            if level == 0:
                return Result(exit_config=True)
            del self.stack[level:]
            return Result()
        if action == "@end":
            del self.stack[1:]
            return Result(exit_config=True)
        parent = self.stack[level]
        text = " ".join(m.words)
        refusal = check(None if parent is self.root else parent.mode, text, typed, self.physical,
                        parent.text, [c.text for c in parent.children])
        if refusal is not None:
            return Result(error=refusal)
        del self.stack[level + 1:]
        if action == "@ignore":
            return Result()
        if action == "@banner":
            return self._banner_start(parent, m)
        if action:
            node = self.find(parent, text)
            if node is None:
                node = self.created = Node(text, action)
                self.insert(parent, node)
            self.stack.append(node)
            return Result()
        return self._set(parent, text)

    def find(self, parent: Node, text: str) -> Node | None:
        """The child of `parent` whose line is `text`."""
        return next((c for c in parent.children if c.text == text), None)

    def insert(self, parent: Node, node: Node) -> None:
        """Add a line where IOS would print it (rank order; sequence order in access lists)."""
        spec = MODES[parent.mode or "config"]
        if spec.sequenced:
            seq = int(node.text.split()[0])
            pos = sum(1 for c in parent.children if int(c.text.split()[0]) < seq)
        else:
            rank = spec.rank(node.text)
            pos = len(parent.children)
            while pos > 0 and (spec.rank(parent.children[pos - 1].text) > rank
                               or _if_order(parent.children[pos - 1], node)):
                pos -= 1
        parent.children.insert(pos, node)
        self.changed = True

    def _remove(self, parent: Node, node: Node) -> None:
        parent.children.remove(node)
        self.changed = True

    def _set(self, parent: Node, text: str) -> Result:
        spec = MODES[parent.mode or "config"]
        out = ""
        if spec.sequenced:
            text = self._sequence(parent, text)
            if text is None:
                return Result()
        if self.find(parent, text) is not None:
            return Result()
        key = spec.key(text)
        for child in list(parent.children):
            if child.text == "no " + text or (key is not None and spec.key(child.text) == key):
                self._remove(parent, child)
        if parent.mode == "if" and text.startswith(("vrf forwarding ", "ip vrf forwarding ")):
            addrs = [c for c in parent.children if c.text.startswith("ip address ")]
            for c in addrs:
                self._remove(parent, c)
            if addrs:
                vrf = text.split()[-1]
                out = (f"% Interface {parent.text.split()[1]} IPv4 disabled and address(es) "
                       f"removed due to enabling VRF {vrf}")
        if self._encrypting():
            text = type7_line(text)
        self.insert(parent, Node(text))
        if text == "service password-encryption" and parent is self.root:
            self._encrypt_all(self.root)
        return Result(output=out)

    def _encrypting(self) -> bool:
        return self.find(self.root, "service password-encryption") is not None

    def _encrypt_all(self, node: Node) -> None:
        """``service password-encryption`` turns every clear password into type 7 at once."""
        for child in node.children:
            child.text = type7_line(child.text)
            self._encrypt_all(child)

    def _sequence(self, acl: Node, text: str) -> str | None:
        """Give an access-list entry its sequence number (None: an identical entry exists)."""
        words = text.split()
        if words[0].isdigit():
            seq = int(words[0])
            for c in acl.children:
                if int(c.text.split()[0]) == seq and c.text != text:
                    self._remove(acl, c)
            return text
        body = " ".join(words)
        if any(c.text.split(" ", 1)[1] == body for c in acl.children):
            return None
        last = max((int(c.text.split()[0]) for c in acl.children), default=0)
        return f"{last + 10 - last % 10} {body}"

    def _negate(self, line: str, verb: str, offset: int) -> Result:
        stripped = line.lstrip()
        rest_col = offset + len(stripped.split(None, 1)[0]) + 1
        rest = stripped.split(None, 1)[1] if len(stripped.split(None, 1)) > 1 else ""
        if not rest.strip():
            return Result(error=ParseError("incomplete", len(line)))
        rest_col += len(rest) - len(rest.lstrip())
        rest = rest.strip()
        errors: list[ParseError] = []
        for level, node in reversed(self.levels()):
            spec = MODES[node.mode or "config"]
            if spec.sequenced and rest.split()[0].isdigit() and len(rest.split()) == 1:
                return self._unset(node, spec, rest, verb)
            m = match(spec.commands, rest)
            if isinstance(m, Match):
                if m.command.data in ("@exit", "@end", "@banner", "@ignore"):
                    errors.append(ParseError("invalid", 0))
                    continue
                del self.stack[level + 1:]
                return self._unset(node, spec, " ".join(m.words), verb)
            # "no ip address" and "no snmp-server community X" name a setting; "no ip" names nothing
            usable = [p for p in m.partial if p.command.data in (None, "@banner")
                      and (p.args or (p.next_element is not None and not p.next_element.keywords))]
            if m.kind == "incomplete" and usable:
                del self.stack[level + 1:]
                return self._unset(node, spec, " ".join(usable[0].words), verb)
            errors.append(m)
        worst = max(errors, key=lambda e: e.col)
        if verb == "no" and unknown_command(worst, rest):
            # "no X" of a command IOS has but the grammar does not detail
            kept = self._keep_verbatim(f"no {rest}", offset)
            if kept is not None:
                return kept
        return Result(error=worst, error_offset=rest_col)

    def _unset(self, parent: Node, spec: Mode, text: str, verb: str) -> Result:
        def body(c: Node) -> str:
            return c.text.split(" ", 1)[1] if spec.sequenced and not text.split()[0].isdigit() else c.text

        hits = [c for c in parent.children
                if body(c) == text or body(c).startswith(text + " ")]
        for c in hits:
            if parent is self.root and c.mode == "if" and c.text.split()[1] in self.physical:
                c.children[:] = [Node("no ip address")]  # hardware stays, its settings go
                self.changed = True
                continue
            self._remove(parent, c)
            if c.mode in ("vrf-def", "ip-vrf"):
                self._forget_vrf(c.text.split()[-1])
        if verb == "no" and text in spec.defaults_on and self.find(parent, "no " + text) is None:
            self.insert(parent, Node("no " + text))
        if verb == "default":
            for c in [c for c in parent.children if c.text == "no " + text]:
                self._remove(parent, c)
        return Result()

    def _forget_vrf(self, vrf: str) -> None:
        """Deleting a VRF takes its routes and its interfaces' addresses with it, as on IOS."""
        for node in list(self.root.children):
            if node.text.startswith(f"ip route vrf {vrf} "):
                self._remove(self.root, node)
            elif node.mode == "if" and any(c.text.endswith(f"forwarding {vrf}") for c in node.children):
                node.children[:] = [c for c in node.children
                                    if not c.text.endswith(f"forwarding {vrf}")
                                    and not c.text.startswith("ip address ")]
                self.changed = True

    # --- banners -----------------------------------------------------------------------------
    def _banner_start(self, parent: Node, m: Match) -> Result:
        raw = m.args[-1]
        delim = "^C" if raw.startswith("^C") else raw[0]
        text = raw[len(delim):]
        node = Node(f"banner {m.words[1]}", body="")
        if delim in text:
            node.body = text[:text.index(delim)]
            self._store_banner(parent, node)
            return Result()
        node.body = text + "\n"
        self._banner = (parent, node, delim)
        return Result(output=f"Enter TEXT message.  End with the character '{delim[0]}'.")

    def _banner_line(self, line: str) -> None:
        assert self._banner is not None
        parent, node, delim = self._banner
        if delim in line:
            node.body = (node.body or "") + line[:line.index(delim)]
            self._banner = None
            self._store_banner(parent, node)
        else:
            node.body = (node.body or "") + line + "\n"

    def _store_banner(self, parent: Node, node: Node) -> None:
        """Put a finished banner in place (a change only when its text differs)."""
        old = self.find(parent, node.text)
        if old is not None and old.body == node.body:
            return
        if old is not None:
            self._remove(parent, old)
        self.insert(parent, node)
        self.last_banner = node


# --- whole-configuration operations -------------------------------------------------------------

def render_body(root: Node) -> list[str]:
    """The configuration from ``version`` to ``end``, with "!" separators where IOS prints them."""
    out = ["version 17.6"]
    prev_section = False
    prev_mode: str | None = None
    for node in root.children:
        section = ((node.mode is not None and (node.mode != VERBATIM or bool(node.children)))
                   or node.body is not None)
        consecutive_lines = prev_mode == node.mode == "line"
        if (section or prev_section) and not consecutive_lines and out[-1] != "!":
            out.append("!")
        out.extend(node.lines())
        prev_section, prev_mode = section, node.mode
    if out[-1] != "!":
        out.append("!")
    out.append("end")
    return out


def parse_config(text: str, physical: tuple[str, ...] = ()) -> tuple[Node, list[tuple[str, Result]]]:
    """Build a tree from configuration text (a file, a startup config); returns bad lines too."""
    root = Node("", "config")
    engine = ConfigEngine(root, physical)
    errors: list[tuple[str, Result]] = []
    for raw in text.splitlines():
        if not engine.collecting_banner and raw.strip() == "end":
            break
        res = engine.apply(raw)
        if res.error is not None:
            errors.append((raw, res))
    return root, errors


def merge(root: Node, text: str, physical: tuple[str, ...] = ()) -> tuple[bool, list[tuple[str, Result]],
                                                                            list[tuple[list[str], str]]]:
    """Apply configuration text on top of a tree (``copy FILE running-config``).

    Returns whether anything changed, the refused lines, and each line that changed something
    with its section context (what ``show archive config incremental-diffs`` lists).
    """
    engine = ConfigEngine(root, physical)
    errors: list[tuple[str, Result]] = []
    changes: list[tuple[list[str], str]] = []
    changed = False
    for raw in text.splitlines():
        if not engine.collecting_banner and raw.strip() == "end":
            break
        engine.changed = False
        engine.last_banner = engine.created = None
        res = engine.apply(raw)
        if res.error is not None:
            errors.append((raw, res))
        elif engine.changed:
            changed = True
            if engine.last_banner is not None:
                changes.append(([], "\n".join(engine.last_banner.lines())))
            elif engine.created is not None:
                changes.append((engine.context()[:-1], engine.created.text))
            else:
                changes.append((engine.context(), raw.strip()))
    return changed, errors, changes


def ensure_physical(root: Node, physical: tuple[str, ...]) -> None:
    """Interfaces that exist in hardware are always in the configuration."""
    engine = ConfigEngine(root, physical)
    for name in physical:
        if engine.find(root, f"interface {name}") is None:
            engine.insert(root, Node(f"interface {name}", "if", [Node("no ip address")]))


def diff_trees(a: list[Node], b: list[Node], depth: int = 0) -> list[str]:
    """IOS contextual diff lines: ``+`` for lines only in `b`, ``-`` for lines only in `a`."""
    pad = " " * depth
    a_keys = {n.key: n for n in a}
    b_keys = {n.key for n in b}
    out: list[str] = []
    for node in b:
        old = a_keys.get(node.key)
        if old is None:
            out.extend(_signed(node, "+", depth))
        elif node.mode:
            sub = diff_trees(old.children, node.children, depth + 1)
            if sub:
                out.append(pad + node.text)
                out.extend(sub)
    for node in a:
        if node.key not in b_keys:
            out.extend(_signed(node, "-", depth))
    return out


def _signed(node: Node, sign: str, depth: int) -> list[str]:
    pad = " " * depth
    if node.body is not None:
        first, *rest = node.lines()
        return [pad + sign + first, *rest]
    out = [pad + sign + node.text]
    for child in node.children:
        out.extend(_signed(child, sign, depth + 1))
    return out


def clone(root: Node) -> Node:
    """An independent copy of a tree (for dry runs)."""
    return copy.deepcopy(root)
