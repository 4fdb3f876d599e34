"""Every document of feedparser's test corpus goes through the feeds connector, served over
real HTTP with the headers each document declares, with no unhandled exception."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from connectors.base import Post, SourceUnavailable, SweepContext
from connectors.feeds import FeedConnector
from monitor.config import Source

HEADER = re.compile(rb"^Header:\s+([^:]+):(.*)$", re.M)
CLOCK = datetime(2026, 11, 9, tzinfo=UTC)


def declared_headers(data: bytes) -> dict[str, str]:
    headers = {k.decode().strip(): v.strip().decode("latin-1") for k, v in HEADER.findall(data)}
    headers.setdefault("Content-Type", "text/xml")
    return headers


def test_every_corpus_document_is_handled(shared_data: Path, feed_server) -> None:
    corpus = shared_data / "payloads" / "feedparser" / "tests"
    documents = sorted(corpus.rglob("*.xml"))
    assert len(documents) > 1500
    for path in documents:
        data = path.read_bytes()
        headers = declared_headers(data)
        route = f"/{path.relative_to(corpus)}"
        feed_server.add(route, body=data, content_type=headers.pop("Content-Type"),
                        etag=headers.pop("ETag", None), last_modified=headers.pop("Last-Modified", None),
                        headers={k: v for k, v in headers.items() if k.lower() not in ("content-length",)})
    context = SweepContext(clock=lambda: CLOCK, timeout=10, max_bytes=5_000_000)
    outcomes: Counter[str] = Counter()
    posts = 0
    for path in documents:
        url = feed_server.url(f"/{path.relative_to(corpus)}")
        source = Source(name="corpus", kind="feed", target=url, platform="web", role="official")
        try:
            for page in FeedConnector().pages(source, None, context):
                for post in page.posts:
                    assert isinstance(post, Post) and post.native_id and post.created_at.tzinfo is not None
                    assert "127.0.0.1" not in post.native_id, (path, post.native_id)
                posts += len(page.posts)
                outcomes["warning" if page.warning else "ok"] += 1
        except SourceUnavailable:
            outcomes["unavailable"] += 1
    assert sum(outcomes.values()) == len(documents)
    assert outcomes["ok"] > 1000 and posts > 400
