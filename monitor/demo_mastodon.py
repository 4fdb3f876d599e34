"""The demo's Mastodon: config/demo/mastodon/statuses.toml served as Mastodon's REST API.

``handle`` answers what the Mastodon connector asks (account lookup, account
statuses, hashtag timelines, statuses search and the instance document), in
Mastodon's JSON, paged newest first with ``max_id`` / ``since_id`` / ``min_id``
and ``limit``, as mastodon.social would. Search needs the demo token and, as
on Mastodon, finds only posts whose authors opted in to search. Mount it on
the demo server under a prefix (``/mastodon``) and pass the path below it.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from datetime import datetime
from functools import cache
from typing import Any

from monitor.config import REPO_ROOT

DATA = REPO_ROOT / "config" / "demo" / "mastodon" / "statuses.toml"
DOMAIN = "mastodon.social"
TOKEN = "demo-mastodon-token"
SECRETS = {"MONITOR_MASTODON_ACCESS_TOKEN": TOKEN}
"""What the demo gives the Mastodon connector for its search source."""

_TAG = re.compile(r"(?<![\w&#])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@([\w.]+)(?:@([\w.-]+\.\w+))?")
Response = tuple[int, dict[str, str], bytes]


def _json(status: int, body: Any) -> Response:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


def _time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _profile(handle: str) -> tuple[str, str]:
    user, domain = handle.split("@", 1)
    return f"https://{domain}/@{user}", f"https://{domain}/users/{user}"


def _html(text: str) -> str:
    """Plain text as Mastodon renders it: paragraphs, hashtag links, mention h-cards."""

    def linked(paragraph: str) -> str:
        out = html.escape(paragraph, quote=False)
        out = _TAG.sub(lambda m: f'<a href="https://{DOMAIN}/tags/{m.group(1)}" class="mention hashtag" rel="tag">'
                                 f"#<span>{m.group(1)}</span></a>", out)
        return _MENTION.sub(lambda m: f'<span class="h-card" translate="no"><a href="https://'
                                      f'{m.group(2) or DOMAIN}/@{m.group(1)}" class="u-url mention">'
                                      f"@<span>{m.group(1)}</span></a></span>", out)

    return "".join(f"<p>{linked(p).replace(chr(10), '<br />')}</p>" for p in text.strip().split("\n\n") if p)


def _account(raw: dict[str, Any]) -> dict[str, Any]:
    user, domain = raw["handle"].split("@", 1)
    url, uri = _profile(raw["handle"])
    return {"id": raw["id"], "username": user, "acct": user if domain == DOMAIN else raw["handle"],
            "display_name": raw["name"], "locked": False, "bot": False, "discoverable": True,
            "indexable": raw.get("indexable", True), "group": False, "created_at": _time(raw["created_at"]),
            "note": f"<p>{html.escape(raw['note'])}</p>", "url": url, "uri": uri,
            "avatar": f"https://{domain}/avatars/original/missing.png", "header": f"https://{domain}/headers/missing.png",
            "followers_count": 0, "following_count": 0, "statuses_count": 0, "emojis": [], "fields": []}


@cache
def _world() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(accounts by handle, statuses newest first), built once from the sample file."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    accounts = {raw["handle"]: _account(raw) for raw in data["accounts"]}
    by_id: dict[str, dict[str, Any]] = {}
    for raw in sorted(data["statuses"], key=lambda r: int(r["id"])):
        author = raw["account"]
        url, uri = _profile(author)
        status = {"id": raw["id"], "created_at": _time(raw["created_at"]), "in_reply_to_id": raw.get("in_reply_to"),
                  "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "", "visibility": "public",
                  "language": raw.get("language", "en"), "uri": f"{uri}/statuses/{raw['id']}",
                  "url": f"{url}/{raw['id']}", "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
                  "quotes_count": 0, "edited_at": None, "content": _html(raw.get("text", "")), "reblog": None,
                  "account": accounts[author], "media_attachments": [], "mentions": [], "emojis": [], "card": None,
                  "poll": None, "quote": None,
                  "tags": [{"name": t.lower(), "url": f"https://{DOMAIN}/tags/{t.lower()}"}
                           for t in dict.fromkeys(_TAG.findall(raw.get("text", "")))]}
        if raw.get("in_reply_to"):
            status["in_reply_to_account_id"] = by_id[raw["in_reply_to"]]["account"]["id"]
        if raw.get("reblog"):
            activity = f"{uri}/statuses/{raw['id']}/activity"
            status.update(reblog=by_id[raw["reblog"]], uri=activity, content="", tags=[], language=None,
                          url=activity if author.endswith("@" + DOMAIN) else None)
        for n, media in enumerate(raw.get("media", []), start=1):
            status["media_attachments"].append({
                "id": str(int(raw["id"]) + n), "type": "image", "url": media["url"], "preview_url": media["url"],
                "remote_url": None, "description": media["description"], "blurhash": None, "meta": {}})
        by_id[raw["id"]] = status
    return accounts, sorted(by_id.values(), key=lambda s: int(s["id"]), reverse=True)


def _page(statuses: list[dict[str, Any]], query: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Mastodon's id paging: newest first below ``max_id`` and above ``since_id``; ``min_id`` gives
    the page immediately above it."""

    def arg(name: str) -> int | None:
        value = query.get(name, [""])[0]
        return int(value) if value.isdigit() else None

    limit = min(arg("limit") or 20, 40)
    max_id, since_id, min_id = arg("max_id"), arg("since_id"), arg("min_id")
    chosen = [s for s in statuses if (max_id is None or int(s["id"]) < max_id)
              and (since_id is None or int(s["id"]) > since_id) and (min_id is None or int(s["id"]) > min_id)]
    return chosen[-limit:] if min_id is not None else chosen[:limit]


