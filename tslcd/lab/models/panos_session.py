"""One CLI login on a lab PAN-OS firewall: operational mode (``>``) and configuration mode (``#``).

What netmiko's ``paloalto_panos`` driver sends is answered as a PAN-OS 10.2 firewall does:
``set cli scripting-mode on``, ``set cli terminal width 500``, ``set cli pager off``,
``show system info``; ``configure`` (every configuration-mode answer ends with an ``[edit]``
context line, which netmiko uses to tell the mode); ``commit`` with its job progress up to
``100%``; ``exit``. Configuration lines are checked against the schema as they are typed
(``Invalid syntax.``), references only at commit (``Validation Error:``). The listing formats are
``set`` and ``default`` (braces); ``xml`` and ``json`` are not emulated and are refused.
"""

from __future__ import annotations

import re

from tslcd.lab.models.base import CliSession
from tslcd.lab.models.panos_api import PanosDeviceView
from tslcd.lab.models.panos_config import (
    copy_tree,
    delete_path,
    diff,
    get,
    move,
    render,
    set_path,
)
from tslcd.lab.models.panos_schema import ROOT, Entries, SyntaxErr, assignments, quote, resolve, tokens

INVALID = "Invalid syntax."
FORMATS = ("default", "set")
_SNAPSHOT = re.compile(r"^[\w.-]{1,64}$")


def unknown(word: str) -> str:
    """PAN-OS's answer to a command word it does not have."""
    return f"Unknown command: {word}"


def braces(tree: object, depth: int = 0) -> list[str]:
    """The ``default`` (hierarchical) listing of a tree."""
    pad = "  " * depth
    lines: list[str] = []
    if not isinstance(tree, dict):
        return lines
    for key, child in tree.items():
        if isinstance(child, str):
            lines.append(f"{pad}{quote(key)} {quote(child)};")
        elif isinstance(child, list):
            body = quote(child[0]) if len(child) == 1 else "[ " + " ".join(map(quote, child)) + " ]"
            lines.append(f"{pad}{quote(key)} {body};")
        elif not child:
            lines.append(f"{pad}{quote(key)};")
        else:
            lines += [f"{pad}{quote(key)} {{", *braces(child, depth + 1), f"{pad}}}"]
    return lines


def _filtered(output: str, pipe: list[str]) -> str:
    """``| match TEXT`` keeps the lines holding TEXT, ``| except TEXT`` drops them."""
    if len(pipe) != 2 or pipe[0] not in ("match", "except") or output in (INVALID,):
        return INVALID
    keep = pipe[0] == "match"
    return "\n".join(line for line in output.splitlines() if (pipe[1] in line) == keep)


