"""The connector contract for X, through the real tweepy client.

Recorded real X API v2 pages (the project's own fixtures, and the shared
payloads when present) are replayed offline; a multi-page local API on
127.0.0.1 exercises paging and resuming; every error response is mapped to the
error the sweep expects.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import vcr
import yaml

from connectors.base import Page, RateLimited, SweepContext
from connectors.x import XConnector, XCredentials
from connectors.x_payload import snowflake_time
from monitor.config import load_settings
from monitor.demo_x import DEMO_CREDENTIALS, XDemoAPI
from tests.apiserver import ApiServer
from tests.conftest import REPO, SOCIETY_TOML
from tests.contract import ERROR_CASES, check_pages, check_resume, ids

FIXTURES = REPO / "tests" / "fixtures" / "x"
NOW = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
X_ACCOUNTS = '\n[[accounts]]\nplatform = "x"\nhandle = "ThornfieldLHS"\n'


def x_source(name: str, read: str, role: str = "mentions", account: str | None = None, **options: object) -> str:
    """A [[sources]] table for X."""
    opts = ", ".join(f"{k} = {json.dumps(v)}" for k, v in {"read": read, **options}.items())
    owner = f'account = "{account}"\n' if account else ""
    return (f'[[sources]]\nname = "{name}"\nkind = "x"\nplatform = "x"\nrole = "{role}"\n{owner}'
            f"options = {{ {opts} }}\n")


SOURCES = (x_source("x-search", "search") + x_source("x-timeline", "timeline", role="official", account="member0")
           + x_source("x-mentions", "mentions", account="member1", backfill_days=30))


def context(settings, page_cap: int = 20, only_mentions: bool = True, **extra) -> SweepContext:  # noqa: ANN001
    """The sweep's context; recorded pages about other subjects are read without the mention filter."""
    return SweepContext(clock=lambda: NOW, page_cap=page_cap,
                        mentions=settings.society.mentioned_in if only_mentions else None, **extra)


def read(settings, base: str, name: str, cursor=None, credentials: XCredentials = DEMO_CREDENTIALS,  # noqa: ANN001
         **ctx) -> list[Page]:
    connector = XConnector.from_settings(settings, credentials=credentials, api_base=base)
    return list(connector.pages(settings.source(name), cursor, context(settings, **ctx)))


@pytest.fixture
def api():
    data = XDemoAPI.generated(57, NOW - timedelta(hours=1), spacing_seconds=600, authors=7, page_size=10)
    with ApiServer({"/x": data.handle}) as server:
        yield server


def load(tmp_path: Path, sources: str = SOURCES):  # noqa: ANN201 - Settings
    """Settings from real TOML (connector tests need no database)."""
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + f'[store]\ndatabase_url = "sqlite:///{tmp_path}/m.db"\n' + X_ACCOUNTS + sources,
                    encoding="utf-8")
    return load_settings(path)


@pytest.fixture
def settings(tmp_path):
    return load(tmp_path)


@pytest.mark.parametrize("name", ["x-search", "x-timeline", "x-mentions"])
def test_pages_keep_the_contract_and_resume_loses_nothing(settings, api, name):
    pages = read(settings, api.base + "/x", name)
    check_pages(pages)
    assert all(p.posts for p in pages if p.cursor is not None)
    check_resume(lambda cursor: read(settings, api.base + "/x", name, cursor))


def test_a_search_reads_every_page_newest_first_and_ends_on_since_id(settings, api):
    pages = read(settings, api.base + "/x", "x-search")
    posts = [p for page in pages for p in page.posts]
    assert len(posts) == 57 and len(pages) == 6
    assert [p.created_at for p in posts] == sorted((p.created_at for p in posts), reverse=True)
    assert pages[-1].cursor == {"since_id": posts[0].native_id}
    assert all("next_token" in p.cursor for p in pages[:-1])  # each a safe place to continue from
    assert Counter(p.kind for p in posts) == {"post": 52, "quote": 5}