def _matches(query: str, text: str) -> bool:
    """Every word of the query in the text; a query in double quotes as a phrase."""
    text = " ".join(re.findall(r"\w+", text.lower()))
    words = re.findall(r"\w+", query.lower())
    if query.strip().startswith('"'):
        return bool(words) and f" {' '.join(words)} " in f" {text} "
    return bool(words) and set(words) <= set(text.split())


def handle(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
    """Answer one request to the demo's Mastodon API (``path`` below the mount point)."""
    accounts, statuses = _world()
    headers = {k.lower(): v for k, v in headers.items()}
    if method != "GET":
        return _json(405, {"error": "This action is not allowed"})
    if path.rstrip("/") == "/api/v2/instance":
        access = {"local": "public", "remote": "public"}
        return _json(200, {"domain": DOMAIN, "title": "Mastodon", "version": "4.5.0",
                           "configuration": {"timelines_access": {"live_feeds": access, "hashtag_feeds": access,
                                                                  "trending_link_feeds": access}}})
    if path == "/api/v1/accounts/lookup":
        acct = query.get("acct", [""])[0].lstrip("@").lower()
        found = accounts.get(acct if "@" in acct else f"{acct}@{DOMAIN}")
        return _json(200, found) if found else _json(404, {"error": "Record not found"})
    if m := re.fullmatch(r"/api/v1/accounts/(\d+)/statuses", path):
        if not any(a["id"] == m.group(1) for a in accounts.values()):
            return _json(404, {"error": "Record not found"})
        own = [s for s in statuses if s["account"]["id"] == m.group(1)
               and not (s["reblog"] and query.get("exclude_reblogs") == ["1"])
               and not (s["in_reply_to_id"] and query.get("exclude_replies") == ["1"])]
        return _json(200, _page(own, query))
    if m := re.fullmatch(r"/api/v1/timelines/tag/(\w+)", path):
        tag = m.group(1).lower()
        return _json(200, _page([s for s in statuses if any(t["name"] == tag for t in s["tags"])], query))
    if path == "/api/v2/search":
        if headers.get("authorization") != f"Bearer {TOKEN}":
            return _json(401, {"error": "The access token is invalid"})
        q = query.get("q", [""])[0]
        found = [s for s in statuses if s["account"]["indexable"] and not s["reblog"]
                 and _matches(q, html.unescape(re.sub(r"<[^>]+>", " ", s["content"])))]
        kinds = query.get("type", ["statuses"])
        return _json(200, {"accounts": [], "hashtags": [],
                           "statuses": _page(found, query) if "statuses" in kinds else []})
    return _json(404, {"error": "Record not found"})
