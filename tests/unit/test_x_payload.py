"""X pages to posts, the search query, the read budget and ledger, and option checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.base import ConfigError, SeenAccount
from connectors.x import XConnector, XCredentials, _Budget, _Ledger, build_query
from connectors.x_payload import Origin, XPage, snowflake_time
from monitor.config import load_settings
from monitor.names import SocietyNames
from tests.conftest import SOCIETY_TOML

NOW = datetime(2026, 11, 9, 6, tzinfo=UTC)
ORIGIN = Origin("x-search", "public", None, "GET /2/tweets/search/recent")
PAGE = {
    "data": [
        {"id": "3", "author_id": "10", "created_at": "2026-11-03T18:00:00.000Z", "lang": "en",
         "text": "RT @gerry: Vote for X &amp; Y", "referenced_tweets": [{"type": "retweeted", "id": "1"}]},
        {"id": "2", "author_id": "10", "created_at": "2026-11-02T18:00:00.000Z", "text": "Spot on &gt;&gt;",
         "referenced_tweets": [{"type": "replied_to", "id": "9"}, {"type": "quoted", "id": "1"}],
         "attachments": {"media_keys": ["3_2"]}},
        {"id": str(1440716895355764743), "author_id": "11", "text": "no fields asked for"},
    ],
    "includes": {
        "users": [{"id": "10", "username": "DavidPryceTLHS", "name": "David Pryce", "description": "Treasurer"},
                  {"id": "12", "username": "gerry", "name": "Gerry"}],
        "tweets": [{"id": "1", "author_id": "12", "created_at": "2026-11-01T10:00:00.000Z",
                    "text": "Vote for X &amp; Y on Thursday"}],
        "media": [{"media_key": "3_2", "type": "photo", "url": "https://pbs.example/p.jpg", "alt_text": "A lock"}],
    },
    "meta": {"newest_id": "3", "oldest_id": "1440716895355764743", "result_count": 3},
}


def test_reposts_quotes_and_replies_carry_the_post_they_share():
    page = XPage(PAGE)
    repost, quote, bare = (page.to_post(t, ORIGIN, NOW) for t in PAGE["data"])
    assert (repost.kind, repost.text) == ("repost", "")
    assert repost.ref == {"platform": "x", "id": "1", "url": "https://x.com/gerry/status/1", "type": "retweeted",
                          "text": "Vote for X & Y on Thursday", "author_handle": "gerry"}
    assert (quote.kind, quote.text, quote.ref["id"]) == ("quote", "Spot on >>", "1")  # a quote wins over a reply
    assert quote.media == [{"url": "https://pbs.example/p.jpg", "type": "photo", "description": "A lock"}]
    assert quote.url == "https://x.com/DavidPryceTLHS/status/2" and quote.author_name == "David Pryce"
    # X recorded this post (brexit.jsonl) as created 2021-09-22T16:37:29.000Z
    assert bare.created_at == snowflake_time(bare.native_id) == datetime(2021, 9, 22, 16, 37, 29, 735000, tzinfo=UTC)
    assert bare.url == f"https://x.com/i/web/status/{bare.native_id}" and bare.author_handle is None


def test_a_page_counts_what_x_bills_and_lists_the_accounts_seen():
    page = XPage(PAGE)
    assert page.read_ids() == ({"1", "2", "3", "1440716895355764743"}, {"10", "12"})
    seen = {a.handle: a for a in page.accounts()}
    assert seen["DavidPryceTLHS"] == SeenAccount("x", "DavidPryceTLHS", "10", "David Pryce", "Treasurer",
                                                 datetime(2026, 11, 3, 18, tzinfo=UTC))
    assert seen["gerry"].seen_at == datetime(2026, 11, 1, 10, tzinfo=UTC)


def test_a_like_is_the_likers_post_sharing_the_liked_one():
    page = XPage(PAGE)
    liker = SeenAccount("x", "ThornfieldLHS", "99", "Thornfield LHS")
    origin = Origin("x-likes", "official", "ThornfieldLHS", "GET /2/users/99/liked_tweets")
    first = page.to_like(PAGE["includes"]["tweets"][0], liker, origin, NOW, None)
    later = page.to_like(PAGE["includes"]["tweets"][0], liker, origin, NOW, NOW)
    assert (first.native_id, first.kind, first.author_handle, first.text) == ("like:99:1", "like", "ThornfieldLHS", "")
    assert first.ref["text"] == "Vote for X & Y on Thursday" and first.ref["type"] == "liked"
    assert first.created_at == datetime(2026, 11, 1, 10, tzinfo=UTC) and later.created_at == NOW


def test_the_search_query_names_the_society_every_way():
    society = SocietyNames("Thornfield Local History Society", ("TLHS",), ("ThornfieldLHS",), ("ThornfieldHistory",))
    assert build_query(society, ["ThornfieldLHS"], include_reposts=False) == (
        '("Thornfield Local History Society" OR TLHS OR @ThornfieldLHS OR #ThornfieldHistory) -is:retweet')
    assert build_query(society, [], include_reposts=True).endswith("#ThornfieldHistory)")


def test_the_budget_sizes_pages_from_what_posts_have_cost():
    budget = _Budget(100)
    assert budget.page_size(10) == 50  # two reads a post until a page says otherwise
    budget.spend(30, 10)
    assert (budget.left, budget.page_size(10)) == (70, 23)
    budget.spend(65, 20)
    assert budget.page_size(5) is None and _Budget(None).page_size(10) == 100


def test_the_ledger_counts_a_read_once_per_utc_day():
    ledger = _Ledger()
    assert ledger.count(NOW, {"1", "2"}, {"10"}) == (2, 1)
    assert ledger.count(NOW + timedelta(hours=1), {"2", "3"}, {"10"}) == (1, 0)
    assert ledger.count(NOW + timedelta(days=1), {"2"}, {"10"}) == (1, 1)


def settings_with(tmp_path: Path, sources: str):  # noqa: ANN201 - Settings
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + '[[accounts]]\nplatform = "x"\nhandle = "ThornfieldLHS"\n' + sources,
                    encoding="utf-8")
    return load_settings(path)


def test_every_option_problem_names_the_file_the_key_and_the_expectation(tmp_path):
    settings = settings_with(tmp_path, """
