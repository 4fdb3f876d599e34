"""RSS and Atom feeds: the Society's blog and profile feeds, declared people's
feeds, and mention sources (forums, news sites, alerts).

One request per sweep, conditional on the last ETag / Last-Modified; an
unchanged body (same SHA-256) is not parsed again. Entries come out in batches
so the sweep stores large feeds in bounded transactions; only the last batch
carries the new cursor, so a crash part-way re-reads the feed and the store
drops the repeats.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

from connectors.base import BadRecord, Cursor, Page, Post, SourceUnavailable, SweepContext
from connectors.http import Fetched, fetch, read_local
from connectors.text import html_to_text

# Relative links are resolved against this stand-in base first, so that no id
# ever depends on the host or port a feed was fetched from; links are then
# re-based onto the real origin.
_STAND_IN = "https://feed-base.invalid"
_REDDIT_FULLNAME = re.compile(r"(?:^|/)(t[1-6]_[a-z0-9]+)$")


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _struct_to_utc(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _jsonable(value: Any) -> Any:
    """feedparser's dicts, lists and struct_times as plain JSON values."""
    return json.loads(json.dumps(value, default=lambda o: list(o) if hasattr(o, "tm_year") else str(o)))


def profile_handle(platform: str, feed_link: str) -> str | None:
    """The account a Mastodon or Bluesky profile feed belongs to, from its channel link."""
    parts = urlsplit(feed_link)
    if platform == "mastodon":
        m = re.match(r"^/@([\w.]+)/?$", parts.path)
        return f"{m.group(1)}@{parts.netloc}" if m else None
    if platform == "bluesky":
        m = re.match(r"^/profile/([^/]+)/?$", parts.path)
        return m.group(1) if m else None
    return None


def _body(entry: Any) -> tuple[str, str]:
    """The entry's text, and a media description if there is one.

    Full HTML content (content:encoded, Atom content) wins over the summary.
    feedparser files a Media RSS ``<media:description>`` as plain-text content
    beside the summary: that is the media's description, not the post.
    """
    contents = entry.get("content") or []
    html = [c.get("value", "") for c in contents if c.get("type") in ("text/html", "application/xhtml+xml")]
    plain = [c.get("value", "") for c in contents if c.get("type") not in ("text/html", "application/xhtml+xml")]
    summary = entry.get("summary", "")
    if html:
        return html_to_text(max(html, key=len)), ""
    if summary and plain and entry.get("media_content"):
        return html_to_text(summary), html_to_text(max(plain, key=len))
    return html_to_text(summary or max(plain, key=len, default="")), ""


