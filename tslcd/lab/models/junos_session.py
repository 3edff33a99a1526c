"""One CLI login on a lab JunOS device: operational mode (``user@host>``) and configuration mode
(``[edit]`` above ``user@host#``), as Netmiko's ``juniper_junos`` driver meets them.

Netmiko logs in, finds the prompt, sends ``set cli screen-width 511``, ``set cli complete-on-space
off`` and ``set cli screen-length 0`` (each answered with JunOS's confirmation line), then
``show configuration | display set`` to read; to change it enters ``configure`` (``Entering
configuration mode``), types ``set``/``delete`` lines, commits (``commit confirmed N``, ``commit``,
``commit and-quit``) and leaves with ``exit configuration-mode``, answering ``yes`` when JunOS asks
whether to exit with uncommitted changes. The candidate is shared, as after a plain ``configure``:
what one login leaves uncommitted the next one finds (and commits with its own change).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tslcd.lab.models import confirm
from tslcd.lab.models import junos_commit as commits
from tslcd.lab.models import junos_show as show
from tslcd.lab.models.base import CliSession
from tslcd.lab.models.junos_api import JunosDeviceView
from tslcd.lab.models.junos_syntax import TOP_LEVEL, caret, check
from tslcd.lab.models.junos_tree import (
    Node,
    add,
    compare,
    display_set,
    expand,
    find,
    hierarchical,
    remove,
    set_active,
    tokens,
)

UNKNOWN = "unknown command."
SYNTAX = "syntax error."
EXIT_QUESTION = ("The configuration has been changed but not committed\n"
                 "Exit with uncommitted changes? [yes,no] (yes) ")
#: What ``?`` lists: the verbs of each mode and the topics of ``show`` the lab answers.
OPERATIONAL_VERBS = {
    "cli": "Return to the CLI", "configure": "Manipulate software configuration information",
    "exit": "Exit the management session", "quit": "Exit the management session",
    "set": "Set CLI properties", "show": "Show system information",
}
CONFIG_VERBS = {
    "activate": "Remove the inactive tag from a statement", "commit": "Commit current set of changes",
    "deactivate": "Add the inactive tag to a statement", "delete": "Delete a data element",
    "edit": "Edit a sub-element", "exit": "Exit from this level", "quit": "Quit from this level",
    "rollback": "Roll back to previous committed configuration",
    "run": "Run an operational-mode command", "set": "Set a parameter", "show": "Show a parameter",
    "status": "Show users currently editing configuration",
    "top": "Exit to top level of configuration", "up": "Exit one level of configuration",
}
SHOW_TOPICS = {"arp": "Show system Address Resolution Protocol table entries",
               "chassis": "Show chassis information", "configuration": "Show current configuration",
               "interfaces": "Show interface information", "route": "Show routing table information",
               "security": "Show security information", "system": "Show system information",
               "version": "Show software process revision levels"}
#: Filters that may follow ``|`` on any command.
_PIPES = ("match", "except", "count", "no-more", "display", "last", "find", "compare", "trim")


class JunosSession(CliSession):
    """A login: its mode, edit path and pending question; the configuration is the device's."""

    def __init__(self, device: JunosDeviceView, username: str) -> None:
        self.device = device
        self.username = username
        self.configuring = False
        self.edit: list[str] = []
        self.question: Callable[[str], str] | None = None
        self.screen_width = 80
        #: How this command's configuration listing is shown: hierarchical, display (set), compare.
        self.listing = "hierarchical"

    # -- contract -----------------------------------------------------------------------------
    def banner(self) -> str:
        """What a JunOS login prints before the first prompt."""
        return "--- JUNOS 21.4R3-S5.4 Kernel 64-bit  JNPR-12.1-20230221.fb0e2d0_buil\n"

    def prompt(self) -> str:
        """``user@host> `` or ``[edit ...]`` above ``user@host# `` (a pending commit confirmed
        adds JunOS's reminder line), each after a blank line; '' while a question waits."""
        if self.question is not None:
            return ""
        base = f"{self.username}@{self.device.hostname}"
        if not self.configuring:
            return f"\r\n{base}> "
        where = "[edit " + " ".join(self.edit) + "]" if self.edit else "[edit]"
        minutes = commits.pending_minutes(self.device)
        note = f"# commit confirmed will be rolled back in {minutes} minutes\r\n" if minutes else ""
        return f"\r\n{note}{where}\r\n{base}# "

    @property
    def in_config_mode(self) -> bool:
        """True in configuration mode."""
        return self.configuring

    def rejected(self, line: str) -> str:
        """A refused configuration line (fault injection)."""
        return f"{' ' * self._prompt_width()}^\n{SYNTAX}\n"

    def ctrl_z(self) -> str | None:
        """JunOS ignores Ctrl-Z at the prompt."""
        return None

    def help(self, line: str) -> str | None:
        """``?``: JunOS's ``Possible completions:`` for the word being typed (verbs, what ``show``
        and ``set`` take next)."""
        words = tokens(line)
        partial = "" if not line or line.endswith(" ") else words.pop()
        if not words:
            choices = CONFIG_VERBS if self.configuring else OPERATIONAL_VERBS
        elif words[0] == "show" and not self.configuring and len(words) == 1:
            choices = SHOW_TOPICS
        elif words[0] in ("set", "delete", "edit") and self.configuring and words == words[:1] \
                and not self.edit:
            choices = {word: "Configuration hierarchy" for word in sorted(TOP_LEVEL)}
        else:
            return None
        shown = [f"  {word:<20} {text}" for word, text in choices.items() if word.startswith(partial)]
        return "Possible completions:\n" + "\n".join(shown) + "\n" if shown else f"{SYNTAX}\n"

    def handle(self, line: str) -> str:
        """Run one line in the current mode."""
        confirm.tick(self.device)
        if self.question is not None:
            answer, self.question = self.question, None
            return answer(line.strip())
        text = line.strip()
        if not text:
            return ""
        command, pipes = _split_pipes(text)
        self.listing = "hierarchical"
        if pipes and pipes[0] in (["display", "set"], ["compare"]):
            self.listing = pipes.pop(0)[0]
        output = self._config(command, text) if self.configuring else self._operational(command, text)
        return _filter(output, pipes) if pipes else output

    # -- helpers ------------------------------------------------------------------------------
    def _prompt_width(self) -> int:
        return len(self.username) + len(self.device.hostname) + 3  # "user@host# "

    def _error(self, line: str, words: list[str], index: int, message: str) -> str:
        return caret(self._prompt_width(), words, index, line) + "\n" + message + "\n"

    # -- operational mode ---------------------------------------------------------------------
    def _operational(self, command: str, line: str) -> str:
        words = tokens(command)
        verb = words[0]
        if verb in ("exit", "quit", "logout"):
            self.closed = True
            return ""
        if verb == "cli":
            return ""
        if verb in ("configure", "edit") and len(words) <= 2:
            return self._configure(words[1:])
        if verb == "set" and words[1:2] == ["cli"]:
            return self._cli_setting(words[2:], line)
        if verb == "show" and len(words) > 1:
            return self._show(words[1:], line)
        return self._error(line, words, 0, UNKNOWN)

    def _configure(self, args: list[str]) -> str:
        if args and args[0] not in ("private", "exclusive"):
            return self._error(" ".join(["configure", *args]), ["configure", *args], 1, SYNTAX)
        self.configuring, self.edit = True, []
        changed = self.device.candidate_changed()
        return "Entering configuration mode\n" + (
            "The configuration has been changed but not committed\n" if changed else "")

    def _cli_setting(self, args: list[str], line: str) -> str:
        words = ["set", "cli", *args]
        if args[:1] == ["screen-length"] and len(args) == 2 and args[1].isdigit():
            self.page_length = int(args[1])
            return f"Screen length set to {args[1]}\n"
        if args[:1] == ["screen-width"] and len(args) == 2 and args[1].isdigit():
            self.screen_width = int(args[1])
            return f"Screen width set to {args[1]}\n"
        if args[:1] == ["complete-on-space"] and args[1:] in (["off"], ["on"]):
            return ("Disabling" if args[1] == "off" else "Enabling") + " complete-on-space\n"
        if args[:1] == ["timestamp"]:
            return ""
        return self._error(line, words, min(len(words) - 1, 2), SYNTAX)

    def _show(self, args: list[str], line: str) -> str:
        table: dict[str, Callable[[], str]] = {
            "version": lambda: show.version(self.device),
            "chassis hardware": lambda: show.chassis_hardware(self.device),
            "system uptime": lambda: show.system_uptime(self.device, commits.now()),
            "system commit": lambda: commits.history(self.device),
            "arp": lambda: show.arp(self.device),
            "arp no-resolve": lambda: show.arp(self.device),
            "route summary": lambda: show.route_summary(self.device),
            "interfaces terse": lambda: show.interfaces_terse(self.device),
            "security policies": lambda: show.security_policies(self.device),
        }
        key = " ".join(args)
        if key in table:
            return table[key]()
        if args[0] == "configuration":
            return self._listing(self.device.committed, args[1:])
        return self._error(line, ["show", *args], 1, SYNTAX)

    def _listing(self, tree: Node, path: list[str]) -> str:
        """A configuration (or part of it) as the command's ``| display set`` or braces ask."""
        node = find(tree, path)
        if node is None:
            return ""
        if self.listing == "display":
            return "".join(line + "\n" for line in display_set(node, tuple(path)))
        lines = hierarchical(node)
        if not path:
            last = self.device.history[0] if self.device.history else None
            if last is not None:
                stamp = last.when.strftime("%Y-%m-%d %H:%M:%S UTC")
                lines.insert(0, f"## Last commit: {stamp} by {last.user}")
        return "\n".join(lines) + "\n"

    # -- configuration mode -------------------------------------------------------------------
    def _config(self, command: str, line: str) -> str:
        words = tokens(command)
        verb = words[0]
        handlers: dict[str, Callable[[list[str], str], str]] = {
            "set": self._set, "delete": self._delete, "deactivate": self._deactivate,
            "activate": self._activate, "edit": self._edit, "up": self._up, "top": self._top,
            "exit": self._exit, "quit": self._exit, "show": self._config_show, "commit": self._commit,
            "rollback": self._rollback, "run": self._run, "status": self._status,
        }
        handler = handlers.get(verb)
        if handler is None:
            return self._error(line, words, 0, UNKNOWN)
        return handler(words[1:], line)

    def _set(self, args: list[str], line: str) -> str:
        words = ["set", *args]
        if not args:
            return self._error(line, words, 0, "error: missing argument")
        if args[0] == "cli" and not self.edit:
            return self._error(line, words, 1, SYNTAX)
        for path in expand(args):
            refusal = check([*self.edit, *path])
            if refusal is not None:
                index = max(0, refusal.word - len(self.edit)) + 1
                return self._error(line, words, index, refusal.message)
        for path in expand(args):
            add(self.device.candidate, [*self.edit, *path])
        return ""

    def _delete(self, args: list[str], line: str) -> str:
        if not args and self.edit:
            remove(self.device.candidate, self.edit)
            return ""
        if not args:
            return self._question_delete_all()
        missing = [p for p in expand(args) if not remove(self.device.candidate, [*self.edit, *p])]
        return "warning: statement not found\n" if missing else ""

    def _question_delete_all(self) -> str:
        def answer(reply: str) -> str:
            if reply in ("yes", "y"):
                self.device.candidate.children.clear()
            return ""

        self.question = answer
        return "Delete everything under this level? [yes,no] (no) "

    def _deactivate(self, args: list[str], line: str) -> str:
        if not set_active(self.device.candidate, [*self.edit, *args], False):
            return "warning: statement not found\n"
        return ""

    def _activate(self, args: list[str], line: str) -> str:
        if not set_active(self.device.candidate, [*self.edit, *args], True):
            return "warning: statement not found\n"
        return ""

    def _edit(self, args: list[str], line: str) -> str:
        refusal = check([*self.edit, *args]) if args else None
        if refusal is not None:
            return self._error(line, ["edit", *args], refusal.word - len(self.edit) + 1, refusal.message)
        self.edit = [*self.edit, *args]
        return ""

    def _up(self, args: list[str], line: str) -> str:
        steps = int(args[0]) if args and args[0].isdigit() else 1
        self.edit = self.edit[:-steps] if steps < len(self.edit) else []
        return ""

    def _top(self, args: list[str], line: str) -> str:
        self.edit = []
        return self._config(" ".join(args), " ".join(args)) if args else ""

    def _exit(self, args: list[str], line: str) -> str:
        if args and args != ["configuration-mode"]:
            return self._error(line, ["exit", *args], 1, SYNTAX)
        if self.edit and not args:
            self.edit = self.edit[:-1]
            return ""
        if not self.device.candidate_changed():
            return self._leave()

        def answer(reply: str) -> str:
            return self._leave() if reply in ("", "yes", "y") else ""

        self.question = answer
        return EXIT_QUESTION

    def _leave(self) -> str:
        self.configuring, self.edit = False, []
        return "Exiting configuration mode\n"

    def _config_show(self, args: list[str], line: str) -> str:
        if self.listing == "compare":
            before = self.device.committed
            if args[:1] == ["rollback"] and len(args) == 2 and args[1].isdigit():
                number = int(args[1])
                if number >= len(self.device.history):
                    return f"error: rollback file {number} does not exist\n"
                before, args = self.device.history[number].tree, []
            lines = compare(before, self.device.candidate)
            return "\n".join(lines) + ("\n" if lines else "")
        node = find(self.device.candidate, [*self.edit, *args])
        if node is None:
            return ""
        if self.listing == "display":
            return "".join(line + "\n" for line in display_set(node, (*self.edit, *args)))
        return "\n".join(hierarchical(node)) + ("\n" if node.children else "")

    def _commit(self, args: list[str], line: str) -> str:
        words = ["commit", *args]
        rest = list(args)
        if rest[:1] == ["check"]:
            errors = commits.check(self.device.candidate)
            return ("\n".join([*errors, commits.CHECK_FAILED]) + "\n" if errors
                    else "configuration check succeeds\n")
        minutes = None
        if rest[:1] == ["confirmed"]:
            rest = rest[1:]
            minutes = commits.CONFIRM_DEFAULT
            if rest and rest[0].isdigit():
                minutes = int(rest.pop(0))
                if not 1 <= minutes <= commits.CONFIRM_MAX:
                    return self._error(line, words, 2, f"error: value {minutes} is not within range "
                                                        f"(1..{commits.CONFIRM_MAX})")
        quit_after = False
        while rest:
            if rest[0] == "comment" and len(rest) > 1:
                rest = rest[2:]
            elif rest[0] == "and-quit":
                quit_after, rest = True, rest[1:]
            elif rest[0] == "synchronize":
                rest = rest[1:]
            else:
                return self._error(line, words, len(words) - len(rest), SYNTAX)
        done, output = commits.commit(self.device, self.username, minutes)
        if done and quit_after:
            output += self._leave()
        return output

    def _rollback(self, args: list[str], line: str) -> str:
        number = args[0] if args else "0"
        if not number.isdigit() or len(args) > 1:
            return self._error(line, ["rollback", *args], 1, SYNTAX)
        return commits.rollback(self.device, int(number))

    def _run(self, args: list[str], line: str) -> str:
        if not args:
            return self._error(line, ["run"], 0, "error: missing argument")
        return self._operational(" ".join(args), " ".join(args))

    def _status(self, args: list[str], line: str) -> str:
        return f"Users currently editing the configuration:\n  {self.username} terminal p0 [edit]\n"


