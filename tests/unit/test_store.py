"""The store: UTC through the type decorator, idempotent posts, one transaction per page,
migrations, WAL and owner-only permissions."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from connectors.base import Post
from monitor import store

NOW = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)


def post(n: int, created: datetime | None = None, **kw) -> Post:
    return Post(platform="blog", native_id=f"https://blog.example.org/{n}", source="blog", text=f"post {n}",
                created_at=created or NOW - timedelta(hours=n), **kw)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_timestamps_keep_utc(engine) -> None:
    bst = timezone(timedelta(hours=1))
    created = datetime(2026, 10, 1, 12, 30, 15, 123456, tzinfo=bst)
    store.save_page(engine, "blog", [post(1, created)], None, now=lambda: NOW)
    with engine.connect() as conn:
        row = conn.execute(select(store.posts.c.created_at, store.posts.c.retrieved_at)).one()
    assert row.created_at == created
    assert row.created_at.tzinfo is not None and row.created_at.utcoffset() == timedelta(0)
    assert row.created_at.hour == 11
    assert row.retrieved_at == NOW


def test_naive_datetime_is_refused(engine) -> None:
    with pytest.raises(Exception, match="naive"), engine.begin() as conn:
        conn.execute(store.cursors.insert().values(source="x", cursor={}, updated_at=datetime(2026, 1, 1)))


def test_duplicate_post_is_a_no_op(engine) -> None:
    first = store.save_page(engine, "blog", [post(1), post(2)], {"etag": "a"}, now=lambda: NOW)
    again = store.save_page(engine, "other-source", [post(2), post(3), post(3)], None, now=lambda: NOW)
    assert len(first) == 2 and len(again) == 1
    assert count(engine, store.posts) == 3
    with engine.connect() as conn:
        sources = dict(conn.execute(select(store.posts.c.native_id, store.posts.c.source)).all())
    assert sources["https://blog.example.org/2"] == "blog"  # the first finder is kept


def test_posts_and_cursor_commit_together(engine) -> None:
    bad = post(2)
    object.__setattr__(bad, "text", None)  # violates NOT NULL: the whole page must roll back
    with pytest.raises(IntegrityError):
        store.save_page(engine, "blog", [post(1), bad], {"etag": "new"}, now=lambda: NOW)
    assert count(engine, store.posts) == 0
    assert store.load_cursor(engine, "blog") is None


def test_cursor_round_trip_and_update(engine) -> None:
    store.save_page(engine, "blog", [], {"etag": "a", "sha256": "x"}, now=lambda: NOW)
    store.save_page(engine, "blog", [], {"etag": "b"}, now=lambda: NOW)
    assert store.load_cursor(engine, "blog") == {"etag": "b"}


def test_raw_payload_and_digest_kept(engine) -> None:
    store.save_page(engine, "blog", [post(1, raw={"id": 1, "body": "é"})], None, now=lambda: NOW)
    with engine.connect() as conn:
        row = conn.execute(select(store.posts.c.raw, store.posts.c.raw_sha256)).one()
    assert row.raw == {"id": 1, "body": "é"} and len(row.raw_sha256) == 64


def test_migrations_recorded_and_idempotent(engine) -> None:
    assert store.schema_version(engine) == store.MIGRATIONS[-1][0]
    assert store.migrate(engine) == []


def test_pending_migration_runs_once(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = []
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS + [(99, "test step", lambda conn: ran.append(1))])
    assert store.migrate(engine) == [99]
    assert store.migrate(engine) == []
    assert ran == [1] and store.schema_version(engine) == 99


def test_sqlite_file_is_owner_only_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "monitor.db"
    engine = store.open_store(f"sqlite:///{path}")
    store.save_page(engine, "blog", [post(1)], None, now=lambda: NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    for extra in ("monitor.db-wal", "monitor.db-shm"):
        side = path.parent / extra
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0
    engine.dispose()


def test_replace_flags_supersedes_and_marks_classified(engine) -> None:
    [pid] = store.save_page(engine, "blog", [post(1)], None, now=lambda: NOW)
    assert [r["id"] for r in store.unclassified_posts(engine, "v1")] == [pid]
    flag = {"category": "offensive", "clause": "6d", "severity": "medium", "score": 0.9,
            "evidence": [{"start": 0, "end": 4, "reason": "test"}]}
    store.replace_flags(engine, [(pid, [flag])], "v1", NOW)
    assert store.unclassified_posts(engine, "v1") == []
    assert [r["id"] for r in store.unclassified_posts(engine, "v2")] == [pid]
    store.replace_flags(engine, [(pid, [flag])], "v2", NOW + timedelta(days=1))
    with engine.connect() as conn:
        rows = conn.execute(select(store.flags.c.classifier_version, store.flags.c.superseded_at)
                            .order_by(store.flags.c.id)).all()
    assert [(r[0], r[1]) for r in rows] == [("v1", NOW + timedelta(days=1)), ("v2", None)]


def test_purge_keeps_monthly_counts_and_drops_old_posts(engine) -> None:
    old = post(1, datetime(2025, 6, 10, tzinfo=UTC))
    older = post(2, datetime(2025, 6, 20, tzinfo=UTC))
    recent = post(3, NOW - timedelta(days=3))
    ids = store.save_page(engine, "blog", [old, older, recent], None, now=lambda: NOW)
    flag = {"category": "offensive", "clause": "6d", "severity": "medium", "score": 0.9, "evidence": []}
    store.replace_flags(engine, [(ids[0], [flag]), (ids[1], [flag]), (ids[2], [flag])], "v1", NOW)
    assert store.purge_expired(engine, NOW, retention_days=365) == 2
    assert store.purge_expired(engine, NOW, retention_days=365) == 0
    assert count(engine, store.posts) == 1 and count(engine, store.flags) == 1
    with engine.connect() as conn:
        stats = conn.execute(select(store.monthly_stats)).all()
    assert [(s.month, s.category, s.platform, s.author_kind, s.count) for s in stats] == [
        ("2025-06", "offensive", "blog", "public", 2)]
