"""Delivering a written report by e-mail and recording it in ``reports``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine

from monitor import store
from monitor.config import Settings
from monitor.mailer import send_mail


def send_report(engine: Engine, settings: Settings, path: Path, recipients: Sequence[str], now: datetime) -> None:
    """E-mail the PDF at ``path`` and mark its ``reports`` row delivered."""
    name = settings.society.name or "The Society"
    weekly = path.name.startswith("weekly")
    kind = "Weekly social-media report" if weekly else "Monthly breach summary"
    body = f"{kind} attached, produced by the social-media monitor.\n"
    if weekly:
        body += "It contains personal data: keep it to those who need it.\n"
    send_mail(settings, recipients, f"{name}: {kind} ({path.stem.split('-', 1)[1]})", body, attachments=[path])
    with engine.begin() as conn:
        conn.execute(update(store.reports).where(store.reports.c.path == str(path))
                     .values(delivered_to=", ".join(recipients), delivered_at=now))
