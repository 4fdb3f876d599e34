"""Bluesky sources in a real sweep: a post found by the profile RSS feed and by the AppView is
stored once; reposts and quotes keep what they share; search without a login is a gap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from connectors.base import SweepContext
from connectors.bluesky import BlueskyConnector
from connectors.feeds import FeedConnector
from connectors.http import read_local
from monitor import demo_bluesky, store
from monitor.config import REPO_ROOT
from monitor.sweep import default_connectors, run_sweep
from tests.apiserver import ApiServer

DAVID_RSS = REPO_ROOT / "config" / "demo" / "feeds" / "david-pryce-bluesky.rss"


def sources(base: str) -> str:
    return f"""
[[sources]]
name = "david-rss"
kind = "feed"
url = "{DAVID_RSS}"
platform = "bluesky"
role = "personal"
person = "david-pryce"

[[sources]]
name = "david-api"
kind = "bluesky"
url = "{base}"
platform = "bluesky"
role = "personal"
person = "david-pryce"
options = {{ page_size = 4 }}

[[sources]]
name = "search"
kind = "bluesky"
url = "{base}"
platform = "bluesky"
options = {{ search = "Thornfield Local History Society" }}
"""


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with ApiServer({"/bluesky": demo_bluesky.handle}) as server:
        yield server


def rows(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {r.native_id: dict(r._mapping) for r in conn.execute(select(store.posts))}


def test_a_post_found_by_the_feed_and_the_appview_is_stored_once(api, write_settings, engine, clock) -> None:
    settings = write_settings(sources(api.base + "/bluesky"))
    rss, _, _ = FeedConnector().parse(read_local(DAVID_RSS, 10**6), settings.source("david-rss"),
                                      SweepContext(clock=clock))
    appview = BlueskyConnector.from_settings(settings, secrets={})
    api_posts = [p for page in appview.pages(settings.source("david-api"), None, SweepContext(clock=clock))
                 for p in page.posts]
    both = {p.native_id for p in rss} & {p.native_id for p in api_posts}
    assert both == {f"at://did:plc:dp7k2m4qfx3ttnb5rhwz6yca/app.bsky.feed.post/{rkey}"
                    for rkey in ("3mzsdbmxswowd", "3mznvdcp6wk4a", "3mzhyqo5zqoe7", "3mxvjkewjcvcy")}

    connectors = {**default_connectors(settings), "bluesky": BlueskyConnector.from_settings(settings, secrets={})}
    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep, connectors=connectors)
    status = {r.source: (r.status, r.new) for r in result.sources}
    assert status["david-rss"] == ("ok", 19) and status["david-api"] == ("ok", 3)  # a quote, a repost, a reply
    assert status["search"][0] == "unavailable" and result.exit_code == 3
    stored = rows(engine)
    assert all(stored[i]["source"] == "david-rss" for i in both)

    repost = stored["at://did:plc:dp7k2m4qfx3ttnb5rhwz6yca/app.bsky.feed.repost/3mzean7iuv3ti"]
    assert (repost["kind"], repost["author_kind"], repost["account"]) == ("repost", "personal", "david-pryce")
    assert repost["ref"]["author_handle"] == "thornfieldtruth.bsky.social" and "English" in repost["ref"]["text"]
    quote = stored["at://did:plc:dp7k2m4qfx3ttnb5rhwz6yca/app.bsky.feed.post/3mzj5w3auzunl"]
    assert quote["kind"] == "quote" and "Vote Conservative" in quote["ref"]["text"]

    again = run_sweep(settings, engine, clock=clock, sleep=clock.sleep, connectors=connectors)
    assert sum(r.new for r in again.sources) == 0
    with engine.connect() as conn:
        gap = conn.execute(select(store.sweeps.c.error).where(store.sweeps.c.source == "search")).scalars().first()
    assert "needs a login" in gap and "MONITOR_BLUESKY_APP_PASSWORD" in gap


def test_search_with_a_login_stores_what_mentions_the_society(api, write_settings, engine, clock) -> None:
    settings = write_settings(sources(api.base + "/bluesky"))
    connectors = {**default_connectors(settings),
                  "bluesky": BlueskyConnector.from_settings(settings, secrets=demo_bluesky.SECRETS)}
    result = run_sweep(settings, engine, only="search", clock=clock, connectors=connectors)
    assert (result.sources[0].status, result.sources[0].new, result.exit_code) == ("ok", 5, 0)
    assert {r["author_kind"] for r in rows(engine).values()} == {"public"}
    login = [c for c in api.calls if c.path.endswith("createSession")]
    assert len(login) == 1
