"""The records and errors every connector speaks.

A connector is a small class with one job: turn a configured source into
pages of normalised :class:`Post` records, each page carrying the cursor that
is safe to resume from after it. Connectors never write to the store and never
classify; the sweep does both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

PLATFORMS = ("x", "reddit", "mastodon", "bluesky", "facebook", "instagram", "blog", "forum", "web")
AUTHOR_KINDS = ("official", "personal", "public")
POST_KINDS = ("post", "reply", "repost", "quote", "like")

Cursor = dict[str, Any]
"""A JSON-serialisable bookmark for one source (ETag, since_id, timestamps...)."""


@dataclass(frozen=True)
class Post:
    """One normalised post, whichever platform and connector it came from.

    Identity is ``(platform, native_id)``: the same post found by two
    connectors is stored once.
    """

    platform: str
    native_id: str
    source: str
    text: str
    created_at: datetime
    author_kind: str = "public"
    url: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    account: str | None = None
    title: str | None = None
    kind: str = "post"
    ref: dict[str, Any] | None = None
    media: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None
    raw: dict[str, Any] | None = None
    endpoint: str | None = None
    retrieved_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise BadRecord(f"unknown platform {self.platform!r}")
        if not self.native_id:
            raise BadRecord("post has no native id")
        if self.created_at.tzinfo is None:
            raise BadRecord(f"post {self.native_id!r} has a naive created_at")
        if self.author_kind not in AUTHOR_KINDS:
            raise BadRecord(f"unknown author kind {self.author_kind!r}")
        if self.kind not in POST_KINDS:
            raise BadRecord(f"unknown post kind {self.kind!r}")
        if self.author_handle and self.author_handle.startswith("@"):
            object.__setattr__(self, "author_handle", self.author_handle[1:])
        object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))

    def to_json(self) -> dict[str, Any]:
        """The post as a JSON-ready dict (what ``preview`` prints)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for key in ("created_at", "retrieved_at"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


@dataclass(frozen=True)
class SeenAccount:
    """An account a connector came across: a configured handle with its resolved
    platform id, or a candidate for unapproved-account detection."""

    platform: str
    handle: str
    platform_id: str | None = None
    display_name: str | None = None
    description: str | None = None
    seen_at: datetime | None = None
    """When the account was seen active (its post's time), if known."""


@dataclass(frozen=True)
class Page:
    """A batch of posts and the cursor that is safe to resume from after it.

    ``cursor`` is ``None`` while resuming from here could skip posts (for
    example the first pages of a newest-first listing); the sweep then keeps
    the previous cursor. ``warning`` is a problem worth showing in the report's
    coverage section (a malformed feed, a page cap reached). ``reads`` counts
    billed reads (X), of which ``user_reads`` were user objects (billed at
    another price); ``accounts`` lists the accounts seen on the page.
    """

    posts: list[Post]
    cursor: Cursor | None
    reads: int = 0
    dropped: int = 0
    warning: str | None = None
    user_reads: int = 0
    accounts: list[SeenAccount] = field(default_factory=list)


@dataclass
class SweepContext:
    """What the sweep hands a connector for one source."""

    clock: Callable[[], datetime]
    page_cap: int = 10
    timeout: float = 20.0
    max_bytes: int = 20_000_000
    read_budget: int | None = None
    account_ids: dict[str, str] = field(default_factory=dict)
    mentions: Callable[..., bool] | None = None
    """True when any of the texts given mentions the Society (mention sources keep only those)."""


class SourceSpec(Protocol):
    """The parts of a configured source a connector reads."""

    name: str
    kind: str
    target: str
    platform: str
    role: str
    account: str | None


class Connector(Protocol):
    """Every platform connector has this shape."""

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        ...


# --- errors: each one says what the sweep should do -------------------------


class ConnectorError(Exception):
    """Base class of everything a connector may raise on purpose."""


class RetriableError(ConnectorError):
    """A transient failure: back off within a bound, then give up for this run."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(RetriableError):
    """The platform asked us to wait ``retry_after`` seconds."""


class SourceUnavailable(ConnectorError):
    """The source cannot be read this run (auth revoked, deleted, 404...): record the gap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadRecord(ConnectorError):
    """One record could not be normalised: drop it, count it, keep the rest."""


class ConfigError(ConnectorError):
    """The configuration is wrong: stop at start-up."""


def cursor_to_json(cursor: Cursor | None) -> str | None:
    """Serialise a cursor, failing loudly if a connector put something odd in it."""
    return None if cursor is None else json.dumps(cursor, sort_keys=True)
