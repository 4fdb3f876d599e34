"""The officer's side: review decisions on flags (append-only) and incidents reported by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Subquery

from monitor import store

DECISIONS = ("confirmed", "dismissed", "removal_requested", "removed", "escalated", "reported_to_platform")
INCIDENT_SEVERITIES = ("low", "medium", "high", "critical")


def latest_reviews(until: datetime | None = None) -> Subquery:
    """Each flag's latest decision (recorded up to ``until``): columns flag_id, decision."""
    reviews = store.reviews
    ranked = select(reviews.c.flag_id, reviews.c.decision, func.row_number().over(
        partition_by=reviews.c.flag_id, order_by=(reviews.c.created_at.desc(), reviews.c.id.desc())).label("rank"))
    if until is not None:
        ranked = ranked.where(reviews.c.created_at <= until)
    ranked = ranked.subquery()
    return select(ranked.c.flag_id, ranked.c.decision).where(ranked.c.rank == 1).subquery()


def list_flags(engine: Engine, unreviewed_only: bool = False, since: datetime | None = None,
               limit: int = 200) -> list[dict[str, Any]]:
    """Current flags, newest post first, with their latest decision."""
    flags, posts = store.flags, store.posts
    latest = latest_reviews()
    query = (select(flags.c.id, flags.c.category, flags.c.clause, flags.c.severity, flags.c.score,
                    posts.c.platform, posts.c.author_handle, posts.c.author_kind, posts.c.created_at, posts.c.url,
                    posts.c.text, latest.c.decision)
             .join(posts, posts.c.id == flags.c.post_id)
             .outerjoin(latest, latest.c.flag_id == flags.c.id)
             .where(flags.c.superseded_at.is_(None))
             .order_by(posts.c.created_at.desc(), flags.c.id.desc()).limit(limit))
    if unreviewed_only:
        query = query.where(latest.c.decision.is_(None))
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def record_review(engine: Engine, flag_id: int, decision: str, now: datetime, note: str | None = None,
                  reviewer: str | None = None) -> int:
    """Append a decision on a current flag; raises ValueError for an unknown flag or decision."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: expected one of {', '.join(DECISIONS)}")
    with engine.begin() as conn:
        superseded = conn.execute(select(store.flags.c.superseded_at).where(store.flags.c.id == flag_id)).first()
        if superseded is None:
            raise ValueError(f"no flag with id {flag_id}")
        if superseded[0] is not None:
            raise ValueError(f"flag {flag_id} was superseded by a re-classification: review the current flag")
        return conn.execute(store.reviews.insert().values(
            flag_id=flag_id, decision=decision, note=note, reviewer=reviewer, created_at=now)).inserted_primary_key[0]


def add_incident(engine: Engine, now: datetime, description: str, *, url: str | None = None,
                 platform: str | None = None, category: str | None = None, severity: str | None = None,
                 reported_by: str | None = None) -> int:
    """Record an incident reported to the officer by someone else."""
    if severity is not None and severity not in INCIDENT_SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}: expected one of {', '.join(INCIDENT_SEVERITIES)}")
    if not description.strip():
        raise ValueError("an incident needs a description")
    post_id = None
    with engine.begin() as conn:
        if url:
            post_id = conn.scalar(select(store.posts.c.id).where(store.posts.c.url == url))
        return conn.execute(store.incidents.insert().values(
            reported_at=now, reported_by=reported_by, platform=platform, url=url, category=category,
            severity=severity, description=description.strip(), post_id=post_id, status="open",
        )).inserted_primary_key[0]


def list_incidents(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(store.incidents).order_by(store.incidents.c.reported_at.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]
