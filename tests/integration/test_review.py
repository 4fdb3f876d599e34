"""The officer's decisions and hand-reported incidents, and how reports see them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import Post
from monitor import review, store
from tests.conftest import REPO

NOW = datetime(2026, 11, 9, 7, tzinfo=UTC)
FLAG = {"category": "offensive", "clause": "6d", "severity": "medium", "score": 0.8, "evidence": []}


def flagged_post(engine) -> int:
    post = Post(platform="blog", native_id="https://blog.example.org/1", source="blog", text="rude words",
                created_at=NOW - timedelta(days=2), url="https://blog.example.org/1", author_kind="official")
    [post_id] = store.save_page(engine, "blog", [post], None, now=lambda: NOW)
    [flag_id] = store.replace_flags(engine, [(post_id, [FLAG])], "v1", NOW)
    return flag_id


def test_decisions_are_appended_and_the_latest_counts(engine) -> None:
    flag_id = flagged_post(engine)
    assert [f["decision"] for f in review.list_flags(engine)] == [None]
    review.record_review(engine, flag_id, "confirmed", NOW, note="breach", reviewer="officer")
    review.record_review(engine, flag_id, "removed", NOW + timedelta(hours=1))
    assert [f["decision"] for f in review.list_flags(engine)] == ["removed"]
    assert review.list_flags(engine, unreviewed_only=True) == []
    with pytest.raises(ValueError, match="unknown decision"):
        review.record_review(engine, flag_id, "ignored", NOW)
    with pytest.raises(ValueError, match="no flag with id"):
        review.record_review(engine, flag_id + 100, "confirmed", NOW)


def test_superseded_flag_cannot_be_reviewed(engine) -> None:
    flag_id = flagged_post(engine)
    [row] = store.unclassified_posts(engine, "v2")
    store.replace_flags(engine, [(row["id"], [FLAG])], "v2", NOW)
    with pytest.raises(ValueError, match="superseded"):
        review.record_review(engine, flag_id, "confirmed", NOW)


def test_incident_links_a_known_post(engine) -> None:
    flagged_post(engine)
    first = review.add_incident(engine, NOW, "Reported by a member", url="https://blog.example.org/1",
                                severity="high", reported_by="Jo")
    second = review.add_incident(engine, NOW, "Phone call", severity="low")
    rows = {r["id"]: r for r in review.list_incidents(engine)}
    assert rows[first]["post_id"] is not None and rows[second]["post_id"] is None
    with pytest.raises(ValueError, match="severity"):
        review.add_incident(engine, NOW, "x", severity="urgent")


def test_review_cli(write_settings, engine) -> None:
    flag_id = flagged_post(engine)
    settings = write_settings()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = [sys.executable, str(REPO / "run_monitor.py"), "review"]
    done = subprocess.run(run + [str(flag_id), "dismissed", "--note", "joke", "--config", str(settings.path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "dismissed" in done.stdout
    listed = subprocess.run(run + ["--config", str(settings.path)], capture_output=True, text=True, env=env, timeout=60)
    assert "dismissed" in listed.stdout and "rude words" in listed.stdout
    bad = subprocess.run(run + ["12345", "confirmed", "--config", str(settings.path)], capture_output=True,
                         text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "no flag with id 12345" in bad.stderr
