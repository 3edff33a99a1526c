"""Notifications from unattended runs: e-mail over SMTP and a JSON webhook.

A message always names the agency, the device, what happened (with the changed lines for an
out-of-band change) and where the report is. Delivery problems are returned, not raised: a mail
server that is down must not turn a good backup into a failed run, but the run log says so.

A receiver is untrusted: its address is resolved once, checked against safety.allowed_networks
and connected to as checked; a redirect is never followed (it is a failure naming the target), so
the token goes to the configured host only; proxies come from the config, never the environment.
"""

from __future__ import annotations

import http.client
import json
import os
import smtplib
import socket
import ssl
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from urllib.parse import SplitResult, urlsplit

from tslcd import netguard
from tslcd.config import Config, EmailSettings, WebhookSettings
from tslcd.errors import TslcdError

EVENTS = ("out-of-band-change", "new-finding", "backup-failure", "stale-backup")
SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


@dataclass
class Notice:
    """One thing an engineer must hear about."""

    event: str  # one of EVENTS
    host: str
    agency: str  # full Vietnamese agency name
    summary: str  # one line
    details: list[str] = field(default_factory=list)  # e.g. the changed lines, "+ ..." / "- ..."
    severity: str = "high"
    report: str = ""  # path or URL of the run report


@dataclass
class Delivery:
    """What happened to one channel's delivery."""

    channel: str
    ok: bool
    count: int
    error: str = ""


def wanted(config: Config, notices: list[Notice]) -> list[Notice]:
    """Only the configured events, and findings at or above the configured severity."""
    settings = config.notifications
    floor = SEVERITY_ORDER.index(settings.min_severity) if settings.min_severity in SEVERITY_ORDER else 3
    keep = []
    for notice in notices:
        if notice.event not in settings.events:
            continue
        rank = SEVERITY_ORDER.index(notice.severity) if notice.severity in SEVERITY_ORDER else floor
        if notice.event == "new-finding" and rank < floor:
            continue
        keep.append(notice)
    return keep


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to ``host`` made to the already checked ``address``, never a new lookup."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def _socket(self) -> socket.socket:
        return socket.create_connection((self.address, self.port), self.timeout)

    def connect(self) -> None:
        """Open the socket to the pinned address (then the CONNECT tunnel when one is set)."""
        self.sock = self._socket()
        if self._tunnel_host:
            self._tunnel()


class _PinnedHTTPS(_PinnedHTTP):
    """The same over TLS; the certificate is checked against the configured name."""

    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        """Connect as `_PinnedHTTP` does, then TLS with the target's name (SNI and verification)."""
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self._tunnel_host or self.host)


class _PinnedSMTP(smtplib.SMTP):
    """SMTP to the configured server name (STARTTLS checks that name) at the checked address."""

    def __init__(self, address: str, **kwargs: object) -> None:
        self.address = address
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self.address, port), timeout, self.source_address)


def subject(notices: list[Notice]) -> str:
    """A subject line an engineer can triage from the inbox."""
    events = sorted({n.event for n in notices})
    hosts = sorted({n.host for n in notices})
    shown = ", ".join(hosts[:3]) + (f" (+{len(hosts) - 3})" if len(hosts) > 3 else "")
    return f"[tslcd] {', '.join(events)}: {shown}"


def body(notices: list[Notice]) -> str:
    """Plain-text body: one block per notice with agency, device, what happened and the report."""
    blocks = []
    for n in notices:
        lines = [f"[{n.severity.upper()}] {n.event}: {n.host} — {n.agency}", f"  {n.summary}"]
        lines += [f"    {d}" for d in n.details]
        if n.report:
            lines.append(f"  report: {n.report}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def send_email(settings: EmailSettings, config: Config, notices: list[Notice]) -> Delivery:
    """One message for the run, to every recipient."""
    try:
        address = netguard.resolve_checked(settings.host, config.safety.allowed_networks,
                                           "e-mail server")
        message = EmailMessage()
        message["Subject"] = subject(notices)
        message["From"] = settings.sender
        message["To"] = ", ".join(settings.recipients)
        message.set_content(body(notices), charset="utf-8")
        with _PinnedSMTP(address, host=settings.host, port=settings.port,
                         timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            user, password = os.environ.get(settings.username_env), os.environ.get(settings.password_env)
            if user and password:
                smtp.login(user, password)
            smtp.send_message(message)
        return Delivery("email", True, len(notices))
    except (OSError, smtplib.SMTPException, TslcdError) as exc:
        return Delivery("email", False, len(notices), f"{type(exc).__name__}: {exc}")


def _url(text: str, what: str) -> SplitResult:
    url = urlsplit(text)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ValueError(f"{what} {text!r} is not an http(s) URL")
    if url.username or url.password:
        raise ValueError(f"{what} must not carry a login (the token comes from the environment)")
    return url


def _webhook_connection(settings: WebhookSettings, config: Config, url: SplitResult) -> tuple[
        _PinnedHTTP, str]:
    """The connection to open (direct, or through the configured proxy) and the request target."""
    allowed = config.safety.allowed_networks
    port = url.port or (443 if url.scheme == "https" else 80)
    target = netguard.resolve_checked(url.hostname or "", allowed, "webhook")
    path = url.path or "/"
    path += f"?{url.query}" if url.query else ""
    if not settings.proxy:
        kind = _PinnedHTTPS if url.scheme == "https" else _PinnedHTTP
        return kind(url.hostname or "", port, target, settings.timeout), path
    proxy = _url(settings.proxy, "webhook proxy")
    if proxy.scheme != "http":
        raise ValueError(f"webhook proxy {settings.proxy!r}: only http:// proxies are supported")
    proxy_address = netguard.resolve_checked(proxy.hostname or "", allowed, "webhook proxy")
    if url.scheme == "https":
        conn = _PinnedHTTPS(proxy.hostname or "", proxy.port or 8080, proxy_address, settings.timeout)
        conn.set_tunnel(url.hostname or "", port)
        return conn, path
    conn = _PinnedHTTP(proxy.hostname or "", proxy.port or 8080, proxy_address, settings.timeout)
    return conn, f"http://{url.netloc}{path}"


def send_webhook(settings: WebhookSettings, config: Config, notices: list[Notice]) -> Delivery:
    """POST {"source": "tslcd", "notices": [...]} as JSON; any answer but 2xx is a failure."""
    try:
        url = _url(settings.url, "webhook url")
        conn, target = _webhook_connection(settings, config, url)
        payload = json.dumps({"source": "tslcd", "subject": subject(notices),
                              "notices": [asdict(n) for n in notices]}, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8", "Host": url.netloc}
        token = os.environ.get(settings.token_env)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request("POST", target, body=payload.encode("utf-8"), headers=headers)
            response = conn.getresponse()
            response.read(65536)
        finally:
            conn.close()
        if 300 <= response.status < 400:
            location = response.getheader("Location") or "no Location"
            raise OSError(f"HTTP {response.status} redirect to {location} not followed")
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status} {response.reason}")
        return Delivery("webhook", True, len(notices))
    except (OSError, ValueError, http.client.HTTPException, TslcdError) as exc:
        return Delivery("webhook", False, len(notices), f"{type(exc).__name__}: {exc}")


def dispatch(config: Config, notices: list[Notice]) -> list[Delivery]:
    """Send the wanted notices on every enabled channel."""
    notices = wanted(config, notices)
    if not notices:
        return []
    settings = config.notifications
    results = []
    if settings.email.enabled:
        results.append(send_email(settings.email, config, notices))
    if settings.webhook.enabled:
        results.append(send_webhook(settings.webhook, config, notices))
    return results
