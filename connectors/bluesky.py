"""Bluesky, through the atproto SDK.

One source reads one stream, named in its ``options``:

- ``actor = "davidpryce.bsky.social"`` (a handle or a DID): the account's author
  feed from the public AppView (``url``, default https://public.api.bsky.app; no
  login), with its reposts and quote posts. Without options an official or
  personal source reads its ``account`` or the person's declared Bluesky handle.
  Handles are resolved to DIDs once and kept (``context.account_ids``).
- ``search = "Thornfield Local History Society"``: post search, which needs a
  login (``MONITOR_BLUESKY_HANDLE`` and ``MONITOR_BLUESKY_APP_PASSWORD``, an app
  password) on the service in ``url`` (default https://bsky.social); without one
  the source is skipped and the gap recorded.

``page_size`` (1-100, default 100) is the other option. Posts are normalised
by connectors.bluesky_records. Every request goes through a bounded httpx
transport; errors, rate limits included, become the connector errors.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from atproto import Client
from atproto_client.exceptions import ModelError, RequestErrorBase
from atproto_client.models.utils import get_model_as_dict
from atproto_client.request import Request

from connectors.base import (
    Cursor,
    Page,
    RetriableError,
    SeenAccount,
    SourceUnavailable,
    SweepContext,
)
from connectors.bluesky_records import accounts_seen, feed_items, resume_until, search_items
from connectors.bounded import BoundedTransport, raise_for_response
from connectors.options import Options, check_sources
from connectors.paging import Batch, Position, mentions_only, newest_first

HANDLE_ENV = "MONITOR_BLUESKY_HANDLE"
PASSWORD_ENV = "MONITOR_BLUESKY_APP_PASSWORD"
APPVIEW = "https://public.api.bsky.app"
SERVICE = "https://bsky.social"
OPTIONS = {"actor", "search", "page_size"}
MAX_PAGE = 100
_ACTOR = re.compile(r"^(did:[a-z]+:[A-Za-z0-9._:%-]+|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$")


@dataclass(frozen=True)
class Stream:
    """What one Bluesky source reads: ``kind`` is actor or search."""

    kind: str
    value: str
    base_url: str
    page_size: int


def stream_for(source: Any, handles: Mapping[str, str] | None = None, settings: Any = None) -> Stream:
    """Validate ``source.options``; ``handles`` maps person ids to their Bluesky handle. With ``settings``
    (the loaded config) each problem names the file and the source's place in it."""
    opts = Options(settings, source)
    if source.platform != "bluesky":
        opts.problem("platform", "'bluesky' (what a bluesky source reads)", source.platform)
    if {"actor", "search"} <= opts.data.keys():
        opts.problem("options", "only one of actor or search", ["actor", "search"])
    kind = "search" if "search" in opts.data else "actor"
    opts.data.setdefault(kind, source.account or (handles or {}).get(source.person or ""))  # else its own account
    value = opts.get(kind, str, "a Bluesky handle or DID (options.actor) or search text (options.search); an "
                     "official or personal source may name its account instead", "",
                     lambda v: bool(v.strip())).strip().lstrip("@")
    if kind == "actor":
        value = value if value.startswith("did:") else value.lower()
        if value and not _ACTOR.match(value):
            opts.problem("options.actor", "a handle such as 'name.bsky.social' or a DID such as 'did:plc:...'", value)
    page_size = opts.get("page_size", int, f"a whole number from 1 to {MAX_PAGE}", MAX_PAGE,
                         lambda v: 1 <= v <= MAX_PAGE)
    base_url = source.target or (APPVIEW if kind == "actor" else SERVICE)
    if not base_url.startswith(("http://", "https://")):
        opts.problem("url", "the service's address, such as " + (APPVIEW if kind == "actor" else SERVICE), base_url)
    opts.close(OPTIONS)
    return Stream(kind, value, base_url.rstrip("/"), page_size)


