"""One VRP CLI login: user view, system view and its nested views, VRP V8's candidate.

VRP V5 applies every configuration line at once; V8 collects lines in the session's candidate
(prompt ``[*HOST]`` while it differs from the running config, ``[~HOST]`` otherwise) until
``commit`` or ``commit trial N``. ``save`` asks before writing the startup configuration.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tslcd.lab.models import huawei_show as show
from tslcd.lab.models import huawei_trial as trial
from tslcd.lab.models.base import CliSession
from tslcd.lab.models.huawei_api import HuaweiDeviceView
from tslcd.lab.models.huawei_config import Node, render
from tslcd.lab.models.huawei_syntax import (
    INCOMPLETE,
    LOGICAL,
    OPENERS,
    UNRECOGNIZED,
    WRONG,
    check,
    interface_name,
    known,
)

#: Settings where a new value replaces the old one (the match's groups are the setting's identity).
KEYED = tuple(re.compile(p) for p in (
    r"^(sysname) ", r"^(description) ", r"^(ip address) \S+ \S+$", r"^(authentication-mode) ",
    r"^(protocol inbound) ", r"^(idle-timeout) ", r"^(user privilege level) ", r"^(action) ",
    r"^(set priority) ", r"^(local-user \S+ password) ", r"^(local-user \S+ privilege level) ",
    r"^(local-user \S+ service-type) ", r"^(header (?:login|shell)) ", r"^(clock timezone) ",
    r"^(router id) ", r"^(rule \d+) (?!description )", r"^(rule \d+ description) ", r"^(step) ",
    r"^(mtu) ", r"^(port link-type) ", r"^(port default vlan) ", r"^(set authentication password) ",
    r"^(snmp-agent sys-info (?:contact|location)) ", r"^(acl) \S+ (inbound|outbound)",
    r"^(traffic-filter (?:inbound|outbound)) ", r"^(service-manage \S+) ",
))
#: Settings whose ``undo`` leaves nothing behind (others are shown as ``undo ...`` when off).
PLAIN_UNDO = ("description", "sysname", "rule", "local-user", "acl", "interface", "header",
              "action", "source-zone", "destination-zone", "source-address", "destination-address",
              "service", "set", "add", "ip", "ntp-service", "info-center", "idle-timeout",
              "authentication-mode", "protocol", "traffic-filter", "shutdown", "alias")
SAVE_V5 = ("The current configuration will be written to the device.", "Are you sure to continue?[Y/N]")
SAVE_V8 = ("", "Warning: The current configuration will be written to the device. Continue? [Y/N]:")
ENTER_SYSTEM = "Enter system view, return user view with Ctrl+Z."
UNCOMMITTED = ("Warning: Uncommitted configurations found. Are you sure to commit them before "
               "exiting? [Y(yes)/N(no)/C(cancel)]:")


def _abbrev(word: str, full: str, shortest: int) -> bool:
    return len(word) >= shortest and full.startswith(word)


def _key(text: str) -> tuple[int, tuple[str | None, ...]] | None:
    for i, rx in enumerate(KEYED):
        m = rx.match(text)
        if m:
            return i, m.groups()
    return None


class HuaweiSession(CliSession):
    """One VRP login."""

    more_prompt = "  ---- More ----"

    def __init__(self, device: HuaweiDeviceView, username: str) -> None:
        """Start in user view with paging on (Netmiko sends ``screen-length 0 temporary``)."""
        self.device = device
        self.username = username
        self.views: list[tuple[str, Node, str]] = []  # (kind, node, prompt suffix); [] = user view
        self.candidate: Node | None = None
        self.base: list[str] = []  # the running config the candidate was taken from
        self.pending: Callable[[str], str] | None = None
        self.pending_prompt = ""
        self.page_length = 24
        self.typed_at = 0  # length of the prompt the current line was typed after

    # -- contract -----------------------------------------------------------------------------
    def banner(self) -> str:
        """VRP's login notice."""
        return ("Info: The max number of VTY users is 5, and the number\n"
                "      of current VTY users on line is 1.")

    def prompt(self) -> str:
        """``<HOST>``, ``[HOST]``, ``[HOST-GigabitEthernet0/0/1]``; V8 ``[~HOST]`` / ``[*HOST]``."""
        trial.tick(self.device)
        if self.pending is not None:
            return self.pending_prompt
        host = self.device.hostname
        if not self.views:
            return f"<{host}>"
        mark = ""
        if self.device.two_stage:
            mark = "*" if self._dirty() else "~"
        suffix = self.views[-1][2]
        return f"[{mark}{host}{'-' + suffix if suffix else ''}]"

    @property
    def in_config_mode(self) -> bool:
        """In system view or deeper."""
        return bool(self.views)

    def rejected(self, line: str) -> str:
        """VRP's refusal of an unknown command, caret under the first word."""
        return self._error(UNRECOGNIZED, 0)

    def ctrl_z(self) -> str | None:
        """Ctrl-Z returns to user view, as ``return`` does."""
        return None if not self.views or self.pending else self._leave()

    # -- helpers ------------------------------------------------------------------------------
    def _root(self) -> Node:
        if self.device.two_stage:
            if self.candidate is None:
                self.candidate = self.device.root.copy()
                self.base = render(self.candidate)
            return self.candidate
        return self.device.root

    def _dirty(self) -> bool:
        """Whether this session's candidate holds edits (a trial rolled back underneath is none)."""
        return self.candidate is not None and render(self.candidate) != self.base

    def _error(self, text: str, column: int) -> str:
        return " " * (self.typed_at + column) + "^\n" + text

    def _ask(self, before: str, question: str, answer: Callable[[str], str]) -> str:
        self.pending, self.pending_prompt = answer, question
        return before

    # -- input --------------------------------------------------------------------------------
    def handle(self, line: str) -> str:
        """Run one line in the current view."""
        trial.tick(self.device)
        self.typed_at = len(self.prompt())
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer(line.strip())
        text = line.strip()
        if not text:
            return ""
        command, filt = show.split_filter(text)
        words = command.split()
        first = words[0].lower()
        if _abbrev(first, "display", 3):
            return self._display(words[1:], filt, text)
        if first == "screen-length" and words[1:] == ["0", "temporary"]:
            self.page_length = 0
            return "Info: The configuration takes effect on the current user terminal interface only."
        if _abbrev(first, "save", 3) and len(words) == 1:
            return self._save()
        if not self.views:
            return self._user_view(words, text)
        return self._system(words, text)

    def _user_view(self, words: list[str], text: str) -> str:
        first = words[0].lower()
        if _abbrev(first, "system-view", 2) and len(words) == 1:
            self.views = [("system", self._root(), "")]
            return "" if self.device.two_stage else ENTER_SYSTEM
        if _abbrev(first, "quit", 1) or _abbrev(first, "return", 3):
            self.closed = True
            return ""
        if self.device.two_stage and words[:3] == ["rollback", "configuration", "to"] and len(words) == 5:
            return self._rollback_to(words[4])
        return self._error(UNRECOGNIZED, 0)

    def _save(self) -> str:
        before, question = SAVE_V8 if self.device.two_stage else SAVE_V5

        def answer(reply: str) -> str:
            if reply.lower() not in ("y", "yes"):
                return ""
            self.device.save(self.username)
            if self.device.two_stage:
                return ("Now saving the current configuration to the slot 1 .\n"
                        "Info: Save the configuration successfully.")
            return "Now saving the current configuration to the slot 0.\nSave the configuration successfully."

        return self._ask(before, question, answer)

    def _display(self, args: list[str], filt: tuple[str, str] | None, text: str) -> str:
        output = self._display_text([a.lower() for a in args])
        if output is None:
            return self._error(UNRECOGNIZED, len(text.split()[0]) + 1) if args else \
                self._error(INCOMPLETE, len(text) + 1)
        if filt is not None:
            filtered = show.apply_filter(output, filt[0].lower(), filt[1])
            if filtered is None:
                return self._error(UNRECOGNIZED, text.index("|") + 2)
            output = filtered
        return output

    def _display_text(self, args: list[str]) -> str | None:
        d = self.device
        if not args:
            return None
        head = args[0]
        if _abbrev(head, "current-configuration", 3):
            return d.running_config().rstrip("\n")
        if _abbrev(head, "saved-configuration", 2):
            return d.saved_config().rstrip("\n")
        if _abbrev(head, "version", 3):
            return show.version(d)
        if head == "esn":
            return show.esn(d)
        if _abbrev(head, "startup", 3):
            return show.startup(d)
        if _abbrev(head, "interface", 3) and args[1:2] and _abbrev(args[1], "brief", 2):
            return show.interface_brief(d)
        if head == "acl" and args[1:] == ["all"]:
            return show.acl_all(d)
        if d.two_stage and args[:3] == ["configuration", "candidate", "changes"]:
            return self._changes()
        if d.two_stage and args[:3] == ["configuration", "commit", "list"]:
            return d.commit_list()  # type: ignore[attr-defined]
        return None

    def _changes(self) -> str:
        before = set(render(self.device.root))
        after = render(self.candidate) if self.candidate is not None else []
        added = [f"+{line}" for line in after if line not in before and line != "#"]
        gone = [f"-{line}" for line in render(self.device.root) if line not in set(after) and line != "#"]
        return "\n".join(gone + added) if self.candidate is not None else ""

    # -- system view and below ----------------------------------------------------------------
    def _leave(self) -> str:
        if self.device.two_stage and self._dirty():
            def answer(reply: str) -> str:
                r = reply.lower()[:1]
                if r == "y":
                    out = self._commit(None)
                    self.views = []
                    return out
                if r == "n":
                    self.candidate, self.views = None, []
                return ""
            return self._ask("", UNCOMMITTED, answer)
        self.views = []
        self.candidate = None
        return ""

    def _system(self, words: list[str], text: str) -> str:
        first = words[0].lower()
        if _abbrev(first, "return", 3) and len(words) == 1:
            return self._leave()
        if _abbrev(first, "quit", 1) and len(words) == 1:
            if len(self.views) == 1:
                return self._leave()
            self.views.pop()
            return ""
        if self.device.two_stage and first == "commit":
            return self._commit_command(words)
        if self.device.two_stage and words == ["abort", "trial"]:
            if trial.abort(self.device):
                self.candidate = None
                self.views = [("system", self._root(), "")]
                return "Info: Succeeded in rolling back the trial configuration."
            return "Error: No trial configuration exists."
        return self._configure(text)

    def _configure(self, text: str) -> str:
        words = text.split()
        body = words[1:] if words[0] == "undo" and len(words) > 1 else words
        for depth in range(len(self.views) - 1, -1, -1):
            kind = self.views[depth][0]
            if self._opener(kind, " ".join(body)) is not None or known(kind, body[0]):
                break
        else:
            return self._error(UNRECOGNIZED, text.index(body[0]))
        kind, node, _ = self.views[depth]
        found = self._opener(kind, " ".join(body))
        error = None if found is not None and words[0] != "undo" else check(text, kind)
        if error is not None:
            return self._error(*error)
        del self.views[depth + 1:]
        if found is not None:
            return self._open(node, kind, found, negate=words[0] == "undo", typed=text)
        self._set_leaf(node, text)
        self._changed()
        return ""

    def _opener(self, kind: str, line: str) -> tuple[str, str, str] | None:
        """(stored line, view kind, prompt suffix) when ``line`` opens a view in ``kind``."""
        for opener in OPENERS.get(kind, ()):
            m = opener.pattern.match(line)
            if not m:
                continue
            groups = [g or "" for g in m.groups()]
            if opener.kind == "interface":
                name = interface_name(line.split()[1:])
                if name is None:
                    return None
                groups = [name]
            basic = any((g.isdigit() and int(g) < 3000) or g == "basic" for g in groups)
            acl_kind = "basic" if basic else "adv"
            parent = self.views[-1][2] if self.views else ""
            fields = {"line": line, "kind": acl_kind, "parent": parent,
                      "dash": "-" if len(groups) > 2 and groups[2] else ""}
            stored = opener.stored.format(*groups, **fields)
            return stored, opener.kind, opener.prompt.format(*groups, **fields)
        return None

    def _open(self, node: Node, kind: str, found: tuple[str, str, str], negate: bool, typed: str) -> str:
        stored, view_kind, suffix = found
        existing = node.find(stored)
        if negate:
            if existing is not None:
                node.children.remove(existing)
                self._changed()
            return ""
        if existing is None:
            if view_kind == "interface":
                name = stored.split(None, 1)[1]
                if not name.startswith(LOGICAL) and name not in self.device.hardware:
                    return self._error(WRONG, len(typed.split()[0]) + 1)
            existing = Node(stored)
            node.children.append(existing)
            self._changed()
        self.views.append((view_kind, existing, suffix))
        return ""

    def _set_leaf(self, node: Node, text: str) -> None:
        if text.startswith("undo "):
            target = text[5:]
            gone = [c for c in node.children if c.text == target or c.text.startswith(target + " ")]
            for child in gone:
                node.children.remove(child)
            if not gone and target.split()[0] not in PLAIN_UNDO and node.find(text) is None:
                node.children.append(Node(text))
            return
        undone = node.find("undo " + text)
        if undone is not None:
            node.children.remove(undone)
            return
        if node.text.startswith("acl ") and re.match(r"^rule (?:permit|deny)\b", text):
            numbers = [int(c.text.split()[1]) for c in node.children if re.match(r"^rule \d+ ", c.text)]
            text = f"rule {max(numbers, default=0) // 5 * 5 + 5} {text[5:]}"
        key = _key(text)
        same = [c for c in node.children if key is not None and _key(c.text) == key]
        if same:  # a new value takes the old one's place, as VRP lists a block's settings in order
            same[0].text = text
            node.children[:] = [c for c in node.children if c is same[0] or c not in same]
        elif text.startswith("description ") and node.text:  # VRP lists a description first
            node.children.insert(0, Node(text))
        elif node.find(text) is None:
            node.children.append(Node(text))

    def _changed(self) -> None:
        if not self.device.two_stage:
            self.device.apply(self.device.root, self.username)

    # -- VRP V8 commit ------------------------------------------------------------------------
    def _commit_command(self, words: list[str]) -> str:
        if words == ["commit"]:
            return self._commit(None)
        if len(words) >= 2 and words[1] == "trial":
            seconds = words[2] if len(words) > 2 else str(trial.DEFAULT_TRIAL)
            if not seconds.isdigit() or not trial.TRIAL_RANGE[0] <= int(seconds) <= trial.TRIAL_RANGE[1]:
                return self._error(WRONG, len("commit trial "))
            return self._commit(int(seconds))
        return self._error(UNRECOGNIZED, len("commit "))

    def _commit(self, trial_seconds: int | None) -> str:
        device = self.device
        if trial_seconds is None and trial.confirm(device) and not self._dirty():
            return "Info: The trial configuration has been confirmed."
        if self.candidate is None or not self._dirty():
            return "Info: No configuration changes to commit."
        if trial_seconds is not None:
            before = device.root.copy()

            def rollback() -> None:
                device.apply(before, "SYSTEM")

            trial.start(device, trial_seconds, rollback)
        device.apply(self.candidate.copy(), self.username)
        self.candidate = device.root.copy()
        self.base = render(self.candidate)
        self._rebind()
        if trial_seconds is None:
            return ""
        return ("Info: The system enters the trial configuration mode. The system will revert to previous "
                f"configuration if the trial configuration is not confirmed in {trial_seconds} seconds.")

    def _rebind(self) -> None:
        """Point the view stack at the same blocks of the new candidate."""
        assert self.candidate is not None
        node = self.candidate
        views = [("system", node, "")]
        for kind, old, suffix in self.views[1:]:
            found = node.find(old.text)
            if found is None:
                break
            node = found
            views.append((kind, node, suffix))
        self.views = views

    def _rollback_to(self, commit_id: str) -> str:
        root = self.device.commit_root(commit_id)  # type: ignore[attr-defined]
        if root is None:
            return "Error: The commit ID does not exist."
        self.device.apply(root, self.username)
        return "Info: Succeeded in rolling back the configuration."
