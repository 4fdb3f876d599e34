"""Reddit listing children to posts, the accounts and groups seen, the query, and option checks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import BadRecord, ConfigError
from connectors.reddit import RedditConnector, _overlap, build_query, seen_accounts, to_post
from monitor.config import load_settings
from monitor.names import SocietyNames
from tests.conftest import SOCIETY_TOML

NOW = datetime(2026, 11, 9, 6, tzinfo=UTC)
SUBMISSION = {"kind": "t3", "data": {
    "id": "148gzo5", "name": "t3_148gzo5", "subreddit": "Thornfield", "subreddit_id": "t5_4x7k2m",
    "author": "canal_kate_e", "author_fullname": "t2_3kd9sl0a",
    "created_utc": datetime(2026, 10, 22, 9, 15, tzinfo=UTC).timestamp(),
    "title": "AGM write-up", "selftext": "Margaret Okafor back as Chair.", "is_self": True,
    "permalink": "/r/Thornfield/comments/148gzo5/agm_writeup/?ref=search_posts"}}
COMMENT = {"kind": "t1", "data": {
    "id": "d0iaye9", "name": "t1_d0iaye9", "subreddit": "ModSupport", "author": "spez", "created_utc": 1456769953.0,
    "body": "Soon", "link_id": "t3_484169", "parent_id": "t1_d0hkqti", "link_title": "[Request] reCAPTCHA"}}


def test_a_submission_keeps_its_title_text_and_permalink_without_the_search_suffix():
    post = to_post(SUBMISSION, "r-search", "public", None, "GET /r/all/search/", NOW)
    assert (post.native_id, post.kind, post.title, post.text) == ("t3_148gzo5", "post", "AGM write-up",
                                                                 "Margaret Okafor back as Chair.")
    assert post.url == "https://www.reddit.com/r/Thornfield/comments/148gzo5/agm_writeup/"
    assert post.created_at == datetime(2026, 10, 22, 9, 15, tzinfo=UTC) and post.raw == SUBMISSION


def test_a_comment_without_a_permalink_gets_one_from_its_submission():
    post = to_post(COMMENT, "r-user", "official", "spez", "GET /user/spez/overview/", NOW)
    assert (post.kind, post.text, post.title) == ("reply", "Soon", None)
    assert post.url == "https://www.reddit.com/r/ModSupport/comments/484169/_/d0iaye9/"
    assert post.ref == {"platform": "reddit", "id": "t1_d0hkqti", "link_id": "t3_484169",
                        "title": "[Request] reCAPTCHA"}


def test_a_crosspost_is_a_repost_of_its_parent_and_a_link_post_keeps_its_link():
    parent = {"title": "Busybodies", "selftext": "Those TLHS busybodies can f*** off", "author": "lockkeeper_lad"}
    crosspost = {"kind": "t3", "data": {**SUBMISSION["data"], "selftext": "", "is_self": False,
                                        "url": "https://www.reddit.com/r/CanalBoats/comments/1/",
                                        "crosspost_parent": "t3_148kjy0", "crosspost_parent_list": [parent]}}
    post = to_post(crosspost, "r-user", "personal", "tom", "GET", NOW)
    assert post.kind == "repost" and post.text == "https://www.reddit.com/r/CanalBoats/comments/1/"
    assert post.ref == {"platform": "reddit", "id": "t3_148kjy0", "type": "crosspost",
                        "text": "Busybodies\n\nThose TLHS busybodies can f*** off", "author_handle": "lockkeeper_lad"}
    image = {"kind": "t3", "data": {**SUBMISSION["data"], "is_self": False, "selftext": "", "post_hint": "image",
                                    "url": "https://i.redd.example/a.jpg"}}
    assert to_post(image, "r", "public", None, "GET", NOW).media == [{"url": "https://i.redd.example/a.jpg",
                                                                      "type": "image"}]


@pytest.mark.parametrize("child", [{"kind": "more", "data": {"id": "x"}}, {"kind": "t3", "data": {"id": "x"}}])
def test_anything_else_is_a_bad_record(child):
    with pytest.raises(BadRecord):
        to_post(child, "r", "public", None, "GET", NOW)


def test_authors_and_subreddits_are_the_accounts_seen():
    deleted = {"kind": "t1", "data": {**COMMENT["data"], "author": "[deleted]"}}
    seen = {a.handle: a for a in seen_accounts([SUBMISSION, COMMENT, deleted])}
    assert set(seen) == {"canal_kate_e", "r/Thornfield", "spez", "r/ModSupport"}
    assert seen["canal_kate_e"].platform_id == "t2_3kd9sl0a" and seen["r/Thornfield"].platform_id == "t5_4x7k2m"


def test_the_overlap_keeps_only_ids_near_the_newest():
    state = {"newest": 1000.0, "recent": {"a": 1000.0, "b": 700.0, "c": 100.0}}
    assert _overlap(state, 300) == {"b": 700.0, "a": 1000.0}


def test_the_search_query_names_the_society_as_words():
    society = SocietyNames("Thornfield Local History Society", ("TLHS",),
                           ("ThornfieldLHS", "thornfieldlhs@mastodon.social", "thornfieldhistory.bsky.social"),
                           ("ThornfieldHistory",))
    assert build_query(society) == ('"Thornfield Local History Society" OR TLHS OR ThornfieldLHS OR thornfieldlhs '
                                     "OR thornfieldhistory OR ThornfieldHistory")


def test_every_option_problem_names_the_file_the_key_and_the_expectation(tmp_path: Path):
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + """
[[sources]]
name = "r-comments"
kind = "reddit"
platform = "reddit"
role = "mentions"
options = { read = "comments", subreddits = ["not a sub!"], overlap_seconds = -5 }

[[sources]]
name = "r-user"
kind = "reddit"
platform = "x"
role = "personal"
person = "david-pryce"
options = { read = "user", user_agent = "bot" }
""", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        RedditConnector.from_settings(load_settings(path))
    message = str(info.value)
    assert f"{path}: sources[0].options.subreddits: expected subreddit names of 2-21 letters" in message
    assert f"{path}: sources[0].options.overlap_seconds: expected seconds between 0 and 86400, got -5" in message
    assert f"{path}: sources[1].platform: expected 'reddit' for a source of kind 'reddit', got 'x'" in message
    assert f"{path}: sources[1].account: expected the Reddit user to read" in message
    assert f"{path}: sources[1].options.user_agent: expected a descriptive user agent" in message


def test_plans_read_the_listing_reddit_serves(tmp_path: Path):
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + """
[[sources]]
name = "r-search"
kind = "reddit"
platform = "reddit"
role = "mentions"
options = { subreddits = ["Thornfield", "r/CanalBoats"] }

[[sources]]
name = "r-tom"
kind = "reddit"
platform = "reddit"
role = "official"
account = "u/TomHeskethPhoto"
""", encoding="utf-8")
    connector = RedditConnector.from_settings(load_settings(path))
    search, user = (connector.plan(s) for s in connector.settings.sources)
    assert search.path == "r/Thornfield+CanalBoats/search/" and search.params["restrict_sr"] == "on"
    assert search.params["sort"] == "new" and "Thornfield Local History Society" in search.user_agent
    assert (user.path, user.params, user.overlap) == ("user/TomHeskethPhoto/overview/", {"sort": "new"}, 600.0)
    assert search.overlap == 3600.0  # search indexes late