def test_page_cap_records_where_to_continue_and_no_post_is_read_twice(settings, api):
    base = api.base + "/x"
    first = read(settings, base, "x-search", page_cap=2)
    assert "page cap of 2 reached" in first[-1].warning and first[-1].cursor["next_token"]
    second = read(settings, base, "x-search", first[-1].cursor)
    assert not ids(first) & ids(second) and len(ids(first) | ids(second)) == 57
    assert set(second[-1].cursor) == {"since_id"}
    api.calls.clear()
    third = read(settings, base, "x-search", second[-1].cursor)
    assert [p.posts for p in third] == [[]] and len(api.calls) == 1
    assert api.calls[0].query["since_id"] == [second[-1].cursor["since_id"]]


def test_handles_are_resolved_once_and_reported_with_their_ids(settings, api):
    pages = read(settings, api.base + "/x", "x-timeline")
    resolved = {a.handle: a.platform_id for a in pages[0].accounts}
    assert pages[0].posts == [] and pages[0].cursor is None and resolved["member0"] == "9000000"
    assert pages[0].user_reads == pages[0].reads >= 1
    api.calls.clear()
    read(settings, api.base + "/x", "x-timeline", account_ids={"member0": "9000000"})
    assert not any(c.path.endswith("/2/users/by") for c in api.calls)
    assert api.calls[0].path == "/x/2/users/9000000/tweets"


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_responses_map_to_the_error_the_sweep_expects(settings, case):
    _, status, headers, body, expected = case
    with ApiServer({"/x": lambda *request: (status, headers, body)}) as server, pytest.raises(expected) as info:
        read(settings, server.base + "/x", "x-search")
    if expected is RateLimited:
        assert info.value.retry_after == 30  # x-rate-limit-reset is in the past: Retry-After counts
    assert str(status) in str(info.value) or status == 200


def test_missing_credentials_make_the_source_unavailable_naming_the_variable(settings, api):
    with pytest.raises(Exception, match="MONITOR_X_BEARER_TOKEN"):
        read(settings, api.base + "/x", "x-search", credentials=XCredentials())


# --- recorded real responses -------------------------------------------------------------


def serve_recorded(page: dict) -> ApiServer:
    def handle(method, path, query, headers):  # noqa: ANN001, ANN202
        return 200, {"Content-Type": "application/json"}, json.dumps(page).encode()
    return ApiServer({"/x": handle})


def test_a_recorded_expanded_search_page_normalises_through_tweepy(settings):
    recorded = json.loads((FIXTURES / "search-recent-page.json").read_text(encoding="utf-8"))["body"]
    with serve_recorded(recorded) as server:
        pages = read(settings, server.base + "/x", "x-search", page_cap=1, only_mentions=False)
    check_pages(pages)
    page = pages[0]
    kinds = Counter(p.kind for p in page.posts)
    assert sum(kinds.values()) == 20 and kinds["repost"] and kinds["reply"]
    for post in page.posts:
        assert post.author_handle and post.url == f"https://x.com/{post.author_handle}/status/{post.native_id}"
        assert "&amp;" not in post.text
        if post.kind in ("repost", "quote", "reply") and post.ref.get("text"):
            assert post.ref["author_handle"]
        if post.kind == "repost":
            assert post.text == "" and post.ref["type"] == "retweeted"
    users = {u["id"] for u in recorded["includes"]["users"]}
    posts = {t["id"] for t in recorded["data"]} | {t["id"] for t in recorded["includes"]["tweets"]}
    assert (page.reads, page.user_reads) == (len(posts) + len(users), len(users))
    assert {a.platform_id for a in page.accounts} == users
    assert page.cursor["next_token"] == recorded["meta"]["next_token"]


def replay(cassette: Path, **match: object):  # noqa: ANN201 - a vcr cassette context
    tape = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "path"],
                   decode_compressed_response=True, **match)
    return tape.use_cassette(str(cassette))


def test_tweepys_own_recording_without_fields_dates_posts_by_their_snowflake_ids(settings):
    with replay(FIXTURES / "tweepy-search-recent.yaml"):
        connector = XConnector.from_settings(settings, credentials=XCredentials(bearer_token="offline"))
        pages = list(connector.pages(settings.source("x-search"), None,
                                     context(settings, page_cap=1, only_mentions=False)))
    check_pages(pages)
    posts = pages[0].posts
    assert posts and all(p.created_at == snowflake_time(p.native_id) for p in posts)
    assert all(p.raw["monitor_date_fallback"] == "snowflake id" for p in posts)


