"""Text from a hostile device reaches no terminal or browser as control bytes or markup.

The device here is compromised: its config carries OSC 52 (clipboard write), OSC 0 (window title),
CSI (clear screen, colours), NUL, a C1 CSI, bidi overrides and HTML.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from netmiko.channel import SSHChannel
from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result
from rich.text import Text
from textual.app import App
from textual.widgets import Static

from tslcd.config import load_config
from tslcd.inventory import load_inventory
from tslcd.logsetup import SafeFormatter
from tslcd.platforms import get_platform
from tslcd.progress import _host_done
from tslcd.runreport.model import FailedHost, OutOfBand, RunReport
from tslcd.runreport.write import write_report
from tslcd.sanitize import sanitize
from tslcd.services.devices import _outcome
from tslcd.store.configs import ConfigStore, StoredConfig, layout_path
from tslcd.tasks.attempts import Outcome
from tslcd.tasks.failures import ErrorClass, HostFailure
from tslcd.tasks.sessions import VisibleBytesChannel, _visible_bytes
from tslcd.textsafe import decode, neutralise, storable
from tslcd.tui.screens.diff import DiffScreen, colour_diff

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"
OSC52 = f"{ESC}]52;c;ZXZpbA==\x07"
TITLE = f"{ESC}]0;pwned\x07"
CSI = f"{ESC}[2J{ESC}[31m"
HOSTILE = f'<script>alert(1)</script>{OSC52}{TITLE}{CSI}&"q"\x9b6n\u202e'
ACL = f"OUT<script>alert(1)</script>{OSC52}{CSI}&\"q\""


def test_control_bytes_become_visible_marks() -> None:
    shown = neutralise(f"a{OSC52}b{CSI}\0\x08\r\x7f\x9b\u202e\tđường\n")
    assert shown == "a␛]52;c;ZXZpbA==␇b␛[2J␛[31m␀␈␍␡\\x9b\\u202e\tđường\n"
    assert all(ord(c) >= 0x20 or c in "\n\t" for c in shown)


def test_stored_configs_keep_the_text_but_never_nul() -> None:
    stored = sanitize(f"hostname r1\nbanner motd ^C{CSI}x\0y^C\n", get_platform("cisco_ios"))
    assert "\0" not in stored and "x␀y" in stored and CSI in stored
    assert storable("a\0b") == "a␀b"


def test_invalid_utf8_stays_visible() -> None:
    assert decode(b"description Ph\xc3\xb2ng \xff\xfe ok") == "description Phòng \\xff\\xfe ok"


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tslcd", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, timeout=120)


def _hostile_asa(path: Path) -> Path:
    path.write_text(f"hostname stc-fw1\ninterface GigabitEthernet0/0\n nameif outside\n security-level 0\n"
                    f" ip address 10.254.0.2 255.255.255.252\n"
                    f"access-list {ACL} extended permit ip any any\n"
                    f"access-list {ACL} extended permit tcp any any eq telnet\n"
                    f"access-group {ACL} in interface outside\n"
                    f"username bob password Plain{CSI}Pass privilege 15\n", encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "tslcd.yaml"
    path.write_text(f"inventory: {ROOT / 'inventory'}\ndata: data\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html", "sarif"])
def test_the_audit_prints_no_control_byte_and_no_markup_in_any_format(
        project: Path, tmp_path: Path, fmt: str) -> None:
    result = _cli(project, "audit", "--file", str(_hostile_asa(tmp_path / "asa.cfg")), "--platform",
                  "cisco_asa", "--format", fmt)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert ESC.encode() not in out and b"\x07" not in out and "\x9b".encode() not in out
    assert "␛".encode() in out  # shown, as text
    assert b"PlainPass" not in out.replace("␛[2J␛[31m".encode(), b"")  # the password is masked
    if fmt in ("html", "markdown"):
        assert b"<script>" not in out
        assert b"&lt;script&gt;" in out
    if fmt == "html":
        assert b"&amp;&#34;q&#34;" in out


def test_show_diff_and_history_print_no_control_byte(project: Path) -> None:
    config = load_config(str(project))
    host = load_inventory(config).hosts["stc-fw1"]
    path = layout_path("stc-fw1", host.data.get("agency_type"), host.data.get("agency_code"))
    store = ConfigStore(Path(config.data_dir))
    with store.writer():
        store.prepare()
        store.write([StoredConfig("stc-fw1", path, "hostname stc-fw1\n")])
        store.commit("backup 1")
        store.write([StoredConfig("stc-fw1", path, f"hostname stc-fw1\nbanner motd {HOSTILE}\n")])
        store.commit("backup 2")
    for args in (("show", "stc-fw1"), ("diff", "stc-fw1"), ("history", "stc-fw1"),
                 ("changed", "--since", "1 day ago")):
        result = _cli(project, *args)
        assert result.returncode == 0, result.stderr
        assert ESC.encode() not in result.stdout + result.stderr, args
    shown = _cli(project, "show", "stc-fw1").stdout.decode()
    assert f"banner motd {neutralise(HOSTILE)}" in shown


def test_the_tui_diff_screen_shows_no_control_byte() -> None:
    diff = f"--- a\n+++ b\n@@ -1 +1,2 @@\n hostname r1\n+banner motd {HOSTILE}\n"
    assert ESC not in colour_diff(diff).plain

    class DiffApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(DiffScreen(f"r1 {TITLE}", diff))

    async def scenario() -> str:
        app = DiffApp()
        async with app.run_test(size=(100, 20)) as pilot:
            await pilot.pause()
            return "".join(str(w.render()) if not isinstance(w.render(), Text) else w.render().plain
                           for w in app.screen.query(Static))

    shown = asyncio.run(scenario())
    assert "␛]52" in shown and ESC not in shown and "\x07" not in shown


def test_run_reports_escape_and_neutralise_device_text(tmp_path: Path) -> None:
    report = RunReport(run_id="20261204T000000Z-backup", action="backup", started="s", finished="f",
                       exit_code=1, failed=[FailedHost(f"h{HOSTILE}", "agency & co", "command-rejected",
                                                       f"the device rejected `{HOSTILE}`")],
                       out_of_band=[OutOfBand("r1", "a", ["+enable secret 9 <removed>", f"-x {HOSTILE}"])])
    _, html_path = write_report(tmp_path, report)
    for page in (html_path, tmp_path / "reports" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text and ESC not in text and "\x07" not in text
    text = html_path.read_text(encoding="utf-8")
    assert "enable secret 9 &lt;removed&gt;" in text and "agency &amp; co" in text
    assert ESC not in (html_path.with_suffix(".json")).read_text(encoding="utf-8")


def test_a_failure_quoting_a_device_command_is_masked_wherever_it_is_shown() -> None:
    """Progress lines (CLI, TUI, log) and stored outcomes get the masked message."""
    failure = HostFailure(ErrorClass.COMMAND_REJECTED,
                          "the device rejected "
                          "`username bob password $sha512$5000$Leak1== pbkdf2 privilege 16`")
    host = Host("stc-fw1", platform="cisco_asa")
    result = Result(host=host, result=Outcome(None, 1, 0.1, failure), failed=True, exception=failure)
    multi = MultiResult("push")
    multi.append(result)
    assert "Leak1" not in _host_done("push", "stc-fw1", multi, "cisco_asa").message
    masked = _outcome(result).failure
    assert masked is not None and "Leak1" not in masked.message and "<removed>" in masked.message
    hostile = HostFailure(ErrorClass.INTERNAL, f"unexpected X: `{OSC52}`")
    multi[0] = Result(host=host, result=Outcome(None, 1, 0.1, hostile), failed=True, exception=hostile)
    assert _host_done("backup", "stc-fw1", multi, "cisco_asa").message == "unexpected X: `␛]52;c;ZXZpbA==␇`"


class _Chunks:
    """A paramiko channel stand-in that hands out fixed reads."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)

    def recv_ready(self) -> bool:
        return bool(self.chunks)

    def recv(self, size: int) -> bytes:
        return self.chunks.pop(0)


