# ruff: noqa: E501  (a recorded Mastodon item is clearer on long lines)
"""The feeds connector's normalisation: text, links, ids, dates, roles, malformed input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import SourceUnavailable, SweepContext
from connectors.feeds import FeedConnector, profile_handle
from connectors.http import Fetched
from connectors.text import html_to_text
from monitor.config import Source
from monitor.names import SocietyNames
from tests.feedfactory import item, rss

CLOCK = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
NAMES = SocietyNames(name="Thornfield Local History Society", aliases=("TLHS",))


def source(role: str = "official", platform: str = "blog", **kw) -> Source:
    return Source(name="test", kind="feed", target=kw.pop("target", "unused"), platform=platform, role=role, **kw)


def parse(body: bytes, url: str = "https://blog.example.org/feed", src: Source | None = None):
    context = SweepContext(clock=lambda: CLOCK, mentions=NAMES.mentioned_in)
    return FeedConnector().parse(Fetched(url, 200, body, {"content-type": "application/rss+xml"}),
                                 src or source(), context)


def test_html_is_stripped_and_entities_decoded() -> None:
    assert html_to_text("<p>Fish &amp; chips&#8217;</p><p>line<br>two <script>alert(1)</script></p>") == \
        "Fish & chips\u2019\n\nline\ntwo"
    assert html_to_text("plain  text") == "plain text"


def test_entry_normalised() -> None:
    posts, dropped, warning = parse(rss([item(1, "<p>Hello &amp; <b>welcome</b></p>", title="Open day")]))
    assert (dropped, warning) == (0, None)
    [p] = posts
    assert p.text == "Hello & welcome" and p.title == "Open day"
    assert p.native_id == "https://blog.example.org/posts/1"
    assert p.created_at == datetime(2026, 11, 2, 9, 1, tzinfo=UTC)
    assert p.author_kind == "official" and p.retrieved_at == CLOCK
    assert p.raw["title"] == "Open day"


def test_ids_never_depend_on_the_fetch_host_or_port() -> None:
    doc = rss([item(1, guid="/posts/1", link="/posts/1")], site="https://blog.example.org/")
    a, _, _ = parse(doc, "http://127.0.0.1:8001/feed.xml")
    b, _, _ = parse(doc, "http://127.0.0.1:9999/feed.xml")
    assert a[0].native_id == b[0].native_id == "https://blog.example.org/posts/1"
    assert a[0].url == "http://127.0.0.1:8001/posts/1"  # links are resolved against where the feed was read


def test_relative_ids_without_a_site_are_kept_as_paths() -> None:
    doc = rss([item(1, guid="/posts/1", link="/posts/1")], site="/")
    a, _, _ = parse(doc, "http://127.0.0.1:8001/feed.xml")
    b, _, _ = parse(doc, "http://localhost:9999/feed.xml")
    assert a[0].native_id == b[0].native_id == "/posts/1"


def test_entry_without_id_or_date_is_deterministic() -> None:
    doc = rss([item(1, "<p>No id, no date</p>", guid=None, link=None, when=None)])
    a, _, _ = parse(doc)
    b, _, _ = parse(doc, "https://mirror.example.net/feed")
    assert a[0].native_id == b[0].native_id and a[0].native_id.startswith("sha256:")
    assert a[0].created_at == CLOCK and a[0].raw["monitor_date_fallback"] == "first retrieval"


def test_link_used_when_no_guid() -> None:
    posts, _, _ = parse(rss([item(1, guid=None, link="https://blog.example.org/p?id=1")]))
    assert posts[0].native_id == "https://blog.example.org/p?id=1"


def test_empty_entry_is_dropped_and_counted() -> None:
    posts, dropped, _ = parse(rss([item(1, "", title=""), item(2)]))
    assert len(posts) == 1 and dropped == 1


def test_mention_source_keeps_only_mentions() -> None:
    doc = rss([item(1, "Lovely walk with the TLHS"), item(2, "Bins not collected again"),
               item(3, "tlhs is not the acronym"), item(4, "Nothing", title="Thornfield Local History Society AGM")])
    posts, _, _ = parse(doc, src=source(role="mentions", platform="forum"))
    assert sorted(p.native_id[-1] for p in posts) == ["1", "4"]
    assert all(p.author_kind == "public" for p in posts)


def test_personal_role_sets_person() -> None:
    posts, _, _ = parse(rss([item(1)]), src=source(role="personal", person="jo-bloggs"))
    assert (posts[0].author_kind, posts[0].account) == ("personal", "jo-bloggs")


def test_mastodon_profile_feed_gives_handle_and_media() -> None:
    doc = b"""<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
    <title>Thornfield</title><link>https://mastodon.social/@thornfieldlhs</link><description>x</description>
    <item><guid isPermaLink="true">https://mastodon.social/@thornfieldlhs/113300000000000001</guid>
    <link>https://mastodon.social/@thornfieldlhs/113300000000000001</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate>
    <description>&lt;p&gt;Open day! &lt;a href="https://mastodon.social/tags/ThornfieldHistory" class="mention hashtag"&gt;#&lt;span&gt;ThornfieldHistory&lt;/span&gt;&lt;/a&gt;&lt;/p&gt;</description>
    <media:content url="https://files.mastodon.social/a.jpg" type="image/jpeg" medium="image">
    <media:description type="plain">Volunteers at the mill</media:description></media:content></item>
    </channel></rss>"""
    posts, _, _ = parse(doc, "https://mastodon.social/@thornfieldlhs.rss", source(platform="mastodon"))
    [p] = posts
    assert p.author_handle == "thornfieldlhs@mastodon.social"
    assert p.text == "Open day! #ThornfieldHistory"
    assert p.native_id == "https://mastodon.social/@thornfieldlhs/113300000000000001"
    assert p.media == [{"url": "https://files.mastodon.social/a.jpg", "type": "image/jpeg",
                        "description": "Volunteers at the mill"}]


def test_profile_handle() -> None:
    assert profile_handle("bluesky", "https://bsky.app/profile/jo.bsky.social") == "jo.bsky.social"
    assert profile_handle("mastodon", "https://historians.social/@tom") == "tom@historians.social"
    assert profile_handle("blog", "https://example.org/") is None


def test_not_a_feed_is_reported() -> None:
    with pytest.raises(SourceUnavailable, match="not a usable feed"):
        parse(b"\x00\x01 this is not xml at all {")


def test_malformed_but_usable_feed_is_kept_with_a_warning() -> None:
    doc = rss([item(1), item(2)]).replace(b"</channel></rss>", b"<item><title>broken &nbsp</item>")
    posts, _, warning = parse(doc)
    assert len(posts) >= 2 and warning and "malformed" in warning


def test_local_file_and_batches(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([item(i) for i in range(7)]))
    context = SweepContext(clock=lambda: CLOCK)
    pages = list(FeedConnector(batch_size=3).pages(source(target=str(path)), None, context))
    assert [len(p.posts) for p in pages] == [3, 3, 1]
    assert [p.cursor is None for p in pages] == [True, True, False]
    assert pages[-1].cursor["sha256"]
    again = list(FeedConnector(batch_size=3).pages(source(target=str(path)), pages[-1].cursor, context))
    assert [len(p.posts) for p in again] == [0]
