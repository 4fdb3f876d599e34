"""Bluesky posts and author-feed entries (the XRPC JSON, as dicts) as normalised posts.

A post is identified by its ``at://`` URI, the guid of the profile RSS feed, so
a post found by both is stored once; a repost by its own record's URI. Sort
keys are times to the millisecond (``sortAt``: the earlier of createdAt and
indexedAt; a repost's indexedAt), so a run can stop at the last run's newest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import BadRecord, Post, SeenAccount

_POST_URI = re.compile(r"^at://([^/]+)/app\.bsky\.feed\.post/([^/]+)$")


def parse_time(value: Any) -> datetime:
    """An atproto datetime (RFC 3339, with a zone) as aware UTC."""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadRecord(f"unreadable time {value!r}") from None
    if when.tzinfo is None:
        raise BadRecord(f"time without a zone {value!r}")
    return when.astimezone(UTC)


def stamp(when: datetime) -> str:
    """A sort key and API time: UTC to the millisecond, so it sorts as text."""
    when = when.astimezone(UTC)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{when.microsecond // 1000:03d}Z"


def web_url(uri: str) -> str | None:
    """``at://did/app.bsky.feed.post/rkey`` as its bsky.app address."""
    m = _POST_URI.match(uri or "")
    return f"https://bsky.app/profile/{m.group(1)}/post/{m.group(2)}" if m else None


def _handle(author: Mapping[str, Any]) -> str:
    handle = author.get("handle") or ""
    return author["did"] if not handle or handle == "handle.invalid" else handle


