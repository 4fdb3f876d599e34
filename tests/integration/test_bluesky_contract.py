"""The connector contract for Bluesky, through the atproto SDK over real HTTP on 127.0.0.1:
the demo's AppView and PDS for paging and resuming, recorded failures for the errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from connectors.base import Page, RateLimited, RetriableError, SourceUnavailable, SweepContext
from connectors.bluesky import BlueskyConnector
from monitor import demo_bluesky
from monitor.config import Source
from tests.apiserver import ApiServer
from tests.contract import ERROR_CASES, check_pages, check_resume, ids

CLOCK = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
LOGIN = (demo_bluesky.SECRETS["MONITOR_BLUESKY_HANDLE"], demo_bluesky.SECRETS["MONITOR_BLUESKY_APP_PASSWORD"])
STREAMS = [{"actor": "davidpryce.bsky.social"}, {"actor": "did:plc:tlhs4f6gk2wqxm3nvz7ry5ab"},
           {"search": "Thornfield Local History Society"}]


class Arrivals:
    """The demo API as it stood at ``cutoff``: nothing later has been posted yet."""

    def __init__(self) -> None:
        self.cutoff: str | None = None

    def __call__(self, method: str, path: str, query: dict, headers: dict):
        if self.cutoff and path.endswith("getAuthorFeed") and "cursor" not in query:
            query = {**query, "cursor": [f"{self.cutoff}::~"]}
        if self.cutoff and path.endswith("searchPosts"):
            query = {**query, "until": [min([self.cutoff, *query.get("until", [])])]}
        return demo_bluesky.handle(method, path, query, headers)


class Failing:
    response: tuple[int, dict[str, str], bytes] = (500, {}, b"")

    def __call__(self, method: str, path: str, query: dict, headers: dict):
        return self.response


@pytest.fixture(scope="module")
def api() -> Iterator[ApiServer]:
    later, failing = Arrivals(), Failing()
    with ApiServer({"/bluesky": demo_bluesky.handle, "/later": later, "/failing": failing}) as server:
        server.later, server.failing = later, failing  # type: ignore[attr-defined]
        yield server


def source(base: str, options: dict, role: str = "mentions") -> Source:
    return Source(name="sky", kind="bluesky", target=base, platform="bluesky", role=role, options=options)


def run(src: Source, cursor=None, page_cap: int = 10, connector: BlueskyConnector | None = None) -> list[Page]:
    context = SweepContext(clock=lambda: CLOCK, page_cap=page_cap, timeout=5)
    return list((connector or BlueskyConnector(login=LOGIN)).pages(src, cursor, context))


@pytest.mark.parametrize("options", STREAMS, ids=["actor", "did", "search"])
def test_pages_and_resuming_after_any_page(api, options) -> None:
    src = source(api.base + "/bluesky", {**options, "page_size": 2})
    pages = run(src)
    check_pages(pages)
    assert len(pages) >= 2 and all(p.cursor is not None for p in pages)
    check_resume(lambda cursor: run(src, cursor))


@pytest.mark.parametrize(("options", "cutoff"), [
    ({"actor": "davidpryce.bsky.social"}, "2026-11-04T12:00:00.000Z"),
    ({"search": "Thornfield Local History Society"}, "2026-11-01T00:00:00.000Z"),
], ids=["actor", "search"])
def test_a_run_cut_short_by_the_page_cap_loses_nothing_while_posts_arrive(api, options, cutoff) -> None:
    src = source(api.base + "/later", {**options, "page_size": 1})
    everything = ids(run(src))
    api.later.cutoff = cutoff
    first = run(src, page_cap=2)
    assert first[-1].warning and "page cap" in first[-1].warning and len(ids(first)) == 2
    api.later.cutoff = None
    second = run(src, first[-1].cursor)  # finishes the way down first
    third = run(src, second[-1].cursor)  # then reads what was posted meanwhile
    assert ids(first) | ids(second) | ids(third) == everything
    # A search resumes by time, just above the last post read, which it may read again (never an older one).
    assert len(ids(first) & ids(second)) <= (1 if "search" in options else 0)
    again = run(src, third[-1].cursor)
    assert ids(again) <= ids(third)  # at most the newest again (ties to the millisecond are never lost)


@pytest.mark.parametrize(("name", "status", "headers", "body", "expected"), ERROR_CASES,
                         ids=[case[0] for case in ERROR_CASES])
def test_error_responses_map_to_the_sweeps_error_types(api, name, status, headers, body, expected) -> None:
    api.failing.response = (status, headers, body)
    with pytest.raises(expected) as err:
        run(source(api.base + "/failing", {"actor": "did:plc:dp7k2m4qfx3ttnb5rhwz6yca"}))
    assert "getAuthorFeed" in str(err.value)
    if name == "rate limited":
        assert err.value.retry_after == 30.0


def test_failures_to_log_in_and_to_resolve_are_mapped_too(api) -> None:
    api.failing.response = (429, {"Content-Type": "application/json", "RateLimit-Reset": "1794204060",
                                  "Date": "Mon, 09 Nov 2026 06:00:00 GMT"}, b'{"error": "RateLimitExceeded"}')
    with pytest.raises(RateLimited, match="createSession") as err:
        run(source(api.base + "/failing", {"search": "Thornfield"}))
    assert err.value.retry_after == 60.0
    with pytest.raises(SourceUnavailable, match="HTTP 400"):
        run(source(api.base + "/bluesky", {"actor": "nobody.bsky.social"}))


def test_a_repeated_page_token_is_an_error(api) -> None:
    post = json.loads(demo_bluesky.handle("GET", "/xrpc/app.bsky.feed.getAuthorFeed",
                                          {"actor": ["davidpryce.bsky.social"], "limit": ["1"]}, {})[2])
    api.failing.response = (200, {"Content-Type": "application/json"}, json.dumps({**post, "cursor": "same"}).encode())
    with pytest.raises(SourceUnavailable, match="same page token twice"):
        run(source(api.base + "/failing", {"actor": "did:plc:dp7k2m4qfx3ttnb5rhwz6yca"}))


def test_every_response_is_bounded_in_size_and_time(feed_server) -> None:
    feed_server.add("/big/xrpc/app.bsky.feed.getAuthorFeed", body=b'{"feed": [' + b" " * 50_000 + b"]}",
                    content_type="application/json", send_length=False)
    feed_server.add("/slow/xrpc/app.bsky.feed.getAuthorFeed", body=b'{"feed": [' + b" " * 4_000 + b"]}",
                    content_type="application/json", trickle_seconds=0.1)
    context = SweepContext(clock=lambda: CLOCK, max_bytes=20_000, timeout=0.2)
    actor = {"actor": "did:plc:dp7k2m4qfx3ttnb5rhwz6yca"}
    with pytest.raises(SourceUnavailable, match="size cap"):
        list(BlueskyConnector().pages(source(feed_server.url("/big"), actor), None, context))
    with pytest.raises(RetriableError, match="longer than 0.2 s"):
        list(BlueskyConnector().pages(source(feed_server.url("/slow"), actor), None, context))
