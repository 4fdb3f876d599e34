"""The contract every connector keeps, as reusable checks.

Each platform's contract test replays its recorded responses through its
connector and calls these:

- ``check_pages``: aware UTC timestamps, unique ids, cursors that survive JSON;
- ``check_resume``: stopping after any page and resuming from the last safe
  cursor loses nothing;
- ``ERROR_CASES``: HTTP failures, each with the error type the sweep expects
  (serve them on 127.0.0.1 with ``tests.feedserver.FeedServer``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import timedelta

from connectors.base import Cursor, Page, RateLimited, RetriableError, SourceUnavailable


def ids(pages: Iterable[Page]) -> set[tuple[str, str]]:
    return {(p.platform, p.native_id) for page in pages for p in page.posts}


def check_pages(pages: list[Page]) -> None:
    """Aware UTC timestamps, no id twice within a run, every cursor a JSON round-trip."""
    seen: set[tuple[str, str]] = set()
    for page in pages:
        for post in page.posts:
            assert post.created_at.tzinfo is not None and post.created_at.utcoffset() == timedelta(0), post
            key = (post.platform, post.native_id)
            assert key not in seen, f"{key} twice in one run"
            seen.add(key)
        if page.cursor is not None:
            assert json.loads(json.dumps(page.cursor)) == page.cursor


def check_resume(run: Callable[[Cursor | None], list[Page]]) -> None:
    """For every stopping point, the pages read before it plus a run resumed from the
    last safe cursor cover everything one uninterrupted run reads."""
    full = run(None)
    everything = ids(full)
    assert everything, "the recorded source must have posts"
    for stop in range(1, len(full)):
        before = full[:stop]
        safe = next((p.cursor for p in reversed(before) if p.cursor is not None), None)
        resumed = run(safe)
        missing = everything - ids(before) - ids(resumed)
        assert not missing, f"stopping after page {stop} lost {sorted(missing)[:3]}"


HTML_ERROR = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"

# (name, status, headers, body, expected error type)
ERROR_CASES: list[tuple[str, int, dict[str, str], bytes, type[Exception]]] = [
    ("rate limited", 429, {"Retry-After": "30", "x-rate-limit-reset": "0", "Content-Type": "application/json"},
     b'{"title": "Too Many Requests"}', RateLimited),
    ("unauthorised", 401, {"Content-Type": "application/json"}, b'{"error": "unauthorized"}', SourceUnavailable),
    ("forbidden", 403, {"Content-Type": "application/json"}, b'{"error": "forbidden"}', SourceUnavailable),
    ("not found", 404, {"Content-Type": "application/json"}, b'{"error": "not found"}', SourceUnavailable),
    ("server error", 503, {"Content-Type": "application/json"}, b'{"error": "unavailable"}', RetriableError),
    ("html error page", 200, {"Content-Type": "text/html"}, HTML_ERROR, RetriableError),
    ("truncated json", 200, {"Content-Type": "application/json"}, b'{"data": [{"id": "1", "te', RetriableError),
]
