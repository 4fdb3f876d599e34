"""X (API v2) through tweepy's ``Client``.

One source reads one stream (``[sources.options] read``):

- ``search``: recent search for the Society's names, handles and hashtags
  (about the last seven days; reposts left out unless ``include_reposts``);
- ``timeline``: an account's own posts, replies, reposts and quotes;
- ``mentions``: posts mentioning an account;
- ``likes``: an official account's own likes (user-context OAuth 1.0a; other
  users' likes have been private since 2024).

Credentials come only from the environment: ``MONITOR_X_BEARER_TOKEN`` (app
only, for everything but likes) and, for likes, the official account's
``MONITOR_X_CONSUMER_KEY``, ``MONITOR_X_CONSUMER_SECRET``,
``MONITOR_X_ACCESS_TOKEN`` and ``MONITOR_X_ACCESS_TOKEN_SECRET``. They are
registered with :mod:`connectors.redact`, so no debug log prints them.

Paging: newest first with ``next_token``; a run resumes with ``since_id``. Each
page's cursor is safe to resume from: while a window is being paged it records
the window, the next page token, the pending newest id and the oldest id read;
``since_id`` advances only when the window is exhausted. X bills every post and
user read: reads are counted once per UTC day (as X bills them), limited by the
sweep's read budget, and never repeated across sweeps except the first page of
likes (the endpoint has no ``since_id``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests

from connectors.api_http import api_session
from connectors.base import (
    ConnectorError,
    Cursor,
    Page,
    RateLimited,
    RetriableError,
    SeenAccount,
    SourceUnavailable,
    SweepContext,
)
from connectors.options import Options, check_sources
from connectors.redact import protect
from connectors.x_payload import REQUEST_FIELDS, Origin, XPage, snowflake_time

API_ORIGIN = "https://api.twitter.com"
READS = ("search", "timeline", "mentions", "likes")
SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=1)  # recent search refuses anything older
MAX_QUERY = 512
PAGE_SIZE = 100
MIN_RESULTS = {"search": 10, "timeline": 5, "mentions": 5, "likes": 10}
LIKES_HEAD = 20  # newest liked ids remembered to know where the last sweep stopped
_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
ENV = {"bearer_token": "MONITOR_X_BEARER_TOKEN", "consumer_key": "MONITOR_X_CONSUMER_KEY",
       "consumer_secret": "MONITOR_X_CONSUMER_SECRET", "access_token": "MONITOR_X_ACCESS_TOKEN",
       "access_token_secret": "MONITOR_X_ACCESS_TOKEN_SECRET"}


@dataclass(frozen=True)
class XCredentials:
    bearer_token: str | None = None
    consumer_key: str | None = None
    consumer_secret: str | None = None
    access_token: str | None = None
    access_token_secret: str | None = None

    @classmethod
    def from_env(cls, secret: Callable[[str], str | None]) -> XCredentials:
        return cls(**{field: secret(env) for field, env in ENV.items()})

    @property
    def user_context(self) -> bool:
        return all((self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret))


@dataclass(frozen=True)
class XPlan:
    """A source's validated options."""

    read: str
    handle: str | None
    query: str | None
    backfill: timedelta


def build_query(society: Any, x_handles: list[str], include_reposts: bool) -> str:
    """``("Full Name" OR ALIAS OR @handle OR #tag) -is:retweet`` from the Society's names."""
    terms = [f'"{t}"' if " " in t else t for t in (society.name, *society.aliases) if t]
    terms += [f"@{h}" for h in dict.fromkeys(x_handles)] + [f"#{t}" for t in society.hashtags]
    query = "(" + " OR ".join(terms) + ")"
    return query if include_reposts else query + " -is:retweet"


class _Budget:
    """The reads one source may still make this sweep, and page sizes that keep within it."""

    def __init__(self, left: int | None) -> None:
        self.left = left
        self.per_post = 2.0  # reads a returned post costs with its expansions; learnt page by page

    def spend(self, reads: int, posts: int) -> None:
        if self.left is not None:
            self.left -= reads
        if posts:
            self.per_post = max(1.0, reads / posts)

    def page_size(self, minimum: int, wanted: int = PAGE_SIZE) -> int | None:
        """Posts to ask for, or None when even the endpoint's minimum could go over the budget."""
        if self.left is None:
            return wanted
        size = min(wanted, int(self.left / self.per_post))
        return size if size >= minimum else None


