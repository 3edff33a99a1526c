"""`listen`: back up a device shortly after it says its configuration changed, authored by the
user it names, and tell the engineers who changed what.

Messages come from the syslog receiver; only those from an inventory device's management
address count (anyone can send a datagram). A device is backed up once it has been quiet for
`listener.debounce` seconds, so a burst of messages (one per FortiOS attribute) is one backup.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tslcd.config import Config
from tslcd.errors import InputError, TslcdError
from tslcd.inventory import load_inventory
from tslcd.listener.messages import ConfigChange, parse
from tslcd.listener.receiver import Receiver
from tslcd.notify import Notice, dispatch
from tslcd.services.backup import run_backup
from tslcd.services.impact import traffic_summary
from tslcd.store.configs import ConfigStore

log = logging.getLogger("tslcd.listen")
DIFF_LINES = 20  # changed lines a notice carries


@dataclass(frozen=True)
class Handled:
    """What the listener did about one device's change."""

    host: str
    user: str | None
    what: str
    commit: str | None  # None: the backup found nothing new
    failed: str = ""  # why the backup failed, if it did
    lines: tuple[str, ...] = ()
    impact: tuple[str, ...] = ()  # what the change does to traffic ("now permits tcp ...")

    def line(self) -> str:
        """One line for the operator's terminal and the log."""
        who = self.user or "an unnamed user"
        if self.failed:
            return f"{self.host}: changed by {who} ({self.what}); backup FAILED: {self.failed}"
        if self.commit is None:
            return f"{self.host}: changed by {who} ({self.what}); backup: no difference"
        effect = f"; {self.impact[0]}" if self.impact else ""
        return f"{self.host}: changed by {who} ({self.what}); backup {self.commit[:10]}, " \
               f"{len(self.lines)} lines changed{effect}"


@dataclass
class _Pending:
    change: ConfigChange
    quiet_at: float


def check_bind_address(config: Config) -> None:
    """The receiver binds only inside the allowed networks (default 127.0.0.1: the lab)."""
    try:
        address = ipaddress.ip_address(config.listener.address)
    except ValueError:
        raise InputError(f"listener.address {config.listener.address!r} is not an IP address") from None
    allowed = [ipaddress.ip_network(n, strict=False) for n in config.safety.allowed_networks]
    if not any(address in net for net in allowed):
        raise InputError(f"listener.address {address} is outside safety.allowed_networks "
                         f"({', '.join(config.safety.allowed_networks)})")


class ChangeListener:
    """Config-change messages in (any thread), one debounced backup per device out."""

    def __init__(self, config: Config, *, lab: bool = False,
                 on_handled: Callable[[Handled], None] | None = None) -> None:
        self.config = config
        self.lab = lab
        self.on_handled = on_handled
        inventory = load_inventory(config)
        self.hosts = {h.hostname: h for h in inventory}
        self.by_name = {h.name: h for h in inventory}
        self.agency = {h.name: str(h.data.get("agency_name") or "") for h in inventory}
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def message(self, sender: str, text: str) -> None:
        """One syslog message from ``sender`` (an address); a config change starts the clock."""
        change = parse(text)
        if change is None:
            return
        host = self.hosts.get(sender)
        if host is None:
            log.warning("config-change message from %s, which is no inventory device: ignored", sender)
            return
        with self._lock:
            self._pending[host.name] = _Pending(change, time.monotonic() + self.config.listener.debounce)

    def due(self) -> list[tuple[str, ConfigChange]]:
        """Devices quiet long enough since their last change message (taken off the list)."""
        now = time.monotonic()
        with self._lock:
            ready = [name for name, p in self._pending.items() if p.quiet_at <= now]
            return [(name, self._pending.pop(name).change) for name in ready]

    def back_up(self, host: str, change: ConfigChange) -> Handled:
        """Back the device up, the commit authored by the user the message names; notify."""
        reason = f"Configuration change reported by {host} (syslog): {change.what}, by " \
                 f"{change.user or 'an unnamed user'}"
        try:
            report = run_backup(self.config, [f"name={host}"], lab=self.lab, interactive=False,
                                author=change.user, reason=reason)
        except TslcdError as exc:  # the store busy with a scheduled run: try again shortly
            with self._lock:
                self._pending.setdefault(host, _Pending(change, time.monotonic() + 5))
            return Handled(host, change.user, change.what, None, f"{exc} (retrying)")
        result = report.hosts[0]
        if result.status == "failed":
            return Handled(host, change.user, change.what, None, f"{result.error_class}: {result.message}")
        if report.commit is None:
            return Handled(host, change.user, change.what, None)
        store = ConfigStore(self.config.data_dir)
        diff = store.diff(host, f"{report.commit}~1", report.commit)
        lines = tuple(line for line in diff.splitlines()
                      if line[:1] in "+-" and not line.startswith(("+++", "---")))
        old, new = store.read(host, f"{report.commit}~1"), store.read(host, report.commit)
        impact = tuple(traffic_summary(self.by_name[host], old, new)) if old and new else ()
        handled = Handled(host, change.user, change.what, report.commit, lines=lines, impact=impact)
        effect = f"; {impact[0]}" if impact else ""
        dispatch(self.config, [Notice("out-of-band-change", host, self.agency.get(host, ""),
                                      f"{change.user or 'an unnamed user'} changed {host} "
                                      f"({change.what}): {len(lines)} lines{effect}",
                                      [*impact, *lines[:DIFF_LINES]], "high")])
        return handled

    def work(self, stop: threading.Event) -> None:
        """Back up the devices that became quiet, until ``stop``."""
        while not stop.wait(0.2):
            for host, change in self.due():
                handled = self.back_up(host, change)
                log.info("%s", handled.line())
                if self.on_handled is not None:
                    self.on_handled(handled)


def listen(config: Config, stop: threading.Event, *, lab: bool = False,
           on_handled: Callable[[Handled], None] | None = None,
           on_ready: Callable[[str, int], None] | None = None) -> None:
    """Receive syslog on the configured address (UDP and TCP) until ``stop`` is set."""
    check_bind_address(config)
    listener = ChangeListener(config, lab=lab, on_handled=on_handled)
    worker = threading.Thread(target=listener.work, args=(stop,), name="tslcd-listen-backups", daemon=True)

    async def serve() -> None:
        receiver = Receiver(config.listener.address, config.listener.port, listener.message)
        try:
            await receiver.start()
        except OSError as exc:
            raise InputError(f"cannot listen on {config.listener.address}:{config.listener.port}: "
                             f"{exc.strerror}") from None
        if on_ready is not None:
            on_ready(config.listener.address, config.listener.port)
        worker.start()
        try:
            while not stop.is_set():
                await asyncio.sleep(0.1)
        finally:
            receiver.close()

    asyncio.run(serve())
    if worker.is_alive():
        worker.join()
