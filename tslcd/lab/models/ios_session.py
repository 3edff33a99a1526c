"""One CLI login on a lab IOS device: exec commands, configuration mode, confirmations.

Exec commands are a grammar table (pattern -> ``cmd_*`` method); configuration lines go to the
`ConfigEngine` of ``ios_config``. Output texts are IOS's own, because the drivers parse them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime

from tslcd.lab.models import confirm, ios_ops, ios_show
from tslcd.lab.models.base import CliSession
from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_config import (
    ConfigEngine,
    Node,
    Result,
    clone,
    diff_trees,
    ensure_physical,
    merge,
    parse_config,
    render_body,
)
from tslcd.lab.models.ios_exec_ops import OPS_PRIV_EXEC, OPS_USER_EXEC, OpsCommands
from tslcd.lab.models.ios_modes import MODES
from tslcd.lab.models.ios_syntax import Match, ParseError, compile_table, help_options, match
from tslcd.lab.syslog import announce, syslog_frame

RUNNING = ("running-config", "system:running-config")
STARTUP = ("startup-config", "nvram:startup-config")
INVALID = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."

USER_EXEC = [
    ("enable", "enable"), ("exit", "exit"), ("logout", "exit"), ("quit", "exit"),
    ("terminal length N", "terminal_length"), ("terminal width N", "noop"), ("terminal monitor", "noop"),
    ("terminal no monitor", "noop"), ("show version", "show_version"),
    ("show hosts", "show_hosts"), ("show ip interface brief", "show_ip_interface_brief"),
    ("show interfaces [IF]", "show_interfaces"), ("show clock", "show_clock"),
    ("show privilege", "show_privilege"), *OPS_USER_EXEC,
]
PRIV_EXEC = [
    *USER_EXEC,
    ("disable", "disable"), ("configure terminal", "configure"),
    ("configure terminal revert timer N", "configure_revert_timer"),
    ("configure confirm", "configure_confirm"), ("configure revert now", "configure_revert_now"),
    ("configure replace FILE [list] [force] [ignorecase] [revert trigger [error] [timer N]] [time N]",
     "configure_replace"),
    ("show running-config [all]", "show_running"),
    ("show running-config interface IF", "show_running_interface"), ("show startup-config", "show_startup"),
    ("show ip access-lists [WORD]", "show_access_lists"),
    ("show access-lists [WORD]", "show_access_lists"), ("show archive", "show_archive"),
    ("show archive config incremental-diffs FILE [ignorecase]", "show_incremental_diffs"),
    ("show archive config differences [FILE] [FILE] [ignorecase]", "show_differences"),
    ("show archive config rollback timer", "show_rollback_timer"),
    ("dir [FILE]", "dir"), ("verify /md5 FILE [LINE]", "verify_md5"),
    ("delete [/force] FILE", "delete"), ("copy FILE FILE", "copy"),
    ("write [memory]", "write_memory"), ("write terminal", "show_running"),
    ("more FILE", "more"), ("reload [LINE]", "reload"), *OPS_PRIV_EXEC,
]
USER_TABLE = compile_table(USER_EXEC)
PRIV_TABLE = compile_table(PRIV_EXEC)
PIPE_FILTERS = ("append", "begin", "count", "exclude", "format", "include", "redirect", "section",
                "tee")


def _special(name: str) -> str:
    """Lower-case a file name and drop the "/" of ``system:/running-config`` (NAPALM adds it)."""
    low = name.lower()
    for prefix in ("system:/", "nvram:/"):
        if low.startswith(prefix):
            return prefix[:-1] + low[len(prefix):]
    return low


def section_filter(text: str, regex: re.Pattern[str]) -> list[str]:
    """``| section``: whole blocks whose header matches, else headers with their matching lines."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        if regex.search(block[0]):
            out.extend(block)
        else:
            hits = [line for line in block[1:] if regex.search(line)]
            if hits:
                out.extend([block[0], *hits])

    in_banner = False
    for line in text.split("\n"):
        if (line.startswith(" ") or in_banner) and block:
            block.append(line)
            in_banner = in_banner and not line.endswith("^C")
        else:
            flush()
            block = [line]
            in_banner = line.startswith("banner ") and line.count("^C") == 1
    flush()
    return out


