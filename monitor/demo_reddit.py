"""A local stand-in for the Reddit API paths the Reddit connector calls, serving
the demo's sample data (``config/demo/reddit/``) so the real praw client sweeps it.

Mount :data:`handle` under ``/reddit`` on the demo's HTTP server and create the
connector with :func:`connector` (praw's ``www.reddit.com`` and
``oauth.reddit.com`` origins are both sent there). Answered: ``POST
/api/v1/access_token`` (application-only OAuth), ``GET /r/<subs>/search/``,
``/r/<subs>/comments/`` and ``/user/<name>/overview/``: newest first, 100 a page
at most, ``after`` paging, Listing JSON as Reddit sends it (with ``raw_json=1``),
and Reddit's rate-limit headers.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from connectors.reddit import RedditConnector
from monitor.config import REPO_ROOT
from monitor.demo_x import matches, query_terms

DEMO_REDDIT = REPO_ROOT / "config" / "demo" / "reddit"
DEMO_CLIENT_ID, DEMO_CLIENT_SECRET = "demo-client-id", "demo-client-secret"
ACCESS_TOKEN = "demo-reddit-access-token"
Response = tuple[int, dict[str, str], bytes]
_RATE = {"x-ratelimit-remaining": "599.0", "x-ratelimit-used": "1", "x-ratelimit-reset": "600"}


def _json(status: int, body: Any) -> Response:
    return status, {"Content-Type": "application/json; charset=UTF-8", **_RATE}, json.dumps(body).encode()


class RedditDemoAPI:
    """Sample submissions (``t3``) and comments (``t1``) behind the Reddit listing paths."""

    def __init__(self, things: list[dict[str, Any]], page_size: int = 100) -> None:
        self.page_size = page_size  # the most things a page holds, whatever limit asks
        self.newest_first = sorted(things, key=lambda t: t["data"]["created_utc"], reverse=True)
        self.authors = {t["data"]["author"].lower() for t in things}
        self._searches: dict[tuple[str, str], list[dict[str, Any]]] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> RedditDemoAPI:
        return cls(json.loads((folder / "things.json").read_text(encoding="utf-8")))

    @classmethod
    def generated(cls, count: int, newest: datetime, spacing_seconds: float = 60.0, authors: int = 50,
                  page_size: int = 100) -> RedditDemoAPI:
        """``count`` made-up items in r/Thornfield naming the Society, alternately submissions and
        comments, one every ``spacing_seconds`` up to ``newest``: for tests and the benchmark."""
        things = []
        for i in range(count):
            when = (newest - timedelta(seconds=spacing_seconds * (count - 1 - i))).timestamp()
            data = {"id": f"g{i:07d}", "subreddit": "Thornfield", "subreddit_id": "t5_4x7k2m",
                    "author": f"member{i % authors}", "author_fullname": f"t2_m{i % authors}", "created_utc": when,
                    "permalink": f"/r/Thornfield/comments/g{i:07d}/post/"}
            if i % 2:
                data.update(name=f"t1_{data['id']}", body=f"Comment {i}: thanks to the Thornfield Local History "
                            "Society for the walk", link_id=f"t3_g{i - 1:07d}", parent_id=f"t3_g{i - 1:07d}",
                            link_title=f"Post {i - 1}", permalink=f"/r/Thornfield/comments/g{i - 1:07d}/_/g{i:07d}/")
            else:
                data.update(name=f"t3_{data['id']}", title=f"Post {i}: Thornfield Local History Society walk",
                            selftext="Meet at Lock 4.", is_self=True)
            things.append({"kind": "t1" if i % 2 else "t3", "data": data})
        return cls(things, page_size)

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if method == "POST" and path == "/api/v1/access_token":
            if not auth.startswith("Basic "):
                return _json(401, {"message": "Unauthorized", "error": 401})
            return _json(200, {"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600,
                               "scope": "*"})
        if auth.lower() != f"bearer {ACCESS_TOKEN}":
            return _json(401, {"message": "Unauthorized", "error": 401})
        args = {k: v[-1] for k, v in query.items()}
        if (found := re.fullmatch(r"/r/([\w+]+)/search/?", path)) and method == "GET":
            subs = found.group(1)
            restrict = args.get("restrict_sr") in ("on", "true", "1") and subs != "all"
            return self._listing(self._search(args.get("q", ""), subs if restrict else "all"), args)
        if (found := re.fullmatch(r"/r/([\w+]+)/comments/?", path)) and method == "GET":
            return self._listing([t for t in self.newest_first if t["kind"] == "t1"
                                  and _in(t, found.group(1))], args)
        if (found := re.fullmatch(r"/user/([\w-]+)/overview/?", path)) and method == "GET":
            name = found.group(1).lower()
            if name not in self.authors:
                return _json(404, {"message": "Not Found", "error": 404})
            return self._listing([t for t in self.newest_first if t["data"]["author"].lower() == name], args)
        return _json(404, {"message": "Not Found", "error": 404})

    def _search(self, q: str, subs: str) -> list[dict[str, Any]]:
        if (q, subs) not in self._searches:
            terms, _ = query_terms(q)
            self._searches[(q, subs)] = [
                t for t in self.newest_first if t["kind"] == "t3" and _in(t, subs)
                and matches(terms, t["data"]["title"] + "\n" + t["data"].get("selftext", ""))]
        return self._searches[(q, subs)]

    def _listing(self, things: list[dict[str, Any]], args: dict[str, str]) -> Response:
        size = max(1, min(self.page_size, int(args.get("limit") or 25)))
        after = args.get("after")
        start = next((i + 1 for i, t in enumerate(things) if t["data"]["name"] == after), len(things)) if after else 0
        page = things[start:start + size]
        more = start + size < len(things)
        return _json(200, {"kind": "Listing", "data": {
            "after": page[-1]["data"]["name"] if page and more else None, "dist": len(page), "modhash": "",
            "geo_filter": "", "children": page, "before": None}})


def _in(thing: dict[str, Any], subs: str) -> bool:
    return subs == "all" or thing["data"]["subreddit"].lower() in subs.lower().split("+")


@cache
def _sample() -> RedditDemoAPI:
    return RedditDemoAPI.from_folder(DEMO_REDDIT)


def handle(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
    """The demo's Reddit API: mount under ``/reddit``."""
    return _sample().handle(method, path, query, headers)


def connector(settings: Any, base_url: str) -> RedditConnector:
    """The real Reddit connector with stand-in credentials, sending to ``base_url`` (where ``handle`` is mounted)."""
    return RedditConnector.from_settings(settings, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                                         api_base=base_url)
