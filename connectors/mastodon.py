"""Mastodon, through Mastodon.py.

One source reads one stream of one instance, named in its ``options``:

- ``account = "user@instance"``: the account's statuses with its reblogs
  (shares, which the profile RSS feed omits) and replies. Without options an
  official or personal source reads its ``account`` or the person's declared
  Mastodon handle. ``url`` defaults to the account's own instance.
- ``hashtag = "ThornfieldHistory"``: the instance's timeline for a hashtag.
- ``search = '"Thornfield Local History Society"'``: full-text search. It needs an
  access token (``MONITOR_MASTODON_ACCESS_TOKEN``, for the instance in ``url``;
  without one the source is skipped and the gap recorded), and it finds only
  posts whose authors opted in to search (Mastodon 4.2+, "indexable"), plus the
  token owner's own posts and mentions: it is never a complete picture.

Other options: ``authenticated`` (send the token; default true only for
search) and ``page_size`` (1-40, default 40). Statuses are normalised by
connectors.mastodon_records. Mastodon.py is told to throw on rate limits (never
to sleep): the sweep waits, through its own clock.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from mastodon import Mastodon, MastodonError, MastodonNetworkError

from connectors.api_http import api_session
from connectors.base import (
    ConnectorError,
    Cursor,
    Page,
    RetriableError,
    SeenAccount,
    SourceUnavailable,
    SweepContext,
)
from connectors.bounded import raise_for_response
from connectors.http import USER_AGENT
from connectors.mastodon_records import accounts_seen, status_items
from connectors.options import Options, check_sources
from connectors.paging import Batch, Position, mentions_only, newest_first

TOKEN_ENV = "MONITOR_MASTODON_ACCESS_TOKEN"
OPTIONS = {"account", "hashtag", "search", "authenticated", "page_size"}
MAX_PAGE = 40
# Declared so that Mastodon.py never asks the server for its version; search paging needs 2.8+.
ASSUMED_VERSION = "4.2.0"
_ACCT = re.compile(r"^[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+$")
_HASHTAG = re.compile(r"^\w+$")


@dataclass(frozen=True)
class Stream:
    """What one Mastodon source reads: ``kind`` is account, hashtag or search."""

    kind: str
    value: str
    base_url: str
    authenticated: bool
    page_size: int


def stream_for(source: Any, handles: Mapping[str, str] | None = None, settings: Any = None) -> Stream:
    """Validate ``source.options``; ``handles`` maps person ids to Mastodon handles, ``settings`` names the file."""
    opts = Options(settings, source)
    if source.platform != "mastodon":
        opts.problem("platform", "'mastodon' (what a mastodon source reads)", source.platform)
    chosen = [k for k in ("account", "hashtag", "search") if k in opts.data]
    if len(chosen) > 1:
        opts.problem("options", "only one of account, hashtag or search", chosen)
    kind = chosen[0] if chosen else "account"
    opts.data.setdefault(kind, source.account or (handles or {}).get(source.person or ""))  # else its own account
    value = opts.get(kind, str, "a Mastodon account, hashtag or search text (options.account, options.hashtag or "
                     "options.search; an official or personal source may name its account instead)", "",
                     lambda v: bool(v.strip())).strip()
    if kind == "account":
        value = value.lstrip("@").lower()
        if value and not _ACCT.match(value):
            opts.problem("options.account", "a handle such as 'user@instance.social'", value)
    elif kind == "hashtag":
        value = value.lstrip("#")
        if value and not _HASHTAG.match(value):
            opts.problem("options.hashtag", "a hashtag such as 'ThornfieldHistory'", value)
    authenticated = opts.get("authenticated", bool, "true or false", kind == "search")
    page_size = opts.get("page_size", int, f"a whole number from 1 to {MAX_PAGE}", MAX_PAGE,
                         lambda v: 1 <= v <= MAX_PAGE)
    base_url = source.target or (f"https://{value.split('@', 1)[1]}" if kind == "account" and "@" in value else "")
    if not base_url.startswith(("http://", "https://")):
        opts.problem("url", "the instance's address, such as 'https://mastodon.social'", base_url or None)
    opts.close(OPTIONS)
    return Stream(kind, value, base_url.rstrip("/"), authenticated, page_size)


class _Responses:
    """Counts a session's responses and keeps the last: Mastodon.py's errors carry no headers."""

    def __init__(self, session: requests.Session) -> None:
        self.count = 0
        self.last: requests.Response | None = None
        session.hooks["response"].append(self._seen)

    def _seen(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.count += 1
        self.last = response

    @contextmanager
    def mapped(self) -> Iterator[None]:
        """Mastodon.py's errors as the connector errors the sweep understands."""
        try:
            yield
        except MastodonNetworkError as exc:
            if isinstance(exc.__context__, ConnectorError):  # the session's deadline or size cap, wrapped
                raise exc.__context__ from None
            raise RetriableError(f"Mastodon: connection failed ({exc})") from None
        except MastodonError as exc:
            last = self.last
            if last is not None and last.status_code >= 400:
                raise_for_response(last.status_code, last.url, last.headers)
            where = last.url if last is not None else "Mastodon"
            raise RetriableError(f"{where}: unusable response ({str(exc.args[0]).split(',')[0]})") from None