def _split_pipes(text: str) -> tuple[str, list[list[str]]]:
    """The command and its ``| filter`` stages (a ``|`` inside quotes is a character)."""
    parts = re.split(r'\s*\|\s*(?=(?:[^"]*"[^"]*")*[^"]*$)', text)
    return parts[0], [tokens(p) for p in parts[1:] if p.strip()]


def _filter(output: str, pipes: list[list[str]]) -> str:
    """Apply ``| match``, ``| except``, ``| count``, ``| last``, ``| find``, ``| display set``."""
    lines = output.splitlines()
    for stage in pipes:
        name, args = stage[0], [a.strip('"') for a in stage[1:]]
        if name not in _PIPES or name in ("display", "compare"):
            return f"error: invalid pipe command '{name}'\n"
        if name == "match" and args:
            rx = re.compile(args[0], re.IGNORECASE)
            lines = [line for line in lines if rx.search(line)]
        elif name == "except" and args:
            rx = re.compile(args[0], re.IGNORECASE)
            lines = [line for line in lines if not rx.search(line)]
        elif name == "count":
            lines = [f"Count: {len(lines)} lines"]
        elif name == "last" and args and args[0].isdigit():
            lines = lines[-int(args[0]):]
        elif name == "find" and args:
            rx = re.compile(args[0], re.IGNORECASE)
            start = next((i for i, line in enumerate(lines) if rx.search(line)), len(lines))
            lines = lines[start:]
    return "\n".join(lines) + ("\n" if lines else "")
