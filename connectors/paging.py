"""Newest-first paging whose every page carries a cursor that is safe to resume from.

Mastodon and Bluesky list a stream newest first and page downwards with a
keyset token (Mastodon ``max_id``; a Bluesky feed cursor; ``until`` for
Bluesky search). A run reads from the top down to ``newest``, the sort key of
the newest post the last complete run read (or down to the retention floor).
Each page carries ``{"newest": that boundary, "pending": the newest key of this
run, "resume": where to go on}``: resuming there reads the rest of the way
down first, and only the end of a run moves ``newest`` up to ``pending``. So a
run cut short by the page cap or a crash loses nothing and reads no page twice
(a post at the boundary's very time may be read again, never lost): the next
run finishes the way down, the one after reads what arrived meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from connectors.base import Cursor, Page, Post, SeenAccount, SourceUnavailable, SweepContext

Position = dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """One API page, newest first.

    ``items`` pairs each entry's sort key (strings that sort like the stream)
    with its post, or ``None`` for an entry that could not be normalised.
    ``next`` asks for the page below (``None`` at the end); ``resume`` is where
    a later run may continue, when that differs from ``next``. ``accounts``:
    the accounts resolved for this page and the authors seen on it.
    """

    items: list[tuple[str, Post | None]]
    next: Position | None
    resume: Position | None = None
    reads: int = 1
    accounts: list[SeenAccount] = field(default_factory=list)


Fetch = Callable[[Position | None, str | None], Batch]
"""``fetch(position, newest)``: the page at ``position`` (None: the top), above ``newest`` if the API can filter."""


def newest_first(fetch: Fetch, cursor: Cursor | None, context: SweepContext, floor: datetime,
                 label: str) -> Iterator[Page]:
    """Pages from the top of a stream (or from where an interrupted run stopped) down to the last run's newest."""
    state = dict(cursor or {})
    boundary: str | None = state.get("newest")
    top: str | None = state.get("pending")
    position: Position | None = state.get("resume")
    asked: set[str] = set()
    seen: set[str] = set()
    for number in range(1, context.page_cap + 1):
        token = json.dumps(position, sort_keys=True)
        if token in asked:
            raise SourceUnavailable(f"{label}: the platform returned the same page token twice ({token})")
        asked.add(token)
        batch = fetch(position, boundary)
        posts: list[Post] = []
        dropped = 0
        end = batch.next is None or not batch.items
        for key, post in batch.items:
            if (boundary is not None and key < boundary) or (post is not None and post.created_at < floor):
                end = True
                break
            top = key if top is None or key > top else top
            if post is None:
                dropped += 1
            elif post.native_id not in seen:
                seen.add(post.native_id)
                posts.append(post)
        if end:
            newest = top if top is not None else boundary
            yield Page(posts, {} if newest is None else {"newest": newest}, reads=batch.reads, dropped=dropped,
                       accounts=batch.accounts)
            return
        position = batch.next
        warning = None
        if number == context.page_cap:
            warning = f"stopped at the page cap ({context.page_cap} pages); the next sweep continues from there"
        yield Page(posts, {"newest": boundary, "pending": top, "resume": batch.resume or position},
                   reads=batch.reads, dropped=dropped, warning=warning, accounts=batch.accounts)


def mentions_only(pages: Iterator[Page], source: Any, context: SweepContext) -> Iterator[Page]:
    """A mention source keeps only posts that mention the Society (in their text or what they share)."""
    for page in pages:
        if source.role == "mentions" and context.mentions:
            page = replace(page, posts=[p for p in page.posts if context.mentions(p.text, (p.ref or {}).get("text"))])
        yield page
