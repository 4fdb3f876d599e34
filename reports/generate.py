"""Writing a report: pick its period, build its context, render the PDF, record it in ``reports``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from monitor.config import Settings
from monitor.store import reports
from reports.monthly import build_monthly_context
from reports.period import KINDS, Period, last_complete, parse_period
from reports.render import render_pdf
from reports.weekly import build_weekly_context

Builder = Callable[[Engine, Settings, Period, datetime], Any]
BUILDERS: dict[str, tuple[Builder, str]] = {
    "weekly": (build_weekly_context, "weekly.html"),
    "monthly": (build_monthly_context, "monthly.html"),
}


def write_report(kind: str, engine: Engine, settings: Settings, period: str | None, now: datetime,
                 output_dir: Path) -> Path:
    """Write ``output_dir/<kind>-<period>.pdf`` and record it; return its path.

    ``period`` is "2026-W45" (weekly) or "2026-10" (monthly); None means the last
    complete one before ``now``. Raises ValueError for an unknown kind or a bad period.
    The same store, period and ``now`` give the same bytes; an identical report
    already recorded is not recorded twice.
    """
    if kind not in BUILDERS:
        raise ValueError(f"unknown report kind {kind!r}: expected one of {', '.join(KINDS)}")
    chosen = parse_period(period, kind) if period is not None else last_complete(kind, now)
    build, template = BUILDERS[kind]
    out_path = Path(output_dir) / f"{kind}-{chosen.label}.pdf"
    pdf = render_pdf(template, build(engine, settings, chosen, now), out_path)
    digest = hashlib.sha256(pdf).hexdigest()
    row = {"kind": kind, "period": chosen.label, "path": str(out_path), "sha256": digest}
    with engine.begin() as conn:
        known = conn.scalar(select(reports.c.id).where(*(reports.c[key] == value for key, value in row.items())))
        if known is None:
            conn.execute(reports.insert().values(created_at=now, **row))
    return out_path
