"""The lab's SSH server, through real clients: terminal behaviour, sessions, SCP/SFTP, safety."""

from __future__ import annotations

import socket
import stat
import time
from pathlib import Path

import asyncssh
import paramiko
import pytest
from conftest import RunningLab, ToyDevice, start_lab
from netmiko import ConfigInvalidException, ConnectHandler
from scp import SCPClient, SCPException

from tslcd.errors import InputError
from tslcd.inventory.credentials import Credentials
from tslcd.lab.devices import LabDevice
from tslcd.lab.inprocess import LabThread
from tslcd.lab.keys import KEY_FILE
from tslcd.lab.server import Lab, LabBindError
from tslcd.platforms import get_platform

pytestmark = pytest.mark.lab


def _shell(lab: RunningLab, host: str) -> tuple[paramiko.SSHClient, paramiko.Channel]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(lab.addresses[host], port=lab.port, username=lab.credentials.username,
                   password=lab.credentials.password, look_for_keys=False, allow_agent=False,
                   timeout=10)
    channel = client.invoke_shell(width=511)
    channel.settimeout(5)
    return client, channel


def _read_until(channel: paramiko.Channel, marker: bytes, timeout: float = 5) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data:
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} not seen; got {data!r}")
        data += channel.recv(65536)
    return data


def _quiet(channel: paramiko.Channel, wait: float = 0.3) -> bytes:
    """Whatever arrives within ``wait`` seconds (to prove nothing more comes)."""
    time.sleep(wait)
    return channel.recv(65536) if channel.recv_ready() else b""


def test_netmiko_show_and_configure(toy_lab: RunningLab) -> None:
    with ConnectHandler(**toy_lab.netmiko_args("stttt-r1")) as conn:
        assert conn.find_prompt() == "stttt-r1>"
        conn.enable()
        assert conn.find_prompt() == "stttt-r1#"
        config = conn.send_command("show running-config")
        assert "hostname stttt-r1" in config
        assert "description Liên kết 39 - Sở Thông tin và Truyền thông" in config
        conn.send_config_set(["ntp server 10.0.10.5", "logging host 10.0.10.6"])
        assert "ntp server 10.0.10.5\nlogging host 10.0.10.6\nend" in conn.send_command(
            "show running-config")
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(["bogus command"], error_pattern=r"% Invalid input")


def test_terminal_echo_line_endings_and_prompts(toy_lab: RunningLab) -> None:
    client, channel = _shell(toy_lab, "stc-r1")
    try:
        greeting = _read_until(channel, b"stc-r1>")
        assert greeting.startswith("Thiết bị thử nghiệm".encode())
        assert greeting.endswith(b"\r\nstc-r1>")
        for ending in (b"\r\n", b"\n", b"\r"):  # each ends exactly one line: one prompt back
            channel.send(b"terminal length 0" + ending)
            answer = _read_until(channel, b"stc-r1>")
            assert answer == b"terminal length 0\r\nstc-r1>"
            assert _quiet(channel) == b""
        channel.send(b"show junk\x7f\x7f\x7f\x7fversion\x03")
        assert _read_until(channel, b"stc-r1>") == b"show junk\b \b\b \b\b \b\b \bversion^C\r\nstc-r1>"
        channel.send(b"enable\n")
        assert _read_until(channel, b"Password: ") == b"enable\r\nPassword: "
        channel.send(toy_lab.credentials.secret.encode() + b"\n")
        assert _read_until(channel, b"stc-r1#") == b"\r\nstc-r1#"  # the secret is not echoed
        channel.send(b"bad\n")
        assert b"% Invalid input detected at '^' marker.\r\nstc-r1#" in _read_until(channel, b"#")
        channel.send(b"exit\n")
        _read_until(channel, b"exit\r\n")
        deadline = time.monotonic() + 5
        while not channel.exit_status_ready():
            assert time.monotonic() < deadline, "exit did not close the channel"
            time.sleep(0.05)
    finally:
        client.close()


