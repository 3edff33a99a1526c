"""Notifications from unattended runs: e-mail over SMTP and a JSON webhook.

A message always names the agency, the device, what happened (with the changed lines for an
out-of-band change) and where the report is. Delivery problems are returned, not raised: a mail
server that is down must not turn a good backup into a failed run, but the run log says so.
"""

from __future__ import annotations

import ipaddress
import json
import os
import smtplib
import socket
import urllib.request
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from urllib.parse import urlparse

from tslcd.config import Config, EmailSettings, WebhookSettings

EVENTS = ("out-of-band-change", "new-finding", "backup-failure", "stale-backup", "change-needs-recovery")
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


def _check_allowed(host: str, config: Config) -> None:
    allowed = [ipaddress.ip_network(n, strict=False) for n in config.safety.allowed_networks]
    for info in socket.getaddrinfo(host, None):
        address = ipaddress.ip_address(info[4][0])
        if not any(address in net for net in allowed):
            raise ConnectionRefusedError(
                f"{host} ({address}) is outside safety.allowed_networks; not connecting")


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
        _check_allowed(settings.host, config)
        message = EmailMessage()
        message["Subject"] = subject(notices)
        message["From"] = settings.sender
        message["To"] = ", ".join(settings.recipients)
        message.set_content(body(notices), charset="utf-8")
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            user, password = os.environ.get(settings.username_env), os.environ.get(settings.password_env)
            if user and password:
                smtp.login(user, password)
            smtp.send_message(message)
        return Delivery("email", True, len(notices))
    except (OSError, smtplib.SMTPException) as exc:
        return Delivery("email", False, len(notices), f"{type(exc).__name__}: {exc}")


def send_webhook(settings: WebhookSettings, config: Config, notices: list[Notice]) -> Delivery:
    """POST {"source": "tslcd", "notices": [...]} as JSON."""
    try:
        url = urlparse(settings.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"webhook url {settings.url!r} is not an http(s) URL")
        _check_allowed(url.hostname, config)
        payload = json.dumps({"source": "tslcd", "subject": subject(notices),
                              "notices": [asdict(n) for n in notices]}, ensure_ascii=False)
        request = urllib.request.Request(settings.url, data=payload.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        token = os.environ.get(settings.token_env)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:
            if response.status >= 300:
                raise OSError(f"HTTP {response.status}")
        return Delivery("webhook", True, len(notices))
    except (OSError, ValueError) as exc:
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