class _Ledger:
    """X bills a post or user read once per UTC day: which reads are new today (for this process)."""

    def __init__(self) -> None:
        self.day: str | None = None
        self.seen: set[str] = set()

    def count(self, now: datetime, post_ids: set[str], user_ids: set[str]) -> tuple[int, int]:
        day = now.strftime("%Y-%m-%d")
        if day != self.day:
            self.day, self.seen = day, set()
        posts = {"p" + i for i in post_ids} - self.seen
        users = {"u" + i for i in user_ids} - self.seen
        self.seen |= posts | users
        return len(posts), len(users)


class _Refused(SourceUnavailable):
    """X refused the request as malformed (HTTP 400), e.g. an expired page token."""


class XConnector:
    """Reads X sources through one tweepy ``Client`` (created on first use)."""

    def __init__(self, settings: Any, credentials: XCredentials, api_base: str | None = None) -> None:
        self.settings = settings
        self.credentials = credentials
        self.api_base = api_base
        self.plans: dict[str, XPlan] = {}
        self.resolved: dict[str, SeenAccount] = {}
        self.ledger = _Ledger()
        self._client: Any = None
        protect(*vars(credentials).values())

    @classmethod
    def from_settings(cls, settings: Any, *, credentials: XCredentials | None = None,
                      api_base: str | None = None) -> XConnector:
        """Validates every X source's options (ConfigError naming file and key); credentials from the environment."""
        connector = cls(settings, credentials or XCredentials.from_env(settings.secret), api_base)
        check_sources(settings, "x", connector.plan)
        return connector

    # --- configuration ---------------------------------------------------------

    def x_handles(self) -> list[str]:
        """The configured X handles: official, declared personal, and the Society's handles that fit X."""
        handles = [a.handle for a in self.settings.official_accounts if a.platform == "x"]
        handles += [a.handle for p in self.settings.people for a in p.accounts if a.platform == "x"]
        return handles + [h for h in self.settings.society.handles if _X_HANDLE.match(h)]

    def plan(self, source: Any) -> XPlan:
        if source.name in self.plans:
            return self.plans[source.name]
        opts = Options(self.settings, source)
        if source.platform != "x":
            opts.problem("platform", "'x' for a source of kind 'x'", source.platform)
        default = "search" if source.role == "mentions" else "timeline"
        read = opts.get("read", str, "one of " + ", ".join(READS), default, lambda v: v in READS)
        handle = self._default_handle(source)
        if read != "search" and not (handle and _X_HANDLE.match(handle)):
            opts.problem("account", f"the X handle whose {read} to read, such as 'ThornfieldLHS' (or a person "
                                    "with an X account)", handle)
        if read == "likes" and source.role != "official":
            opts.problem("options.read", "'likes' only for role = 'official' (other users' likes are private)", read)
        include_reposts = opts.get("include_reposts", bool, "true or false", False)
        query = opts.get("query", str, f"an X search query of at most {MAX_QUERY} characters", None,
                         lambda v: 0 < len(v) <= MAX_QUERY)
        if read == "search" and query is None:
            query = build_query(self.settings.society, [h for h in self.x_handles() if _X_HANDLE.match(h)],
                                include_reposts)
            if len(query) > MAX_QUERY or self.settings.society.empty:
                opts.problem("options.query", f"a query of at most {MAX_QUERY} characters (the one built from "
                                              f"[society] is {len(query)} long)")
        longest = 7 if read == "search" else 3650
        days = opts.get("backfill_days", int, f"whole days between 1 and {longest}", 7 if read == "search" else 30,
                        lambda v: 1 <= v <= longest)
        opts.close({"read", "query", "include_reposts", "backfill_days"})
        self.plans[source.name] = XPlan(read, handle or None, query, timedelta(days=days))
        return self.plans[source.name]

    def _default_handle(self, source: Any) -> str | None:
        if source.account:
            return source.account.lstrip("@")
        if source.person:
            return next((a.handle for p in self.settings.people if p.id == source.person
                         for a in p.accounts if a.platform == "x"), None)
        if source.role == "official":
            return next((a.handle for a in self.settings.official_accounts if a.platform == "x"), None)
        return None

    # --- reading -----------------------------------------------------------------

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        plan = self.plan(source)
        budget = _Budget(context.read_budget)
        kind, account = {"official": ("official", source.account or plan.handle),
                         "personal": ("personal", source.person)}.get(source.role, ("public", None))
        if plan.read == "search":
            origin = Origin(source.name, kind, account, "GET /2/tweets/search/recent")
            call = self._search(plan)
        else:
            user = yield from self._resolve(plan.handle or "", context, budget)
            if plan.read == "likes":
                yield from self._likes(plan, user, source, cursor or {}, context, budget)
                return
            route = "tweets" if plan.read == "timeline" else "mentions"
            origin = Origin(source.name, kind, account, f"GET /2/users/{user.platform_id}/{route}")
            call = self._user_stream(plan.read, user.platform_id or "")
        yield from self._newest_first(plan, origin, call, cursor or {}, context, budget,
                                      source.role == "mentions")

    def client(self, context: SweepContext) -> Any:
        if self._client is None:
            import tweepy

            self._client = tweepy.Client(**vars(self.credentials), return_type=dict, wait_on_rate_limit=False)
            redirects = {API_ORIGIN: self.api_base} if self.api_base else None
            api_session(context.timeout, context.max_bytes, redirects, session=self._client.session)
        return self._client

    def _need_bearer(self) -> None:
        if not self.credentials.bearer_token:
            raise SourceUnavailable(f"X: no app token; set the environment variable {ENV['bearer_token']}")

    def _search(self, plan: XPlan) -> Callable[..., Any]:
        def call(client: Any, **params: Any) -> Any:
            return client.search_recent_tweets(plan.query, **params)
        return call

    def _user_stream(self, read: str, user_id: str) -> Callable[..., Any]:
        def call(client: Any, next_token: str | None = None, **params: Any) -> Any:
            method = client.get_users_tweets if read == "timeline" else client.get_users_mentions
            return method(user_id, **({"pagination_token": next_token} if next_token else {}), **params)
        return call

    @staticmethod
    def _liked(liker: SeenAccount) -> Callable[..., Any]:
        def call(client: Any, **params: Any) -> Any:
            return client.get_liked_tweets(liker.platform_id, user_auth=True, **params)
        return call

    def _resolve(self, handle: str, context: SweepContext, budget: _Budget) -> Iterator[Page]:
        """The account behind ``handle``: kept from an earlier sweep, or looked up once with every
        configured handle still unknown (one request) and reported on a page of its own."""
        key = handle.lower()
        if key in context.account_ids:
            return SeenAccount("x", handle, context.account_ids[key])
        if key not in self.resolved:
            self._need_bearer()
            wanted = {h.lower(): h for h in [handle, *self.x_handles()]
                      if _X_HANDLE.match(h) and h.lower() not in context.account_ids | self.resolved}
            body = self._call("GET /2/users/by", context, lambda c, **p: c.get_users(**p), allow_errors=True,
                              usernames=list(wanted.values())[:100], user_fields=REQUEST_FIELDS["user_fields"])
            found = [SeenAccount("x", u["username"], u["id"], u.get("name"), u.get("description"))
                     for u in body.get("data") or [] if u.get("username") and u.get("id")]
            self.resolved.update({a.handle.lower(): a for a in found})
            reads, users = self.ledger.count(context.clock(), set(), {a.platform_id or "" for a in found})
            budget.spend(reads + users, 0)
            yield Page([], None, reads=reads + users, user_reads=users, accounts=found)
            if key not in self.resolved:
                detail = next((e.get("detail") for e in body.get("errors") or []
                               if str(e.get("value", "")).lower() == key), None)
                raise SourceUnavailable(f"X: @{handle} could not be resolved ({detail or 'no such user'})")
        return self.resolved[key]

    def _window(self, plan: XPlan, since_id: str | None, now: datetime) -> tuple[dict[str, str], str | None]:
        """Where a fresh window starts: after ``since_id``, or ``backfill_days`` back (recent
        search refuses a ``since_id`` older than its seven days: that gap is reported)."""
        oldest = now - (min(plan.backfill, SEARCH_WINDOW) if plan.read == "search" else plan.backfill)
        start = {"start_time": oldest.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if since_id is None:
            return start, None
        if plan.read == "search" and snowflake_time(since_id) < now - SEARCH_WINDOW:
            return start, (f"posts between {snowflake_time(since_id):%Y-%m-%d %H:%M} and {oldest:%Y-%m-%d %H:%M} "
                           "UTC are past recent search's seven days and were not read")
        return {"since_id": since_id}, None

    def _newest_first(self, plan: XPlan, origin: Origin, call: Callable[..., Any], state: Cursor,
                      context: SweepContext, budget: _Budget, mentions_only: bool) -> Iterator[Page]:
        self._need_bearer()
        token = state.get("next_token")
        if token:  # resume a window the page cap or the budget interrupted
            window, pending, oldest_id, warning = state["window"], state["pending_newest"], state["oldest_id"], None
        else:
            window, warning = self._window(plan, state.get("since_id"), context.clock())
            pending = oldest_id = None
        for number in range(context.page_cap):
            size = budget.page_size(MIN_RESULTS[plan.read])
            if size is None:
                yield Page([], None, warning="X read budget reached; the rest waits for the next sweep")
                return
            params = {**window, **REQUEST_FIELDS, "max_results": size}
            try:
                body = self._call(origin.endpoint, context, call, next_token=token, **params)
            except _Refused:
                if not token:
                    raise
                # The page token expired: read the rest of the window below the oldest post read.
                window, token = {**window, "until_id": oldest_id}, None
                params.update(window)
                body = self._call(origin.endpoint, context, call, **params)
            page = XPage(body)
            pending = pending or page.meta.get("newest_id")
            oldest_id = page.meta.get("oldest_id") or oldest_id
            token = page.meta.get("next_token")
            posts, dropped = self._posts(page, origin, context, mentions_only)
            reads, users = self.ledger.count(context.clock(), *page.read_ids())
            budget.spend(reads + users, len(page.data))
            if token:
                cursor = {"window": window, "next_token": token, "pending_newest": pending, "oldest_id": oldest_id}
                if number + 1 == context.page_cap:
                    warning = "; ".join(filter(None, [warning, f"page cap of {context.page_cap} reached; "
                                                               "the next sweep continues where this stopped"]))
            else:
                cursor = {"since_id": pending or state.get("since_id")} if pending or state.get("since_id") else {}
            yield Page(posts, cursor, reads=reads + users, user_reads=users, dropped=dropped, warning=warning,
                       accounts=page.accounts())
            warning = None
            if not token:
                return

    def _likes(self, plan: XPlan, liker: SeenAccount, source: Any, state: Cursor, context: SweepContext,
               budget: _Budget) -> Iterator[Page]:
        """The account's likes, newest like first, until a like the last sweep already read."""
        if not self.credentials.user_context:
            raise SourceUnavailable("X likes need the account's user-context OAuth 1.0a tokens: set "
                                    + ", ".join(ENV[k] for k in ENV if k != "bearer_token"))
        origin = Origin(source.name, "official", source.account or liker.handle,
                        f"GET /2/users/{liker.platform_id}/liked_tweets")
        token = state.get("next_token")
        known = set(state.get("seen", []))
        head: list[str] = state.get("pending_seen", [])
        for number in range(context.page_cap):
            wanted = PAGE_SIZE if token or not known else MIN_RESULTS["likes"]
            size = budget.page_size(MIN_RESULTS["likes"], wanted)
            if size is None:
                yield Page([], None, warning="X read budget reached; the rest waits for the next sweep")
                return
            params = {**REQUEST_FIELDS, "max_results": size, **({"pagination_token": token} if token else {})}
            body = self._call(origin.endpoint, context, self._liked(liker), **params)
            page = XPage(body)
            now = context.clock()
            fresh = []
            for tweet in page.data:
                if tweet.get("id") in known:
                    token = None
                    break
                fresh.append(tweet)
            else:
                token = page.meta.get("next_token")
            head = head or [t["id"] for t in page.data[:LIKES_HEAD] if "id" in t]
            posts = [page.to_like(t, liker, origin, now, now if known else None) for t in fresh]
            reads, users = self.ledger.count(now, *page.read_ids())
            budget.spend(reads + users, len(page.data))
            capped = bool(token) and number + 1 == context.page_cap
            cursor = ({"seen": sorted(known), "pending_seen": head, "next_token": token} if token
                      else {"seen": head or sorted(known)})
            yield Page(posts, cursor, reads=reads + users, user_reads=users, accounts=page.accounts(),
                       warning=f"page cap of {context.page_cap} reached; the next sweep continues" if capped else None)
            if not token:
                return

    def _posts(self, page: XPage, origin: Origin, context: SweepContext, mentions_only: bool) -> tuple[list, int]:
        posts, dropped = [], 0
        retrieved = context.clock()
        for tweet in page.data:
            try:
                post = page.to_post(tweet, origin, retrieved)
            except (ConnectorError, KeyError, TypeError, ValueError):
                dropped += 1
                continue
            if mentions_only and context.mentions and not context.mentions(post.text, (post.ref or {}).get("text")):
                continue
            posts.append(post)
        return posts, dropped

    # --- errors: every X response is mapped here, once ---------------------------------

    def _call(self, endpoint: str, context: SweepContext, request: Callable[..., Any], *,
              allow_errors: bool = False, **params: Any) -> dict[str, Any]:
        """``request(client, **params)``, with every failure mapped to the error the sweep expects."""
        import tweepy

        try:
            body = request(self.client(context), **params)
        except tweepy.TooManyRequests as exc:
            raise RateLimited(f"X {endpoint}: rate limited (HTTP 429)",
                              _wait_seconds(exc.response.headers, context.clock())) from None
        except tweepy.TwitterServerError as exc:
            raise RetriableError(f"X {endpoint}: server error (HTTP {exc.response.status_code})") from None
        except tweepy.HTTPException as exc:
            status = exc.response.status_code
            reason = {400: "request refused", 401: "credentials refused", 403: "access refused",
                      404: "not found"}.get(status, "failed")
            detail = "; ".join(exc.api_messages)[:200]
            error = _Refused if status == 400 else SourceUnavailable
            raise error(f"X {endpoint}: {reason} (HTTP {status}){': ' + detail if detail else ''}") from None
        except requests.exceptions.JSONDecodeError:
            raise RetriableError(f"X {endpoint}: the response is not JSON (an error page or a cut-off body)") from None
        except requests.Timeout:
            raise RetriableError(f"X {endpoint}: no response within {context.timeout:g} s") from None
        except requests.RequestException as exc:
            raise RetriableError(f"X {endpoint}: connection failed ({type(exc).__name__})") from None
        if not isinstance(body, dict):
            raise RetriableError(f"X {endpoint}: unexpected response ({type(body).__name__})")
        if "data" not in body and body.get("errors") and not allow_errors:
            first = body["errors"][0]
            raise SourceUnavailable(f"X {endpoint}: {first.get('detail') or first.get('title') or first}")
        return body


def _wait_seconds(headers: Any, now: datetime) -> float | None:
    """Seconds until ``x-rate-limit-reset`` (epoch seconds), else ``Retry-After``, else unknown."""
    reset = headers.get("x-rate-limit-reset")
    if reset and reset.isdigit() and int(reset) > now.timestamp():
        return int(reset) - now.timestamp()
    retry = headers.get("retry-after")
    return float(retry) if retry and retry.replace(".", "", 1).isdigit() else None