def test_concurrent_sessions_and_scp_to_flash(toy_lab: RunningLab, tmp_path: Path) -> None:
    first = ConnectHandler(**toy_lab.netmiko_args("skhdt-r1"))
    second = ConnectHandler(**toy_lab.netmiko_args("skhdt-r1"))
    try:
        first.enable()
        second.enable()
        first.send_config_set(["snmp-server location Long Xuyên"])
        assert "snmp-server location Long Xuyên" in second.send_command("show running-config")
        candidate = tmp_path / "merge_config.txt"
        candidate.write_text("hostname đổi-tên\n", encoding="utf-8")
        with SCPClient(first.remote_conn.get_transport()) as scp:  # NAPALM's way: `scp -t flash:/X`
            scp.put(str(candidate), "flash:/merge_config.txt")
            scp.put(str(candidate), "flash:second.txt")
    finally:
        first.disconnect()
        second.disconnect()
    flash = toy_lab.data_dir / "lab" / "devices" / "skhdt-r1" / "flash"
    assert (flash / "merge_config.txt").read_text(encoding="utf-8") == "hostname đổi-tên\n"
    assert (flash / "second.txt").exists()


def test_sftp_is_confined_to_flash(toy_lab: RunningLab) -> None:
    transport = paramiko.Transport((toy_lab.addresses["snv-r1"], toy_lab.port))
    try:
        transport.connect(username=toy_lab.credentials.username,
                          password=toy_lab.credentials.password)
        sftp = paramiko.SFTPClient.from_transport(transport)
        with sftp.open("/../../escape.txt", "w") as handle:
            handle.write("x")
        assert "escape.txt" in sftp.listdir("flash:/")
    finally:
        transport.close()
    assert (toy_lab.data_dir / "lab" / "devices" / "snv-r1" / "flash" / "escape.txt").exists()
    assert not (toy_lab.data_dir / "lab" / "escape.txt").exists()


def test_exec_request_runs_one_command(toy_lab: RunningLab) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(toy_lab.addresses["sgddt-r1"], port=toy_lab.port,
                   username=toy_lab.credentials.username, password=toy_lab.credentials.password,
                   look_for_keys=False, allow_agent=False)
    try:
        _stdin, stdout, _stderr = client.exec_command("terminal length 0", timeout=5)
        assert stdout.read() == b""
        assert stdout.channel.recv_exit_status() == 0
    finally:
        client.close()


def test_state_files_persist_and_are_private(tmp_path: Path) -> None:
    root = tmp_path / "project"
    first = start_lab(root, model_for=lambda _p: ToyDevice)
    key_before = (first.data_dir / "lab" / KEY_FILE).read_bytes()
    creds_before = first.credentials
    first.thread.stop()
    second = start_lab(root, model_for=lambda _p: ToyDevice)
    try:
        assert (second.data_dir / "lab" / KEY_FILE).read_bytes() == key_before
        assert second.credentials == creds_before
        for name in (KEY_FILE, "credentials.yaml"):
            mode = stat.S_IMODE((second.data_dir / "lab" / name).stat().st_mode)
            assert mode == 0o600, name
        transport = paramiko.Transport((second.addresses["ttdl-core-r1"], second.port))
        transport.start_client(timeout=5)
        served = transport.get_remote_server_key()
        transport.close()
        assert served.get_base64() == asyncssh.read_private_key(
            second.data_dir / "lab" / KEY_FILE).export_public_key().split()[1].decode()
    finally:
        second.thread.stop()


def _lab(address: str, port: int = 0) -> Lab:
    device = LabDevice(name="x-r1", address=address, platform="cisco_ios", host={"name": "x-r1"},
                       model_class=ToyDevice)
    return Lab([device], port=port, host_key=asyncssh.generate_private_key("ssh-ed25519"),
               credentials=Credentials("u", "p", "s"))


@pytest.mark.parametrize("address", ["10.0.0.1", "192.168.1.1", "0.0.0.0", "::1", "localhost"])
def test_refuses_addresses_outside_loopback(address: str) -> None:
    with pytest.raises(InputError, match=r"only binds 127\.0\.0\.0/8") as caught:
        _lab(address)
    assert "x-r1" in str(caught.value)


