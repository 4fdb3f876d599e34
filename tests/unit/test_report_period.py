"""Report periods: ISO weeks and months, their edges, and the last complete one before a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from reports.period import last_complete, parse_period


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_iso_week_runs_monday_to_monday_utc() -> None:
    week = parse_period("2026-W45")
    assert (week.kind, week.label, week.start, week.end) == ("weekly", "2026-W45", utc(2026, 11, 2), utc(2026, 11, 9))
    assert len(week.days()) == 7 and week.days()[0].isoformat() == "2026-11-02"


def test_month_runs_first_to_first() -> None:
    month = parse_period("2026-10")
    assert (month.kind, month.label) == ("monthly", "2026-10")
    assert (month.start, month.end) == (utc(2026, 10, 1), utc(2026, 11, 1))
    assert len(month.days()) == 31


def test_week_53_crosses_the_year_and_week_1_follows_it() -> None:
    w53 = parse_period("2026-W53")  # 2026 starts on a Thursday, so it has 53 ISO weeks
    assert (w53.start, w53.end) == (utc(2026, 12, 28), utc(2027, 1, 4))
    assert parse_period("2027-W01").previous() == w53
    assert parse_period("2026-W01").start == utc(2025, 12, 29)  # week 1 may start in December
    assert parse_period("2026-W01").previous().label == "2025-W52"


def test_january_previous_month_is_last_december() -> None:
    assert parse_period("2027-01").previous() == parse_period("2026-12")
    assert parse_period("2026-12").end == utc(2027, 1, 1)


def test_last_complete_week() -> None:
    assert last_complete("weekly", utc(2026, 11, 9, 7)).label == "2026-W45"
    assert last_complete("weekly", utc(2026, 11, 9)).label == "2026-W45"  # Monday 00:00: W45 just ended
    assert last_complete("weekly", utc(2026, 11, 8, 23, 59)).label == "2026-W44"
    assert last_complete("weekly", utc(2027, 1, 5)).label == "2026-W53"
    assert last_complete("weekly", utc(2026, 1, 1)).label == "2025-W52"


def test_last_complete_month() -> None:
    assert last_complete("monthly", utc(2026, 11, 9)).label == "2026-10"
    assert last_complete("monthly", utc(2027, 1, 1)).label == "2026-12"
    assert last_complete("monthly", utc(2027, 1, 31, 23)).label == "2026-12"
    assert last_complete("monthly", utc(2026, 3, 1)).end == utc(2026, 3, 1)


def test_now_in_another_offset_is_read_as_utc() -> None:
    # 00:30 on Monday in UTC+1 is still Sunday 23:30 UTC: week 45 is not over yet.
    monday_in_paris = datetime(2026, 11, 9, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert last_complete("weekly", monday_in_paris).label == "2026-W44"


@pytest.mark.parametrize("text", ["2025-W53", "2026-W00", "2026-W54", "2026-13", "2026-00", "26-W45", "2026W45",
                                  "next week", ""])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_period_must_match_the_report_kind() -> None:
    with pytest.raises(ValueError, match="not a monthly period"):
        parse_period("2026-W45", "monthly")
    with pytest.raises(ValueError, match="not a weekly period"):
        parse_period("2026-10", "weekly")
    assert parse_period(" 2026-10 ", "monthly").label == "2026-10"


def test_last_complete_refuses_unknown_kind_and_naive_time() -> None:
    with pytest.raises(ValueError, match="unknown report kind"):
        last_complete("daily", utc(2026, 11, 9))
    with pytest.raises(ValueError, match="aware"):
        last_complete("weekly", datetime(2026, 11, 9))
