"""X API v2 response pages to :class:`Post` records and the accounts seen in them.

A page is the JSON X sends: ``data`` (posts), ``includes`` (the expanded
authors, referenced posts and media) and ``meta``. Reposts, quotes and replies
carry the referenced post in ``ref``, because sharing breaching content is
itself a breach (policy 6b); a repost's own text is X's truncated "RT @..."
copy, so it is left empty and the shared words live in ``ref``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.base import BadRecord, Post, SeenAccount

# What a report needs: time, author, metrics, language, entities, attachments and the referenced posts.
TWEET_FIELDS = ["created_at", "author_id", "public_metrics", "lang", "entities", "attachments",
                "referenced_tweets", "conversation_id", "in_reply_to_user_id"]
EXPANSIONS = ["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id", "attachments.media_keys"]
USER_FIELDS = ["name", "username", "description"]
MEDIA_FIELDS = ["type", "url", "preview_image_url", "alt_text"]
REQUEST_FIELDS = {"tweet_fields": TWEET_FIELDS, "expansions": EXPANSIONS, "user_fields": USER_FIELDS,
                  "media_fields": MEDIA_FIELDS}

SNOWFLAKE_EPOCH_MS = 1288834974657
_KINDS = (("retweeted", "repost"), ("quoted", "quote"), ("replied_to", "reply"))


def snowflake_time(post_id: str | int) -> datetime:
    """When an X id was minted (the first 42 bits count milliseconds since 2010-11-04)."""
    return datetime.fromtimestamp(((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


def post_url(handle: str | None, post_id: str) -> str:
    return f"https://x.com/{handle}/status/{post_id}" if handle else f"https://x.com/i/web/status/{post_id}"


def _time(tweet: dict[str, Any]) -> datetime:
    value = tweet.get("created_at")
    if value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return snowflake_time(tweet["id"])


@dataclass(frozen=True)
class Origin:
    """Where a page came from: the configured source and how its authors are attributed."""

    source: str
    author_kind: str
    account: str | None
    endpoint: str


class XPage:
    """One response page, indexed for lookups."""

    def __init__(self, body: dict[str, Any]) -> None:
        includes = body.get("includes") or {}
        self.data: list[dict[str, Any]] = body.get("data") or []
        self.meta: dict[str, Any] = body.get("meta") or {}
        self.users = {u["id"]: u for u in includes.get("users") or [] if "id" in u}
        self.tweets = {t["id"]: t for t in includes.get("tweets") or [] if "id" in t}
        self.media = {m["media_key"]: m for m in includes.get("media") or [] if "media_key" in m}

    def read_ids(self) -> tuple[set[str], set[str]]:
        """The post ids and user ids this page read (what X bills)."""
        return ({t["id"] for t in self.data if "id" in t} | set(self.tweets), set(self.users))

    def handle(self, user_id: str | None) -> str | None:
        return (self.users.get(user_id) or {}).get("username") if user_id else None

    def ref(self, tweet: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
        """The post's kind and the post it shares, quotes or answers (expanded when X included it)."""
        refs = {r.get("type"): r.get("id") for r in tweet.get("referenced_tweets") or []}
        for ref_type, kind in _KINDS:
            if refs.get(ref_type):
                return kind, self.describe(refs[ref_type], ref_type)
        return "post", None

    def describe(self, post_id: str, ref_type: str | None = None) -> dict[str, Any]:
        found = self.tweets.get(post_id) or next((t for t in self.data if t.get("id") == post_id), None) or {}
        handle = self.handle(found.get("author_id"))
        out: dict[str, Any] = {"platform": "x", "id": post_id, "url": post_url(handle, post_id)}
        if ref_type:
            out["type"] = ref_type
        if found.get("text") is not None:
            out["text"] = html.unescape(found["text"])
        if handle:
            out["author_handle"] = handle
        return out

    def to_post(self, tweet: dict[str, Any], origin: Origin, retrieved: datetime) -> Post:
        if not tweet.get("id") or tweet.get("text") is None:
            raise BadRecord("X post without id or text")
        author = self.users.get(tweet.get("author_id") or "", {})
        kind, ref = self.ref(tweet)
        media = []
        for key in (tweet.get("attachments") or {}).get("media_keys") or []:
            item = self.media.get(key, {})
            media.append({k: v for k, v in {"url": item.get("url") or item.get("preview_image_url"),
                                             "type": item.get("type"),
                                             "description": item.get("alt_text")}.items() if v})
        raw = {"tweet": tweet, "author": author or None,
               "referenced": [self.tweets[r["id"]] for r in tweet.get("referenced_tweets") or []
                              if r.get("id") in self.tweets],
               "media": [self.media[k] for k in (tweet.get("attachments") or {}).get("media_keys") or []
                         if k in self.media]}
        if not tweet.get("created_at"):
            raw["monitor_date_fallback"] = "snowflake id"
        return Post(
            platform="x", native_id=tweet["id"], source=origin.source,
            text="" if kind == "repost" else html.unescape(tweet["text"]), created_at=_time(tweet),
            author_kind=origin.author_kind, url=post_url(author.get("username"), tweet["id"]),
            author_handle=author.get("username"), author_name=author.get("name"), account=origin.account,
            kind=kind, ref=ref, media=media, lang=tweet.get("lang"), raw=raw, endpoint=origin.endpoint,
            retrieved_at=retrieved,
        )

    def to_like(self, tweet: dict[str, Any], liker: SeenAccount, origin: Origin, retrieved: datetime,
                when: datetime | None) -> Post:
        """An official account's like of ``tweet``, as a post by the liker whose ``ref`` is the liked post.

        X does not say when a like happened: ``when`` is the time it was first seen,
        or None on a first (backfilling) sweep, where the liked post's own time is used.
        """
        if not tweet.get("id"):
            raise BadRecord("liked X post without id")
        liked = self.describe(tweet["id"], "liked")
        return Post(
            platform="x", native_id=f"like:{liker.platform_id}:{tweet['id']}", source=origin.source, text="",
            created_at=when or _time(tweet), author_kind=origin.author_kind, url=liked["url"],
            author_handle=liker.handle, author_name=liker.display_name, account=origin.account, kind="like",
            ref=liked, raw={"liked": tweet, "liked_author": self.users.get(tweet.get("author_id") or "")},
            endpoint=origin.endpoint, retrieved_at=retrieved,
        )

    def accounts(self) -> list[SeenAccount]:
        """Every expanded user, seen at the time of their newest post on the page."""
        active: dict[str, datetime] = {}
        for tweet in [*self.data, *self.tweets.values()]:
            if tweet.get("author_id") and tweet.get("id"):
                when = _time(tweet)
                active[tweet["author_id"]] = max(when, active.get(tweet["author_id"], when))
        return [SeenAccount("x", u["username"], u["id"], u.get("name"), u.get("description"), active.get(u["id"]))
                for u in self.users.values() if u.get("username")]
