"""The Social Media Officer's weekly report: every flagged item with its evidence, coverage and reputation."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from markupsafe import Markup
from sqlalchemy.engine import Connection, Engine

from monitor import costs
from monitor.config import Settings
from reports import charts, data
from reports.evidence import field_texts, highlight
from reports.formatting import day_label, period_text, timestamp
from reports.labels import ACCOUNT_TYPES, SEVERITY_ORDER, X_LIKES_NOTE, clause_label, clause_order
from reports.period import Period
from reports.table import Table, table_from_frame

# What the officer is told an evidence field is, when it is not the post's own text.
FIELD_LABELS = {"title": "title", "author_bio": "author's bio", "ref_text": "the post it quotes or shares",
                "media_note": "media description"}


@dataclass(frozen=True)
class FlagView:
    """One current flag of a post."""

    category: str  # the classifier's category (harassment, political, ...)
    clause: str  # the policy clause it cites, with its title
    severity: str  # low | medium | high | critical
    score: str  # the classifier's score, two decimals
    review: str  # the latest review decision, or "unreviewed"
    reasons: tuple[str, ...]  # why each evidence span matters, as the classifier put it


@dataclass(frozen=True)
class FlaggedPost:
    """A flagged post as the officer sees it."""

    created_at: str  # when it was published (UTC)
    platform: str  # where it was published
    kind: str  # post | reply | repost | quote | like
    author_handle: str  # the author's handle as the platform shows it ("" when unknown)
    author_name: str  # the author's display name ("" when unknown)
    account_type: str  # official / personal (with the person's role) / member of the public
    url: str  # the post's address as text ("" when unknown)
    link: str | None  # the same address when it is safe to link (http or https), else None
    title: Markup | None  # the title, escaped, evidence highlighted
    text: Markup  # the text (or excerpts of a long one), escaped, evidence highlighted
    other_evidence: tuple[tuple[str, Markup], ...]  # (where, excerpt) for evidence outside title and text
    flags: tuple[FlagView, ...]  # its current flags
    severity: str  # the highest severity of its flags


@dataclass(frozen=True)
class AccountFlag:
    """An account using the Society's name, flagged under clause 4."""

    platform: str  # where the account is
    handle: str  # its handle
    display_name: str  # its display name ("" when unknown)
    severity: str  # the flag's severity
    raised_at: str  # when the flag was raised (UTC)
    review: str  # the latest review decision, or "unreviewed"


@dataclass(frozen=True)
class CoverageRow:
    """One source's sweeps from the period's start to the report time."""

    source: str  # the configured source name
    platform: str  # its platform
    failed: int  # sweeps that failed or found the source unavailable
    last_status: str  # the latest sweep's status ("not swept" when none was recorded)
    last_run: str  # when the latest sweep started
    last_ok: str  # when the latest successful sweep finished
    last_error: str  # the latest error or warning recorded ("" when none)
    gap: bool  # True when the source could not be read at some point


@dataclass(frozen=True)
class WeeklyContext:
    """Everything templates/weekly.html shows."""

    society: str  # the Society's name
    period: Period  # the ISO week reported
    period_text: str  # the week in words, e.g. "2026-W45 (Mon 02 Nov – Sun 08 Nov 2026)"
    generated_at: str  # the report time (the ``now`` it was built for)
    posts_total: int  # posts published in the week that the monitor stored
    volume: Table  # posts per day (rows) and platform (columns)
    flags_total: int  # current flags on the week's posts
    flags_by_clause: Table  # current flags per clause (rows) and platform (columns)
    items: tuple[FlaggedPost, ...]  # every flagged post, most severe first, then oldest first
    unreviewed_flags: int  # flags with no review decision yet
    unreviewed_posts: int  # posts with at least one such flag
    account_flags: tuple[AccountFlag, ...]  # accounts flagged under clause 4 during the week
    reputation: Table  # mentions by the public per day, and how many were flagged
    mentions_total: int  # mentions by the public in the week
    mentions_flagged: int  # of them, flagged
    coverage: tuple[CoverageRow, ...]  # every source swept (or configured) since the week began
    coverage_gaps: int  # sources with a failed run, or never swept
    coverage_note: str  # what the monitor cannot see at all
    reads_by_sweep: Table  # paid API reads (X) and estimated cost of each sweep since the week began
    reads_by_month: Table  # the same per month, from the start of the week's month to the report's time
    charts: Mapping[str, str]  # SVG charts by name: "volume"