class FeedConnector:
    """Reads one RSS/Atom feed (a URL or a local file)."""

    def __init__(self, batch_size: int = 500, session: Any = None) -> None:
        self.batch_size = batch_size
        self.session = session

    @classmethod
    def from_settings(cls, settings: Any) -> FeedConnector:
        return cls(batch_size=settings.sweep.batch_size)

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        cursor = dict(cursor or {})
        document = self._get(source.target, cursor, context)
        if document.status == 304:
            yield Page([], cursor)
            return
        digest = hashlib.sha256(document.body).hexdigest()
        new_cursor = {k: v for k, v in {
            "etag": document.headers.get("etag"),
            "last_modified": document.headers.get("last-modified"),
            "sha256": digest,
        }.items() if v}
        if digest == cursor.get("sha256"):
            yield Page([], new_cursor)
            return
        posts, dropped, warning = self.parse(document, source, context)
        for start in range(0, max(len(posts), 1), self.batch_size):
            last = start + self.batch_size >= len(posts)
            yield Page(posts[start:start + self.batch_size], new_cursor if last else None,
                       dropped=dropped if last else 0, warning=warning if last else None)

    def _get(self, target: str, cursor: Cursor, context: SweepContext) -> Fetched:
        if _is_url(target):
            return fetch(target, timeout=context.timeout, max_bytes=context.max_bytes,
                         etag=cursor.get("etag"), last_modified=cursor.get("last_modified"),
                         session=self.session)
        return read_local(Path(target), context.max_bytes)

    def parse(self, document: Fetched, source: Any, context: SweepContext) -> tuple[list[Post], int, str | None]:
        """Normalise every usable entry; returns (posts, dropped, warning)."""
        real_origin = _origin(document.url) if _is_url(document.url) else ""
        stand_in_base = _STAND_IN + (urlsplit(document.url).path if real_origin else "/")
        headers = {"content-type": document.headers.get("content-type", "application/xml"),
                   "content-location": stand_in_base}
        for key in ("etag", "last-modified", "content-language"):
            if key in document.headers:
                headers[key] = document.headers[key]
        # The HTML is reduced to plain text below and never rendered, so feedparser's
        # (slow) sanitising and rewriting of links inside it would be wasted work.
        parsed = feedparser.parse(document.body, response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
        if parsed.bozo and not parsed.entries and not parsed.get("version"):
            reason = type(parsed.get("bozo_exception")).__name__
            raise SourceUnavailable(f"{source.target}: not a usable feed ({reason}: {parsed.get('bozo_exception')})")
        warning = None
        if parsed.bozo:
            warning = f"malformed feed, usable entries kept ({type(parsed.get('bozo_exception')).__name__})"

        feed = parsed.feed
        declared_site = str(feed.get("link") or "")
        # Relative ids are anchored on the site the feed declares, or kept as paths.
        anchor = "" if declared_site.startswith(_STAND_IN) else _origin(declared_site)
        site = real_origin + declared_site[len(_STAND_IN):] if not anchor else declared_site
        feed_date = _struct_to_utc(dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed"))
        handle = profile_handle(source.platform, site) if site else None
        retrieved = context.clock()

        def rebase_link(value: str) -> str:
            return real_origin + value[len(_STAND_IN):] if value.startswith(_STAND_IN) else value

        def identity(value: str) -> str:
            if source.platform == "reddit" and (fullname := _REDDIT_FULLNAME.search(value)):
                return fullname.group(1)  # Reddit's Atom <id> is the bare fullname the API uses
            return anchor + value[len(_STAND_IN):] if value.startswith(_STAND_IN) else value

        posts: list[Post] = []
        dropped = 0
        for entry in parsed.entries:
            try:
                post = self._entry_to_post(entry, source, feed, handle, feed_date, retrieved,
                                           rebase_link, identity, document.url)
            except (BadRecord, ValueError, TypeError):
                dropped += 1
                continue
            if source.role == "mentions" and context.mentions and not context.mentions(post.title, post.text):
                continue
            posts.append(post)
        return posts, dropped, warning

    def _entry_to_post(self, entry: Any, source: Any, feed: Any, handle: str | None, feed_date: datetime | None,
                       retrieved: datetime, rebase_link: Callable[[str], str], identity: Callable[[str], str],
                       endpoint: str) -> Post:
        title = html_to_text(entry.get("title", "")) or None
        text, media_note = _body(entry)
        link = rebase_link(entry.get("link", "") or "") or None
        raw = _jsonable(dict(entry))

        native_id = entry.get("id") or entry.get("link")
        if native_id:
            native_id = identity(native_id)
        else:
            # No id and no link: a stable digest of what the entry says.
            when = dict.get(entry, "published") or dict.get(entry, "updated") or ""
            basis = "\n".join([source.name, title or "", text, str(when)])
            native_id = "sha256:" + hashlib.sha256(basis.encode()).hexdigest()
        if not (title or text):
            raise BadRecord("entry has neither title nor text")

        # dict.get: feedparser's own get() maps a missing "updated" onto "published" with a warning.
        created = _struct_to_utc(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
        if created is None:
            raw["monitor_date_fallback"] = "feed date" if feed_date else "first retrieval"
            created = feed_date or retrieved

        author_kind, account = {"official": ("official", source.account),
                                "personal": ("personal", source.person)}.get(source.role, ("public", None))
        author_name = entry.get("author") or None
        profile = (entry.get("author_detail") or {}).get("href") or ""
        author_handle = handle or profile.rstrip("/").rsplit("/", 1)[-1] or author_name
        if source.platform == "mastodon" and handle is None and link:
            author_handle = profile_handle("mastodon", link.rsplit("/", 1)[0]) or author_handle

        media = []
        for m in entry.get("media_content", []) or []:
            media.append({"url": rebase_link(m.get("url", "")), "type": m.get("type") or m.get("medium")})
        for enc in entry.get("enclosures", []) or []:
            url = rebase_link(enc.get("href", ""))
            if url and all(item["url"] != url for item in media):
                media.append({"url": url, "type": enc.get("type")})
        if media_note and media:
            media[0]["description"] = media_note

        return Post(
            platform=source.platform, native_id=native_id, source=source.name, text=text, created_at=created,
            author_kind=author_kind, url=link, author_handle=author_handle, author_name=author_name,
            account=account, title=title, kind="post", media=media,
            lang=entry.get("language") or feed.get("language") or None, raw=raw, endpoint=endpoint,
            retrieved_at=retrieved,
        )
