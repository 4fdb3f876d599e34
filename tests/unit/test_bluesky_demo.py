"""The demo's Bluesky XRPC API (monitor/demo_bluesky.py) and its sample data."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime

import feedparser

from monitor import demo_bluesky
from monitor.config import REPO_ROOT

FEEDS = REPO_ROOT / "config" / "demo" / "feeds"
TID = "234567abcdefghijklmnopqrstuvwxyz"


def xrpc(nsid: str, method: str = "GET", headers: dict | None = None, **query: str) -> tuple[int, dict]:
    status, _, body = demo_bluesky.handle(method, f"/xrpc/{nsid}", {k: [v] for k, v in query.items()}, headers or {})
    return status, json.loads(body)


def tid_time(rkey: str) -> datetime:
    value = 0
    for char in rkey:
        value = value * 32 + TID.index(char)
    return datetime.fromtimestamp((value >> 10) / 1e6, UTC)


def test_sample_records_are_dated_in_the_demo_weeks_with_keys_derived_from_their_time() -> None:
    data = tomllib.loads(demo_bluesky.DATA.read_text(encoding="utf-8"))
    records = data["posts"] + data["reposts"]
    assert (len(data["posts"]), len(data["reposts"])) == (18, 2)
    for record in records:
        when = record["created_at"]
        assert datetime(2026, 9, 28, tzinfo=UTC) <= when < datetime(2026, 11, 9, tzinfo=UTC), record["rkey"]
        assert abs((tid_time(record["rkey"]) - when).total_seconds()) < 0.001, record["rkey"]  # a TID


def test_posts_shared_with_the_rss_samples_have_the_same_uri_and_text() -> None:
    _, views, _ = demo_bluesky._world()
    shared = 0
    for name in ("society-bluesky.rss", "david-pryce-bluesky.rss"):
        for entry in feedparser.parse(FEEDS / name).entries:
            if entry.id in views:
                shared += 1
                assert views[entry.id]["record"]["text"] == entry.summary, entry.id
    assert shared == 6


def test_author_feeds_page_with_a_keyset_cursor() -> None:
    assert xrpc("com.atproto.identity.resolveHandle", handle="davidpryce.bsky.social")[1] == {
        "did": "did:plc:dp7k2m4qfx3ttnb5rhwz6yca"}
    assert xrpc("com.atproto.identity.resolveHandle", handle="nobody.bsky.social")[0] == 400
    _, first = xrpc("app.bsky.feed.getAuthorFeed", actor="davidpryce.bsky.social", limit="4")
    _, rest = xrpc("app.bsky.feed.getAuthorFeed", actor="did:plc:dp7k2m4qfx3ttnb5rhwz6yca", cursor=first["cursor"])
    entries = first["feed"] + rest["feed"]
    assert len(entries) == 7 and "cursor" not in rest
    assert sum("reason" in e for e in entries) == 1 and sum("reply" in e for e in entries) == 1
    quote = next(e["post"] for e in entries if "embed" in e["post"])
    assert quote["embed"]["record"]["value"]["text"].startswith("Canal Ward by-election")
    _, no_replies = xrpc("app.bsky.feed.getAuthorFeed", actor="davidpryce.bsky.social", filter="posts_no_replies")
    assert len(no_replies["feed"]) == 6
    assert xrpc("app.bsky.feed.getAuthorFeed", actor="nobody.bsky.social")[0] == 400


def test_search_needs_a_session() -> None:
    assert xrpc("app.bsky.feed.searchPosts", q="Thornfield")[0] == 401
    status, session = xrpc("com.atproto.server.createSession", method="POST")
    assert status == 200 and session["handle"] == demo_bluesky.SECRETS["MONITOR_BLUESKY_HANDLE"]
    auth = {"Authorization": f"Bearer {session['accessJwt']}"}
    q = "Thornfield Local History Society"
    _, found = xrpc("app.bsky.feed.searchPosts", headers=auth, q=q, limit="2")
    _, rest = xrpc("app.bsky.feed.searchPosts", headers=auth, q=q, cursor=found["cursor"])
    assert found["hitsTotal"] == 5 and len(found["posts"]) + len(rest["posts"]) == 5
    _, older = xrpc("app.bsky.feed.searchPosts", headers=auth, q=q, until="2026-10-21T00:00:00.000Z",
                    since="2026-10-01T00:00:00.000Z")
    assert [p["author"]["handle"] for p in older["posts"]] == ["samokoro.bsky.social"]
    assert xrpc("app.bsky.unspecced.whatever")[0] == 501
