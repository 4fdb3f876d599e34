"""Real Bluesky response bodies (the project's own recorded fixtures) through the atproto SDK
(an httpx.MockTransport) and the connector: identity, kinds, refs, media, resolution."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from connectors.base import SourceUnavailable, SweepContext
from connectors.bluesky import BlueskyConnector
from monitor.config import Source
from tests.contract import check_pages

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bluesky"
CLOCK = datetime(2023, 10, 2, tzinfo=UTC)
VIEW = json.loads((FIXTURES / "thread_view_post_with_embed_media.json").read_text())["thread"]["post"]
BY = {"did": "did:plc:z72i7hdynmk6r22z27h6tvur", "handle": "bsky.app", "displayName": "Bluesky"}


def feed() -> list[dict]:
    """The recorded post; a repost of it; a reply to it; an entry whose record cannot be read."""
    repost = {"post": VIEW, "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": BY,
                                       "indexedAt": "2023-09-29T08:00:00.000Z",
                                       "uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.repost/3kaj"}}
    reply = copy.deepcopy(VIEW)
    reply.update(uri="at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kai", author=BY,
                 indexedAt="2023-09-28T20:00:00.000Z", embed=None)
    ref = {"uri": VIEW["uri"], "cid": VIEW["cid"]}
    reply["record"] = {"$type": "app.bsky.feed.post", "text": "Nice one", "createdAt": "2023-09-28T20:00:00.000Z",
                       "reply": {"root": ref, "parent": ref}}
    broken = copy.deepcopy(VIEW)
    broken.update(uri="at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kah", indexedAt="neither")
    broken["record"]["createdAt"] = "not a time"
    return [repost, {"post": reply, "reply": {"root": VIEW, "parent": VIEW}}, {"post": VIEW}, {"post": broken}]


def handler(request: httpx.Request) -> httpx.Response:
    nsid = request.url.path.rsplit("/", 1)[-1]
    if nsid == "com.atproto.identity.resolveHandle":
        return httpx.Response(200, content=(FIXTURES / "resolve_handle.json").read_bytes(),
                              headers={"Content-Type": "application/json"})
    if nsid == "app.bsky.feed.getAuthorFeed" and request.url.params["actor"] == BY["did"]:
        return httpx.Response(200, json={"feed": feed()})
    return httpx.Response(400, json={"error": "InvalidRequest", "message": "Profile not found"})


def test_recorded_posts_through_the_sdk() -> None:
    source = Source(name="bsky", kind="bluesky", target="", platform="bluesky", role="official",
                    account="bsky.app", options={})
    context = SweepContext(clock=lambda: CLOCK)
    pages = list(BlueskyConnector(transport=httpx.MockTransport(handler)).pages(source, None, context))
    check_pages(pages)
    assert [(p.reads, p.dropped) for p in pages] == [(2, 1)]
    resolved, *authors = pages[0].accounts  # the handle resolved to its DID, for the sweep to keep; the authors
    assert (resolved.handle, resolved.platform_id) == ("bsky.app", BY["did"]) and not context.account_ids
    assert {(a.handle, a.platform_id) for a in authors} == {("test.marshal.dev", VIEW["author"]["did"]),
                                                            ("bsky.app", BY["did"])}  # wrote the reply, reposted
    sdk = next(a for a in authors if a.handle == "test.marshal.dev")
    assert sdk.display_name == "Python SDK" and sdk.seen_at.tzinfo is UTC
    repost, reply, quote = pages[0].posts

    assert quote.native_id == VIEW["uri"] and quote.kind == "quote"  # the at:// URI: the profile RSS guid
    assert quote.url == "https://bsky.app/profile/did:plc:kvwvcn5iqfooopmyzvb4qzba/post/3kaheyt6vpc22"
    assert quote.author_handle == "test.marshal.dev" and quote.author_name == "Python SDK"
    assert quote.created_at == datetime(2023, 9, 28, 12, 49, 36, 735000, tzinfo=UTC) and quote.lang == "en"
    assert quote.ref["id"] == "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kahesw26il2z"
    assert quote.ref["text"] == "test"
    assert quote.media[0]["type"] == "image" and quote.media[0]["url"].startswith("https://cdn.bsky.app/")
    assert (quote.author_kind, quote.account) == ("official", "bsky.app") and quote.raw["post"]["cid"]

    assert repost.kind == "repost" and repost.native_id.endswith("/app.bsky.feed.repost/3kaj")
    assert repost.author_handle == "bsky.app" and repost.text == "" and repost.ref["id"] == VIEW["uri"]
    assert repost.ref["media"] == quote.media and repost.created_at == datetime(2023, 9, 29, 8, tzinfo=UTC)

    assert reply.kind == "reply" and reply.ref["id"] == VIEW["uri"]
    assert pages[0].cursor == {"newest": "2023-09-29T08:00:00.000Z"}


def test_a_kept_did_is_not_resolved_again() -> None:
    source = Source(name="bsky", kind="bluesky", target="", platform="bluesky", role="official",
                    account="bsky.app", options={})
    context = SweepContext(clock=lambda: CLOCK, account_ids={"bsky.app": BY["did"]})
    [page] = BlueskyConnector(transport=httpx.MockTransport(handler)).pages(source, None, context)
    assert page.reads == 1  # the feed only: no resolveHandle


def test_an_unknown_actor_is_a_recorded_gap() -> None:
    source = Source(name="bsky", kind="bluesky", target="", platform="bluesky", role="mentions",
                    options={"actor": "did:plc:nobody"})
    connector = BlueskyConnector(transport=httpx.MockTransport(handler))
    with pytest.raises(SourceUnavailable, match="getAuthorFeed: HTTP 400"):
        list(connector.pages(source, None, SweepContext(clock=lambda: CLOCK)))