def test_device_bytes_that_are_not_utf8_stay_visible_in_what_netmiko_reads() -> None:
    """Netmiko decodes each read with errors="ignore": an invalid byte vanished, and so did a
    Vietnamese character split between two reads."""
    channel = VisibleBytesChannel(_Chunks(b"description Ph\xc3", b"\xb2ng \xff ok\n"), "utf-8")
    assert channel.read_channel() == "description Phòng \\xff ok\n"
    session = SimpleNamespace(channel=SSHChannel(_Chunks(b"\xff"), "utf-8"))
    assert _visible_bytes(session) is session and session.channel.read_channel() == "\\xff"
    assert isinstance(session.channel, VisibleBytesChannel)


def test_log_lines_mask_quoted_commands_and_neutralise_control_bytes() -> None:
    formatter = SafeFormatter("%(message)s")
    record = logging.LogRecord("tslcd.run", logging.WARNING, __file__, 1, "%s: the device rejected `%s`",
                               ("stc-fw1", f"enable password Lg1{TITLE}"), None)
    assert formatter.format(record) == "stc-fw1: the device rejected `enable password <removed>`"
    record.args = ("r1", f"description {OSC52}")
    assert formatter.format(record) == "r1: the device rejected `description ␛]52;c;ZXZpbA==␇`"
