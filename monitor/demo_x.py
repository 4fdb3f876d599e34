"""A local stand-in for the X API v2 endpoints the X connector calls, serving the
demo's sample data (``config/demo/x/``) so the real tweepy client sweeps it.

Mount :data:`handle` under ``/x`` on the demo's HTTP server (the handler sees
the path below the prefix) and create the connector with :func:`connector`.
Answered: ``GET /2/users/by``, ``/2/users/:id/tweets``, ``/2/users/:id/mentions``,
``/2/users/:id/liked_tweets`` (user-context OAuth only) and
``/2/tweets/search/recent``, with ``since_id``, ``until_id``, ``start_time``,
``end_time``, ``max_results``, page tokens and the ``includes`` the request
expands. Search understands what the connector sends: quoted phrases, words,
``@handles`` and ``#hashtags`` joined by OR, and ``-is:retweet``; it does not
apply X's seven-day limit itself (the connector asks for it with ``start_time``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from connectors.x import XConnector, XCredentials
from connectors.x_payload import SNOWFLAKE_EPOCH_MS
from monitor.config import REPO_ROOT

DEMO_X = REPO_ROOT / "config" / "demo" / "x"
# Stand-ins: the local server accepts any token of the right kind.
DEMO_CREDENTIALS = XCredentials(bearer_token="demo-bearer-token", consumer_key="demo-consumer-key",
                                consumer_secret="demo-consumer-secret", access_token="demo-access-token",
                                access_token_secret="demo-access-token-secret")
Response = tuple[int, dict[str, str], bytes]
_LIMITS = {"tweets": (5, 100), "mentions": (5, 100), "liked_tweets": (10, 100), "recent": (10, 100)}


def _json(status: int, body: Any) -> Response:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


def _problem(status: int, title: str, detail: str) -> Response:
    kind = "https://api.twitter.com/2/problems/invalid-request" if status == 400 else "about:blank"
    return _json(status, {"title": title, "detail": detail, "status": status, "type": kind})


def query_terms(query: str) -> tuple[list[str], set[str]]:
    """The OR'ed terms of a search query and its ``-operator`` exclusions."""
    exclusions = set(re.findall(r"(?<!\S)-(\S+)", query))
    terms = [t.strip('"') for t in re.findall(r'"[^"]+"|[@#]?[\w.]+', re.sub(r"(?<!\S)-\S+", " ", query))
             if t != "OR"]
    return terms, exclusions


def matches(terms: Iterable[str], text: str) -> bool:
    """Any term in ``text``, case-insensitively on word boundaries (``@x``/``#x`` with their sign)."""
    for term in terms:
        before = r"(?<![\w@#])" if term[0] not in "@#" else r"(?<!\w)"
        if re.search(before + re.escape(term) + r"(?!\w)", text, re.IGNORECASE):
            return True
    return False


def _entities(text: str, by_name: dict[str, dict[str, Any]]) -> dict[str, Any]:
    mentions = [{"start": m.start(), "end": m.end(), "username": m.group(1),
                 **({"id": by_name[m.group(1).lower()]["id"]} if m.group(1).lower() in by_name else {})}
                for m in re.finditer(r"(?<!\w)@(\w{1,15})", text)]
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in re.finditer(r"(?<![\w&])#(\w+)", text)]
    urls = [{"start": m.start(), "end": m.end(), "url": m.group(), "expanded_url": m.group(),
             "display_url": m.group().split("//", 1)[-1]} for m in re.finditer(r"https?://\S+", text)]
    return {k: v for k, v in {"mentions": mentions, "hashtags": hashtags, "urls": urls}.items() if v}


