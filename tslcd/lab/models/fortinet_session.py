"""One FortiOS CLI login: the config/edit stack, a working copy of the tree, show/get/grep.

Changes are made on the session's working copy and applied to the device (which saves them) at
``next`` and ``end``; ``abort`` goes back to what the device has. Entering a top-level block
starts from the device's current tree, so concurrent sessions see each other's applied changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tslcd.lab.models import confirm, fortinet_show
from tslcd.lab.models.base import CliSession
from tslcd.lab.models.fortinet_api import FortinetDeviceView
from tslcd.lab.models.fortinet_config import (
    FortiError,
    block_label,
    continues,
    effective,
    exists,
    missing_reference,
    new_block,
    normalize,
    parse_error,
    references,
    render_block,
    stable_uuid,
    tokenize,
)
from tslcd.lab.models.fortinet_grep import grep
from tslcd.lab.models.fortinet_help import listing, next_words
from tslcd.lab.models.fortinet_paths import (
    OPEN_ATTRS,
    OPEN_PATHS,
    as_settings,
    child_block,
    known_path,
    open_attr,
)
from tslcd.lab.models.fortinet_schema import SCHEMA, Attr, Block, Node, Table
from tslcd.lab.syslog import announce

USED = (
    "Attempt to delete used object. Please check 'diagnose sys cmdb refcnt show'\n"
    "Command fail. Return code -23"
)
NOT_FOUND = "entry not found in datasource\nCommand fail. Return code -3"
UNKNOWN_ACTION = "Unknown action 0"
_PIPE = re.compile(r"(.*?)\s+\|\s*(grep\b.*)$")


@dataclass
class Frame:
    """One level of the CLI: inside ``config PATH`` (key None) or inside ``edit KEY``."""

    path: str
    key: str | None = None
    before: Node | None = None  # the entry as it was before this edit (None: created by it)


class FortinetSession(CliSession):
    """One FortiOS CLI login: the block/entry stack and a working copy of the tree."""

    def __init__(self, device: FortinetDeviceView, username: str, check_refs: bool = True,
                 autocommit: bool = True) -> None:
        """Start at the top level; ``autocommit`` False builds a tree without saving (restore)."""
        self.device = device
        self.username = username
        self.check_refs = check_refs
        self.autocommit = autocommit
        self.frames: list[Frame] = []
        self.work = copy.deepcopy(device.tree)
        self.pending: Callable[[str], str] | None = None
        self.partial: str | None = None  # a line whose quoted value goes on to the next line

    more_prompt = "--More-- "

    @property
    def page_length(self) -> int:  # type: ignore[override]
        """FortiOS pages at a screen (24 lines) while ``system console`` has ``set output more``."""
        console = self.device.tree.children.get("system console")
        mode = effective(SCHEMA["system console"], console, "output") if isinstance(console, Node) else "more"
        return 24 if mode == "more" else 0

    # -- contract -----------------------------------------------------------------------------
    def banner(self) -> str:
        """Nothing, unless ``post-login-banner`` is enabled: then the disclaimer, which the
        administrator must accept with ``a`` before the prompt (anything else logs out)."""
        settings = self.device.tree.children.get("system global")
        if not isinstance(settings, Node) or effective(SCHEMA["system global"], settings,
                                                       "post-login-banner") != "enable":
            return ""
        message = self.device.tree.children.get("system replacemsg admin post_admin-disclaimer-text")
        text = " ".join(message.attrs.get("buffer", [])) if isinstance(message, Node) else ""
        self.pending = self._accept_banner
        return f"{text}\n\n(Press 'a' to accept):"

    def idle_timeout(self) -> float | None:
        """``set admintimeout`` minutes of ``system global`` (FortiOS's default: 5)."""
        settings = self.device.tree.children.get("system global")
        if not isinstance(settings, Node):
            return 300
        return int(effective(SCHEMA["system global"], settings, "admintimeout") or 5) * 60

    def help(self, line: str) -> str | None:
        """``?``: what may come next (verbs, attributes of the block, configuration paths)."""
        if self.pending is not None or self.partial is not None:
            return None
        words = line.split()
        typed = "" if not words or line[-1].isspace() else words.pop()
        if not words:
            return listing(self._verbs(), typed) or "command parse error before '" + typed + "'\n"
        if words[0] in ("set", "unset", "append", "select", "unselect") and len(words) == 1 and self.frames:
            path = self.frames[-1].path
            names = [a.name for a in SCHEMA[path].attrs] + sorted(OPEN_ATTRS.get(path, ()))
            return listing(names, typed)
        if words[0] == "config" and not self.frames:
            return listing(next_words((*SCHEMA, *OPEN_PATHS), words[1:]), typed)
        return None

    def _accept_banner(self, answer: str) -> str:
        if answer != "a":
            self.closed = True
        return ""

    def prompt(self) -> str:
        """``HOST # ``, ``HOST (policy) # ``, ``HOST (1) # ``; nothing while a y/n question waits
        or a quoted value is still open."""
        if self.pending is not None or self.partial is not None:
            return ""
        if not self.frames:
            return f"{self.device.hostname} # "
        frame = self.frames[-1]
        label = frame.key if frame.key is not None else block_label(frame.path)
        return f"{self.device.hostname} ({label}) # "

    @property
    def in_config_mode(self) -> bool:
        """Inside a ``config`` block."""
        return bool(self.frames)

    def rejected(self, line: str) -> str:
        """FortiOS's parse error for a refused line."""
        words = line.split()
        return str(parse_error(words[0] if words else line))

    def handle(self, line: str) -> str:
        """Run one CLI line; errors print FortiOS's text and leave the state as it was."""
        confirm.tick(self.device)
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer(line.strip())
        if self.partial is not None:
            line, self.partial = f"{self.partial}\n{line}", None
        if continues(line):
            self.partial = line
            return ""
        piped = _PIPE.match(line)
        command, pipe = (piped.group(1), piped.group(2)) if piped else (line, "")
        try:
            words = tokenize(command)
            if not words:
                return ""
            output = self._dispatch(words)
            return grep(output, pipe) if pipe else output
        except FortiError as error:
            return str(error)

    # -- navigation ---------------------------------------------------------------------------
    def _dispatch(self, words: list[str]) -> str:
        verbs = self._verbs()
        verb = _expand(words[0], verbs)
        if verb is None:
            if not self.frames:
                return UNKNOWN_ACTION
            raise parse_error(words[0])
        return verbs[verb](words[1:])

    def _verbs(self) -> dict[str, Callable[[list[str]], str]]:
        common = {"show": self._show, "get": self._get}
        if not self.frames:
            return {**common, "config": self._config_top, "exit": self._exit, "execute": self._execute,
                    "diagnose": self._diagnose}
        frame_obj = self._resolve()
        scope = {**common, "end": self._end, "abort": self._abort}
        table_verbs = {"edit": self._edit, "delete": self._delete, "move": self._move, "purge": self._purge,
                       "rename": self._rename, "clone": self._clone, "next": lambda _: ""}
        if isinstance(frame_obj, Table) and not (SCHEMA[self.frames[-1].path].open and not frame_obj.entries):
            return {**scope, **table_verbs}
        scope |= {"set": self._set, "unset": self._unset, "append": self._append,
                  "select": self._set, "unselect": self._unselect, "config": self._config_child}
        if isinstance(frame_obj, Table):  # an empty open block: a table or a settings block
            scope |= table_verbs
        if self.frames[-1].key is not None:
            scope["next"] = self._next
        return scope

    def _resolve(self, frames: list[Frame] | None = None) -> Table | Node:
        """The block or entry the frames point at in the working tree."""
        obj: Table | Node = self.work
        for frame in self.frames if frames is None else frames:
            if frame.key is None:
                parent = obj
                assert isinstance(parent, Node)
                name = frame.path.rsplit("/", 1)[-1]
                obj = parent.children.setdefault(name, new_block(frame.path))
            else:
                assert isinstance(obj, Table)
                obj = obj.entries[frame.key]
        return obj

    def _settle_open(self, path: str) -> None:
        """An open block's first ``set``: it becomes a settings block."""
        as_settings(path)
        parent = self._resolve(self.frames[:-1])
        assert isinstance(parent, Node)
        parent.children[path.rsplit("/", 1)[-1]] = Node()

    def _clone(self, args: list[str]) -> str:
        """``clone OLD to NEW``: a copy of an entry under a new key."""
        if len(args) != 3 or args[1] != "to":
            raise parse_error(args[-1] if args else "clone")
        table = self._table()
        if args[0] not in table.entries:
            raise FortiError(NOT_FOUND)
        if args[2] in table.entries:
            raise FortiError("A duplicate entry already exists.\nCommand fail. Return code -15")
        table.entries[self._key(args[2])] = copy.deepcopy(table.entries[args[0]])
        return ""

    def _table(self) -> Table:
        obj = self._resolve()
        assert isinstance(obj, Table)
        return obj

    def _node(self) -> Node:
        obj = self._resolve()
        assert isinstance(obj, Node)
        return obj

    def _exit(self, args: list[str]) -> str:
        self.closed = True
        return ""

    def _config_top(self, args: list[str]) -> str:
        path = " ".join(args)
        if "/" in path or known_path(path) is None:
            raise parse_error(args[_known_words(args)] if args else "config")
        if self.autocommit:  # start from what other sessions have applied meanwhile
            self.work = copy.deepcopy(self.device.tree)
        self.frames.append(Frame(path))
        self._resolve()
        return ""

    def _config_child(self, args: list[str]) -> str:
        path = f"{self.frames[-1].path}/{' '.join(args)}"
        if len(args) != 1 or child_block(self.frames[-1].path, args[0]) is None:
            raise parse_error(args[0] if args else "config")
        self.frames.append(Frame(path))
        self._resolve()
        return ""

    def _commit(self) -> None:
        if self.autocommit:
            version = self.device.conf_file_ver
            self.device.commit(self.work, self.username)
            if self.device.conf_file_ver != version:
                self._announce()

    def _announce(self) -> None:
        """FortiOS logs event 0100044547 for a configuration change, naming the admin, and sends it
        to its syslogd servers (in the lab: `tslcd listen` on 127.0.0.1)."""
        frame = self.frames[-1] if self.frames else None
        path = (frame.path if frame else "system").strip("/").replace("/", ".").replace(" ", ".")
        key = frame.key if frame and frame.key is not None else ""
        now = datetime.now(UTC)
        msg = f"Edit {path} {key}".strip()
        text = (f'date={now:%Y-%m-%d} time={now:%H:%M:%S} devname="{self.device.hostname}" '
                f'devid="{self.device.serial}" logid="0100044547" type="event" subtype="system" '
                f'level="information" vd="root" logdesc="Object attribute configured" '
                f'user="{self.username}" ui="ssh" action="Edit" cfgpath="{path}" cfgobj="{key}" '
                f'msg="{msg}"')
        announce(self.device.host["hostname"], self.device.show(False), f"<190>{text}")

    def _check_required(self) -> None:
        frame = self.frames[-1]
        if frame.key is None:
            return
        node = self._node()
        for name in SCHEMA[frame.path].required:
            if name not in node.attrs:
                raise FortiError(f"Attribute '{name}' MUST be set.\nCommand fail. Return code -56")

    def _next(self, args: list[str]) -> str:
        self._close_entry()
        self._commit()
        self.frames.pop()
        return ""

    def _end(self, args: list[str]) -> str:
        try:
            self._close_entry()
        finally:
            self._commit()
            self._leave_block()
        return ""

    def _close_entry(self) -> None:
        """Check the entry is complete; an incomplete one is dropped and the CLI leaves it, so the
        lines that follow never land in it (FortiOS keeps the entry as it was before the edit)."""
        try:
            self._check_required()
        except FortiError:
            frame = self.frames.pop()
            table = self._table()
            if frame.before is None:
                table.entries.pop(frame.key or "", None)
            else:
                table.entries[frame.key or ""] = frame.before
            raise

    def _abort(self, args: list[str]) -> str:
        if self.autocommit:
            self.work = copy.deepcopy(self.device.tree)
        self._leave_block()
        while self.frames:
            try:
                self._resolve()
                break
            except KeyError:
                self.frames.pop()
        return ""

    def _leave_block(self) -> None:
        while self.frames and self.frames.pop().key is not None:
            pass

    # -- tables -------------------------------------------------------------------------------
    def _key(self, word: str) -> str:
        if SCHEMA[self.frames[-1].path].numeric and not word.isdigit():
            raise parse_error(word)
        return word

    def _edit(self, args: list[str]) -> str:
        if len(args) != 1:
            raise parse_error(args[1] if args else "edit")
        frame = self.frames[-1]
        block = SCHEMA[frame.path]
        table = self._table()
        key = self._key(args[0])
        if block.numeric and key == "0":
            key = str(max((int(k) for k in table.entries), default=0) + 1)
        before = copy.deepcopy(table.entries.get(key))
        if key not in table.entries:
            node = Node()
            if block.uuid:
                node.attrs["uuid"] = [stable_uuid(self.device.name, frame.path, key)]
            table.entries[key] = node
        self.frames.append(Frame(frame.path, key, before))
        return ""

    def _used(self, key: str) -> bool:
        return (self.frames[-1].path, key) in references(self.work)

    def _delete(self, args: list[str]) -> str:
        if len(args) != 1:
            raise parse_error(args[1] if args else "delete")
        table = self._table()
        if args[0] not in table.entries:
            raise FortiError(NOT_FOUND)
        if self._used(args[0]):
            raise FortiError(USED)
        del table.entries[args[0]]
        return ""

    def _move(self, args: list[str]) -> str:
        if len(args) != 3 or args[1] not in ("before", "after"):
            raise parse_error(args[1] if len(args) > 1 else "move")
        table = self._table()
        moving, where, anchor = args
        if moving not in table.entries or anchor not in table.entries:
            raise FortiError(NOT_FOUND)
        if moving == anchor:
            return ""
        node = table.entries.pop(moving)
        items = list(table.entries.items())
        index = next(i for i, (k, _) in enumerate(items) if k == anchor) + (where == "after")
        items.insert(index, (moving, node))
        table.entries = dict(items)
        return ""

    def _purge(self, args: list[str]) -> str:
        if args:
            raise parse_error(args[0])

        def answer(reply: str) -> str:
            if reply.lower() != "y":
                return ""
            table = self._table()
            if any(self._used(key) for key in table.entries):
                return USED
            table.entries.clear()
            return ""

        self.pending = answer
        return "This operation will clear all table!\nDo you want to continue? (y/n)"

    def _rename(self, args: list[str]) -> str:
        if len(args) != 3 or args[1] != "to":
            raise parse_error(args[1] if len(args) > 1 else "rename")
        old, _, new = args
        table = self._table()
        if old not in table.entries:
            raise FortiError(NOT_FOUND)
        if new in table.entries:
            raise FortiError("A duplicate entry already exists.\nCommand fail. Return code -15")
        table.entries = {new if k == old else k: v for k, v in table.entries.items()}
        _rename_refs(self.work, self.frames[-1].path, old, new)
        return ""

    # -- attributes ---------------------------------------------------------------------------
    def _attr_args(self, args: list[str]) -> tuple[Block, Attr, list[str]]:
        if not args:
            raise parse_error("set")
        frame = self.frames[-1]
        if frame.key is None and isinstance(self._resolve(), Table):
            self._settle_open(frame.path)
        block = SCHEMA[frame.path]
        spec = block.attr(args[0]) or (open_attr(frame.path, args[0]) if block.open else None)
        if spec is None:
            raise parse_error(args[0])
        return block, spec, args[1:]

    def _values(self, args: list[str]) -> tuple[Attr, list[str]]:
        _, spec, values = self._attr_args(args)
        frame = self.frames[-1]
        identity = (self.device.name, frame.path, frame.key or "", spec.name)
        values = normalize(spec, values, identity)
        if self.check_refs and (spec.refs or spec.builtin):
            for value in values:
                if value not in spec.builtin and not any(exists(self.work, t, value) for t in spec.refs):
                    raise missing_reference(value)
        return spec, values

    def _set(self, args: list[str]) -> str:
        if args[1:] == [""]:
            return self._unset(args[:1])
        spec, values = self._values(args)
        self._node().attrs[spec.name] = values
        return ""

    def _append(self, args: list[str]) -> str:
        spec, values = self._values(args)
        if not spec.multi:
            raise parse_error(spec.name)
        node = self._node()
        node.attrs[spec.name] = list(dict.fromkeys([*node.attrs.get(spec.name, []), *values]))
        return ""

    def _unselect(self, args: list[str]) -> str:
        _, spec, values = self._attr_args(args)
        node = self._node()
        node.attrs[spec.name] = [v for v in node.attrs.get(spec.name, []) if v not in values]
        if not node.attrs[spec.name]:
            del node.attrs[spec.name]
        return ""

    def _unset(self, args: list[str]) -> str:
        _, spec, rest = self._attr_args(args)
        if rest:
            raise parse_error(rest[0])
        self._node().attrs.pop(spec.name, None)
        return ""

    # -- show / get ---------------------------------------------------------------------------
    def _show(self, args: list[str]) -> str:
        full = bool(args) and args[0] == "full-configuration"
        args = args[1:] if full else args
        if not args and not self.frames:
            return self.device.show(full).rstrip("\n")
        if not args:
            return self._show_here(full)
        for size in range(len(args), 0, -1):
            path = " ".join(args[:size])
            if path in SCHEMA and "/" not in path:
                rest = args[size:]
                if len(rest) > 1:
                    raise parse_error(rest[1])
                obj = self.device.tree.children.get(path, new_block(path))
                if rest and (not isinstance(obj, Table) or rest[0] not in obj.entries):
                    raise parse_error(rest[0])
                return "\n".join(render_block(path, obj, full, only=rest[0] if rest else None))
        raise parse_error(args[_known_words(args)])

    def _show_here(self, full: bool) -> str:
        """``show`` inside a block prints that block; inside ``edit`` it prints that entry."""
        frame = self.frames[-1]
        outer = self.frames if frame.key is None else self.frames[:-1]
        return "\n".join(render_block(frame.path, self._resolve(outer), full,
                                      name=frame.path.rsplit("/", 1)[-1], only=frame.key))

    def _execute(self, args: list[str]) -> str:
        """``execute reboot`` asks first; the lab reboots only when the answer is ``y``. ``execute
        cfg save|reload``: revert mode (`tslcd.lab.models.confirm`)."""
        if args[:1] == ["cfg"]:
            return confirm.fortios_execute(self.device, args)
        if args != ["reboot"]:
            raise parse_error(args[0] if args else "execute")
        self.pending = self._reboot
        return "This operation will reboot the system !\nDo you want to continue? (y/n)"

    def _reboot(self, answer: str) -> str:
        if answer != "y":
            return "\nCommand aborted."
        self.closed = True
        return "\nSystem is rebooting..."

    def _diagnose(self, args: list[str]) -> str:
        if args != ["sys", "ha", "status"]:
            raise parse_error(args[-1] if args else "diagnose")
        device = self.device
        return fortinet_show.diagnose_ha(device.tree, device.model_name, device.hostname, device.serial)

    def _ha_status(self) -> str:
        device = self.device
        return fortinet_show.ha_status(device.tree, device.model_name, device.hostname, device.serial)

    def _get(self, args: list[str]) -> str:
        if args == ["system", "status"]:
            return self.device.status()
        if args == ["system", "performance", "status"]:
            return self.device.performance()
        if args == ["system", "interface"]:
            return fortinet_show.system_interface(self.device.tree)
        if args == ["router", "info", "routing-table", "all"]:
            return fortinet_show.routing_table(self.device.tree)
        if args == ["system", "ha", "status"]:
            return self._ha_status()
        if args == ["system", "console"]:
            node = self.device.tree.children.get("system console", Node())
            assert isinstance(node, Node)
            block = SCHEMA["system console"]
            return "\n".join(f"{spec.name:<20}: {effective(block, node, spec.name)}" for spec in block.attrs)
        raise parse_error(args[-1] if args else "get")


def _rename_refs(root: Node, table: str, old: str, new: str) -> None:
    """Follow a rename everywhere an attribute referring to ``table`` names the old entry."""

    def walk(path: str, obj: Table | Node) -> None:
        nodes = obj.entries.values() if isinstance(obj, Table) else (obj,)
        block = SCHEMA[path]
        for node in nodes:
            for spec in block.attrs:
                if table in spec.refs and spec.name in node.attrs:
                    node.attrs[spec.name] = [new if v == old else v for v in node.attrs[spec.name]]
            for child, sub in node.children.items():
                walk(f"{path}/{child}", sub)

    for path, obj in root.children.items():
        walk(path, obj)


def _known_words(words: list[str]) -> int:
    """How many leading words name a real config path prefix (the parse error points after them)."""
    paths = [path.split() for path in SCHEMA if "/" not in path]
    count = 0
    while count < len(words) and any(p[: count + 1] == words[: count + 1] for p in paths):
        count += 1
    return min(count, len(words) - 1)


def _expand(word: str, verbs: dict[str, Any]) -> str | None:
    """FortiOS accepts any unambiguous prefix of a command word."""
    if word in verbs:
        return word
    matches = [verb for verb in verbs if verb.startswith(word)]
    return matches[0] if len(matches) == 1 else None
