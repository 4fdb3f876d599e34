"""Locale-independent display of dates, periods and changes (the same text on every machine)."""

from __future__ import annotations

from datetime import date, datetime

from reports.period import Period

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def day_label(day: date) -> str:
    """"Mon 02 Nov"."""
    return f"{DAYS[day.weekday()]} {day.day:02d} {MONTHS[day.month - 1][:3]}"


def timestamp(moment: datetime | None) -> str:
    """"Mon 2026-11-02 14:05 UTC", or an em dash for no time."""
    if moment is None:
        return "—"
    return f"{DAYS[moment.weekday()]} {moment:%Y-%m-%d %H:%M} UTC"


def period_text(period: Period) -> str:
    """"2026-W45 (Mon 02 Nov – Sun 08 Nov 2026)" or "October 2026"."""
    if period.kind == "monthly":
        return f"{MONTHS[period.start.month - 1]} {period.start.year}"
    first, last = period.days()[0], period.days()[-1]
    return f"{period.label} ({day_label(first)} – {day_label(last)} {last.year})"


def change(current: int, previous: int) -> str:
    """"+3 (+50%)", "-2 (-100%)", "+4 (new)" or "0"."""
    diff = current - previous
    if diff == 0:
        return "0"
    if previous == 0:
        return f"{diff:+d} (new)"
    return f"{diff:+d} ({round(100 * diff / previous):+d}%)"