# --- the shared payloads (skipped when ../shared is absent) -----------------------------------


SHARED_CASSETTES = [("test_client_search_recent_tweets.yaml", "search", {}),
                    ("test_client_get_users_tweets.yaml", "timeline", {"account": "Twitter"}),
                    ("test_client_get_users_mentions.yaml", "mentions", {"account": "Twitter"}),
                    ("test_client_get_liked_tweets.yaml", "likes", {"account": "Twitter"})]


@pytest.mark.shared
@pytest.mark.parametrize(("cassette", "read_kind", "options"), SHARED_CASSETTES, ids=[c[1] for c in SHARED_CASSETTES])
def test_tweepys_recorded_v2_calls_replay_through_the_connector(shared_data, tmp_path, cassette, read_kind, options):
    role = "official" if read_kind == "likes" else "mentions"
    settings = load(tmp_path, x_source("recorded", read_kind, role=role, **options))
    user_context = XCredentials("offline", "key", "secret", "token", "token-secret")
    with replay(shared_data / "payloads" / "tweepy" / "cassettes" / cassette):
        connector = XConnector.from_settings(settings, credentials=user_context)
        ctx = context(settings, page_cap=1, only_mentions=False, account_ids={"twitter": "783214"})
        pages = list(connector.pages(settings.source("recorded"), None, ctx))
    check_pages(pages)
    assert pages[-1].posts and all(p.created_at.tzinfo is UTC for p in pages[-1].posts)
    if read_kind == "likes":
        assert all(p.kind == "like" and p.native_id.startswith("like:783214:") for p in pages[-1].posts)


def twarc_cassette(jsonl: Path, out: Path) -> int:
    """A JSON-lines file of recorded X pages (twarc keeps the request URL) as a vcrpy cassette."""
    interactions = []
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        page = json.loads(line) if line.strip() else None
        if isinstance(page, dict) and "__twarc" in page:
            body = {k: v for k, v in page.items() if k != "__twarc"}
            interactions.append({
                "request": {"method": "GET", "uri": page["__twarc"]["url"], "body": None, "headers": {}},
                "response": {"status": {"code": 200, "message": "OK"},
                             "headers": {"content-type": ["application/json"]},
                             "body": {"string": json.dumps(body)}}})
    out.write_text(yaml.safe_dump({"version": 1, "interactions": interactions}), encoding="utf-8")
    return len(interactions)


@pytest.mark.shared
def test_a_full_recorded_search_page_replays_through_tweepy(shared_data, settings, tmp_path):
    cassette = tmp_path / "brexit.yaml"
    twarc_cassette(shared_data / "payloads" / "twarc-csv" / "test-data" / "brexit.jsonl", cassette)
    with replay(cassette):
        connector = XConnector.from_settings(settings, credentials=XCredentials(bearer_token="offline"))
        ctx = context(settings, page_cap=1, only_mentions=False)
        ctx.clock = lambda: datetime(2021, 9, 22, 17, 0, tzinfo=UTC)
        pages = list(connector.pages(settings.source("x-search"), None, ctx))
    check_pages(pages)
    kinds = Counter(p.kind for p in pages[0].posts)
    assert kinds == {"repost": 67, "post": 12, "quote": 11, "reply": 10}
    assert (pages[0].user_reads, len(pages[0].accounts)) == (177, 177)


@pytest.mark.shared
def test_every_recorded_x_page_normalises(shared_data):
    from connectors.x_payload import Origin, XPage

    origin = Origin("recorded", "public", None, "GET /2/tweets")
    for jsonl in sorted((shared_data / "payloads" / "twarc-csv" / "test-data").glob("*.jsonl")):
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            body = json.loads(line) if line.strip() else None
            if not isinstance(body, dict) or not isinstance(body.get("data"), list) or "text" not in body["data"][0]:
                continue
            page = XPage(body)
            posts = [page.to_post(t, origin, NOW) for t in page.data]
            check_pages([Page(posts, None)])
