"""The store: SQLAlchemy Core tables, the engine, migrations, and the writes the sweep needs.

SQLite by default (one file, WAL, owner-only permissions); a PostgreSQL
``database_url`` works through the same code. Timestamps go in and come out as
aware UTC datetimes through :class:`UTCDateTime`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeDecorator

from connectors.base import Cursor, Post


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, whatever the backend keeps (SQLite drops offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware UTC timestamps only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

posts = Table(
    "posts", metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("native_id", String(500), nullable=False),
    Column("source", String(100), nullable=False),
    Column("url", Text),
    Column("author_handle", String(300)),
    Column("author_name", String(300)),
    Column("author_kind", String(10), nullable=False),
    Column("account", String(300)),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("lang", String(20)),
    Column("ref", JSON),
    Column("media", JSON),
    Column("raw", JSON),
    Column("raw_sha256", String(64)),
    Column("endpoint", Text),
    Column("retrieved_at", UTCDateTime, nullable=False),
    Column("classifier_version", String(100)),
    UniqueConstraint("platform", "native_id", name="uq_posts_identity"),
    Index("ix_posts_created_at", "created_at"),
    Index("ix_posts_unclassified", "classifier_version"),
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("handle", String(300), nullable=False),
    Column("platform_id", String(300)),
    Column("display_name", String(300)),
    Column("status", String(20), nullable=False),  # official | personal | approved | monitored | discovered
    Column("person", String(100)),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("raw", JSON),
    UniqueConstraint("platform", "handle", name="uq_accounts_identity"),
)

flags = Table(
    "flags", metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE")),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("category", String(30), nullable=False),
    Column("clause", String(30), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("score", Float, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("classifier_version", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("superseded_at", UTCDateTime),
    Index("ix_flags_post", "post_id"),
    Index("ix_flags_current", "superseded_at", "category"),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("flag_id", Integer, ForeignKey("flags.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("note", Text),
    Column("reviewer", String(100)),
    Column("created_at", UTCDateTime, nullable=False),
)

incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("reported_by", String(200)),
    Column("platform", String(20)),
    Column("url", Text),
    Column("category", String(30)),
    Column("severity", String(10)),
    Column("description", Text, nullable=False),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="SET NULL")),
    Column("status", String(20), nullable=False, default="open"),
)

cursors = Table(
    "cursors", metadata,
    Column("source", String(100), primary_key=True),
    Column("cursor", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

sweeps = Table(
    "sweeps", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", String(40), nullable=False),
    Column("source", String(100), nullable=False),
    Column("platform", String(20)),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(20), nullable=False),  # running | ok | partial | failed | unavailable
    Column("fetched", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("flagged", Integer, nullable=False, default=0),
    Column("reads", Integer, nullable=False, default=0),
    Column("user_reads", Integer, nullable=False, default=0, server_default="0"),  # of reads: X user objects
    Column("dropped", Integer, nullable=False, default=0),
    Column("pages", Integer, nullable=False, default=0),
    Column("error", Text),
    Index("ix_sweeps_started", "started_at"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True),
    Column("flag_id", Integer, ForeignKey("flags.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("sent_at", UTCDateTime),
    Column("status", String(20), nullable=False),
    Column("error", Text),
)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("period", String(20), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_to", Text),
    Column("delivered_at", UTCDateTime),
)

monthly_stats = Table(
    "monthly_stats", metadata,
    Column("month", String(7), primary_key=True),
    Column("category", String(30), primary_key=True),
    Column("clause", String(30), primary_key=True),
    Column("severity", String(10), primary_key=True),
    Column("platform", String(20), primary_key=True),
    Column("author_kind", String(10), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("purged", Boolean, nullable=False, default=False),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

# Numbered migrations: (version, name, step). A new database is created at the
# head from the table definitions above and stamped with every version; an
# older database runs the steps it has not recorded, in order. A schema change
# edits the tables above AND appends a step that brings old databases forward.
Migration = tuple[int, str, Callable[[Connection], None]]
MIGRATIONS: list[Migration] = [
    (1, "initial schema", lambda conn: metadata.create_all(conn)),
    (2, "sweeps.user_reads (X bills user reads apart from post reads)",
     lambda conn: conn.execute(text("ALTER TABLE sweeps ADD COLUMN user_reads INTEGER NOT NULL DEFAULT 0"))),
]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def open_store(database_url: str, migrate_schema: bool = True) -> Engine:
    """An engine for ``database_url``, with the schema brought up to date."""
    if database_url.startswith("sqlite:///") and not database_url.endswith(":memory:"):
        _prepare_sqlite_file(Path(database_url[len("sqlite:///"):]))
    engine = create_engine(database_url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate_schema:
        migrate(engine)
    return engine


def migrate(engine: Engine, now: Callable[[], datetime] = _utcnow) -> list[int]:
    """Apply the migrations the database has not recorded; return their versions."""
    with engine.begin() as conn:
        if not inspect(conn).has_table("schema_migrations"):
            metadata.create_all(conn)
            conn.execute(schema_migrations.insert(), [
                {"version": v, "name": name, "applied_at": now()} for v, name, _ in MIGRATIONS])
            return [v for v, _, _ in MIGRATIONS]
        done = set(conn.scalars(select(schema_migrations.c.version)))
        applied = []
        for version, name, step in MIGRATIONS:
            if version in done:
                continue
            step(conn)
            conn.execute(schema_migrations.insert().values(version=version, name=name, applied_at=now()))
            applied.append(version)
        return applied


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(schema_migrations.c.version))) or 0


# --- posts and cursors ---------------------------------------------------------


def _insert(engine_or_conn: Engine | Connection, table: Table) -> Any:
    """A dialect-specific INSERT that supports ON CONFLICT."""
    if engine_or_conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def post_row(post: Post, retrieved_at: datetime) -> dict[str, Any]:
    """The ``posts`` row for a Post."""
    raw_json = json.dumps(post.raw, sort_keys=True, default=str) if post.raw is not None else ""
    return {
        "platform": post.platform, "native_id": post.native_id, "source": post.source, "url": post.url,
        "author_handle": post.author_handle, "author_name": post.author_name, "author_kind": post.author_kind,
        "account": post.account, "title": post.title, "text": post.text, "created_at": post.created_at,
        "kind": post.kind, "lang": post.lang, "ref": post.ref, "media": post.media or [],
        "raw": json.loads(raw_json) if raw_json else None,
        "raw_sha256": hashlib.sha256(raw_json.encode()).hexdigest() if raw_json else None,
        "endpoint": post.endpoint, "retrieved_at": post.retrieved_at or retrieved_at,
    }


def save_page(engine: Engine, source: str, page_posts: Sequence[Post], cursor: Cursor | None,
              now: Callable[[], datetime] = _utcnow) -> list[int]:
    """Store posts and the cursor that produced them in ONE transaction.

    A post already stored (same platform and native id) is skipped. Returns the
    ids of the posts that were new.
    """
    retrieved = now()
    new_ids: list[int] = []
    with engine.begin() as conn:
        if page_posts:
            stmt = _insert(conn, posts).on_conflict_do_nothing(
                index_elements=["platform", "native_id"]).returning(posts.c.id)
            rows = [post_row(p, retrieved) for p in page_posts]
            new_ids = [row[0] for row in conn.execute(stmt, rows)]
        if cursor is not None:
            save_cursor(conn, source, cursor, retrieved)
    return new_ids


def save_cursor(conn: Connection, source: str, cursor: Cursor, when: datetime) -> None:
    stmt = _insert(conn, cursors).values(source=source, cursor=cursor, updated_at=when)
    conn.execute(stmt.on_conflict_do_update(index_elements=["source"],
                                            set_={"cursor": cursor, "updated_at": when}))


def load_cursor(engine: Engine, source: str) -> Cursor | None:
    with engine.connect() as conn:
        return conn.scalar(select(cursors.c.cursor).where(cursors.c.source == source))


# --- sweeps (coverage) -----------------------------------------------------------


def start_sweep_row(engine: Engine, run_id: str, source: str, platform: str, started_at: datetime) -> int:
    with engine.begin() as conn:
        return conn.execute(sweeps.insert().values(
            run_id=run_id, source=source, platform=platform, started_at=started_at, status="running",
            fetched=0, new=0, flagged=0, reads=0, user_reads=0, dropped=0, pages=0)).inserted_primary_key[0]


def finish_sweep_row(engine: Engine, row_id: int, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(sweeps).where(sweeps.c.id == row_id).values(**values))


# --- classification --------------------------------------------------------------


def unclassified_posts(engine: Engine, classifier_version: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Posts never classified, or classified by another version, oldest first (without ``raw``)."""
    columns = [c for c in posts.c if c.name not in ("raw", "raw_sha256")]
    with engine.connect() as conn:
        rows = conn.execute(
            select(*columns).where((posts.c.classifier_version.is_(None))
                                | (posts.c.classifier_version != classifier_version))
            .order_by(posts.c.id).limit(limit))
        return [dict(r._mapping) for r in rows]


