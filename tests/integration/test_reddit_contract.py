"""The connector contract for Reddit, through the real praw client.

praw's own recorded cassettes (the project's trimmed copies, and the shared
payloads when present) are replayed with vcrpy; a multi-page local API on
127.0.0.1 exercises paging, the bounded overlap and resuming; every error
response is mapped to the error the sweep expects, and prawcore never sleeps.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import vcr

from connectors.base import Page, RateLimited, SourceUnavailable, SweepContext
from connectors.reddit import RedditConnector
from monitor.config import load_settings
from monitor.demo_reddit import ACCESS_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RedditDemoAPI
from tests.apiserver import ApiServer
from tests.conftest import REPO, SOCIETY_TOML
from tests.contract import ERROR_CASES, check_pages, check_resume, ids

FIXTURES = REPO / "tests" / "fixtures" / "reddit"
NOW = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)


def reddit_source(name: str, read: str, role: str = "mentions", account: str | None = None, **options: object) -> str:
    """A [[sources]] table for Reddit."""
    opts = ", ".join(f"{k} = {json.dumps(v)}" for k, v in {"read": read, **options}.items())
    owner = f'account = "{account}"\n' if account else ""
    return (f'[[sources]]\nname = "{name}"\nkind = "reddit"\nplatform = "reddit"\nrole = "{role}"\n{owner}'
            f"options = {{ {opts} }}\n")


SOURCES = (reddit_source("r-search", "search") + reddit_source("r-comments", "comments", subreddits=["Thornfield"])
           + reddit_source("r-user", "user", role="official", account="member0"))


def load(tmp_path: Path, sources: str = SOURCES):  # noqa: ANN201 - Settings
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + f'[store]\ndatabase_url = "sqlite:///{tmp_path}/m.db"\n' + sources,
                    encoding="utf-8")
    return load_settings(path)


def read(settings, base: str | None, name: str, cursor=None, page_cap: int = 20, clock=NOW,  # noqa: ANN001
         only_mentions: bool = True) -> list[Page]:
    connector = RedditConnector.from_settings(settings, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                                              api_base=base)
    context = SweepContext(clock=lambda: clock, page_cap=page_cap,
                           mentions=settings.society.mentioned_in if only_mentions else None)
    return list(connector.pages(settings.source(name), cursor, context))


@pytest.fixture
def settings(tmp_path):
    return load(tmp_path)


@pytest.fixture
def data() -> RedditDemoAPI:
    return RedditDemoAPI.generated(57, NOW - timedelta(hours=1), spacing_seconds=600, authors=5, page_size=10)


@pytest.fixture
def api(data):
    with ApiServer({"/reddit": data.handle}) as server:
        yield server


@pytest.mark.parametrize(("name", "count"), [("r-search", 29), ("r-comments", 28), ("r-user", 12)])
def test_pages_keep_the_contract_and_resume_loses_nothing(settings, api, name, count):
    pages = read(settings, api.base + "/reddit", name)
    check_pages(pages)
    assert len(ids(pages)) == count and all(k.startswith(("t3_", "t1_")) for _, k in ids(pages))
    check_resume(lambda cursor: read(settings, api.base + "/reddit", name, cursor))


def test_page_cap_records_where_to_continue_and_a_rerun_reads_nothing_twice(settings, api):
    base = api.base + "/reddit"
    first = read(settings, base, "r-comments", page_cap=2)
    assert "page cap of 2 reached" in first[-1].warning and first[-1].cursor["after"]
    second = read(settings, base, "r-comments", first[-1].cursor)
    assert not ids(first) & ids(second) and len(ids(first) | ids(second)) == 28
    final = second[-1].cursor
    newest = max(p.created_at for page in first for p in page.posts).timestamp()
    assert set(final) == {"newest", "recent"} and final["newest"] == newest
    api.calls.clear()
    third = read(settings, base, "r-comments", final)
    assert [p.posts for p in third] == [[]]
    assert [c.method for c in api.calls] == ["POST", "GET"]  # the token, then one listing page


def test_an_item_indexed_late_inside_the_overlap_is_still_read(settings, api, data):
    base = api.base + "/reddit"
    final = read(settings, base, "r-search")[-1].cursor
    late = {"kind": "t3", "data": {**data.newest_first[0]["data"], "id": "late001", "name": "t3_late001",
                                   "created_utc": final["newest"] - 1800, "title": "Late: Thornfield Local History "
                                   "Society minutes"}}
    data.newest_first.insert(1, late)
    data._searches.clear()
    again = read(settings, base, "r-search", final)
    assert ids(again) == {("reddit", "t3_late001")}


def test_an_exhausted_quota_raises_rate_limited_and_prawcore_never_sleeps(settings, data):
    calls = []

    def handle(method, path, query, headers):  # noqa: ANN001, ANN202
        status, out, body = data.handle(method, path, query, headers)
        calls.append(path)
        spent = len(calls) >= 3
        out |= {"x-ratelimit-remaining": "0.0" if spent else "1.0", "x-ratelimit-used": "599",
                "x-ratelimit-reset": "120"}
        return status, out, body

    with ApiServer({"/reddit": handle}) as server:
        connector = RedditConnector.from_settings(settings, client_id="id", client_secret="secret",
                                                  api_base=server.base + "/reddit")
        context = SweepContext(clock=lambda: NOW, page_cap=20)
        began = time.monotonic()
        with pytest.raises(RateLimited) as info:
            list(connector.pages(settings.source("r-comments"), None, context))
    # prawcore would have slept up to 10 s between pages with one request left; it never saw the headers.
    assert time.monotonic() - began < 3 and len(calls) == 3
    assert 100 < info.value.retry_after <= 120


def error_api(status: int, headers: dict[str, str], body: bytes):  # noqa: ANN201 - a handler
    def handle(method, path, query, request_headers):  # noqa: ANN001, ANN202
        if method == "POST":
            return 200, {"Content-Type": "application/json"}, json.dumps({
                "access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600, "scope": "*"}).encode()
        return status, headers, body
    return handle


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_responses_map_to_the_error_the_sweep_expects(settings, case):
    _, status, headers, body, expected = case
    with ApiServer({"/reddit": error_api(status, headers, body)}) as server, pytest.raises(expected) as info:
        read(settings, server.base + "/reddit", "r-user")
    if expected is RateLimited:
        assert info.value.retry_after == 30


@pytest.mark.parametrize(("status", "body", "reason"), [
    (403, b'{"reason": "private", "message": "Forbidden", "error": 403}', "private"),
    (403, b'{"message": "Forbidden", "error": 403}', "suspended"),
    (404, b'{"message": "Not Found", "error": 404}', "not found"),
    (302, b"", "redirected"),
])
def test_suspended_deleted_or_private_sources_are_unavailable_with_the_reason(settings, status, body, reason):
    headers = {"Content-Type": "application/json", "Location": "https://www.reddit.com/subreddits/search?q=x"}
    with ApiServer({"/reddit": error_api(status, headers, body)}) as server, \
            pytest.raises(SourceUnavailable, match=reason):
        read(settings, server.base + "/reddit", "r-user")


def test_refused_app_credentials_are_a_gap_not_a_crash(settings):
    def handle(method, path, query, headers):  # noqa: ANN001, ANN202
        return 401, {"Content-Type": "application/json"}, b'{"message": "Unauthorized", "error": 401}'

    with ApiServer({"/reddit": handle}) as server, pytest.raises(SourceUnavailable, match="credentials refused"):
        read(settings, server.base + "/reddit", "r-search")


def test_missing_credentials_name_the_environment_variables(settings):
    connector = RedditConnector.from_settings(settings)
    with pytest.raises(SourceUnavailable, match="MONITOR_REDDIT_CLIENT_ID"):
        list(connector.pages(settings.source("r-search"), None, SweepContext(clock=lambda: NOW)))


# --- praw's own recordings, through vcrpy -------------------------------------------------


def cassette(source: Path, tmp_path: Path, path: str | None = None) -> Path:
    """A praw cassette, its listing request moved to ``path`` when the connector reads another
    listing of the same shape (a user's overview has the shape of their submissions)."""
    recorded = json.loads(source.read_text(encoding="utf-8"))
    for interaction in recorded["interactions"]:
        parts = urlsplit(interaction["request"]["uri"])
        if path and interaction["request"]["method"] == "GET":
            interaction["request"]["uri"] = urlunsplit(parts._replace(path=path))
    out = tmp_path / source.name
    out.write_text(json.dumps(recorded), encoding="utf-8")
    return out


def replay(path: Path):  # noqa: ANN201 - a vcr cassette context
    return vcr.VCR(serializer="json", record_mode="none",
                   match_on=["method", "scheme", "host", "port", "path"]).use_cassette(str(path))


RECORDED = datetime(2016, 7, 12, tzinfo=UTC)
OLD = (reddit_source("recorded-comments", "comments", subreddits=["askreddit"], backfill_days=3650)
       + reddit_source("recorded-user", "user", role="official", account="spez", backfill_days=3650)
       + reddit_source("recorded-search", "search", role="official", query="praw oauth search", backfill_days=3650)
       + reddit_source("recorded-kakapo", "comments", subreddits=["kakapo"], backfill_days=3650))


def test_recorded_subreddit_comments_replay_through_praw(tmp_path):
    settings = load(tmp_path, OLD)
    with replay(FIXTURES / "subreddit-comments.json"):
        pages = read(settings, None, "recorded-comments", page_cap=1, clock=RECORDED, only_mentions=False)
    check_pages(pages)
    posts = pages[0].posts
    assert len(posts) == 20 and all(p.kind == "reply" and p.native_id.startswith("t1_") for p in posts)
    assert all(p.url.startswith("https://www.reddit.com/r/AskReddit/comments/") for p in posts)
    assert pages[0].cursor["after"] == "t1_" + posts[-1].native_id[3:]
    assert {a.handle for a in pages[0].accounts} >= {"r/AskReddit"}


def test_recorded_user_submissions_replay_as_their_overview(tmp_path):
    settings = load(tmp_path, OLD)
    with replay(cassette(FIXTURES / "redditor-submissions.json", tmp_path, "/user/spez/overview/")):
        pages = read(settings, None, "recorded-user", page_cap=1, clock=RECORDED, only_mentions=False)
    check_pages(pages)
    posts = pages[0].posts
    assert len(posts) == 20 and all(p.kind in ("post", "repost") and p.title for p in posts)
    assert all(p.author_handle == "spez" and "?" not in p.url for p in posts)


def test_a_recorded_403_is_a_gap_with_its_reason(tmp_path):
    settings = load(tmp_path, OLD)
    with replay(cassette(FIXTURES / "forbidden-403.json", tmp_path, "/user/spez/overview/")), \
            pytest.raises(SourceUnavailable, match="HTTP 403"):
        read(settings, None, "recorded-user", clock=RECORDED)


SHARED = [("TestSubreddit.test_search.json", "recorded-search", None, 6),
          ("TestSubredditListings.test_comments.json", "recorded-comments", None, 100),
          ("TestRedditorListings.test_comments__new.json", "recorded-user", "/user/spez/overview/", 100),
          # 30 of spez's submissions are older than the ten-year backfill
          ("TestRedditorListings.test_submissions__new.json", "recorded-user", "/user/spez/overview/", 70),
          ("TestSubredditStreams.test_comments__with_pause.json", "recorded-kakapo", None, 16)]


@pytest.mark.shared
@pytest.mark.parametrize(("name", "source", "path", "count"), SHARED, ids=[s[0] for s in SHARED])
def test_prawcores_recorded_listings_replay_through_the_connector(shared_data, tmp_path, name, source, path, count):
    settings = load(tmp_path, OLD)
    recorded = shared_data / "payloads" / "praw" / "tests" / "integration" / "cassettes" / name
    with replay(cassette(recorded, tmp_path, path)):
        pages = read(settings, None, source, page_cap=1, clock=RECORDED, only_mentions=False)
    check_pages(pages)
    assert len(pages[0].posts) == count


@pytest.mark.shared
@pytest.mark.parametrize(("name", "match"), [("TestRedditorListings.test_saved__other_user.json", "HTTP 403"),
                                             ("TestSubreddit.test_traffic__not_public.json", "HTTP 404"),
                                             ("TestReddit.test_bad_request_without_json_text_html_response.json",
                                              "HTTP 400")])
def test_prawcores_recorded_errors_are_gaps(shared_data, tmp_path, name, match):
    settings = load(tmp_path, OLD)
    recorded = shared_data / "payloads" / "praw" / "tests" / "integration" / "cassettes" / name
    with replay(cassette(recorded, tmp_path, "/user/spez/overview/")), pytest.raises(SourceUnavailable, match=match):
        read(settings, None, "recorded-user", clock=RECORDED)