class MastodonConnector:
    """Reads Mastodon accounts, hashtag timelines and searches with Mastodon.py."""

    def __init__(self, token: str | None = None, retention_days: int = 400,
                 handles: Mapping[str, str] | None = None) -> None:
        self.token = token
        self.retention_days = retention_days
        self.handles = dict(handles or {})

    @classmethod
    def from_settings(cls, settings: Any, secrets: Mapping[str, str] | None = None) -> MastodonConnector:
        """Built from the settings, with every Mastodon source's options checked at start-up."""
        handles = {p.id: a.handle for p in settings.people for a in p.accounts if a.platform == "mastodon"}
        check_sources(settings, "mastodon", lambda source: stream_for(source, handles, settings))
        env = os.environ if secrets is None else secrets
        return cls(token=env.get(TOKEN_ENV) or None, retention_days=settings.retention_days, handles=handles)

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        stream = stream_for(source, self.handles)
        if stream.authenticated and not self.token:
            opted_in = " (and search finds only posts whose authors opted in)" if stream.kind == "search" else ""
            raise SourceUnavailable(f"Mastodon {stream.kind} on {stream.base_url} needs an access token{opted_in}: "
                                    f"set {TOKEN_ENV}")
        session = api_session(context.timeout, context.max_bytes)
        responses = _Responses(session)
        api = Mastodon(api_base_url=stream.base_url, access_token=self.token if stream.authenticated else None,
                       ratelimit_method="throw", request_timeout=context.timeout, session=session,
                       user_agent=USER_AGENT, mastodon_version=ASSUMED_VERSION, version_check_mode="created")
        label = f"{source.name} ({stream.base_url} {stream.kind} {stream.value})"
        floor = context.clock() - timedelta(days=self.retention_days)
        account_ids: list[str] = []  # the account's id on this instance, looked up once per run

        def fetch(position: Position | None, newest: str | None) -> Batch:
            before = responses.count
            max_id = (position or {}).get("max_id")
            since_id = str(int(newest)) if newest and newest.isdigit() else None
            resolved: list[SeenAccount] = []
            with responses.mapped():
                if stream.kind == "account":
                    if not account_ids:
                        account_id, keep = self._account_id(api, stream, context)
                        account_ids.append(account_id)
                        if keep:
                            resolved.append(keep)
                    statuses = api.account_statuses(account_ids[0], max_id=max_id, since_id=since_id,
                                                    limit=stream.page_size)
                elif stream.kind == "hashtag":
                    statuses = api.timeline_hashtag(stream.value, max_id=max_id, since_id=since_id,
                                                    limit=stream.page_size)
                else:
                    statuses = api.search_v2(stream.value, resolve=False, result_type="statuses", max_id=max_id,
                                             exclude_unreviewed=False, limit=stream.page_size).statuses
            if not isinstance(statuses, list) or not all(isinstance(s, Mapping) for s in statuses):
                raise RetriableError(f"{label}: the response is not a list of statuses")
            endpoint = responses.last.url if responses.last is not None else stream.base_url
            retrieved = context.clock()
            items = status_items(statuses, source, retrieved, endpoint)
            last_id = statuses[-1].get("id") if statuses else None
            next_page = {"max_id": str(last_id)} if last_id else None
            return Batch(items, next_page, reads=responses.count - before, accounts=resolved + accounts_seen(statuses))

        yield from mentions_only(newest_first(fetch, cursor, context, floor, label), source, context)

    @staticmethod
    def _account_id(api: Mastodon, stream: Stream, context: SweepContext) -> tuple[str, SeenAccount | None]:
        """The account's id on the instance read, and the account to keep when it was looked up now.

        Ids are per instance: one is kept (and taken from ``context.account_ids``)
        only when the instance read is the account's own, where it is its platform id.
        """
        home = urlsplit(stream.base_url).hostname == stream.value.split("@", 1)[1]
        known = context.account_ids.get(stream.value) if home else None
        if known:
            return known, None
        account = api.account_lookup(stream.value)
        account_id = str(account["id"])
        keep = SeenAccount(platform="mastodon", handle=stream.value, platform_id=account_id,
                           display_name=account.get("display_name")) if home else None
        return account_id, keep
