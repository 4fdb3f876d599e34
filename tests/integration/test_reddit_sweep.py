"""Reddit sources swept into a real store: feed and API find the same post once,
unavailable sources are recorded gaps, and an unchanged second sweep reads nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from connectors.feeds import FeedConnector
from connectors.reddit import RedditConnector
from monitor import store
from monitor.demo_reddit import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDDIT, RedditDemoAPI
from monitor.sweep import run_sweep
from tests.apiserver import ApiServer
from tests.conftest import feed_source
from tests.integration.test_reddit_contract import reddit_source

# An r/Thornfield Atom feed as Reddit renders /r/<name>/.rss: entry ids are fullnames.
SUBREDDIT_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<category term="Thornfield" label="r/Thornfield"/><updated>2026-10-22T09:20:00+00:00</updated>
<id>/r/Thornfield/.rss</id>
<link rel="self" href="https://www.reddit.com/r/Thornfield/.rss" type="application/atom+xml"/>
<link rel="alternate" href="https://www.reddit.com/r/Thornfield/" type="text/html"/><title>Thornfield</title>
<entry><author><name>/u/canal_kate_e</name><uri>https://www.reddit.com/user/canal_kate_e</uri></author>
<category term="Thornfield" label="r/Thornfield"/>
<content type="html">&lt;div class="md"&gt;&lt;p&gt;Margaret Okafor back as Chair.&lt;/p&gt;&lt;/div&gt;</content>
<id>t3_148gzo5</id>
<link href="https://www.reddit.com/r/Thornfield/comments/148gzo5/agm_writeup_from_the_thornfield_history_society/"/>
<updated>2026-10-22T09:15:00+00:00</updated><published>2026-10-22T09:15:00+00:00</published>
<title>AGM write-up from the Thornfield History Society</title></entry>
</feed>
"""


def sweep(settings, engine, clock, base: str):  # noqa: ANN001, ANN201 - a SweepResult
    connector = RedditConnector.from_settings(settings, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                                              api_base=base)
    return run_sweep(settings, engine, clock=clock, sleep=clock.sleep,
                     connectors={"reddit": connector, "feed": FeedConnector()})


def test_a_post_both_the_subreddit_feed_and_the_api_find_is_stored_once(write_settings, engine, clock, tmp_path):
    feed = tmp_path / "thornfield.rss"
    feed.write_text(SUBREDDIT_FEED, encoding="utf-8")
    settings = write_settings(feed_source("r-thornfield-feed", str(feed), platform="reddit")
                              + reddit_source("r-search", "search", backfill_days=60))
    with ApiServer({"/reddit": RedditDemoAPI.from_folder(DEMO_REDDIT).handle}) as server:
        result = sweep(settings, engine, clock, server.base + "/reddit")
    assert result.exit_code == 0 and [r.new for r in result.sources][0] == 1
    with engine.connect() as conn:
        copies = conn.execute(select(store.posts.c.source, func.count()).where(
            store.posts.c.platform == "reddit", store.posts.c.native_id == "t3_148gzo5")
            .group_by(store.posts.c.source)).all()
    assert copies == [("r-thornfield-feed", 1)]


def test_the_api_gives_a_reddit_post_the_identity_reddits_own_feed_gives_it(write_settings, engine, clock):
    settings = write_settings(reddit_source("r-search", "search", backfill_days=60))
    with ApiServer({"/reddit": RedditDemoAPI.from_folder(DEMO_REDDIT).handle}) as server:
        sweep(settings, engine, clock, server.base + "/reddit")
    feed_id = SUBREDDIT_FEED.split("<id>t3_", 1)[1].split("</id>", 1)[0]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(store.posts.c.native_id == "t3_" + feed_id)) == 1


def test_an_unavailable_account_is_a_recorded_gap_and_the_others_go_on(write_settings, engine, clock):
    settings = write_settings(reddit_source("r-gone", "user", role="official", account="NoSuchUser")
                              + reddit_source("r-search", "search", backfill_days=60))
    with ApiServer({"/reddit": RedditDemoAPI.from_folder(DEMO_REDDIT).handle}) as server:
        result = sweep(settings, engine, clock, server.base + "/reddit")
    status = {r.source: (r.status, r.error) for r in result.sources}
    assert status["r-gone"][0] == "unavailable" and "not found" in status["r-gone"][1]
    assert status["r-search"] == ("ok", None) and result.exit_code == 3


def test_an_unchanged_second_sweep_reads_one_page_per_source_and_stores_nothing(write_settings, engine, clock):
    settings = write_settings(reddit_source("r-search", "search", backfill_days=60)
                              + reddit_source("r-comments", "comments", subreddits=["Thornfield"], backfill_days=60)
                              + reddit_source("r-tom", "user", role="official", account="TomHeskethPhoto",
                                              backfill_days=60))
    with ApiServer({"/reddit": RedditDemoAPI.from_folder(DEMO_REDDIT).handle}) as server:
        first = sweep(settings, engine, clock, server.base + "/reddit")
        assert first.exit_code == 0 and first.total("new") > 20
        server.calls.clear()
        second = sweep(settings, engine, clock, server.base + "/reddit")
        gets = [c.path for c in server.calls if c.method == "GET"]
    assert [(r.fetched, r.new) for r in second.sources] == [(0, 0)] * 3
    assert len(gets) == 3 and len(server.calls) == 4  # one listing page each, and one OAuth token
