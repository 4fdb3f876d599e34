"""The Bluesky connector's options, secrets, times and error mapping (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.base import BadRecord, ConfigError, SourceUnavailable, SweepContext
from connectors.bluesky import BlueskyConnector, stream_for
from connectors.bluesky_records import parse_time, stamp, web_url
from connectors.bounded import retry_after
from monitor.config import Source

CLOCK = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)


def source(role: str = "mentions", url: str = "", platform: str = "bluesky", **options: object) -> Source:
    return Source(name="sky", kind="bluesky", target=url, platform=platform, role=role,
                  person="david-pryce" if role == "personal" else None, options=options)


def test_streams_and_their_defaults() -> None:
    feed = stream_for(source("personal"), {"david-pryce": "DavidPryce.bsky.social"})
    assert (feed.kind, feed.value, feed.base_url, feed.page_size) == (
        "actor", "davidpryce.bsky.social", "https://public.api.bsky.app", 100)
    did = stream_for(source(actor="did:plc:dp7k2m4qfx3ttnb5rhwz6yca", url="http://127.0.0.1:8000/bluesky/"))
    assert did.value == "did:plc:dp7k2m4qfx3ttnb5rhwz6yca" and did.base_url == "http://127.0.0.1:8000/bluesky"
    search = stream_for(source(search="Thornfield Local History Society", page_size=25))
    assert (search.kind, search.base_url, search.page_size) == ("search", "https://bsky.social", 25)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"actor": "a.bsky.social", "search": "x"}, "only one of actor or search"),
    ({"actor": "not a handle"}, "options.actor: expected a handle such as 'name.bsky.social'"),
    ({"actor": "a.bsky.social", "filter": "x"}, "options.filter: expected no such option (allowed: actor, page_size"),
    ({"search": "x", "page_size": 101}, "options.page_size: expected a whole number from 1 to 100, got 101"),
    ({"actor": "a.bsky.social", "url": "bsky.app"}, "url: expected the service's address"),
    ({"actor": "a.bsky.social", "platform": "mastodon"}, "platform: expected 'bluesky'"),
    ({}, "options.actor: expected a Bluesky handle or DID"),
])
def test_bad_options_name_the_source_the_key_and_what_was_expected(kwargs, expected) -> None:
    with pytest.raises(ConfigError, match="^invalid configuration:\n  <settings>: source 'sky'\\.") as err:
        stream_for(source(**kwargs))
    assert expected in str(err.value)


def test_from_settings_checks_every_source_and_reads_the_login(write_settings) -> None:
    bad = '[[sources]]\nname = "sky"\nkind = "bluesky"\nplatform = "bluesky"\noptions = { actor = "x y" }\n'
    with pytest.raises(ConfigError, match=r"monitor\.toml: sources\[0\]\.options\.actor: expected a handle"):
        BlueskyConnector.from_settings(write_settings(bad))
    good = write_settings('[[sources]]\nname = "sky"\nkind = "bluesky"\nplatform = "bluesky"\nrole = "personal"\n'
                          'person = "david-pryce"\n')
    connector = BlueskyConnector.from_settings(good, secrets={"MONITOR_BLUESKY_HANDLE": "me.bsky.social",
                                                              "MONITOR_BLUESKY_APP_PASSWORD": "abcd-efgh"})
    assert connector.login == ("me.bsky.social", "abcd-efgh")
    assert connector.handles == {"david-pryce": "davidpryce.bsky.social"}
    assert BlueskyConnector.from_settings(good, secrets={"MONITOR_BLUESKY_HANDLE": "me"}).login is None


def test_search_without_a_login_is_a_recorded_gap_that_says_why() -> None:
    with pytest.raises(SourceUnavailable, match="needs a login.*MONITOR_BLUESKY_HANDLE.*MONITOR_BLUESKY_APP_PASSWORD"):
        next(BlueskyConnector().pages(source(search="Thornfield"), None, SweepContext(clock=lambda: CLOCK)))


def test_times_urls_and_rate_limit_waits() -> None:
    assert parse_time("2026-11-08T11:40:17.031Z") == datetime(2026, 11, 8, 11, 40, 17, 31000, tzinfo=UTC)
    assert parse_time("2026-11-08T12:40:17+01:00").hour == 11
    for bad in ("2026-11-08T11:40:17", "yesterday", None):
        with pytest.raises(BadRecord):
            parse_time(bad)
    assert stamp(datetime(2026, 11, 8, 11, 40, 17, 31999, tzinfo=UTC)) == "2026-11-08T11:40:17.031Z"
    assert web_url("at://did:plc:abc/app.bsky.feed.post/3mz") == "https://bsky.app/profile/did:plc:abc/post/3mz"
    assert web_url("at://did:plc:abc/app.bsky.feed.repost/3mz") is None
    reset_at_0601 = "1794204060"
    assert retry_after({"date": "Mon, 09 Nov 2026 06:00:00 GMT", "ratelimit-reset": reset_at_0601}) == 60.0
