"""Real Mastodon statuses (the project's own recorded fixture) through Mastodon.py and the
connector: identity, author handles, text, kinds, refs, media, raw evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import vcr

from connectors.base import SweepContext
from connectors.mastodon import MastodonConnector
from monitor.config import Source
from tests.contract import check_pages

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mastodon"
CLOCK = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
TAPE = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "path", "query"])


def read(role: str = "mentions", mentions=None):
    source = Source(name="tags", kind="mastodon", target="https://mastodon.social", platform="mastodon", role=role,
                    options={"hashtag": "fixtures"})
    context = SweepContext(clock=lambda: CLOCK, mentions=mentions)
    with TAPE.use_cassette(str(FIXTURES / "hashtag_timeline.yaml")) as cassette:
        pages = list(MastodonConnector(retention_days=2000).pages(source, None, context))
    assert cassette.all_played
    return pages


def test_recorded_statuses_are_normalised() -> None:
    pages = read()
    check_pages(pages)
    posts = {p.native_id: p for page in pages for p in page.posts}
    assert len(posts) == 5 and sum(page.reads for page in pages) == 3  # the instance probe and two pages

    remote = posts["https://icosahedron.website/@halcy/110446222386355655"]  # its URL: the RSS guid at home
    assert remote.author_handle == "halcy@icosahedron.website" and remote.kind == "post"
    assert remote.created_at == datetime(2023, 5, 28, 12, 6, 50, tzinfo=UTC)
    assert remote.media[0]["type"] == "gifv" and remote.media[0]["description"] == "a furry cube breakdancing"
    assert remote.raw["id"] == "110446223051565765" and json.dumps(remote.raw)
    assert "<" not in remote.text and remote.url == remote.native_id

    local = posts["https://mastodon.social/@halcy/110446183735368325"]
    assert local.author_handle == "halcy@mastodon.social"  # a local account gets its instance added

    reply = posts["https://mastodon.social/@halcy/110446984249325790"]
    assert reply.kind == "reply" and reply.ref is None

    # A reblog is identified by its activity URI, the same on every instance.
    boost = posts["http://localhost:3000/ap/users/117020565966271181/statuses/117020585731930583/activity"]
    assert boost.kind == "repost" and boost.text == "" and boost.author_handle == "mastodonpy_test@localhost"
    assert boost.ref["platform"] == "mastodon" and boost.ref["id"] == boost.url  # the original's URL
    assert boost.ref["text"] and boost.ref["author_handle"]

    quote = next(p for p in posts.values() if p.kind == "quote")
    assert quote.author_handle == "h4lcy.bsky.social@bsky.brid.gy"
    assert quote.ref["id"].startswith("https://bsky.brid.gy/") and quote.ref["text"].startswith("actual reply")
    assert all(p.created_at.tzinfo is UTC and p.retrieved_at == CLOCK for p in posts.values())
    assert all(p.endpoint.startswith("https://mastodon.social/api/v1/timelines/tag/fixtures") for p in posts.values())

    seen = {a.handle: a for page in pages for a in page.accounts}  # authors, for account discovery
    assert {"halcy@icosahedron.website", "halcy@mastodon.social", "mastodonpy_test@localhost"} <= set(seen)
    assert all(a.platform == "mastodon" and a.platform_id is None for a in seen.values())  # ids are per instance
    assert seen["mastodonpy_test@localhost"].display_name == "John Lennon"


def test_the_end_of_a_run_records_the_newest_id_and_a_mention_source_keeps_only_mentions() -> None:
    pages = read(mentions=lambda *texts: any("furry cube" in (t or "") for t in texts))
    assert pages[-1].cursor == {"newest": "00117020585731930583"}
    assert [p.native_id for page in pages for p in page.posts] == []  # the furry cube is in media, not text
    kept = read(mentions=lambda *texts: any("actual reply" in (t or "") for t in texts))
    assert [p.kind for page in kept for p in page.posts] == ["quote"]


def test_posts_older_than_the_retention_are_not_read() -> None:
    source = Source(name="tags", kind="mastodon", target="https://mastodon.social", platform="mastodon",
                    role="mentions", options={"hashtag": "fixtures"})
    connector = MastodonConnector(retention_days=(CLOCK - datetime(2025, 1, 1, tzinfo=UTC)).days)
    with TAPE.use_cassette(str(FIXTURES / "hashtag_timeline.yaml"), allow_playback_repeats=True):
        pages = list(connector.pages(source, None, SweepContext(clock=lambda: CLOCK)))
    assert len(pages) == 1  # stops at the first old status, without asking for the next page
    assert all(p.created_at >= CLOCK - timedelta(days=connector.retention_days) for p in pages[0].posts)
