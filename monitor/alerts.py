"""Telling the Social Media Officer at once: severe new flags by e-mail and/or webhook.

Run at the end of a sweep. Every flag of an alerting severity on a recent post
is sent once per channel; a channel that fails is retried by the next sweep
(its failure is recorded in ``alerts``), and never stops the sweep.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import and_, exists, select
from sqlalchemy.engine import Engine

from monitor import store
from monitor.config import Settings
from monitor.mailer import can_send, send_mail

log = logging.getLogger(__name__)

EXCERPT = 280


@dataclass
class AlertOutcome:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def channels(settings: Settings) -> list[str]:
    """The channels configured: ``email`` needs a host, a sender and recipients."""
    found = []
    alerts = settings.alerts
    if can_send(settings) and alerts.recipients:
        found.append("email")
    if alerts.webhook_url:
        found.append("webhook")
    return found


def pending(engine: Engine, settings: Settings, channel: str, now: datetime) -> list[dict[str, Any]]:
    """Current flags of an alerting severity on posts of the last ``max_age_days`` not yet sent on ``channel``."""
    flags, posts, alerts = store.flags, store.posts, store.alerts
    already = exists().where(and_(alerts.c.flag_id == flags.c.id, alerts.c.channel == channel,
                                  alerts.c.status == "sent"))
    query = (select(flags.c.id.label("flag_id"), flags.c.category, flags.c.clause, flags.c.severity, flags.c.score,
                    flags.c.evidence, posts.c.platform, posts.c.url, posts.c.author_handle, posts.c.author_kind,
                    posts.c.text, posts.c.created_at)
             .join(posts, posts.c.id == flags.c.post_id)
             .where(flags.c.superseded_at.is_(None), flags.c.severity.in_(settings.alerts.severities),
                    posts.c.created_at >= now - timedelta(days=settings.alerts.max_age_days), ~already)
             .order_by(flags.c.id))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def _clean(text: str) -> str:
    """Post text is untrusted: no control characters, one line, bounded length."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def summary(items: list[dict[str, Any]], society: str) -> tuple[str, str]:
    """The alert's subject and plain-text body."""
    subject = f"[{society or 'Social media monitor'}] {len(items)} new flag(s) needing attention"
    lines = [f"The monitor flagged {len(items)} post(s) of an alerting severity:", ""]
    for item in items:
        lines += [
            f"- {item['severity'].upper()} {item['category']} (clause {item['clause']}), score {item['score']:.2f}",
            f"  {item['platform']} post by {_clean(item['author_handle'] or 'unknown')} ({item['author_kind']}),"
            f" {item['created_at']:%Y-%m-%d %H:%M} UTC",
            f"  {item['url'] or '(no link)'}",
            f"  \"{_clean(item['text'])}\"",
            "",
        ]
    lines.append("Review them in the monitor; abusive posts are to be reported to the Board as appropriate.")
    return subject, "\n".join(lines)


def send_email(settings: Settings, subject: str, body: str) -> None:
    send_mail(settings, settings.alerts.recipients, subject, body)


def send_webhook(settings: Settings, subject: str, body: str) -> None:
    response = requests.post(settings.alerts.webhook_url, json={"text": f"{subject}\n\n{body}"}, timeout=30)
    response.raise_for_status()


SENDERS: dict[str, Callable[[Settings, str, str], None]] = {"email": send_email, "webhook": send_webhook}


def send_alerts(engine: Engine, settings: Settings, now: datetime) -> AlertOutcome:
    """Send what is pending on every configured channel and record the outcome."""
    outcome = AlertOutcome()
    for channel in channels(settings):
        items = pending(engine, settings, channel, now)
        if not items:
            continue
        subject, body = summary(items, settings.society.name)
        try:
            SENDERS[channel](settings, subject, body)
            status, error = "sent", None
            outcome.sent[channel] = len(items)
        except (OSError, smtplib.SMTPException, requests.RequestException) as exc:
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            outcome.failed[channel] = error
            log.warning("alert by %s failed: %s", channel, error)
        with engine.begin() as conn:
            conn.execute(store.alerts.insert(), [
                {"flag_id": item["flag_id"], "channel": channel, "sent_at": now if status == "sent" else None,
                 "status": status, "error": error} for item in items])
    return outcome
