"""The real Bluesky bodies in ../shared/data/payloads/atproto, replayed through the atproto SDK
(an httpx.MockTransport mapping each XRPC method to its recorded body) and the connector."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from connectors.base import SweepContext
from connectors.bluesky import BlueskyConnector
from monitor.config import Source
from monitor.demo_bluesky import ACCESS_JWT
from tests.contract import check_pages

CLOCK = datetime(2023, 10, 2, tzinfo=UTC)


@pytest.fixture
def recorded(shared_data: Path):
    """A handler serving the recorded bodies, and the list of requests it saw."""
    data = shared_data / "payloads" / "atproto" / "tests" / "test_atproto_client" / "models" / "test_data"
    body = {name: json.loads((data / f"{name}.json").read_text()) for name in
            ("thread_view_post_with_embed_media", "resolve_handle", "did_doc", "get_follows")}
    post = body["thread_view_post_with_embed_media"]["thread"]["post"]
    session = {k: body["did_doc"][k] for k in ("did", "handle", "didDoc")}
    answers = {
        "com.atproto.identity.resolveHandle": body["resolve_handle"],
        "app.bsky.feed.getAuthorFeed": {"feed": [{"post": post}]},
        "com.atproto.server.createSession": {**session, "accessJwt": ACCESS_JWT, "refreshJwt": ACCESS_JWT},
        "app.bsky.actor.getProfile": body["get_follows"]["subject"],
        "app.bsky.feed.searchPosts": {"posts": [post], "hitsTotal": 1},
    }
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        nsid = request.url.path.rsplit("/", 1)[-1]
        if nsid not in answers:
            return httpx.Response(400, json={"error": "InvalidRequest", "message": f"no fixture for {nsid}"})
        return httpx.Response(200, json=answers[nsid])

    return handler, seen, post


def test_an_author_feed_from_a_resolved_handle(recorded) -> None:
    handler, seen, post = recorded
    source = Source(name="sdk", kind="bluesky", target="", platform="bluesky", role="mentions",
                    options={"actor": "bsky.app"})
    pages = list(BlueskyConnector(transport=httpx.MockTransport(handler)).pages(
        source, None, SweepContext(clock=lambda: CLOCK)))
    check_pages(pages)
    [quote] = pages[0].posts
    assert quote.native_id == post["uri"] and quote.kind == "quote" and quote.ref["text"] == "test"
    assert [r.url.host for r in seen] == ["public.api.bsky.app"] * 2
    assert seen[1].url.params["actor"] == "did:plc:z72i7hdynmk6r22z27h6tvur"  # the recorded resolution


def test_search_logs_in_and_follows_the_session_to_its_pds(recorded) -> None:
    handler, seen, post = recorded
    source = Source(name="sdk", kind="bluesky", target="", platform="bluesky", role="mentions",
                    options={"search": "python"})
    connector = BlueskyConnector(login=("test.marshal.dev", "app-password"), transport=httpx.MockTransport(handler))
    pages = list(connector.pages(source, None, SweepContext(clock=lambda: CLOCK)))
    assert [p.native_id for page in pages for p in page.posts] == [post["uri"]]
    assert pages[0].reads == 3  # createSession, getProfile (the SDK's login), searchPosts
    hosts = [(r.url.host, r.url.path.rsplit("/", 1)[-1]) for r in seen]
    assert hosts[0] == ("bsky.social", "com.atproto.server.createSession")
    assert hosts[-1] == ("shimeji.us-east.host.bsky.network", "app.bsky.feed.searchPosts")  # from the DID document
    assert seen[-1].headers["Authorization"] == f"Bearer {ACCESS_JWT}"
