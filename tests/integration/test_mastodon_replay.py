"""The real Mastodon.py cassettes in ../shared/data/payloads, replayed by vcrpy through Mastodon.py
and the connector (no network): paging, a hashtag timeline, search, recorded error responses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vcr

from connectors.base import SourceUnavailable, SweepContext
from connectors.mastodon import MastodonConnector
from monitor.config import Source
from tests.contract import check_pages

CLOCK = datetime(2026, 8, 2, tzinfo=UTC)
DEV = "http://localhost:3000"  # Mastodon.py's test server; the entity cassettes are mastodon.social


@pytest.fixture
def cassette(shared_data: Path):
    root = shared_data / "payloads" / "Mastodon.py" / "tests"

    def use(name: str, match_on: tuple[str, ...] = ("method", "scheme", "host", "path", "query")):
        return vcr.VCR(record_mode="none", match_on=match_on).use_cassette(str(root / name))

    return use


def read(options: dict, base: str = DEV, page_cap: int = 10, token: str | None = None, **context) -> list:
    source = Source(name="replay", kind="mastodon", target=base, platform="mastodon", role="mentions",
                    options=options)
    ctx = SweepContext(clock=lambda: CLOCK, page_cap=page_cap, **context)
    return list(MastodonConnector(token=token, retention_days=5000).pages(source, None, ctx))


def test_account_statuses_page_newest_first_with_max_id(cassette) -> None:
    with cassette("cassettes/test_fetch_next_previous.yaml"):
        pages = read({"account": "mastodonpy_test@localhost", "page_size": 5}, page_cap=2,
                     account_ids={"mastodonpy_test@localhost": "117020565966271181"})
    check_pages(pages)
    texts = [p.text for page in pages for p in page.posts]
    assert texts == [f"Toot number {n}!" for n in range(9, -1, -1)]
    assert pages[-1].warning and pages[-1].cursor == {
        "newest": None, "pending": "00117020580518794573", "resume": {"max_id": "117020580452511285"}}


def test_a_hashtag_timeline_after_the_instance_probe(cassette) -> None:
    with cassette("cassettes/test_hashtag_tl.yaml", ("method", "host", "path")) as tape:
        pages = read({"hashtag": "hoot"}, page_cap=1)
    assert tape.play_count == 2  # /api/v2/instance/ (Mastodon.py checks the feed is public), then the page
    [post] = pages[0].posts
    assert post.text == "#hoot (hashtag toot)" and post.author_handle == "mastodonpy_test_2@localhost"


def test_search_returns_statuses_from_mastodon_social(cassette) -> None:
    with cassette("cassettes_entity_tests/test_entity_searchv2.yaml", ("method", "host", "path")):
        pages = read({"search": "halcy"}, base="https://mastodon.social", page_cap=1, token="DUMMY")
    posts = pages[0].posts
    assert posts and all(p.platform == "mastodon" and p.native_id.startswith("https://") for p in posts)


@pytest.mark.parametrize(("name", "reason"), [
    ("cassettes/test_status_missing.yaml", "not found (HTTP 404)"),
    ("cassettes/test_home_tl_anonymous_throws.yaml", "access refused (HTTP 401)"),
    ("cassettes/test_account_lookup.yaml", "not found (HTTP 404)"),
])
def test_recorded_error_responses_are_recorded_gaps(cassette, name, reason) -> None:
    # Whatever the connector asks first gets the recorded failure.
    with cassette(name, ("method",)), pytest.raises(SourceUnavailable, match=re.escape(reason)):
        read({"account": "nobody@localhost"})