def _media(embed: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Images, video and link cards of an embed view, with their alt text or description."""
    kind = (embed or {}).get("$type", "")
    if kind == "app.bsky.embed.images#view":
        return [{"url": i.get("fullsize"), "type": "image", "description": i.get("alt") or None}
                for i in embed.get("images") or []]
    if kind == "app.bsky.embed.gallery#view":
        return [{"url": i.get("fullsize"), "type": "image", "description": i.get("alt") or None}
                for i in embed.get("items") or []]
    if kind == "app.bsky.embed.video#view":
        return [{"url": embed.get("playlist"), "type": "video", "description": embed.get("alt") or None}]
    if kind == "app.bsky.embed.external#view":
        card = embed.get("external") or {}
        about = " - ".join(x for x in (card.get("title"), card.get("description")) if x)
        return [{"url": card.get("uri"), "type": "link", "description": about or None}]
    if kind == "app.bsky.embed.recordWithMedia#view":
        return _media(embed.get("media"))
    return []


def _quoted(embed: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The post a quote post embeds, as a ``ref`` (None when the embed quotes no post)."""
    kind = (embed or {}).get("$type", "")
    if kind == "app.bsky.embed.recordWithMedia#view":
        embed = embed.get("record") or {}
    elif kind != "app.bsky.embed.record#view":
        return None
    record = embed.get("record") or {}
    state = record.get("$type", "")
    if state == "app.bsky.embed.record#viewRecord":
        value = record.get("value") or {}
        if value.get("$type", "app.bsky.feed.post") != "app.bsky.feed.post":
            return None
        return {"platform": "bluesky", "id": record["uri"], "url": web_url(record["uri"]),
                "author_handle": _handle(record["author"]), "text": value.get("text", ""),
                "media": [m for e in record.get("embeds") or [] for m in _media(e)]}
    if state in ("app.bsky.embed.record#viewNotFound", "app.bsky.embed.record#viewBlocked",
                 "app.bsky.embed.record#viewDetached"):
        return {"platform": "bluesky", "id": record.get("uri"), "text": "", "state": state.rsplit("#view", 1)[-1]}
    return None


def _ref(view: Mapping[str, Any]) -> dict[str, Any]:
    """A post view as a ``ref``."""
    return {"platform": "bluesky", "id": view["uri"], "url": web_url(view["uri"]),
            "author_handle": _handle(view["author"]), "text": (view.get("record") or {}).get("text", ""),
            "media": _media(view.get("embed"))}


def sort_time(view: Mapping[str, Any]) -> datetime:
    """Where the AppView sorts a post: the earlier of its createdAt and indexedAt."""
    indexed = parse_time(view["indexedAt"])
    try:
        return min(parse_time((view.get("record") or {}).get("createdAt")), indexed)
    except BadRecord:
        return indexed


def _owner(source: Any) -> tuple[str, str | None]:
    return {"official": ("official", source.account),
            "personal": ("personal", source.person)}.get(source.role, ("public", None))


def post_to_post(view: Mapping[str, Any], source: Any, retrieved: datetime, endpoint: str,
                 parent: Mapping[str, Any] | None = None, raw: Mapping[str, Any] | None = None) -> Post:
    """Normalise a post view (``parent``: the reply's parent view, when the feed gives it)."""
    try:
        record = view.get("record") or {}
        quoted = _quoted(view.get("embed"))
        reply = record.get("reply")
        if quoted is not None:
            kind, ref = "quote", quoted
        elif reply:
            kind = "reply"
            if parent and parent.get("$type", "app.bsky.feed.defs#postView") == "app.bsky.feed.defs#postView":
                ref = _ref(parent)
            else:
                ref = {"platform": "bluesky", "id": reply["parent"]["uri"], "text": ""}
        else:
            kind, ref = "post", None
        try:
            created = parse_time(record.get("createdAt"))
        except BadRecord:
            created = parse_time(view["indexedAt"])
        author_kind, owner = _owner(source)
        return Post(platform="bluesky", native_id=view["uri"], source=source.name, text=record.get("text", ""),
                    created_at=created, author_kind=author_kind, url=web_url(view["uri"]),
                    author_handle=_handle(view["author"]), author_name=view["author"].get("displayName") or None,
                    account=owner, kind=kind, ref=ref, media=_media(view.get("embed")),
                    lang=(record.get("langs") or [None])[0], raw=dict(raw or view), endpoint=endpoint,
                    retrieved_at=retrieved)
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadRecord(f"post {view.get('uri')!r}: {type(exc).__name__}: {exc}") from None


def feed_item_to_post(item: Mapping[str, Any], source: Any, retrieved: datetime, endpoint: str) -> Post:
    """Normalise an author-feed item: a post, or a repost whose ``ref`` is the original."""
    reason = item.get("reason") or {}
    if reason.get("$type") != "app.bsky.feed.defs#reasonRepost":
        return post_to_post(item["post"], source, retrieved, endpoint, (item.get("reply") or {}).get("parent"), item)
    try:
        original, by = item["post"], reason["by"]
        author_kind, owner = _owner(source)
        return Post(platform="bluesky", native_id=reason.get("uri") or f"repost:{by['did']}:{original['uri']}",
                    source=source.name, text="", created_at=parse_time(reason["indexedAt"]),
                    author_kind=author_kind, url=web_url(original["uri"]), author_handle=_handle(by),
                    author_name=by.get("displayName") or None, account=owner, kind="repost", ref=_ref(original),
                    raw=dict(item), endpoint=endpoint, retrieved_at=retrieved)
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadRecord(f"repost in feed: {type(exc).__name__}: {exc}") from None


def accounts_seen(entries: list[Mapping[str, Any]]) -> list[SeenAccount]:
    """Who wrote and who reposted these feed entries or post views, and when, for account
    discovery (a DID is a platform id)."""
    seen: dict[str, SeenAccount] = {}
    for entry in entries:
        post, reason = entry.get("post", entry), entry.get("reason") or {}
        for author, when in ((post.get("author"), post.get("indexedAt")), (reason.get("by"), reason.get("indexedAt"))):
            with suppress(BadRecord, KeyError, TypeError):
                seen.setdefault(author["did"], SeenAccount(
                    platform="bluesky", handle=_handle(author), platform_id=author["did"],
                    display_name=author.get("displayName") or None, seen_at=parse_time(when)))
    return list(seen.values())


def resume_until(view: Mapping[str, Any]) -> str | None:
    """Just above the latest time this post may sort at, so resuming ``until`` it skips nothing."""
    try:
        indexed = parse_time(view["indexedAt"])
    except (BadRecord, KeyError, TypeError):
        return None
    with suppress(BadRecord):
        indexed = max(indexed, parse_time((view.get("record") or {}).get("createdAt")))
    return stamp(indexed + timedelta(milliseconds=1))


def _entry_key(entry: Mapping[str, Any]) -> str:
    reason = entry.get("reason") or {}
    if reason.get("$type") == "app.bsky.feed.defs#reasonRepost":
        return stamp(parse_time(reason["indexedAt"]))
    return stamp(sort_time(entry["post"]))


def _items(values: list[Mapping[str, Any]], key: Any, convert: Any, *args: Any) -> list[tuple[str, Post | None]]:
    """(sort key, post) for each value; an unreadable one is ("", None): dropped, and sorting
    below every time, so it never moves a run's boundary."""
    out = []
    for value in values:
        try:
            out.append((key(value), convert(value, *args)))
        except (BadRecord, KeyError, TypeError):
            out.append(("", None))
    return out


def feed_items(entries: list[Mapping[str, Any]], source: Any, retrieved: datetime,
               endpoint: str) -> list[tuple[str, Post | None]]:
    """(sort key, post) for each author-feed entry."""
    return _items(entries, _entry_key, feed_item_to_post, source, retrieved, endpoint)


def search_items(views: list[Mapping[str, Any]], source: Any, retrieved: datetime,
                 endpoint: str) -> list[tuple[str, Post | None]]:
    """(sort key, post) for each post view a search returned."""
    return _items(views, lambda v: stamp(sort_time(v)), post_to_post, source, retrieved, endpoint)