def replace_flags(engine: Engine, post_flags: Sequence[tuple[int, list[dict[str, Any]]]],
                  classifier_version: str, now: datetime) -> list[int]:
    """Record each post's current flags, superseding older ones, and mark it classified.

    One transaction and a handful of statements per batch. Returns the ids of the
    flags inserted.
    """
    post_ids = [post_id for post_id, _ in post_flags]
    rows = [{"post_id": post_id, "classifier_version": classifier_version, "created_at": now, **item}
            for post_id, items in post_flags for item in items]
    with engine.begin() as conn:
        for start in range(0, len(post_ids), 500):
            chunk = post_ids[start:start + 500]
            conn.execute(update(flags).where(flags.c.post_id.in_(chunk), flags.c.superseded_at.is_(None))
                         .values(superseded_at=now))
            conn.execute(update(posts).where(posts.c.id.in_(chunk)).values(classifier_version=classifier_version))
        if not rows:
            return []
        return list(conn.scalars(flags.insert().returning(flags.c.id), rows))


# --- retention ---------------------------------------------------------------------


def purge_expired(engine: Engine, now: datetime, retention_days: int) -> int:
    """Delete posts older than the retention period, keeping their flags' monthly counts.

    The counts of the current flags of the purged posts are added to
    ``monthly_stats`` in the same transaction, so Board summaries of old months
    stay right after the posts (and the personal data in them) are gone.
    Returns the number of posts deleted.
    """
    cutoff = now - timedelta(days=retention_days)
    with engine.begin() as conn:
        expired = select(posts.c.id).where(posts.c.created_at < cutoff)
        rows = conn.execute(
            select(posts.c.created_at, flags.c.category, flags.c.clause, flags.c.severity, posts.c.platform,
                   posts.c.author_kind)
            .join(flags, flags.c.post_id == posts.c.id)
            .where(posts.c.created_at < cutoff, flags.c.superseded_at.is_(None))).all()
        totals: dict[tuple[str, ...], int] = {}
        for created_at, *rest in rows:
            key = (created_at.strftime("%Y-%m"), *rest)
            totals[key] = totals.get(key, 0) + 1
        for (month, category, clause, severity, platform, author_kind), n in totals.items():
            stmt = _insert(conn, monthly_stats).values(
                month=month, category=category, clause=clause, severity=severity, platform=platform,
                author_kind=author_kind, count=n, purged=True)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["month", "category", "clause", "severity", "platform", "author_kind"],
                set_={"count": monthly_stats.c.count + n}))
        ids = list(conn.scalars(expired))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            conn.execute(update(incidents).where(incidents.c.post_id.in_(chunk)).values(post_id=None))
            conn.execute(flags.delete().where(flags.c.post_id.in_(chunk)))
            conn.execute(posts.delete().where(posts.c.id.in_(chunk)))
        return len(ids)