@contextmanager
def _mapped(endpoint: str) -> Iterator[None]:
    """atproto's errors as the connector errors the sweep understands."""
    try:
        yield
    except RequestErrorBase as exc:
        if exc.response is None:
            raise RetriableError(f"{endpoint}: connection failed ({type(exc).__name__})") from None
        raise_for_response(exc.response.status_code, endpoint, exc.response.headers)
        raise RetriableError(f"{endpoint}: unexpected HTTP {exc.response.status_code}") from None
    except (ModelError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise RetriableError(f"{endpoint}: unusable response ({type(exc).__name__})") from None


class BlueskyConnector:
    """Reads Bluesky author feeds (public AppView) and post search (logged in) with the atproto SDK."""

    def __init__(self, login: tuple[str, str] | None = None, retention_days: int = 400,
                 handles: Mapping[str, str] | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.login = login
        self.retention_days = retention_days
        self.handles = dict(handles or {})
        self.transport = transport  # tests: an httpx.MockTransport
        self._searchers: dict[str, tuple[Client, BoundedTransport]] = {}  # logged in, by service

    @classmethod
    def from_settings(cls, settings: Any, secrets: Mapping[str, str] | None = None) -> BlueskyConnector:
        """Built from the settings, with every Bluesky source's options checked at start-up."""
        handles = {p.id: a.handle for p in settings.people for a in p.accounts if a.platform == "bluesky"}
        check_sources(settings, "bluesky", lambda source: stream_for(source, handles, settings))
        env = os.environ if secrets is None else secrets
        handle, password = env.get(HANDLE_ENV), env.get(PASSWORD_ENV)
        return cls(login=(handle, password) if handle and password else None,
                   retention_days=settings.retention_days, handles=handles)

    def _client(self, base_url: str, context: SweepContext) -> tuple[Client, BoundedTransport]:
        transport = BoundedTransport(context.timeout, context.max_bytes, self.transport)
        return Client(base_url=base_url, request=Request(transport=transport, timeout=context.timeout)), transport

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        stream = stream_for(source, self.handles)
        if stream.kind == "search" and self.login is None:
            raise SourceUnavailable(f"Bluesky search needs a login: set {HANDLE_ENV} and {PASSWORD_ENV} "
                                    "(an app password)")
        client, transport = (self._searchers.get(stream.base_url) if stream.kind == "search" else None) \
            or self._client(stream.base_url, context)
        counted = [transport.count]  # requests already paid for by an earlier page
        if stream.kind == "search" and stream.base_url not in self._searchers:
            with _mapped(f"{stream.base_url}/xrpc/com.atproto.server.createSession"):
                client.login(*self.login)  # once per service and sweep: createSession is rate limited
            self._searchers[stream.base_url] = client, transport
        label = f"{source.name} ({stream.base_url} {stream.kind} {stream.value})"
        floor = context.clock() - timedelta(days=self.retention_days)
        actors: list[str] = []  # the DID, resolved once per run

        def fetch(position: Position | None, newest: str | None) -> Batch:
            retrieved = context.clock()
            resolved: list[SeenAccount] = []
            if stream.kind == "actor":
                endpoint = f"{stream.base_url}/xrpc/app.bsky.feed.getAuthorFeed"
                with _mapped(endpoint):
                    if not actors:
                        actors.append(self._did(client, stream, context, resolved))
                    params = {"actor": actors[0], "limit": stream.page_size, **(position or {})}
                    out = get_model_as_dict(client.app.bsky.feed.get_author_feed(params))
                entries = out.get("feed") or []
                items = feed_items(entries, source, retrieved, endpoint)
                following = {"cursor": out["cursor"]} if out.get("cursor") and entries else None
                resume = None
            else:
                endpoint = f"{stream.base_url}/xrpc/app.bsky.feed.searchPosts"
                params = {"q": stream.value, "sort": "latest", "limit": stream.page_size, **(position or {})}
                if newest:
                    params["since"] = newest
                with _mapped(endpoint):
                    out = get_model_as_dict(client.app.bsky.feed.search_posts(params))
                entries = out.get("posts") or []
                items = search_items(entries, source, retrieved, endpoint)
                following = {**{k: v for k, v in (position or {}).items() if k == "until"},
                             "cursor": out["cursor"]} if out.get("cursor") and entries else None
                # Search cursors are offsets, which shift as posts arrive: a later run resumes by time instead.
                untils = [u for u in map(resume_until, entries) if u]
                resume = {"until": untils[-1]} if untils else None
            reads, counted[0] = transport.count - counted[0], transport.count
            return Batch(items, following, resume, reads=reads, accounts=resolved + accounts_seen(entries))

        yield from mentions_only(newest_first(fetch, cursor, context, floor, label), source, context)

    @staticmethod
    def _did(client: Client, stream: Stream, context: SweepContext, resolved: list[SeenAccount]) -> str:
        """The actor's DID: given, kept from an earlier run (``context.account_ids``), or resolved
        now and added to ``resolved`` for the sweep to keep."""
        if stream.value.startswith("did:"):
            return stream.value
        known = context.account_ids.get(stream.value)
        if known:
            return known
        did = client.com.atproto.identity.resolve_handle({"handle": stream.value}).did
        resolved.append(SeenAccount(platform="bluesky", handle=stream.value, platform_id=did))
        return did
