"""Reddit through praw (read-only application OAuth).

One source reads one listing (``[sources.options] read``), newest first:

- ``search``: the Society's names across Reddit, or in ``subreddits``
  (search returns submissions only);
- ``comments``: the newest comments of ``subreddits`` (mention sources keep
  those that mention the Society);
- ``user``: a declared account's submissions and comments (its overview).

Credentials come only from the environment: ``MONITOR_REDDIT_CLIENT_ID`` and
``MONITOR_REDDIT_CLIENT_SECRET`` (a "script" app). The user agent is
descriptive, from ``options.user_agent`` or built from the Society's name.

Reddit's listing cursors are unreliable (``after`` breaks when its item is
deleted, search indexes late), so a run resumes from the newest ``created_utc``
seen, minus a bounded overlap; items in the overlap that were already read are
remembered in the cursor and skipped, and storage drops any other repeat. An
item's identity is its fullname (``t3_…``, ``t1_…``), the same id Reddit's own
RSS feeds give it, so a post a feed also found is stored once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import prawcore
import requests

from connectors.api_http import api_session
from connectors.base import (
    BadRecord,
    ConnectorError,
    Cursor,
    Page,
    Post,
    RateLimited,
    RetriableError,
    SeenAccount,
    SourceUnavailable,
    SweepContext,
)
from connectors.http import retry_after_seconds
from connectors.options import Options, check_sources
from connectors.redact import protect

ORIGINS = ("https://oauth.reddit.com", "https://www.reddit.com")
READS = ("search", "comments", "user")
ENV = {"client_id": "MONITOR_REDDIT_CLIENT_ID", "client_secret": "MONITOR_REDDIT_CLIENT_SECRET"}
PAGE_SIZE = 100
RECENT_CAP = 500  # ids remembered inside the overlap window
_NAME = re.compile(r"^[A-Za-z0-9_-]{3,21}$")
_SUBREDDIT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")


@dataclass(frozen=True)
class RedditPlan:
    """A source's validated options, as the listing to read."""

    read: str
    path: str
    params: dict[str, str]
    overlap: float
    backfill: float
    user_agent: str


def build_query(society: Any) -> str:
    """``"Full Name" OR ALIAS OR handle OR hashtag`` (Reddit has no @ or #: handles and tags as words)."""
    words = [h.split("@")[0].split(".")[0] for h in society.handles] + list(society.hashtags)
    terms = [f'"{t}"' if " " in t else t for t in (society.name, *society.aliases) if t]
    return " OR ".join(dict.fromkeys(terms + [w for w in words if w]))