def _author_type(row: Mapping[str, Any], roles: Mapping[str, str]) -> str:
    kind = row["author_kind"]
    if kind == "personal" and row.get("account") in roles:
        return f"{ACCOUNT_TYPES[kind]}: {roles[row['account']]}"
    return ACCOUNT_TYPES.get(kind, kind)


def _flagged_post(rows: list[dict[str, Any]], bios: Mapping[str, str], roles: Mapping[str, str]) -> FlaggedPost:
    post = rows[0]
    texts = field_texts(post, bios)
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        for ev in row["evidence"] or []:
            spans.setdefault(ev.get("field", "text"), []).append((int(ev["start"]), int(ev["end"])))
    other = tuple((FIELD_LABELS.get(name, name), highlight(texts.get(name, ""), found))
                  for name, found in sorted(spans.items()) if name not in ("text", "title") and texts.get(name))
    flags = tuple(FlagView(
        category=row["category"], clause=clause_label(row["clause"]), severity=row["severity"],
        score=f"{row['score']:.2f}", review=row["review"],
        reasons=tuple(dict.fromkeys(str(ev.get("reason", "")) for ev in row["evidence"] or [] if ev.get("reason"))),
    ) for row in rows)
    url = post["url"] or ""
    return FlaggedPost(
        created_at=timestamp(post["created_at"]), platform=post["platform"], kind=post["kind"],
        author_handle=post["author_handle"] or "", author_name=post["author_name"] or "",
        account_type=_author_type(post, roles), url=url,
        link=url if url.lower().startswith(("http://", "https://")) else None,
        title=highlight(texts["title"], spans.get("title", [])) if texts["title"] else None,
        text=highlight(texts["text"], spans.get("text", [])), other_evidence=other, flags=flags,
        severity=max((r["severity"] for r in rows), key=lambda s: SEVERITY_ORDER.get(s, -1)),
    )


def _items(rows: list[dict[str, Any]], settings: Settings) -> tuple[FlaggedPost, ...]:
    bios = {p.id: p.bio for p in settings.people}
    roles = {p.id: p.role or p.id for p in settings.people}
    by_post: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_post.setdefault(row["post_id"], []).append(row)
    items = [_flagged_post(group, bios, roles) for group in by_post.values()]
    return tuple(sorted(items, key=lambda item: -SEVERITY_ORDER.get(item.severity, -1)))


def _per_day(frame: pd.DataFrame, period: Period, columns: str | None, values: str | list[str]) -> pd.DataFrame:
    """Rows for every day of the period (zeros where nothing happened), indexed by ISO date."""
    days = [d.isoformat() for d in period.days()]
    if frame.empty:
        return pd.DataFrame(0, index=days, columns=[] if columns else values)
    if columns is None:
        shaped = frame.set_index("day")[values]
    else:
        shaped = frame.pivot_table(index="day", columns=columns, values=values, aggfunc="sum", fill_value=0)
        shaped = shaped[sorted(shaped.columns, key=lambda c: (-shaped[c].sum(), c))]
        shaped.columns.name = None
    return shaped.reindex(days, fill_value=0).astype(int)


def _coverage(conn: Connection, settings: Settings, period: Period, now: datetime) -> tuple[CoverageRow, ...]:
    found = data.coverage(conn, period.start, now)
    rows = [CoverageRow(
        source=r["source"], platform=r["platform"] or "", failed=r["failed"],
        last_status=r["last_status"], last_run=timestamp(r["last_run"]), last_ok=timestamp(r["last_ok"]),
        last_error=r["last_error"] or "", gap=bool(r["failed"]) or r["last_status"] != "ok",
    ) for r in found]
    swept = {r["source"] for r in found}
    rows += [CoverageRow(source=s.name, platform=s.platform, failed=0, last_status="not swept",
                         last_run=timestamp(None), last_ok=timestamp(None), last_error="", gap=True)
             for s in settings.sources if s.enabled and s.name not in swept]
    return tuple(sorted(rows, key=lambda r: (not r.gap, r.source)))


