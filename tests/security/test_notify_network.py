"""A tampered notification receiver cannot bounce the notification (or the token) anywhere else,
environment proxies are ignored, and a configured proxy must itself be allowed."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tslcd.config import Config
from tslcd.notify import Notice, dispatch

from .conftest import fake_dns

NOTICE = Notice(event="backup-failure", host="stc-fw1", agency="Sở Tài chính", summary="timeout")


@dataclass
class Receiver:
    """An HTTP server on one 127.x address that records what reaches it."""

    address: str
    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}/hook"


@contextmanager
def receiver(address: str, answer: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[Receiver]:
    """Serve on ``address`` (any free port); ``answer`` writes the response."""
    record = Receiver(address, 0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            record.requests.append({"line": self.requestline, "auth": self.headers.get("Authorization"),
                                    "body": self.rfile.read(length)})
            answer(self)

        do_GET = do_POST

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((address, 0), Handler)
    record.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()


def accept(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(204)
    handler.end_headers()


def redirect_to(url: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(307)
        handler.send_header("Location", url)
        handler.end_headers()
    return answer


def webhook_config(url: str, allowed: list[str], proxy: str = "") -> Config:
    config = Config()
    config.safety.allowed_networks = allowed
    config.notifications.webhook.enabled = True
    config.notifications.webhook.url = url
    config.notifications.webhook.proxy = proxy
    config.notifications.webhook.timeout = 5
    return config


@pytest.mark.parametrize("allowed", [["127.0.0.1/32"], ["127.0.0.0/8"]])
def test_redirect_is_a_failure_and_nothing_reaches_the_target(
        monkeypatch: pytest.MonkeyPatch, allowed: list[str]) -> None:
    monkeypatch.setenv("TSLCD_WEBHOOK_TOKEN", "t0ken-for-the-receiver-only")
    with receiver("127.0.0.2", accept) as target, \
            receiver("127.0.0.1", redirect_to(target.url)) as hook:
        [delivery] = dispatch(webhook_config(hook.url, allowed), [NOTICE])
    assert not delivery.ok
    assert "redirect" in delivery.error and target.url in delivery.error
    assert len(hook.requests) == 1 and hook.requests[0]["auth"] == "Bearer t0ken-for-the-receiver-only"
    assert target.requests == []


def test_environment_proxy_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urllib.request, "_opener", None)  # urllib caches the proxies it first saw
    with receiver("127.0.0.3", accept) as env_proxy, receiver("127.0.0.1", accept) as hook:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.3:{env_proxy.port}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        [delivery] = dispatch(webhook_config(hook.url, ["127.0.0.0/8"]), [NOTICE])
    assert delivery.ok, delivery.error
    assert env_proxy.requests == [] and len(hook.requests) == 1


def test_configured_proxy_must_be_allowed_and_is_used() -> None:
    with receiver("127.0.0.4", accept) as proxy:
        url = "http://127.0.0.1:9/hook"
        [refused] = dispatch(webhook_config(url, ["127.0.0.1/32"],
                                            f"http://127.0.0.4:{proxy.port}"), [NOTICE])
        assert not refused.ok and "webhook proxy" in refused.error and "outside" in refused.error
        assert proxy.requests == []
        [sent] = dispatch(webhook_config(url, ["127.0.0.0/8"], f"http://127.0.0.4:{proxy.port}"),
                          [NOTICE])
    assert sent.ok, sent.error
    assert proxy.requests[0]["line"].startswith("POST http://127.0.0.1:9/hook ")


def test_receiver_name_resolved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DNS answer that changes after the check cannot move the connection."""
    asked = fake_dns(monkeypatch, "hooks.example.test", ["127.0.0.1", "127.0.0.5"])
    with receiver("127.0.0.1", accept) as hook, receiver("127.0.0.5", accept) as other:
        [delivery] = dispatch(webhook_config(f"http://hooks.example.test:{hook.port}/hook",
                                             ["127.0.0.1/32"]), [NOTICE])
    assert delivery.ok, delivery.error
    assert asked == ["hooks.example.test"] and len(hook.requests) == 1 and other.requests == []


def test_email_server_outside_is_refused() -> None:
    config = Config()
    config.safety.allowed_networks = ["127.0.0.1/32"]
    config.notifications.email.enabled = True
    config.notifications.email.host = "127.0.0.6"
    [delivery] = dispatch(config, [NOTICE])
    assert not delivery.ok and "outside safety.allowed_networks" in delivery.error