class _Requestor(prawcore.Requestor):
    """prawcore's HTTP layer under the sweep's rules, in one place: every status is mapped to
    a connector error here (so prawcore neither retries nor sleeps on its own), and the
    rate-limit headers are read here and hidden from prawcore's limiter, which would sleep."""

    resume_at = 0.0

    def request(self, method: str, url: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        wait = self.resume_at - time.monotonic()
        if wait > 0:
            raise RateLimited("Reddit: the request quota is spent", wait)
        where = "Reddit " + urlsplit(url).path
        try:
            response = self._http.request(method, url, *args, timeout=self.timeout, **kwargs)
        except ConnectorError:
            raise
        except requests.Timeout:
            raise RetriableError(f"{where}: no response within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise RetriableError(f"{where}: connection failed ({type(exc).__name__})") from None
        headers = response.headers
        remaining, reset = headers.pop("x-ratelimit-remaining", None), headers.pop("x-ratelimit-reset", None)
        headers.pop("x-ratelimit-used", None)
        if remaining is not None and reset and float(remaining) < 1:
            self.resume_at = time.monotonic() + float(reset)
        _raise_for_status(response, where, reset)
        return response


def _raise_for_status(response: requests.Response, where: str, reset: str | None) -> None:
    status = response.status_code
    if status < 300:
        return
    if status < 400:
        raise SourceUnavailable(f"{where}: redirected to {response.headers.get('location', '?')} "
                                "(no such subreddit or user)")
    if status == 429:
        raise RateLimited(f"{where}: rate limited (HTTP 429)",
                          retry_after_seconds(response.headers.get("retry-after") or reset))
    if status >= 500:
        raise RetriableError(f"{where}: server error (HTTP {status})")
    try:
        body = response.json()
        reason = body.get("reason") or body.get("message") if isinstance(body, dict) else None
    except ValueError:
        reason = None
    what = {401: "credentials refused", 403: "access refused (private, suspended or quarantined?)",
            404: "not found (deleted or banned?)"}.get(status, "request refused")
    raise SourceUnavailable(f"{where}: {what} (HTTP {status}{': ' + str(reason) if reason else ''})")


def _overlap(state: dict[str, Any], overlap: float) -> dict[str, float]:
    """The ids read within ``overlap`` seconds of the newest (the next run reads those again), newest kept."""
    top = state["newest"]
    recent = sorted(((k, v) for k, v in state["recent"].items() if top is not None and v >= top - overlap),
                    key=lambda kv: kv[1])
    return dict(recent[-RECENT_CAP:])


def _when(data: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(data["created_utc"]), tz=UTC)


def to_post(child: dict[str, Any], source: str, author_kind: str, account: str | None, endpoint: str,
            retrieved: datetime) -> Post:
    """A listing child (``t3`` submission or ``t1`` comment) as a Post."""
    kind, data = child.get("kind"), child.get("data") or {}
    if kind not in ("t3", "t1") or not data.get("id") or data.get("created_utc") is None:
        raise BadRecord(f"not a Reddit submission or comment: {kind}")
    fullname = data.get("name") or f"{kind}_{data['id']}"
    subreddit = data.get("subreddit") or ""
    if kind == "t3":
        title, text = data.get("title") or "", data.get("selftext") or ""
        text = text if data.get("is_self", True) else text or data.get("url") or ""
        parent = (data.get("crosspost_parent_list") or [None])[0]
        post_kind = "repost" if data.get("crosspost_parent") else "post"
        ref = None if not data.get("crosspost_parent") else {
            "platform": "reddit", "id": data["crosspost_parent"], "type": "crosspost",
            "text": "\n\n".join(filter(None, [(parent or {}).get("title"), (parent or {}).get("selftext")])) or None,
            "author_handle": (parent or {}).get("author")}
        media = [{"url": data["url"], "type": "image"}] if data.get("post_hint") == "image" and data.get("url") else []
        permalink = data.get("permalink") or f"/r/{subreddit}/comments/{data['id']}/"
    else:
        title, text, post_kind, media = None, data.get("body") or "", "reply", []
        ref = {"platform": "reddit", "id": data.get("parent_id"), "link_id": data.get("link_id"),
               "title": data.get("link_title")}
        link = (data.get("link_id") or "t3_")[3:]
        permalink = data.get("permalink") or f"/r/{subreddit}/comments/{link}/_/{data['id']}/"
    author = data.get("author")
    return Post(
        platform="reddit", native_id=fullname, source=source, text=text, created_at=_when(data),
        author_kind=author_kind, url="https://www.reddit.com" + permalink.split("?", 1)[0], author_handle=author,
        account=account, title=title, kind=post_kind, ref=ref, media=media, raw=child, endpoint=endpoint,
        retrieved_at=retrieved,
    )


def seen_accounts(children: list[dict[str, Any]]) -> list[SeenAccount]:
    """The authors and the subreddits (groups) on a page, each at its newest item's time."""
    seen: dict[tuple[str, str], SeenAccount] = {}
    for child in children:
        data = child.get("data") or {}
        if data.get("created_utc") is None:
            continue
        when = _when(data)
        for handle, platform_id in ((data.get("author"), data.get("author_fullname")),
                                    ("r/" + data["subreddit"] if data.get("subreddit") else None,
                                     data.get("subreddit_id"))):
            if handle and handle != "[deleted]":
                old = seen.get(("reddit", handle))
                if old is None or (old.seen_at and old.seen_at < when):
                    seen[("reddit", handle)] = SeenAccount("reddit", handle, platform_id, seen_at=when)
    return list(seen.values())


class RedditConnector:
    """Reads Reddit sources through praw (one client per user agent, created on first use)."""

    def __init__(self, settings: Any, client_id: str | None, client_secret: str | None,
                 api_base: str | None = None) -> None:
        self.settings = settings
        self.client_id, self.client_secret = client_id, client_secret
        self.api_base = api_base
        self.plans: dict[str, RedditPlan] = {}
        self.clients: dict[str, Any] = {}
        protect(client_id, client_secret)

    @classmethod
    def from_settings(cls, settings: Any, *, client_id: str | None = None, client_secret: str | None = None,
                      api_base: str | None = None) -> RedditConnector:
        """Validates every Reddit source's options (ConfigError naming file and key); credentials from env."""
        connector = cls(settings, client_id or settings.secret(ENV["client_id"]),
                        client_secret or settings.secret(ENV["client_secret"]), api_base)
        check_sources(settings, "reddit", connector.plan)
        return connector

    def plan(self, source: Any) -> RedditPlan:
        if source.name in self.plans:
            return self.plans[source.name]
        opts = Options(self.settings, source)
        if source.platform != "reddit":
            opts.problem("platform", "'reddit' for a source of kind 'reddit'", source.platform)
        read = opts.get("read", str, "one of " + ", ".join(READS), "search" if source.role == "mentions" else "user",
                        lambda v: v in READS)
        subreddits = opts.strings("subreddits", "a list of subreddit names such as ['Thornfield']")
        for name in subreddits:
            if not _SUBREDDIT.match(name.removeprefix("r/")):
                opts.problem("options.subreddits", "subreddit names of 2-21 letters, digits or _", name)
        subs = "+".join(s.removeprefix("r/") for s in subreddits)
        user = self._default_user(source)
        query = opts.get("query", str, "a Reddit search query of at most 512 characters", None,
                         lambda v: 0 < len(v) <= 512) or build_query(self.settings.society)
        # Search indexes late, so it re-reads the last hour; listings only need to ride out clock skew.
        overlap = opts.get("overlap_seconds", int, "seconds between 0 and 86400", 3600 if read == "search" else 600,
                           lambda v: 0 <= v <= 86400)
        backfill = opts.get("backfill_days", int, "whole days between 1 and 3650", 30, lambda v: 1 <= v <= 3650)
        agent = opts.get("user_agent", str, "a descriptive user agent such as "
                         "'python:thornfield-monitor:1.0 (by /u/ThornfieldLHS)'",
                         f"python:society-social-monitor:0.1 (policy monitor of {self.settings.society.name})",
                         lambda v: len(v.strip()) >= 10)
        if read == "comments" and not subs:
            opts.problem("options.subreddits", "the subreddits whose comments to read (required for read = 'comments')")
        if read == "user" and not (user and _NAME.match(user)):
            opts.problem("account", "the Reddit user to read, such as 'TomHeskethPhoto' (or a person with a Reddit "
                                    "account)", user)
        if read == "search" and (len(query) > 512 or not query):
            opts.problem("options.query", f"a query of at most 512 characters (the one built from [society] is "
                                          f"{len(query)} long)")
        opts.close({"read", "subreddits", "query", "overlap_seconds", "backfill_days", "user_agent"})
        path, params = {
            "search": (f"r/{subs or 'all'}/search/",
                       {"q": query, "sort": "new", "t": "all", "restrict_sr": "on" if subs else "off"}),
            "comments": (f"r/{subs}/comments/", {}),
            "user": (f"user/{user}/overview/", {"sort": "new"}),
        }[read]
        self.plans[source.name] = RedditPlan(read, path, params, float(overlap), backfill * 86400.0, agent)
        return self.plans[source.name]

    def _default_user(self, source: Any) -> str | None:
        if source.account:
            return source.account.removeprefix("u/")
        return next((a.handle.removeprefix("u/") for p in self.settings.people if p.id == source.person
                     for a in p.accounts if a.platform == "reddit"), None)

    def client(self, plan: RedditPlan, context: SweepContext) -> Any:
        if not (self.client_id and self.client_secret):
            raise SourceUnavailable("Reddit: no app credentials; set the environment variables "
                                    f"{ENV['client_id']} and {ENV['client_secret']}")
        if plan.user_agent not in self.clients:
            import praw

            redirects = dict.fromkeys(ORIGINS, self.api_base) if self.api_base else None
            session = api_session(context.timeout, context.max_bytes, redirects)
            self.clients[plan.user_agent] = praw.Reddit(
                client_id=self.client_id, client_secret=self.client_secret, user_agent=plan.user_agent,
                check_for_updates=False, requestor_class=_Requestor,
                requestor_kwargs={"session": session, "timeout": context.timeout})
        return self.clients[plan.user_agent]

    def pages(self, source: Any, cursor: Cursor | None, context: SweepContext) -> Iterator[Page]:
        plan = self.plan(source)
        reddit = self.client(plan, context)
        state = dict(cursor or {})
        author_kind, account = {"official": ("official", source.account),
                                "personal": ("personal", source.person)}.get(source.role, ("public", None))
        endpoint = f"GET /{plan.path}"
        now = context.clock().timestamp()
        newest = state.get("newest")
        stop_at = newest - plan.overlap if newest is not None else now - plan.backfill
        old = {"newest": newest, "recent": state.get("recent", {})} if newest is not None else {}
        pending = state.get("pending") or {"newest": newest, "recent": dict(old.get("recent", {}))}
        known = set(old.get("recent", {})) | set(pending["recent"])
        after = state.get("after")
        for number in range(context.page_cap):
            listing = self._listing(reddit, plan, after)
            posts, dropped, done = [], 0, False
            retrieved = context.clock()
            for child in listing["children"]:
                data = child.get("data") or {}
                try:
                    created = float(data["created_utc"])
                    if created < stop_at:
                        done = True
                        break
                    fullname = data.get("name") or f"{child['kind']}_{data['id']}"
                    if fullname in known:
                        continue
                    post = to_post(child, source.name, author_kind, account, endpoint, retrieved)
                except (ConnectorError, KeyError, TypeError, ValueError):
                    dropped += 1
                    continue
                pending["newest"] = max(pending["newest"] or created, created)
                pending["recent"][fullname] = created
                if source.role == "mentions" and context.mentions and not context.mentions(post.title, post.text):
                    continue
                posts.append(post)
            after = listing.get("after")
            done = done or not after or not listing["children"]
            warning = None
            pending["recent"] = _overlap(pending, plan.overlap)
            if done:
                page_cursor: Cursor = dict(pending, recent=dict(pending["recent"])) if pending["newest"] else {}
            else:
                page_cursor = {**old, "pending": dict(pending, recent=dict(pending["recent"])), "after": after}
                if number + 1 == context.page_cap:
                    warning = f"page cap of {context.page_cap} reached; the next sweep continues where this stopped"
            yield Page(posts, page_cursor, dropped=dropped, warning=warning,
                       accounts=seen_accounts(listing["children"]))
            if done:
                return

    def _listing(self, reddit: Any, plan: RedditPlan, after: str | None) -> dict[str, Any]:
        """One listing page: ``{"children": [...], "after": ...}``."""
        import praw

        params = {**plan.params, "limit": PAGE_SIZE, **({"after": after} if after else {})}
        where = f"Reddit /{plan.path}"
        try:
            body = reddit.request(method="GET", path=plan.path, params=params)
        except (prawcore.exceptions.BadJSON, requests.exceptions.JSONDecodeError):
            raise RetriableError(f"{where}: the response is not JSON (an error page or a cut-off body)") from None
        except (prawcore.exceptions.PrawcoreException, praw.exceptions.PRAWException) as exc:
            raise SourceUnavailable(f"{where}: {type(exc).__name__}: {exc}") from None
        data = body.get("data") if isinstance(body, dict) and body.get("kind") == "Listing" else None
        if not isinstance(data, dict) or not isinstance(data.get("children"), list):
            raise RetriableError(f"{where}: the response is not a listing")
        return data
