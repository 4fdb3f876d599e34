"""Report periods: an ISO week ("2026-W45") or a calendar month ("2026-10"), in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

KINDS = ("weekly", "monthly")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """A report period: ``start`` inclusive, ``end`` exclusive, both aware UTC midnights."""

    kind: str
    label: str
    start: datetime
    end: datetime

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return _containing(self.kind, self.start - timedelta(days=1))

    def days(self) -> list[date]:
        """Every calendar day of the period, in order."""
        first = self.start.date()
        return [first + timedelta(days=i) for i in range((self.end - self.start).days)]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _week(year: int, week: int) -> Period:
    monday = date.fromisocalendar(year, week, 1)
    return Period("weekly", f"{year}-W{week:02d}", _midnight(monday), _midnight(monday + timedelta(days=7)))


def _month(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period("monthly", f"{year}-{month:02d}", _midnight(first), _midnight(following))


def _containing(kind: str, moment: datetime) -> Period:
    day = moment.astimezone(UTC).date()
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return _week(year, week)
    return _month(day.year, day.month)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}: expected one of {', '.join(KINDS)}")


def parse_period(text: str, kind: str | None = None) -> Period:
    """Parse "2026-W45" (an ISO week) or "2026-10" (a month); ``kind`` given must match."""
    text = text.strip()
    period: Period | None = None
    try:
        if match := _WEEK.fullmatch(text):
            period = _week(int(match[1]), int(match[2]))
        elif match := _MONTH.fullmatch(text):
            period = _month(int(match[1]), int(match[2]))
    except ValueError:
        raise ValueError(f"no such period {text!r}") from None
    if period is None:
        raise ValueError(f"period {text!r}: expected an ISO week such as 2026-W45 or a month such as 2026-10")
    if kind is not None and kind != period.kind:
        _check_kind(kind)
        example = "2026-W45" if kind == "weekly" else "2026-10"
        raise ValueError(f"period {text!r} is not a {kind} period (expected e.g. {example})")
    return period


def last_complete(kind: str, now: datetime) -> Period:
    """The last week or month that ended at or before ``now`` (aware)."""
    _check_kind(kind)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return _containing(kind, now).previous()
