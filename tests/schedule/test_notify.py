"""Notifications reach a real SMTP server and a real HTTP endpoint, both on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.schedule.receivers import http_receiver, smtp_server
from tslcd.config import Config
from tslcd.notify import Notice, dispatch

NOTICE = Notice(event="out-of-band-change", host="syt-fw1", agency="Sở Y tế",
                summary="configuration changed with no recorded tslcd change",
                details=["+ access-list OUTSIDE extended permit tcp any any eq 3389"],
                report="data/reports/run-7.html")


def test_email_and_webhook_are_delivered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSLCD_WEBHOOK_TOKEN", "t0ken")
    with smtp_server() as (port, inbox), http_receiver() as (url, hooks):
        config = Config()
        config.notifications.email.enabled = True
        config.notifications.email.port = port
        config.notifications.email.recipients = ["noc@angiang.gov.vn"]
        config.notifications.webhook.enabled = True
        config.notifications.webhook.url = url
        low = Notice(event="new-finding", host="stc-r1", agency="Sở Tài chính", summary="x",
                     severity="low")
        results = dispatch(config, [NOTICE, low])
    assert [(r.channel, r.ok, r.count) for r in results] == [("email", True, 1), ("webhook", True, 1)]
    mail = inbox[0]
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "syt-fw1" in mail["Subject"] and "out-of-band-change" in mail["Subject"]
    assert "Sở Y tế" in text and "eq 3389" in text and "data/reports/run-7.html" in text
    payload = hooks[0]["json"]
    assert hooks[0]["auth"] == "Bearer t0ken"
    assert payload["notices"][0]["host"] == "syt-fw1" and payload["notices"][0]["agency"] == "Sở Y tế"


def test_delivery_failure_is_reported_not_raised() -> None:
    config = Config()
    config.notifications.email.enabled = True
    config.notifications.email.port = 9  # nothing listens on discard
    config.notifications.webhook.enabled = True
    config.notifications.webhook.url = "http://192.0.2.1/hook"
    results = dispatch(config, [NOTICE])
    assert [r.ok for r in results] == [False, False]
    assert "outside safety.allowed_networks" in results[1].error
