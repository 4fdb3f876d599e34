"""Alerts: a real SMTP server (aiosmtpd) and a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from connectors.base import Post
from monitor import store
from monitor.alerts import send_alerts

NOW = datetime(2026, 11, 9, 7, tzinfo=UTC)
HOSTILE = "I know where you live, @jo \x1b[31m <script>alert(1)</script> " + "x" * 400


@pytest.fixture
def webhook() -> Iterator[tuple[list[dict], str]]:
    received: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def seed(engine, severity: str = "high", age: timedelta = timedelta(days=1)) -> None:
    post = Post(platform="forum", native_id=f"p-{severity}-{age.days}", source="forum", text=HOSTILE,
                created_at=NOW - age, url="https://forum.example/p/1", author_handle="angry_neighbour")
    [post_id] = store.save_page(engine, "forum", [post], None, now=lambda: NOW)
    store.replace_flags(engine, [(post_id, [{"category": "harassment", "clause": "Abusive behaviour",
                                             "severity": severity, "score": 0.93,
                                             "evidence": [{"start": 0, "end": 21, "reason": "threat"}]}])],
                        "test", NOW)


def alert_settings(write_settings, port: int | None = None, hook: str | None = None):
    lines = ["[alerts]", 'severities = ["high", "critical"]']
    if port:
        lines += ['smtp_host = "127.0.0.1"', f"smtp_port = {port}", "smtp_starttls = false",
                  'sender = "monitor@example.org"', 'recipients = ["officer@example.org"]']
    if hook:
        lines.append(f'webhook_url = "{hook}"')
    return write_settings(extra="\n".join(lines) + "\n")


def test_severe_new_flags_are_emailed_once(smtp, write_settings, engine) -> None:
    inbox, port = smtp
    seed(engine, "high")
    seed(engine, "low")  # not an alerting severity
    seed(engine, "critical", age=timedelta(days=30))  # too old: a backlog does not alert
    settings = alert_settings(write_settings, port=port)
    outcome = send_alerts(engine, settings, NOW)
    assert outcome.sent == {"email": 1} and not outcome.failed
    [(sender, recipients, raw)] = inbox.messages
    assert sender == "monitor@example.org" and recipients == ["officer@example.org"]
    message = message_from_bytes(raw, policy=default_policy)
    assert "1 new flag(s)" in message["Subject"] and "Thornfield Local History Society" in message["Subject"]
    body = message.get_content()
    assert "HIGH harassment (clause Abusive behaviour)" in body and "https://forum.example/p/1" in body
    assert "\x1b" not in body and "x" * 300 not in body  # untrusted text is cleaned and cut short
    assert send_alerts(engine, settings, NOW).sent == {}
    assert len(inbox.messages) == 1


def test_failed_channel_is_recorded_and_retried(webhook, write_settings, engine) -> None:
    received, url = webhook
    seed(engine, "critical")
    broken = alert_settings(write_settings, hook="http://127.0.0.1:9/nothing-listens-here")
    outcome = send_alerts(engine, broken, NOW)
    assert "webhook" in outcome.failed
    with engine.connect() as conn:
        assert conn.execute(select(store.alerts.c.status)).scalars().all() == ["failed"]
    working = alert_settings(write_settings, hook=url)
    assert send_alerts(engine, working, NOW).sent == {"webhook": 1}
    assert "critical".upper() in received[0]["text"] and "angry_neighbour" in received[0]["text"]


def test_no_channel_configured_sends_nothing(write_settings, engine) -> None:
    seed(engine, "critical")
    settings = alert_settings(write_settings)
    assert send_alerts(engine, settings, NOW).sent == {}
    with engine.connect() as conn:
        assert conn.execute(select(store.alerts)).all() == []


def test_sweep_that_finds_abuse_alerts_the_officer(smtp, write_settings, engine, tmp_path) -> None:
    from monitor.sweep import run_sweep
    from tests.conftest import feed_source
    from tests.feedfactory import item, rss

    inbox, port = smtp
    when = NOW - timedelta(hours=5)
    (tmp_path / "forum.xml").write_bytes(rss([
        item(1, "TLHS trustees are vermin. I know where you live, Margaret, and I'll be waiting outside.", when=when),
        item(2, "Lovely TLHS walk along the canal today", when=when)]))
    settings = write_settings(
        feed_source("forum", str(tmp_path / "forum.xml"), platform="forum"),
        extra=f'[alerts]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_starttls = false\n'
              'sender = "monitor@example.org"\nrecipients = ["officer@example.org"]\n')
    result = run_sweep(settings, engine, clock=lambda: NOW)
    assert list(result.alerts.sent) == ["email"] and result.alerts.sent["email"] >= 1
    assert len(inbox.messages) == 1 and b"I know where you live" in inbox.messages[0][2]