class PanosSession(CliSession):
    """A login: CLI settings of this session, its mode and its ``edit`` context."""

    def __init__(self, device: PanosDeviceView, username: str) -> None:
        """Start in operational mode with PAN-OS's default listing format."""
        self.device = device
        self.user = username
        self.configuring = False
        self.context: tuple[str, ...] = ()
        self.output_format = "default"

    # -- contract -----------------------------------------------------------------------------
    def banner(self) -> str:
        """PAN-OS prints the last login line before the first prompt."""
        return "Last login: Sat Dec  5 01:00:00 2026 from 127.0.0.1\n"

    def prompt(self) -> str:
        """``admin@PA-VM>``; in configuration mode the context line, then ``admin@PA-VM#``."""
        if not self.configuring:
            return f"{self.user}@{self.device.hostname}> "
        where = " ".join(quote(w) for w in self.context)
        return f"\n[edit{' ' + where if where else ''}]\n{self.user}@{self.device.hostname}# "

    @property
    def in_config_mode(self) -> bool:
        """True in configuration mode."""
        return self.configuring

    def rejected(self, line: str) -> str:
        """A refused configuration line."""
        return INVALID

    def handle(self, line: str) -> str:
        """Run one line in the current mode."""
        text = line.strip()
        if not text:
            return ""
        text, bar, pipe = text.partition(" | ")
        try:
            words = tokens(text)
        except SyntaxErr:
            return INVALID
        output = self._config(words) if self.configuring else self._operational(words)
        return _filtered(output, pipe.split(None, 1)) if bar else output

    # -- operational mode ---------------------------------------------------------------------
    def _operational(self, words: list[str]) -> str:
        verb, args = words[0], words[1:]
        if verb in ("exit", "quit") and not args:
            self.closed = True
            return ""
        if verb == "configure" and not args:
            self.configuring, self.context = True, ()
            return "Entering configuration mode"
        if verb == "set":
            return self._cli_setting(args)
        if verb == "show":
            return self._show(args)
        if verb == "request":
            return self._request(args)
        return unknown(verb)

    def _cli_setting(self, args: list[str]) -> str:
        if len(args) >= 3 and args[0] == "cli":
            key, value = " ".join(args[1:-1]), args[-1]
            if key in ("scripting-mode", "pager", "confirmation-prompt") and value in ("on", "off"):
                return ""
            if key in ("terminal width", "terminal height") and value.isdigit():
                return ""
            if key == "config-output-format" and value in FORMATS:
                self.output_format = value
                return ""
        return INVALID

    def _listing(self, tree: object) -> str:
        if self.output_format == "set":
            return "\n".join(render(tree)) + "\n"
        return "\n".join(["config {", *braces(tree, 1), "}"]) + "\n"

    def _show(self, args: list[str]) -> str:
        device = self.device
        if args == ["system", "info"]:
            return device.system_info()
        if args == ["interface", "management"]:
            return device.management_interface()
        if args == ["jobs", "all"]:
            return device.jobs()
        if args == ["clock"]:
            return "Sat Dec  5 01:00:00 +07 2026"
        if args == ["commit-locks"]:
            holder = device.commit_lock
            return (f"Commit Locks:\n{holder:<20}{'':<10}{'':<12}\n" if holder
                    else "No commit locks present.")
        if len(args) == 2 and args[0] == "config":
            if args[1] == "running":
                return self._listing(device.running)
            if args[1] == "candidate":
                return self._listing(device.candidate)
            if args[1] == "diff":
                return diff(device.running, device.candidate)
        if len(args) == 3 and args[:2] == ["config", "saved"] and args[2] in device.snapshots:
            return self._listing(device.snapshots[args[2]])
        return INVALID

    def _request(self, args: list[str]) -> str:
        if args[:2] == ["commit-lock", "add"]:
            if self.device.commit_lock not in (None, self.user):
                return f"Server error : Commit lock is already held by {self.device.commit_lock}"
            self.device.commit_lock = self.user
            return "Successfully acquired lock"
        if args[:2] == ["commit-lock", "remove"]:
            if self.device.commit_lock != self.user:
                return "Server error : Commit lock is not currently held"
            self.device.commit_lock = None
            return "Successfully removed lock"
        return INVALID

    # -- configuration mode -------------------------------------------------------------------
    def _config(self, words: list[str]) -> str:
        verb, args = words[0], words[1:]
        handlers = {"set": self._set, "delete": self._delete, "edit": self._edit, "show": self._show_config,
                    "move": self._move, "rename": self._rename, "load": self._load, "save": self._save,
                    "revert": self._revert, "commit": self._commit, "run": self._run,
                    "check": self._check}
        if verb in ("up", "top") and not args:
            self.context = self.context[:-1] if verb == "up" else ()
            return ""
        if verb in ("exit", "quit") and not args:
            if self.context:
                self.context = ()
            else:
                self.configuring = False
            return ""
        if verb not in handlers:
            return unknown(verb)
        return handlers[verb](args)

    def _set(self, args: list[str]) -> str:
        if not args:
            return INVALID
        work = copy_tree(self.device.candidate)
        try:
            for where in assignments([*self.context, *args]):
                set_path(work, where)
        except SyntaxErr:
            return INVALID
        self.device.candidate = work
        return ""

    def _delete(self, args: list[str]) -> str:
        try:
            delete_path(self.device.candidate, resolve(ROOT, [*self.context, *args]))
        except SyntaxErr:
            return INVALID
        return ""

    def _edit(self, args: list[str]) -> str:
        try:
            where = resolve(ROOT, [*self.context, *args])
        except SyntaxErr:
            return INVALID
        if where.values or not (where.entry or isinstance(where.node, dict)):
            return INVALID
        self.context = where.keys
        return ""

    def _show_config(self, args: list[str]) -> str:
        if args and args[0] == "config":
            return self._show(args)
        try:
            where = resolve(ROOT, [*self.context, *args])
        except SyntaxErr:
            return INVALID
        keys = where.keys
        node = get(self.device.candidate, keys)
        if node is None:
            return ""
        if self.output_format == "set":
            return "\n".join(render(node, keys, where.node))
        return "\n".join(braces({keys[-1]: node} if keys else node))

    def _move(self, args: list[str]) -> str:
        for at, word in enumerate(args):
            if word in ("top", "bottom", "before", "after"):
                other = args[at + 1] if word in ("before", "after") and len(args) == at + 2 else None
                needs_other = word in ("before", "after")
                if needs_other != (other is not None) or (not needs_other and len(args) != at + 1):
                    return INVALID
                try:
                    where = resolve(ROOT, [*self.context, *args[:at]])
                    if not where.entry:
                        return INVALID
                    move(self.device.candidate, where.keys, word, other)
                except SyntaxErr:
                    return INVALID
                return ""
        return INVALID

    def _rename(self, args: list[str]) -> str:
        if len(args) < 4 or args[-2] != "to":
            return INVALID
        try:
            where = resolve(ROOT, [*self.context, *args[:-2]])
            parent_schema = resolve(ROOT, list(where.keys[:-1])).node
        except SyntaxErr:
            return INVALID
        parent = get(self.device.candidate, where.keys[:-1])
        if not where.entry or not isinstance(parent_schema, Entries) or not isinstance(parent, dict) \
                or where.keys[-1] not in parent or args[-1] in parent:
            return INVALID
        items = [(args[-1] if k == where.keys[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
        return ""

    def _load(self, args: list[str]) -> str:
        if len(args) == 3 and args[:2] == ["config", "from"] and args[2] in self.device.snapshots:
            self.device.candidate = copy_tree(self.device.snapshots[args[2]])
            return f"Config loaded from {args[2]}"
        return INVALID

    def _save(self, args: list[str]) -> str:
        if len(args) == 3 and args[:2] == ["config", "to"] and _SNAPSHOT.match(args[2]):
            self.device.snapshots[args[2]] = copy_tree(self.device.candidate)
            return f"Config saved to {args[2]}"
        return INVALID

    def _revert(self, args: list[str]) -> str:
        if args != ["config"]:
            return INVALID
        self.device.candidate = copy_tree(self.device.running)
        return ""

    def _check(self, args: list[str]) -> str:
        if args != ["pending-changes"]:
            return INVALID
        return "yes" if self.device.candidate != self.device.running else "no"

    def _run(self, args: list[str]) -> str:
        if not args or args[0] in ("configure", "exit", "quit"):
            return INVALID
        return self._operational(args)

    def _commit(self, args: list[str]) -> str:
        rest = list(args)
        if len(rest) >= 2 and rest[0] == "description":
            rest = rest[2:]
        if rest not in ([], ["force"]):
            return INVALID
        device = self.device
        if device.commit_lock not in (None, self.user):
            return f"Server error : Commit lock is currently held by {device.commit_lock}"
        if device.candidate == device.running and not rest:
            return "There are no changes to commit."
        job, errors = device.commit(self.user)
        head = [f"Commit job {job} is in progress. Use Ctrl+C to return to command prompt",
                "....55%.....75%.....98%.......100%"]
        if errors:
            return "\n".join([*head, "Commit failed", "Validation Error:", *(f" {e}" for e in errors)])
        return "\n".join([*head, "Configuration committed successfully"])