[[sources]]
name = "x-bad"
kind = "x"
platform = "web"
role = "mentions"
options = { read = "home", backfill_days = 30, colour = "blue" }

[[sources]]
name = "x-likes"
kind = "x"
platform = "x"
role = "personal"
person = "david-pryce"
options = { read = "likes" }
""")
    with pytest.raises(ConfigError) as info:
        XConnector.from_settings(settings, credentials=XCredentials())
    message = str(info.value)
    path = str(tmp_path / "monitor.toml")
    assert f"{path}: sources[0].platform: expected 'x' for a source of kind 'x', got 'web'" in message
    assert f"{path}: sources[0].options.read: expected one of search, timeline, mentions, likes" in message
    assert f"{path}: sources[0].options.backfill_days: expected whole days between 1 and 7, got 30" in message
    assert f"{path}: sources[0].options.colour: expected no such option" in message
    assert f"{path}: sources[1].account: expected the X handle whose likes to read" in message
    assert f"{path}: sources[1].options.read: expected 'likes' only for role = 'official'" in message


def test_sources_default_to_the_configured_accounts(tmp_path):
    settings = settings_with(tmp_path, """
[[sources]]
name = "x-official"
kind = "x"
platform = "x"
role = "official"

[[sources]]
name = "x-mentions"
kind = "x"
platform = "x"
role = "mentions"
""")
    connector = XConnector.from_settings(settings, credentials=XCredentials())
    official, mentions = (connector.plan(s) for s in settings.sources)
    assert (official.read, official.handle, official.backfill) == ("timeline", "ThornfieldLHS", timedelta(days=30))
    assert (mentions.read, mentions.backfill) == ("search", timedelta(days=7))
    assert "@ThornfieldLHS" in mentions.query and '"Thornfield Local History Society"' in mentions.query