def test_refuses_inventory_outside_loopback(lab_factory, tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    (inventory / "hosts.yaml").write_text(
        "real-r1:\n  hostname: 10.10.0.1\n  platform: cisco_ios\n"
        "  data: {agency_code: X, agency_name: X, agency_type: so, role: router}\n")
    with pytest.raises(InputError, match=r"real-r1: 10\.10\.0\.1 is outside 127\.0\.0\.0/8"):
        lab_factory(inventory=inventory, topology=tmp_path / "none.yaml", model_for=lambda _p: ToyDevice)


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.5", 0))
        busy.listen()
        port = busy.getsockname()[1]
        device = _lab("127.0.0.5", port)
        with pytest.raises(LabBindError, match=r"cannot listen on 127\.0\.0\.5:\d+: .*in use"):
            LabThread(device).start()


def test_sample_lab_starts_fast(lab_factory) -> None:
    began = time.perf_counter()
    running = lab_factory(model_for=lambda _p: ToyDevice)
    elapsed = time.perf_counter() - began
    assert len(running.addresses) == 65
    assert elapsed < 1.0, f"65 devices took {elapsed:.2f} s to start"


@pytest.mark.parametrize("host", ["stttt-r1", "stttt-fw1", "stc-fw1"])
def test_sample_lab_serves_every_platform(lab: RunningLab, host: str) -> None:
    platform = get_platform(lab.platforms[host])
    with ConnectHandler(**lab.netmiko_args(host)) as conn:
        if platform.name != "fortinet":
            conn.enable()
        config = conn.send_command(platform.config_command)
    assert len(config.splitlines()) > 20


def test_saved_configuration_survives_a_restart(lab_factory) -> None:
    first = lab_factory(filters=["name=ubnd-cm-r1"])
    with ConnectHandler(**first.netmiko_args("ubnd-cm-r1")) as conn:
        conn.enable()
        conn.send_config_set(["snmp-server location Chợ Mới"])
        conn.save_config()
    state = first.data_dir / "lab" / "devices" / "ubnd-cm-r1"
    first.thread.stop()
    assert state.is_dir()
    second = start_lab(first.config_path.parent, filters=["name=ubnd-cm-r1"])
    try:
        with ConnectHandler(**second.netmiko_args("ubnd-cm-r1")) as conn:
            conn.enable()
            assert "snmp-server location Chợ Mới" in conn.send_command("show running-config")
    finally:
        second.thread.stop()


def test_multibyte_input_split_across_packets(toy_lab: RunningLab) -> None:
    client, channel = _shell(toy_lab, "ubnd-ct-r1")
    try:
        _read_until(channel, b"ubnd-ct-r1>")
        typed = "enable Châu Thành".encode()
        cut = typed.index("â".encode()) + 1  # in the middle of a two-byte character
        channel.send(typed[:cut])
        time.sleep(0.1)
        channel.send(typed[cut:] + b"\r\n")
        assert _read_until(channel, b"ubnd-ct-r1>").startswith(typed + b"\r\n% Invalid input")
    finally:
        client.close()


class _NoFlashDevice(ToyDevice):
    """A device without a file system (as the lab's FortiGate and ASA models are)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.flash_dir = None


def test_scp_to_a_device_without_flash_is_denied(lab_factory, tmp_path: Path) -> None:
    running = lab_factory(filters=["name=stc-fw1"], model_for=lambda _p: _NoFlashDevice)
    source = tmp_path / "x.txt"
    source.write_text("x\n")
    transport = paramiko.Transport((running.addresses["stc-fw1"], running.port))
    try:
        transport.connect(username=running.credentials.username,
                          password=running.credentials.password)
        with pytest.raises(SCPException, match="no file system"), SCPClient(transport) as scp:
            scp.put(str(source), "flash:/x.txt")
        assert transport.is_active()  # the file transfer fails, not the connection
    finally:
        transport.close()
