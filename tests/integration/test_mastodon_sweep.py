"""Mastodon sources in a real sweep: a status found by the profile RSS feed and by the API is
stored once; shares are attributed to the person who shared; search without a token is a gap."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from connectors.base import SweepContext
from connectors.feeds import FeedConnector
from connectors.http import read_local
from connectors.mastodon import MastodonConnector
from monitor import demo_mastodon, store
from monitor.config import REPO_ROOT
from monitor.sweep import default_connectors, run_sweep
from tests.apiserver import ApiServer

TOM_RSS = REPO_ROOT / "config" / "demo" / "feeds" / "tom-hesketh-mastodon.rss"
TOM = """
[[people]]
id = "tom-hesketh"
name = "Tom Hesketh"
role = "Committee member"
accounts = [{ platform = "mastodon", handle = "tomhesketh@historians.social" }]
"""


def sources(base: str) -> str:
    return f"""
[[sources]]
name = "tom-rss"
kind = "feed"
url = "{TOM_RSS}"
platform = "mastodon"
role = "personal"
person = "tom-hesketh"

[[sources]]
name = "tom-api"
kind = "mastodon"
url = "{base}"
platform = "mastodon"
role = "personal"
person = "tom-hesketh"

[[sources]]
name = "tags"
kind = "mastodon"
url = "{base}"
platform = "mastodon"
options = {{ hashtag = "ThornfieldHistory", page_size = 3 }}

[[sources]]
name = "search"
kind = "mastodon"
url = "{base}"
platform = "mastodon"
options = {{ search = '"Thornfield Local History Society"' }}
"""


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with ApiServer({"/mastodon": demo_mastodon.handle}) as server:
        yield server


def rows(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {r.native_id: dict(r._mapping) for r in conn.execute(select(store.posts))}


def test_a_status_found_by_the_feed_and_the_api_is_stored_once(api, write_settings, engine, clock,
                                                              monkeypatch) -> None:
    monkeypatch.delenv("MONITOR_MASTODON_ACCESS_TOKEN", raising=False)
    settings = write_settings(sources(api.base + "/mastodon"), extra=TOM)
    rss, _, _ = FeedConnector().parse(read_local(TOM_RSS, 10**6), settings.source("tom-rss"),
                                      SweepContext(clock=clock))
    connector = MastodonConnector.from_settings(settings)
    api_posts = [p for page in connector.pages(settings.source("tom-api"), None, SweepContext(clock=clock))
                 for p in page.posts]
    both = {p.native_id for p in rss} & {p.native_id for p in api_posts}
    assert len(both) == 5 and "https://historians.social/@tomhesketh/117551866380338112" in both

    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    status = {r.source: (r.status, r.new) for r in result.sources}
    assert status["tom-rss"] == ("ok", 16) and status["tom-api"] == ("ok", 3)  # its boosts and a reply
    assert status["search"][0] == "unavailable" and result.exit_code == 3
    stored = rows(engine)
    assert all(stored[i]["source"] == "tom-rss" for i in both)

    boost = stored["https://historians.social/users/tomhesketh/statuses/117559554277387296/activity"]
    assert (boost["kind"], boost["author_kind"], boost["account"]) == ("repost", "personal", "tom-hesketh")
    assert "07700 900882" in boost["ref"]["text"] and boost["ref"]["author_handle"].startswith("hollinsmillwatch@")
    tagged = stored["https://mastodon.social/@jess_whitworth/117531051819063149"]  # found by the hashtag
    assert tagged["author_kind"] == "public" and tagged["media"][0]["description"].startswith("Sepia postcard")

    again = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert sum(r.new for r in again.sources) == 0
    assert {r.source: r.fetched for r in again.sources}["tags"] == 0  # since_id: nothing new to read
    with engine.connect() as conn:
        gap = conn.execute(select(store.sweeps.c.error).where(store.sweeps.c.source == "search")).scalars().first()
    assert "MONITOR_MASTODON_ACCESS_TOKEN" in gap and "opted in" in gap


def test_search_with_a_token_finds_only_authors_who_opted_in(api, write_settings, engine, clock) -> None:
    settings = write_settings(sources(api.base + "/mastodon"), extra=TOM)
    connectors = {**default_connectors(settings),
                  "mastodon": MastodonConnector.from_settings(settings, secrets=demo_mastodon.SECRETS)}
    result = run_sweep(settings, engine, only="search", clock=clock, connectors=connectors)
    assert result.sources[0].status == "ok" and result.exit_code == 0
    found = {r["author_handle"] for r in rows(engine).values()}
    assert found == {"bargee_bill@social.thornfield.example", "kasia_nowak@mastodon.social"}  # not Ann Barlow


def busy(method: str, path: str, query: dict, headers: dict) -> tuple[int, dict[str, str], bytes]:
    """Mastodon's 429: no Retry-After, the window's reset as an ISO time, and the server's Date."""
    return 429, {"Content-Type": "application/json", "X-RateLimit-Reset": "2026-11-09T06:00:30.000Z",
                 "Date": "Mon, 09 Nov 2026 06:00:00 GMT"}, b'{"error": "Too many requests"}'


def test_a_rate_limit_waits_through_the_sweeps_clock_never_in_the_library(write_settings, engine, clock) -> None:
    with ApiServer({"/busy": busy}) as server:
        settings = write_settings(f"""
[[sources]]
name = "busy"
kind = "mastodon"
url = "{server.base}/busy"
platform = "mastodon"
options = {{ hashtag = "busy" }}
""", extra="[sweep]\nmax_retries = 2\nmax_wait_seconds = 45\n")
        started = time.monotonic()
        result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert result.sources[0].status == "failed" and "429" in result.sources[0].error
    assert clock.slept == [30.0, 30.0] and time.monotonic() - started < 10