class IosCliSession(OpsCommands, CliSession):
    """One SSH login: exec modes, configuration modes, pending confirmations."""

    def __init__(self, device: IosDeviceView, username: str, enable_secret: str) -> None:
        """Start in user EXEC mode; ``enable`` must be answered with `enable_secret`."""
        self.device = device
        self.username = username
        self.enable_secret = enable_secret
        self.privileged = False
        self.engine: ConfigEngine | None = None
        self._pending: Callable[[str], str] | None = None
        self._pending_prompt = ""
        self._current = ("", 0)  # the exec command being run and its screen column (for carets)
        self.echo = True
        self.closed = False
        self.page_length = 24  # IOS pages a vty at 24 lines until ``terminal length 0``
        self._change_seen: str | None = None  # last change when configuration mode was entered

    # --- CliSession contract -----------------------------------------------------------------
    def banner(self) -> str:
        """The MOTD banner text, printed after login."""
        for node in self.device.root.children:
            if node.text == "banner motd" and node.body is not None:
                return node.body.strip("\n") + "\n"
        return ""

    def prompt(self) -> str:
        """The prompt for the current mode (or the pending question)."""
        if self._pending is not None:
            return self._pending_prompt
        if self.engine is not None:
            if self.engine.collecting_banner:
                return ""
            return f"{self.device.hostname}({self.engine.prompt_mode})#"
        return self.device.hostname + ("#" if self.privileged else ">")

    @property
    def in_config_mode(self) -> bool:
        """True inside ``configure terminal``."""
        return self.engine is not None

    def idle_timeout(self) -> float | None:
        """``exec-timeout M [S]`` of the first ``line vty`` section (IOS's default: 10 minutes)."""
        for node in self.device.root.children:
            if node.text.startswith("line vty "):
                for child in node.children:
                    words = child.text.split()
                    if words[0] == "exec-timeout":
                        seconds = int(words[1]) * 60 + (int(words[2]) if len(words) > 2 else 0)
                        return seconds or None
                    if child.text == "no exec":
                        return None
                break
        return 600.0

    def help(self, line: str) -> str | None:
        """``?``: the words IOS accepts next (not while a banner or a question is being answered)."""
        if self._pending is not None or (self.engine is not None and self.engine.collecting_banner):
            return None
        if self.engine is not None:
            tables = [MODES[n.mode or "config"].commands for _, n in reversed(self.engine.levels())]
        else:
            tables = [PRIV_TABLE if self.privileged else USER_TABLE]
        options = help_options(tables, line)
        if not options:
            return "% Unrecognized command\n"
        if line and not line[-1].isspace():
            return "  ".join(options) + "  \n\n"
        width = max(len(o) for o in options) + 2
        return "\n".join(f"  {o:<{width}}".rstrip() for o in options) + "\n\n"

    def ctrl_z(self) -> str | None:
        """Ctrl-Z leaves configuration mode from any depth, as ``end`` does."""
        if self.engine is None or self.engine.collecting_banner or self._pending is not None:
            return None
        self._leave_config()
        return ""

    def rejected(self, line: str) -> str:
        """IOS's refusal of a configuration line: caret under its first word, then the message."""
        width = len(self.prompt()) + len(line) - len(line.lstrip())
        return " " * width + "^\n" + INVALID + "\n"

    def handle(self, line: str) -> str:
        """Run one input line in the current mode."""
        confirm.tick(self.device)
        if self._pending is not None:
            answer, self._pending = self._pending, None
            self.echo = True
            return answer(line)
        if self.engine is not None:
            return self._config_line(line)
        return self._exec(line, self.prompt())

    # --- formatting --------------------------------------------------------------------------
    @staticmethod
    def error_text(error: ParseError, line: str, column_base: int) -> str:
        """IOS's text for a parse error; `column_base` is where `line` starts on the screen."""
        if error.kind == "incomplete":
            return INCOMPLETE + "\n"
        if error.kind == "message":
            return error.message + "\n"
        if error.kind == "ambiguous":
            return f'% Ambiguous command:  "{line.strip()}"\n'
        return " " * (column_base + error.col) + "^\n" + INVALID + "\n"

    def _file_errors(self, errors: list[tuple[str, Result]]) -> str:
        """Refused lines of a configuration file: the line, then IOS's error under it."""
        out = ""
        for raw, res in errors:
            assert res.error is not None
            lead = len(raw) - len(raw.lstrip())
            out += raw.strip() + "\n" + self.error_text(res.error, raw.strip(), res.error_offset - lead)
        return out

    def _ask(self, prompt: str, then: Callable[[str], str], echo: bool = True) -> str:
        self._pending, self._pending_prompt = then, prompt
        self.echo = echo
        return ""

    # --- configuration mode ------------------------------------------------------------------
    def _config_line(self, line: str) -> str:
        assert self.engine is not None
        prompt = self.prompt()
        stripped = line.strip()
        if stripped.lower().startswith("do ") and not self.engine.collecting_banner:
            col = len(prompt) + line.index(stripped) + 3
            return self._exec(stripped[3:], prompt, column_base=col)
        self.engine.changed = False
        res = self.engine.apply(line)
        if self.engine.changed:
            self.device.changed(self.username)
        out = self._result_text(res, line, len(prompt))
        if res.exit_config:
            self._leave_config()
        return out

    def _leave_config(self) -> None:
        """Back to exec mode; a session that changed something leaves IOS's CONFIG_I message."""
        self.engine = None
        if self.device.last_change != self._change_seen:
            message = f"Configured from console by {self.username} on vty0 (10.250.0.10)"
            self.device.log("SYS", 5, "CONFIG_I", message)
            # and to the syslog servers of its `logging host` lines (tslcd listen in the lab)
            announce(self.device.host["hostname"], self.device.running_config(),
                     syslog_frame(f"%SYS-5-CONFIG_I: {message}"))

    def _result_text(self, res: Result, line: str, column_base: int) -> str:
        if res.error is not None:
            return self.error_text(res.error, line, column_base + res.error_offset)
        return res.output + "\n" if res.output else ""

    # --- exec mode ---------------------------------------------------------------------------
    def _exec(self, line: str, prompt: str, column_base: int | None = None) -> str:
        base = len(prompt) if column_base is None else column_base
        command, pipe = line, None
        m_pipe = re.search(r"\s\|\s*", line)
        if m_pipe:
            command, pipe = line[:m_pipe.start()], line[m_pipe.end():]
        if not command.strip():
            return ""
        table = PRIV_TABLE if self.privileged else USER_TABLE
        m = match(table, command)
        if isinstance(m, ParseError):
            words = command.split()
            if m.kind == "invalid" and m.col == command.index(words[0]) and len(words) == 1:
                return "% Unknown command or computer name, or unable to find computer address\n"
            return self.error_text(m, command, base)
        self._current = (command, base)
        handler: Callable[[Match], str] = getattr(self, "cmd_" + m.command.data)
        output = handler(m)
        if pipe is None:
            return output
        return self._pipe(output, pipe, base + (m_pipe.end() if m_pipe else 0))

    def _pipe(self, output: str, pipe: str, column: int) -> str:
        words = pipe.split(None, 1)
        if not words:
            return INCOMPLETE + "\n"
        hits = [f for f in PIPE_FILTERS if f.startswith(words[0].lower())]
        if len(hits) != 1 or hits[0] not in ("begin", "count", "exclude", "include", "section"):
            return " " * column + "^\n" + INVALID + "\n"
        if len(words) < 2:
            return INCOMPLETE + "\n"
        try:
            regex = re.compile(words[1].strip())
        except re.error:
            return " " * column + "^\n" + INVALID + "\n"
        lines = output.rstrip("\n").split("\n")
        kind = hits[0]
        if kind == "include":
            kept = [ln for ln in lines if regex.search(ln)]
        elif kind == "exclude":
            kept = [ln for ln in lines if not regex.search(ln)]
        elif kind == "begin":
            start = next((i for i, ln in enumerate(lines) if regex.search(ln)), len(lines))
            kept = lines[start:]
        elif kind == "count":
            return f"Number of lines which match regexp = {sum(1 for ln in lines if regex.search(ln))}\n"
        else:
            kept = section_filter(output.rstrip("\n"), regex)
        return "\n".join(kept) + "\n" if kept else ""

    # --- exec commands (one method per grammar row) ------------------------------------------
    def cmd_noop(self, m: Match) -> str:
        """Terminal settings: accepted, nothing to print."""
        return ""

    def cmd_terminal_length(self, m: Match) -> str:
        """``terminal length N``: lines per screen (0 turns paging off, as drivers do first)."""
        length = int(m.args[0])
        if length > 512:
            command, base = self._current
            return self.error_text(ParseError("invalid", command.rstrip().rfind(" ") + 1), command, base)
        self.page_length = length
        return ""

    def cmd_enable(self, m: Match) -> str:
        """``enable``: ask for the secret without echo."""
        if self.privileged:
            return ""
        return self._ask("Password: ", self._check_secret, echo=False)

    def _check_secret(self, answer: str) -> str:
        if answer == self.enable_secret:
            self.privileged = True
            return ""
        return "% Access denied\n"

    def cmd_disable(self, m: Match) -> str:
        """Back to user EXEC mode."""
        self.privileged = False
        return ""

    def cmd_exit(self, m: Match) -> str:
        """``exit`` / ``logout``: end the session."""
        self.closed = True
        return ""

    def cmd_configure(self, m: Match) -> str:
        """``configure terminal``."""
        self.engine = ConfigEngine(self.device.root, self.device.hardware.physical)
        self._change_seen = self.device.last_change
        return "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def cmd_show_privilege(self, m: Match) -> str:
        """Current privilege level."""
        return f"Current privilege level is {15 if self.privileged else 1}\n"

    def cmd_show_clock(self, m: Match) -> str:
        """Current time, as IOS prints it."""
        now, zone = self.device.clock()
        return now.strftime("*%H:%M:%S.%f")[:-3] + now.strftime(f" {zone} %a %b ") + f"{now.day} {now.year}\n"

    def cmd_show_running(self, m: Match) -> str:
        """``show running-config``."""
        return self.device.running_config()

    def cmd_show_running_interface(self, m: Match) -> str:
        """``show running-config interface IF``: one interface's section."""
        node = next((n for n in self.device.root.children if n.text == f"interface {m.args[0]}"), None)
        if node is None:
            command, base = self._current
            return self.error_text(ParseError("invalid", command.rstrip().rfind(" ") + 1), command, base)
        body = "!\n" + "\n".join(node.lines()) + "\nend\n"
        return f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n{body}"

    def cmd_show_startup(self, m: Match) -> str:
        """``show startup-config``."""
        return self.device.saved_config()

    def cmd_show_version(self, m: Match) -> str:
        """``show version``."""
        return ios_show.show_version(self.device)

    def cmd_show_hosts(self, m: Match) -> str:
        """``show hosts``."""
        return ios_show.show_hosts(self.device)

    def cmd_show_ip_interface_brief(self, m: Match) -> str:
        """``show ip interface brief``."""
        return ios_show.show_ip_interface_brief(self.device)

    def cmd_show_interfaces(self, m: Match) -> str:
        """``show interfaces [IF]`` (an interface the device lacks is invalid input, as on IOS)."""
        out = ios_ops.show_interfaces(self.device, m.args[0] if m.args else None)
        if out is None:
            command, base = self._current
            return self.error_text(ParseError("invalid", command.rstrip().rfind(" ") + 1), command, base)
        return out

    def cmd_show_access_lists(self, m: Match) -> str:
        """``show [ip] access-lists [NAME]``."""
        return ios_show.show_access_lists(self.device, m.args[0] if m.args else None)

    def cmd_show_archive(self, m: Match) -> str:
        """``show archive``."""
        return ios_show.show_archive(self.device)

    def cmd_show_rollback_timer(self, m: Match) -> str:
        """``show archive config rollback timer`` (`tslcd.lab.models.confirm`)."""
        return confirm.ios_timer_status(self.device)

    def cmd_configure_revert_timer(self, m: Match) -> str:
        """``configure terminal revert timer N``: archive, arm the timer, enter configuration mode."""
        return confirm.ios_arm(self.device, self.username, int(m.words[-1])) or self.cmd_configure(m)

    def cmd_configure_confirm(self, m: Match) -> str:
        """``configure confirm``: keep the change, stop the revert timer."""
        return confirm.ios_confirm(self.device)

    def cmd_configure_revert_now(self, m: Match) -> str:
        """``configure revert now``: back to the archived config at once."""
        return confirm.ios_revert_now(self.device)

    def _read(self, name: str) -> str | None:
        """Text of a configuration source: running, startup, a flash file or ``null:``."""
        low = _special(name)
        if low in RUNNING:
            return self.device.body()
        if low in STARTUP:
            return self.device.saved_body
        if low == "null:":
            return ""
        path = self.device.flash_path(name)
        if path is None or not path.is_file():
            return None
        return path.read_text(encoding="utf-8", errors="replace")

    def _tree(self, name: str) -> Node | None:
        if _special(name) in RUNNING:
            return self.device.root
        text = self._read(name)
        if text is None:
            return None
        root, _ = parse_config(text, self.device.hardware.physical)
        ensure_physical(root, self.device.hardware.physical)
        return root

    def cmd_show_incremental_diffs(self, m: Match) -> str:
        """Lines of a file that would change the running configuration, with their context."""
        name = m.args[0]
        text = self._read(name)
        if text is None:
            return f"%Error opening {name} (No such file or directory)\n"
        _, errors, changes = merge(clone(self.device.root), text, self.device.hardware.physical)
        out = ["!List of Commands:"]
        if errors:
            out.append(self._file_errors(errors).rstrip("\n"))
        shown: list[str] = []
        for context, line in changes:
            for depth, header in enumerate(context):
                if depth >= len(shown) or shown[depth] != header:
                    shown[depth:] = [header]
                    out.append(" " * depth + header)
            shown = [*context, line]
            out.append(" " * len(context) + line)
        out.append("end")
        if not changes and not errors:
            out.append("!No changes were found")
        return "\n".join(out) + "\n"

    def cmd_show_differences(self, m: Match) -> str:
        """``show archive config differences A B`` in IOS's contextual format."""
        files = m.args or []
        a_name = files[0] if files else "nvram:startup-config"
        b_name = files[1] if len(files) > 1 else "system:running-config"
        trees = []
        for name in (a_name, b_name):
            tree = self._tree(name)
            if tree is None:
                return f"%Error opening {name} (No such file or directory)\n"
            trees.append(tree)
        lines = diff_trees(trees[0].children, trees[1].children)
        if not lines:
            return "!Contextual Config Diffs:\n!No changes were found\n"
        return "!Contextual Config Diffs:\n" + "\n".join(lines) + "\n"

    # --- flash -------------------------------------------------------------------------------
    def cmd_dir(self, m: Match) -> str:
        """``dir [flash:[/FILE]]``."""
        target = m.args[0] if m.args else "flash:"
        path = self.device.flash_path(target)
        if path is None:
            return f"%Error opening {target} (No such device)\n"
        if not path.exists():
            return f"%Error opening {target} (No such file or directory)\n"
        assert self.device.flash_dir is not None
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        shown = target if target.endswith("/") or path.is_file() else target + "/"
        if shown.lower() in ("flash:", "bootflash:"):
            shown += "/"
        lines = [f"Directory of {shown}", ""]
        for f in files:
            st = f.stat()
            stamp = datetime.fromtimestamp(st.st_mtime, UTC).strftime("%b %d %Y %H:%M:%S +00:00")
            kind = "drwx" if f.is_dir() else "-rw-"
            lines.append(f"{st.st_ino % 100000:>6}  {kind} {st.st_size:>15}  {stamp}  {f.name}")
        lines += ["", self.device.flash_usage()]
        return "\n".join(lines) + "\n"

    def cmd_verify_md5(self, m: Match) -> str:
        """``verify /md5 FILE``: the digest NAPALM/Netmiko compare after an SCP upload."""
        name = m.args[0]
        path = self.device.flash_path(name)
        if path is None or not path.is_file():
            return f"%Error opening {name} (No such file or directory)\n"
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        return "." * 20 + "Done!\n" + f"verify /md5 ({name}) = {digest}\n"

    def cmd_more(self, m: Match) -> str:
        """``more FILE``."""
        text = self._read(m.args[0])
        if text is None:
            return f"%Error opening {m.args[0]} (No such file or directory)\n"
        return text if text.endswith("\n") or not text else text + "\n"

    def cmd_delete(self, m: Match) -> str:
        """``delete [/force] FILE`` (asks twice unless forced or ``file prompt quiet``)."""
        name = m.args[0]
        path = self.device.flash_path(name)

        def remove(_: str = "") -> str:
            if path is None or not path.is_file():
                return f"%Error deleting {name} (No such file or directory)\n"
            path.unlink()
            return ""

        if "/force" in m.words or self.device.file_prompt_quiet():
            return remove()
        base = name.split(":", 1)[-1].lstrip("/")
        return self._ask(f"Delete filename [{base}]? ", lambda _: self._ask(
            f"Delete {name}? [confirm]", remove))

    def cmd_reload(self, m: Match) -> str:
        """``reload``: offers to save unsaved changes, then reloads only once confirmed."""
        def proceed(_: str = "") -> str:
            return self._ask("Proceed with reload? [confirm]", confirm)

        def confirm(answer: str) -> str:
            if answer.strip().lower() not in ("", "y", "yes"):
                return ""
            self.device.reload()
            self.closed = True
            return ""

        def save(answer: str) -> str:
            word = answer.strip().lower()
            if word in ("y", "yes"):
                self.device.save(self.username)
                return "Building configuration...\n[OK]\n" + proceed()
            if word in ("n", "no"):
                return proceed()
            return "% Please answer 'yes' or 'no'.\n" + self._ask(
                "System configuration has been modified. Save? [yes/no]: ", save)

        if self.device.body() != self.device.saved_body:
            return self._ask("System configuration has been modified. Save? [yes/no]: ", save)
        return proceed()

    def cmd_write_memory(self, m: Match) -> str:
        """``write memory`` (also ``wr``): save the running configuration."""
        self.device.save(self.username)
        return "Building configuration...\n[OK]\n"

    def cmd_copy(self, m: Match) -> str:
        """``copy SRC DST``: save, back up, merge a file into running, or copy flash files."""
        src, dst = m.args

        def run(_: str = "") -> str:
            return self._copy(src, dst)

        if self.device.file_prompt_quiet():
            return run()
        default = dst.split(":", 1)[-1].lstrip("/") or dst
        return self._ask(f"Destination filename [{default}]? ", run)

    def _copy(self, src: str, dst: str) -> str:
        text = self._read(src)
        if text is None:
            return f"%Error opening {src} (No such file or directory)\n"
        size = len(text.encode())
        copied = f"{size} bytes copied in 0.041 secs ({size * 24} bytes/sec)\n"
        low = _special(dst)
        if low in STARTUP:
            if _special(src) in RUNNING:
                self.device.save(self.username)
                return "Building configuration...\n[OK]\n"
            root, _ = parse_config(text, self.device.hardware.physical)
            self.device.saved_body = "\n".join(render_body(root)) + "\n"
            return copied
        if low in RUNNING:
            changed, errors, _ = merge(self.device.root, text, self.device.hardware.physical)
            if changed:
                self.device.changed(self.username)
            out = self._file_errors(errors)
            return out + copied
        path = self.device.flash_path(dst)
        if path is None:
            return f"%Error opening {dst} (Invalid argument)\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return copied

    def cmd_configure_replace(self, m: Match) -> str:
        """``configure replace FILE [force] [revert trigger error] [...]``."""
        name = m.args[0]
        options = m.words[3:]
        if ("timer" in options or "time" in options) and not self.device.archive_enabled():
            return "%Please turn config archive on\n"
        text = self._read(name)
        if text is None:
            return f"%Error opening {name} (No such file or directory)\n"
        if "force" not in options:
            return self._ask(
                "This will apply all necessary additions and deletions\n"
                "to replace the current running configuration with the\n"
                "contents of the specified configuration file, which is\n"
                "assumed to be a complete configuration, not a partial\n"
                "configuration. Enter Y if you are sure you want to proceed. ? [no]: ",
                lambda answer: self._replace(text, options) if answer.strip().lower().startswith("y")
                else "")
        return self._replace(text, options)

    def _replace(self, text: str, options: list[str]) -> str:
        new_root, errors = parse_config(text, self.device.hardware.physical)
        if errors and "error" in options:
            failed = "\n".join(f"Failed to apply command {raw.strip()}" for raw, _ in errors)
            return (f"{failed}\n%Rollback not successful. Reverting to the original configuration.\n"
                    "The original configuration has been successfully restored.\n")
        before = self.device.body()
        self.device.replace_running(new_root)
        if self.device.body() != before:
            self.device.changed(self.username)
        out = "".join(f"Failed to apply command {raw.strip()}\n" for raw, _ in errors)
        return out + "Total number of passes: 1\nRollback Done\n"