def build_weekly_context(engine: Engine, settings: Settings, period: Period, now: datetime) -> WeeklyContext:
    """The weekly report of ``period`` from the store, as it stands at ``now``."""
    with engine.connect() as conn:
        volume_rows = data.volume_by_day(conn, period)
        clause_rows = data.flag_counts(conn, period, ["clause", "platform"])
        flag_rows = data.flagged_posts(conn, period, now)
        account_rows = data.account_flags(conn, period, now)
        reputation_rows = data.reputation_by_day(conn, period)
        coverage = _coverage(conn, settings, period, now)
        # Like coverage: the sweeps from the week's start up to and including the report's time.
        until = now + timedelta(microseconds=1)
        by_sweep = costs.sweep_usage(conn, settings.costs, period.start, until)
        by_month = costs.month_usage(conn, settings.costs, costs.month_start(period.start), until)

    volume = _per_day(volume_rows, period, "platform", "posts")
    by_clause = (clause_rows.pivot_table(index="clause", columns="platform", values="flags", aggfunc="sum",
                                         fill_value=0) if not clause_rows.empty else pd.DataFrame())
    if not by_clause.empty:
        by_clause = by_clause.loc[sorted(by_clause.index, key=clause_order)].astype(int)
        by_clause.index = [clause_label(c) for c in by_clause.index]
        by_clause.columns.name = None
        by_clause["Total"] = by_clause.sum(axis=1)
    reputation = _per_day(reputation_rows, period, None, ["mentions", "flagged"])
    items = _items(flag_rows, settings)
    unreviewed = [f for item in items for f in item.flags if f.review == data.UNREVIEWED]
    labelled_volume = volume.set_axis([day_label(d) for d in period.days()])
    return WeeklyContext(
        society=settings.society.name, period=period, period_text=period_text(period), generated_at=timestamp(now),
        posts_total=int(volume.to_numpy().sum()),
        volume=table_from_frame(labelled_volume.assign(Total=labelled_volume.sum(axis=1)), "Day", totals=True),
        flags_total=len(flag_rows), flags_by_clause=table_from_frame(by_clause, "Clause", totals=True),
        items=items, unreviewed_flags=len(unreviewed),
        unreviewed_posts=sum(1 for item in items if any(f.review == data.UNREVIEWED for f in item.flags)),
        account_flags=tuple(AccountFlag(
            platform=r["platform"], handle=r["handle"], display_name=r["display_name"] or "",
            severity=r["severity"], raised_at=timestamp(r["created_at"]), review=r["review"])
            for r in account_rows),
        reputation=table_from_frame(reputation.set_axis([day_label(d) for d in period.days()])
                                    .rename(columns={"mentions": "Mentions", "flagged": "Flagged"}),
                                    "Day", totals=True),
        mentions_total=int(reputation["mentions"].sum()), mentions_flagged=int(reputation["flagged"].sum()),
        coverage=coverage, coverage_gaps=sum(1 for row in coverage if row.gap), coverage_note=X_LIKES_NOTE,
        reads_by_sweep=_usage_table(by_sweep, "Sweep", settings.costs),
        reads_by_month=_usage_table(by_month, "Month", settings.costs),
        charts={"volume": charts.daily_volume(labelled_volume)},
    )


def _usage_table(usage: list[costs.Usage], label: str, paid: Collection[str]) -> Table:
    """Reads and estimated cost on the ``paid`` platforms, one row per sweep (by its start) or per month."""
    frame = pd.DataFrame(
        [{label: u.period if label == "Month" else timestamp(u.started_at), "Platform": u.platform,
          "Posts read": u.post_reads, "Users read": u.user_reads, "Estimated cost (USD)": round(u.cost_usd, 2)}
         for u in usage if u.platform in paid],
        columns=[label, "Platform", "Posts read", "Users read", "Estimated cost (USD)"])
    return table_from_frame(frame.set_index(label), label, totals=True)
