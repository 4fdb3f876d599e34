"""The store queries behind the reports: counts aggregated in SQL, returned as pandas frames.

Only current flags count (``flags.superseded_at IS NULL``); posts belong to a
period by ``created_at``. Review status and coverage are read as of the
report's ``now``, so regenerating a report with the same ``now`` gives the same
numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, exists, func, literal, select
from sqlalchemy.engine import Connection

from monitor.review import latest_reviews
from monitor.store import accounts, flags, posts, reviews, sweeps
from reports.period import Period

UNREVIEWED = "unreviewed"
BREACH_AUTHORS = ("official", "personal")
GAP_STATUSES = ("failed", "unavailable")

# Columns a flag count may be grouped by (flags and their posts).
GROUPABLE = {
    "clause": flags.c.clause,
    "category": flags.c.category,
    "severity": flags.c.severity,
    "platform": posts.c.platform,
    "author_kind": posts.c.author_kind,
    "account": posts.c.account,
}


def _within(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def _day(column: Any, period: Period) -> ColumnElement[str]:
    """The ISO date a timestamp of ``period`` falls on, worked out in SQL on any backend."""
    whens = [(column < period.start + timedelta(days=i + 1), literal(day.isoformat()))
             for i, day in enumerate(period.days())]
    return case(*whens)


def _frame(conn: Connection, stmt: Any, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=list(columns))


def _current_post_flags(period: Period) -> Any:
    return (flags.join(posts, flags.c.post_id == posts.c.id),
            and_(flags.c.superseded_at.is_(None), _within(posts.c.created_at, period)))


def _posts_by_day(period: Period) -> Any:
    """The period's posts (id, platform, author_kind) with the day each was published.

    A subquery, so the day is grouped by a plain column on every backend.
    """
    return (select(posts.c.id, posts.c.platform, posts.c.author_kind,
                   _day(posts.c.created_at, period).label("day"))
            .where(_within(posts.c.created_at, period)).subquery())


def volume_by_day(conn: Connection, period: Period) -> pd.DataFrame:
    """Posts per day and platform: columns day, platform, posts."""
    day = _posts_by_day(period)
    stmt = select(day.c.day, day.c.platform, func.count()).group_by(day.c.day, day.c.platform)
    return _frame(conn, stmt, ["day", "platform", "posts"])


def flag_counts(conn: Connection, period: Period, by: Sequence[str],
                author_kinds: Sequence[str] | None = None, clauses: Sequence[str] | None = None) -> pd.DataFrame:
    """Current flags on the period's posts, counted in SQL by the ``by`` columns (see GROUPABLE)."""
    source, where = _current_post_flags(period)
    if author_kinds is not None:
        where = and_(where, posts.c.author_kind.in_(author_kinds))
    if clauses is not None:
        where = and_(where, flags.c.clause.in_(clauses))
    keys = [GROUPABLE[name] for name in by]
    stmt = select(*keys, func.count()).select_from(source).where(where).group_by(*keys)
    return _frame(conn, stmt, [*by, "flags"])


def flagged_posts(conn: Connection, period: Period, now: datetime) -> list[dict[str, Any]]:
    """One row per current flag on the period's posts, with its post and its review status."""
    latest = latest_reviews(now)
    source, where = _current_post_flags(period)
    stmt = (select(posts.c.id.label("post_id"), posts.c.platform, posts.c.url, posts.c.author_handle,
                   posts.c.author_name, posts.c.author_kind, posts.c.account, posts.c.title, posts.c.text,
                   posts.c.created_at, posts.c.kind, posts.c.media, posts.c.ref,
                   flags.c.id.label("flag_id"), flags.c.category, flags.c.clause, flags.c.severity, flags.c.score,
                   flags.c.evidence, func.coalesce(latest.c.decision, UNREVIEWED).label("review"))
            .select_from(source.outerjoin(latest, latest.c.flag_id == flags.c.id)).where(where)
            .order_by(posts.c.created_at, posts.c.id, flags.c.id))
    return [dict(row._mapping) for row in conn.execute(stmt)]


