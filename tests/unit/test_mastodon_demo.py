"""The demo's Mastodon API (monitor/demo_mastodon.py) and its sample data."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime

import feedparser

from connectors.text import html_to_text
from monitor import demo_mastodon
from monitor.config import REPO_ROOT

FEEDS = REPO_ROOT / "config" / "demo" / "feeds"


def get(path: str, headers: dict | None = None, **query: str) -> tuple[int, object]:
    status, head, body = demo_mastodon.handle("GET", path, {k: [v] for k, v in query.items()}, headers or {})
    assert head["Content-Type"].startswith("application/json")
    return status, json.loads(body)


def test_sample_statuses_are_dated_in_the_demo_weeks_with_ids_derived_from_their_time() -> None:
    data = tomllib.loads(demo_mastodon.DATA.read_text(encoding="utf-8"))
    assert len(data["statuses"]) == 28
    for status in data["statuses"]:
        when = status["created_at"]
        assert datetime(2026, 9, 28, tzinfo=UTC) <= when < datetime(2026, 11, 9, tzinfo=UTC), status["id"]
        assert int(status["id"]) >> 16 == int(when.timestamp() * 1000), status["id"]  # a Snowflake id


def test_statuses_shared_with_the_rss_samples_have_the_same_url_and_text() -> None:
    accounts, statuses = demo_mastodon._world()
    api = {s["url"]: html_to_text(s["content"]) for s in statuses if s["url"]}
    shared = 0
    for name in ("society-mastodon.rss", "tom-hesketh-mastodon.rss", "margaret-okafor-mastodon.rss"):
        for entry in feedparser.parse(FEEDS / name).entries:
            if entry.id in api:
                shared += 1
                assert api[entry.id] == html_to_text(entry.summary), entry.id
    assert shared == 9


def test_lookup_statuses_paging_and_hashtags() -> None:
    status, tom = get("/api/v1/accounts/lookup", acct="tomhesketh@historians.social")
    assert status == 200 and tom["acct"] == "tomhesketh@historians.social"
    assert get("/api/v1/accounts/lookup", acct="thornfieldlhs")[1]["acct"] == "thornfieldlhs"  # a local account
    assert get("/api/v1/accounts/lookup", acct="nobody@mastodon.social")[0] == 404
    _, first = get(f"/api/v1/accounts/{tom['id']}/statuses", limit="3")
    _, below = get(f"/api/v1/accounts/{tom['id']}/statuses", limit="3", max_id=first[-1]["id"])
    _, above = get(f"/api/v1/accounts/{tom['id']}/statuses", limit="2", min_id=below[0]["id"])
    assert [s["id"] for s in above] == [s["id"] for s in first[-2:]]  # the page immediately above
    assert int(first[-1]["id"]) > int(below[0]["id"]) and len(first) == len(below) == 3
    _, newer = get(f"/api/v1/accounts/{tom['id']}/statuses", since_id=first[1]["id"])
    assert [s["id"] for s in newer] == [first[0]["id"]]
    boost = next(s for s in first if s["reblog"])
    assert boost["content"] == "" and boost["uri"].endswith("/activity") and boost["reblog"]["account"]["acct"]
    _, tagged = get("/api/v1/timelines/tag/thornfieldhistory", limit="40")
    assert len(tagged) == 9 and all("#ThornfieldHistory" in html_to_text(s["content"]) for s in tagged)


def test_search_needs_the_token_and_finds_only_authors_who_opted_in() -> None:
    assert get("/api/v2/search", q="Thornfield", type="statuses")[0] == 401
    _, found = get("/api/v2/search", {"Authorization": f"Bearer {demo_mastodon.TOKEN}"},
                   q='"Thornfield Local History Society"', type="statuses")
    authors = {s["account"]["acct"] for s in found["statuses"]}
    assert authors == {"bargee_bill@social.thornfield.example", "kasia_nowak"}  # Ann Barlow is not indexable