class XDemoAPI:
    """Sample users, posts, media and likes behind the X API v2 paths."""

    def __init__(self, users: list[dict[str, Any]], tweets: list[dict[str, Any]],
                 media: list[dict[str, Any]] | None = None, likes: dict[str, list[str]] | None = None,
                 page_size: int = 100) -> None:
        self.page_size = page_size  # the most posts a page holds, whatever max_results asks
        self.users = {u["id"]: u for u in users}
        by_name = {u["username"].lower(): u for u in users}
        self.tweets = {t["id"]: {**t, "entities": t.get("entities") or _entities(t["text"], by_name)} for t in tweets}
        self.newest_first = sorted(self.tweets.values(), key=lambda t: int(t["id"]), reverse=True)
        self.media = {m["media_key"]: m for m in media or []}
        self.likes = likes or {}
        self._searches: dict[str, list[dict[str, Any]]] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> XDemoAPI:
        def load(name: str, default: Any) -> Any:
            path = folder / name
            return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default
        return cls(load("users.json", []), load("tweets.json", []), load("media.json", []), load("likes.json", {}))

    @classmethod
    def generated(cls, count: int, newest: datetime, spacing_seconds: float = 60.0, authors: int = 50,
                  page_size: int = 100) -> XDemoAPI:
        """``count`` made-up posts mentioning #ThornfieldHistory, one every ``spacing_seconds`` up to
        ``newest``, by ``authors`` public accounts (one in ten quotes the post before it): for tests
        and the benchmark."""
        users = [{"id": str(9_000_000 + i), "username": f"member{i}", "name": f"Member {i}", "description": ""}
                 for i in range(authors)]
        tweets: list[dict[str, Any]] = []
        for i in range(count):
            when = newest - timedelta(seconds=spacing_seconds * (count - 1 - i))
            tweet = {"id": str(((int(when.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS) << 22) + i % 4096),
                     "author_id": users[i % authors]["id"], "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     "text": f"Post {i} for @member{(i + 1) % authors} on the canal walk #ThornfieldHistory",
                     "lang": "en"}
            if i % 10 == 9:
                tweet["referenced_tweets"] = [{"type": "quoted", "id": tweets[-1]["id"]}]
            tweets.append(tweet)
        return cls(users, tweets, page_size=page_size)

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not auth.startswith(("Bearer ", "OAuth ")) or auth == "Bearer ":
            return _problem(401, "Unauthorized", "Unauthorized")
        args = {k: v[-1] for k, v in query.items()}
        if method != "GET":
            return _problem(405, "Method Not Allowed", f"{method} {path}")
        if path == "/2/users/by":
            return self._users_by(args)
        found = re.fullmatch(r"/2/users/(\d+)/(tweets|mentions|liked_tweets)", path)
        if found:
            user_id, listing = found.groups()
            if user_id not in self.users:
                return _json(200, {"errors": [{"title": "Not Found Error", "resource_type": "user",
                                               "detail": f"Could not find user with id: [{user_id}].",
                                               "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
            if listing == "liked_tweets" and not auth.startswith("OAuth "):
                return _problem(403, "Unsupported Authentication", "Likes need OAuth 1.0a User Context.")
            return self._listing(listing, self._stream(listing, user_id), args)
        if path == "/2/tweets/search/recent":
            if not args.get("query"):
                return _problem(400, "Invalid Request", "The `query` query parameter can not be empty")
            return self._listing("recent", self._search(args["query"]), args)
        return _problem(404, "Not Found Error", f"no route {path}")

    def _users_by(self, args: dict[str, str]) -> Response:
        wanted = [n for n in args.get("usernames", "").split(",") if n]
        by_name = {u["username"].lower(): u for u in self.users.values()}
        data = [self._user(by_name[n.lower()], args) for n in wanted if n.lower() in by_name]
        errors = [{"value": n, "detail": f"Could not find user with usernames: [{n}].", "title": "Not Found Error",
                   "resource_type": "user", "parameter": "usernames", "resource_id": n,
                   "type": "https://api.twitter.com/2/problems/resource-not-found"}
                  for n in wanted if n.lower() not in by_name]
        return _json(200, {k: v for k, v in {"data": data, "errors": errors}.items() if v})

    def _user(self, user: dict[str, Any], args: dict[str, str]) -> dict[str, Any]:
        fields = {"id", "name", "username", *args.get("user.fields", "").split(",")}
        return {k: v for k, v in user.items() if k in fields}

    def _stream(self, listing: str, user_id: str) -> list[dict[str, Any]]:
        if listing == "tweets":
            return [t for t in self.newest_first if t["author_id"] == user_id]
        if listing == "mentions":
            name = self.users[user_id]["username"].lower()
            return [t for t in self.newest_first
                    if any(m["username"].lower() == name for m in t["entities"].get("mentions", []))]
        return [self.tweets[i] for i in self.likes.get(user_id, []) if i in self.tweets]

    def _search(self, query: str) -> list[dict[str, Any]]:
        if query not in self._searches:
            terms, exclusions = query_terms(query)
            self._searches[query] = [
                t for t in self.newest_first
                if matches(terms, t["text"]) and not ("is:retweet" in exclusions and _is_retweet(t))]
        return self._searches[query]

    def _listing(self, listing: str, items: list[dict[str, Any]], args: dict[str, str]) -> Response:
        low, high = _LIMITS[listing]
        try:
            size = int(args.get("max_results", high))
        except ValueError:
            size = -1
        if not low <= size <= high:
            return _problem(400, "Invalid Request", f"The `max_results` query parameter value [{size}] is not "
                                                    f"between {low} and {high}")
        if listing != "liked_tweets":
            items = _window(items, args)
        token = args.get("pagination_token") or args.get("next_token") or "p0"
        if not re.fullmatch(r"p\d+", token):
            return _problem(400, "Invalid Request", "The `pagination_token` query parameter value is not valid")
        start, size = int(token[1:]), min(size, self.page_size)
        page = items[start:start + size]
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = page
            body["includes"] = self._includes(page, args)
            if listing != "liked_tweets":
                body["meta"].update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if start + size < len(items):
            body["meta"]["next_token"] = f"p{start + size}"
        return _json(200, body)

    def _includes(self, page: list[dict[str, Any]], args: dict[str, str]) -> dict[str, Any]:
        expansions = set(args.get("expansions", "").split(","))
        refs = [self.tweets[r["id"]] for t in page for r in t.get("referenced_tweets", []) if r["id"] in self.tweets]
        authors: dict[str, None] = {}
        if "author_id" in expansions:
            authors.update(dict.fromkeys(t["author_id"] for t in page))
        if "referenced_tweets.id.author_id" in expansions:
            authors.update(dict.fromkeys(t["author_id"] for t in refs))
        includes: dict[str, Any] = {}
        if "referenced_tweets.id" in expansions and refs:
            includes["tweets"] = list({t["id"]: t for t in refs}.values())
        if authors:
            includes["users"] = [self._user(self.users[i], args) for i in authors if i in self.users]
        keys = [k for t in page for k in (t.get("attachments") or {}).get("media_keys", [])]
        if "attachments.media_keys" in expansions and keys:
            includes["media"] = [self.media[k] for k in dict.fromkeys(keys) if k in self.media]
        return includes


def _is_retweet(tweet: dict[str, Any]) -> bool:
    return any(r["type"] == "retweeted" for r in tweet.get("referenced_tweets", []))


def _window(items: list[dict[str, Any]], args: dict[str, str]) -> list[dict[str, Any]]:
    since, until = int(args.get("since_id") or 0), int(args.get("until_id") or 0)
    start, end = (datetime.fromisoformat(args[k].replace("Z", "+00:00")) if args.get(k) else None
                  for k in ("start_time", "end_time"))
    out = []
    for tweet in items:
        when = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00")).astimezone(UTC)
        if (since and int(tweet["id"]) <= since) or (until and int(tweet["id"]) >= until):
            continue
        if (not since and start and when < start) or (end and when >= end):
            continue
        out.append(tweet)
    return out


@cache
def _sample() -> XDemoAPI:
    return XDemoAPI.from_folder(DEMO_X)


def handle(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
    """The demo's X API: mount under ``/x``."""
    return _sample().handle(method, path, query, headers)


def connector(settings: Any, base_url: str) -> XConnector:
    """The real X connector with stand-in credentials, sending to ``base_url`` (where ``handle`` is mounted)."""
    return XConnector.from_settings(settings, credentials=DEMO_CREDENTIALS, api_base=base_url)
