"""Sending e-mail through the configured SMTP server (alerts and reports).

The password comes only from the environment (``MONITOR_SMTP_PASSWORD``).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path

from monitor.config import Settings

SMTP_PASSWORD_ENV = "MONITOR_SMTP_PASSWORD"


def can_send(settings: Settings) -> bool:
    return bool(settings.alerts.smtp_host and settings.alerts.sender)


def send_mail(settings: Settings, recipients: Sequence[str], subject: str, body: str,
              attachments: Sequence[Path] = (), smtp: Callable[..., smtplib.SMTP] = smtplib.SMTP) -> None:
    """Send one plain-text message, with PDF attachments, to ``recipients``."""
    alerts = settings.alerts
    if not can_send(settings):
        raise ValueError("no SMTP server configured: set [alerts] smtp_host and sender")
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, alerts.sender, ", ".join(recipients)
    message.set_content(body)
    for path in attachments:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="pdf", filename=path.name)
    with smtp(alerts.smtp_host, alerts.smtp_port, timeout=30) as client:
        if alerts.smtp_starttls:
            client.starttls()
        password = settings.secret(SMTP_PASSWORD_ENV)
        if alerts.smtp_user and password:
            client.login(alerts.smtp_user, password)
        client.send_message(message)
