"""The Mastodon connector's options, secrets and error mapping (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.base import ConfigError, SourceUnavailable, SweepContext
from connectors.bounded import retry_after
from connectors.mastodon import MastodonConnector, stream_for
from connectors.mastodon_records import acct_handle, sort_key
from monitor.config import Source

CLOCK = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)


def source(role: str = "mentions", url: str = "", **options: object) -> Source:
    return Source(name="masto", kind="mastodon", target=url, platform="mastodon", role=role,
                  person="tom-hesketh" if role == "personal" else None, options=options)


def test_streams_and_their_defaults() -> None:
    account = stream_for(source("personal", account="@TomHesketh@historians.social"))
    assert (account.kind, account.value, account.base_url) == ("account", "tomhesketh@historians.social",
                                                               "https://historians.social")
    assert not account.authenticated and account.page_size == 40
    declared = stream_for(source("personal"), {"tom-hesketh": "tomhesketh@historians.social"})
    assert declared.value == "tomhesketh@historians.social"
    official = Source(name="o", kind="mastodon", target="", platform="mastodon", role="official",
                      account="thornfieldlhs@mastodon.social")
    assert stream_for(official).base_url == "https://mastodon.social"
    tag = stream_for(source(url="https://mastodon.social/", hashtag="#ThornfieldHistory", page_size=5))
    assert (tag.kind, tag.value, tag.base_url, tag.page_size) == ("hashtag", "ThornfieldHistory",
                                                                   "https://mastodon.social", 5)
    search = stream_for(source(url="https://mastodon.social", search='"Thornfield Local History Society"'))
    assert search.kind == "search" and search.authenticated


@pytest.mark.parametrize(("options", "url", "expected"), [
    ({"acount": "x@y.z", "account": "x@y.z"}, "", "options.acount: expected no such option"),
    ({"account": "a@b.c", "hashtag": "x"}, "", "only one of account, hashtag or search"),
    ({"account": "not a handle"}, "", "options.account: expected a handle such as 'user@instance.social'"),
    ({"hashtag": "two words"}, "https://m.example", "options.hashtag: expected a hashtag"),
    ({"hashtag": "x"}, "", "url: expected the instance's address"),
    ({"search": ""}, "https://m.example", "options.search: expected a Mastodon account, hashtag or search text"),
    ({"account": "a@b.c", "page_size": 80}, "", "options.page_size: expected a whole number from 1 to 40, got 80"),
    ({"account": "a@b.c", "authenticated": "yes"}, "", "options.authenticated: expected true or false"),
    ({}, "", "options.account: expected a Mastodon account"),
])
def test_bad_options_name_the_source_the_key_and_what_was_expected(options, url, expected) -> None:
    with pytest.raises(ConfigError, match="^invalid configuration:\n  <settings>: source 'masto'\\.") as err:
        stream_for(source(url=url, **options))
    assert expected in str(err.value)


def test_from_settings_checks_every_source_and_reads_the_token(write_settings) -> None:
    settings = write_settings("""
        [[sources]]
        name = "tags"
        kind = "mastodon"
        platform = "mastodon"
        options = { hashtag = "ThornfieldHistory" }

        [[sources]]
        name = "society"
        kind = "mastodon"
        platform = "mastodon"
        role = "official"
        account = "thornfieldlhs@mastodon.social"
        options = { page_size = 0 }
    """)
    with pytest.raises(ConfigError) as err:
        MastodonConnector.from_settings(settings)
    assert f"{settings.path}: sources[0].url: expected" in str(err.value)
    assert f"{settings.path}: sources[1].options.page_size: expected" in str(err.value)
    settings = write_settings('[[sources]]\nname = "tags"\nkind = "mastodon"\nplatform = "mastodon"\n'
                              'url = "https://mastodon.social"\n'
                              'options = { hashtag = "ThornfieldHistory" }\n')
    connector = MastodonConnector.from_settings(settings, secrets={"MONITOR_MASTODON_ACCESS_TOKEN": "t0ken"})
    assert connector.token == "t0ken" and connector.retention_days == settings.retention_days


def test_search_without_a_token_is_a_recorded_gap_that_says_why() -> None:
    src = source(url="https://mastodon.social", search="Thornfield")
    with pytest.raises(SourceUnavailable, match="needs an access token.*opted in.*MONITOR_MASTODON_ACCESS_TOKEN"):
        next(MastodonConnector().pages(src, None, SweepContext(clock=lambda: CLOCK)))


def test_handles_and_sort_keys() -> None:
    assert acct_handle({"acct": "thornfieldlhs", "url": "https://mastodon.social/@thornfieldlhs"}) == \
        "thornfieldlhs@mastodon.social"
    assert acct_handle({"acct": "tom@historians.social", "url": "https://historians.social/@tom"}) == \
        "tom@historians.social"
    assert sort_key("99") < sort_key("117581221593141464") and sort_key("99") == "00000000000000000099"


def test_rate_limit_wait_comes_from_the_servers_own_clock() -> None:
    mastodon = {"Date": "Mon, 09 Nov 2026 06:00:00 GMT", "X-RateLimit-Reset": "2026-11-09T06:04:30.000000Z"}
    assert retry_after(mastodon) == 270.0
    assert retry_after({**mastodon, "Retry-After": "12"}) == 12.0
    assert retry_after({"X-RateLimit-Reset": "2026-11-09T06:04:30Z"}) is None  # no Date: the sweep backs off