def account_flags(conn: Connection, period: Period, now: datetime) -> list[dict[str, Any]]:
    """Current account-level flags (an account using the Society's name) raised in the period."""
    latest = latest_reviews(now)
    stmt = (select(accounts.c.platform, accounts.c.handle, accounts.c.display_name, accounts.c.status,
                   flags.c.id.label("flag_id"), flags.c.clause, flags.c.severity, flags.c.created_at,
                   func.coalesce(latest.c.decision, UNREVIEWED).label("review"))
            .select_from(flags.join(accounts, flags.c.account_id == accounts.c.id)
                         .outerjoin(latest, latest.c.flag_id == flags.c.id))
            .where(flags.c.superseded_at.is_(None), _within(flags.c.created_at, period))
            .order_by(flags.c.created_at, flags.c.id))
    return [dict(row._mapping) for row in conn.execute(stmt)]


def reputation_by_day(conn: Connection, period: Period) -> pd.DataFrame:
    """Mentions by the public per day, and how many of them carry a current flag."""
    day = _posts_by_day(period)
    flagged = exists().where(flags.c.post_id == day.c.id, flags.c.superseded_at.is_(None))
    stmt = (select(day.c.day, func.count(), func.coalesce(func.sum(case((flagged, 1), else_=0)), 0))
            .where(day.c.author_kind == "public").group_by(day.c.day))
    return _frame(conn, stmt, ["day", "mentions", "flagged"])


def coverage(conn: Connection, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Per source swept between ``since`` and ``until``: failed runs, last status, last success, last error."""
    window = and_(sweeps.c.started_at >= since, sweeps.c.started_at <= until)
    totals = (select(sweeps.c.source,
                     func.sum(case((sweeps.c.status.in_(GAP_STATUSES), 1), else_=0)).label("failed"),
                     func.max(case((sweeps.c.status == "ok", sweeps.c.finished_at))).label("last_ok"))
              .where(window).group_by(sweeps.c.source).subquery())
    order = (sweeps.c.started_at.desc(), sweeps.c.id.desc())
    last = select(sweeps.c.source, sweeps.c.platform, sweeps.c.status, sweeps.c.started_at, func.row_number().over(
        partition_by=sweeps.c.source, order_by=order).label("rank")).where(window).subquery()
    errors = select(sweeps.c.source, sweeps.c.error, func.row_number().over(
        partition_by=sweeps.c.source, order_by=order).label("rank")).where(
        window, sweeps.c.error.is_not(None)).subquery()
    stmt = (select(totals.c.source, last.c.platform, totals.c.failed,
                   last.c.status.label("last_status"), last.c.started_at.label("last_run"), totals.c.last_ok,
                   errors.c.error.label("last_error"))
            .select_from(totals.join(last, and_(last.c.source == totals.c.source, last.c.rank == 1))
                         .outerjoin(errors, and_(errors.c.source == totals.c.source, errors.c.rank == 1)))
            .order_by(totals.c.source))
    return [dict(row._mapping) for row in conn.execute(stmt)]


def review_decisions(conn: Connection, period: Period) -> pd.DataFrame:
    """Reviews recorded in the period, counted by decision."""
    stmt = (select(reviews.c.decision, func.count()).where(_within(reviews.c.created_at, period))
            .group_by(reviews.c.decision).order_by(reviews.c.decision))
    return _frame(conn, stmt, ["decision", "reviews"])


def unreviewed_count(conn: Connection, period: Period, now: datetime, author_kinds: Sequence[str],
                     clauses: Sequence[str] | None = None) -> int:
    """Current flags on the period's posts by ``author_kinds`` (citing ``clauses``) not reviewed by ``now``."""
    source, where = _current_post_flags(period)
    reviewed = exists().where(reviews.c.flag_id == flags.c.id, reviews.c.created_at <= now)
    where = and_(where, posts.c.author_kind.in_(author_kinds), ~reviewed)
    if clauses is not None:
        where = and_(where, flags.c.clause.in_(clauses))
    return int(conn.scalar(select(func.count()).select_from(source).where(where)) or 0)


def account_flag_count(conn: Connection, period: Period) -> int:
    """Current account-level flags raised in the period."""
    stmt = select(func.count()).where(flags.c.account_id.is_not(None), flags.c.superseded_at.is_(None),
                                      _within(flags.c.created_at, period))
    return int(conn.scalar(stmt) or 0)
