"""The connector contract for Mastodon, through Mastodon.py over real HTTP on 127.0.0.1: the
demo's Mastodon API for paging and resuming, the feed server for failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from connectors.base import Page, RetriableError, SourceUnavailable, SweepContext
from connectors.mastodon import MastodonConnector
from monitor import demo_mastodon
from monitor.config import Source
from tests.apiserver import ApiServer
from tests.contract import ERROR_CASES, check_pages, check_resume, ids

CLOCK = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
STREAMS = [{"account": "tomhesketh@historians.social"}, {"hashtag": "ThornfieldHistory"},
           {"search": '"Thornfield Local History Society"'}]


class Arrivals:
    """The demo API as it stood at a moment: statuses with ids above ``cutoff`` have not arrived yet."""

    def __init__(self, cutoff: int | None = None) -> None:
        self.cutoff = cutoff

    def __call__(self, method: str, path: str, query: dict, headers: dict):
        if self.cutoff is not None:
            below = min([self.cutoff + 1, *(int(v) for v in query.get("max_id", []))])
            query = {**query, "max_id": [str(below)]}
        return demo_mastodon.handle(method, path, query, headers)


def at_home(method: str, path: str, query: dict, headers: dict):
    """The demo API with Tom Hesketh at home on this server, as @tom@127.0.0.1."""
    if query.get("acct") == ["tom@127.0.0.1"]:
        query = {"acct": ["tomhesketh@historians.social"]}
    return demo_mastodon.handle(method, path, query, headers)


class Failing:
    """Answers every request with one recorded failure."""

    response: tuple[int, dict[str, str], bytes] = (500, {}, b"")

    def __call__(self, method: str, path: str, query: dict, headers: dict):
        return self.response


@pytest.fixture(scope="module")
def api() -> Iterator[ApiServer]:
    later, failing = Arrivals(), Failing()
    mounts = {"/mastodon": demo_mastodon.handle, "/later": later, "/failing": failing, "/home": at_home}
    with ApiServer(mounts) as server:
        server.later, server.failing = later, failing  # type: ignore[attr-defined]
        yield server


def source(base: str, options: dict, role: str = "mentions") -> Source:
    return Source(name="masto", kind="mastodon", target=base, platform="mastodon", role=role, options=options)


def run(src: Source, cursor=None, page_cap: int = 10) -> list[Page]:
    context = SweepContext(clock=lambda: CLOCK, page_cap=page_cap, timeout=5)
    return list(MastodonConnector(token=demo_mastodon.TOKEN).pages(src, cursor, context))


@pytest.mark.parametrize("options", STREAMS, ids=lambda o: next(iter(o)))
def test_pages_and_resuming_after_any_page(api, options) -> None:
    src = source(api.base + "/mastodon", {**options, "page_size": 2})
    pages = run(src)
    check_pages(pages)
    assert len(pages) >= 2 and all(p.cursor is not None for p in pages)
    check_resume(lambda cursor: run(src, cursor))


def test_a_run_cut_short_by_the_page_cap_loses_nothing_while_statuses_arrive(api) -> None:
    src = source(api.base + "/later", {"account": "tomhesketh@historians.social", "page_size": 2})
    everything = ids(run(src))
    api.later.cutoff = 117540000000000000  # 1 November: the three newest statuses have not arrived yet
    first = run(src, page_cap=2)
    assert first[-1].warning and "page cap" in first[-1].warning and len(ids(first)) == 4
    api.later.cutoff = None
    second = run(src, first[-1].cursor, page_cap=2)  # finishes the way down first
    third = run(src, second[-1].cursor)  # then reads what arrived meanwhile
    assert ids(first) | ids(second) | ids(third) == everything
    assert not ids(first) & ids(second) and not ids(second) & ids(third)  # no status read twice
    assert run(src, third[-1].cursor)[0].posts == []


@pytest.mark.parametrize(("name", "status", "headers", "body", "expected"), ERROR_CASES,
                         ids=[case[0] for case in ERROR_CASES])
def test_error_responses_map_to_the_sweeps_error_types(api, name, status, headers, body, expected) -> None:
    api.failing.response = (status, headers, body)
    context = SweepContext(clock=lambda: CLOCK, account_ids={"tom@127.0.0.1": "7"})
    src = source(api.base + "/failing", {"account": "tom@127.0.0.1"}, role="personal")
    with pytest.raises(expected) as err:
        list(MastodonConnector().pages(src, None, context))
    assert "/api/v1/accounts/7/statuses" in str(err.value)
    if name == "rate limited":
        assert err.value.retry_after == 30.0


def test_an_accounts_id_is_kept_only_from_its_own_instance(api) -> None:
    home = source(api.base + "/home", {"account": "tom@127.0.0.1"}, role="personal")  # 127.0.0.1 is his instance
    first = next(MastodonConnector().pages(home, None, SweepContext(clock=lambda: CLOCK)))
    [kept] = [a for a in first.accounts if a.platform_id]  # for the sweep to keep
    assert (kept.platform, kept.handle, kept.platform_id) == ("mastodon", "tom@127.0.0.1", "109351884209775212")
    known = SweepContext(clock=lambda: CLOCK, account_ids={"tom@127.0.0.1": kept.platform_id})
    again = next(MastodonConnector().pages(home, None, known))
    assert again.reads == 1 and again.posts and not any(a.platform_id for a in again.accounts)  # no lookup
    away = source(api.base + "/mastodon", {"account": "tomhesketh@historians.social"}, role="personal")
    elsewhere = SweepContext(clock=lambda: CLOCK, account_ids={"tomhesketh@historians.social": "999"})
    page = next(MastodonConnector().pages(away, None, elsewhere))  # an id kept from his own instance...
    assert page.reads == 2 and page.posts and not any(a.platform_id for a in page.accounts)  # ...is not used here


def test_an_unknown_account_is_a_recorded_gap(api) -> None:
    with pytest.raises(SourceUnavailable, match="lookup.*not found .HTTP 404."):
        run(source(api.base + "/mastodon", {"account": "nobody@mastodon.social"}))


def test_a_repeated_page_token_is_an_error(api) -> None:
    status = {"id": "5", "created_at": "2026-11-01T10:00:00.000Z", "uri": "https://m.example/users/a/statuses/5",
              "url": "https://m.example/@a/5", "content": "<p>hi</p>", "account": {
                  "id": "1", "acct": "a", "url": "https://m.example/@a", "display_name": "A"}}
    api.failing.response = (200, {"Content-Type": "application/json"}, json.dumps([status]).encode())
    with pytest.raises(SourceUnavailable, match="same page token twice"):
        run(source(api.base + "/failing", {"hashtag": "loop"}))  # the server ignores max_id


def test_every_response_is_bounded_in_size_and_time(feed_server) -> None:
    big = feed_server.add("/api/v1/timelines/tag/big", body=b"[" + b" " * 50_000 + b"]",
                          content_type="application/json", send_length=False)
    slow = feed_server.add("/api/v1/timelines/tag/slow", body=b"[" + b" " * 4_000 + b"]",
                           content_type="application/json", trickle_seconds=0.1)
    assert big and slow
    context = SweepContext(clock=lambda: CLOCK, max_bytes=20_000, timeout=0.2)
    with pytest.raises(SourceUnavailable, match="size cap"):
        list(MastodonConnector().pages(source(feed_server.base, {"hashtag": "big"}), None, context))
    with pytest.raises(RetriableError, match="longer than 0.2 s"):
        list(MastodonConnector().pages(source(feed_server.base, {"hashtag": "slow"}), None, context))
