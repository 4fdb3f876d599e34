"""The demo's Bluesky: config/demo/bluesky/posts.toml served as the XRPC API.

``handle`` answers what the Bluesky connector asks: as the public AppView,
``resolveHandle``, ``getProfile`` and ``getAuthorFeed`` (posts, replies with
their parents, quote posts with the quoted post, reposts, newest first, paged
with a keyset cursor); as a PDS, ``createSession`` and then ``searchPosts``,
which needs the session's token (search needs a login on Bluesky too). Mount it
on the demo server under a prefix (``/bluesky``) and pass the path below it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tomllib
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from monitor.config import REPO_ROOT

DATA = REPO_ROOT / "config" / "demo" / "bluesky" / "posts.toml"
ME = {"handle": "monitor-demo.bsky.social", "did": "did:plc:m2o3n4i5t6o7r2d3e4m5o6a7", "name": "Monitor (demo)",
      "description": "The Society's policy monitor, logged in for post search."}
SECRETS = {"MONITOR_BLUESKY_HANDLE": ME["handle"], "MONITOR_BLUESKY_APP_PASSWORD": "demo-app-password"}
"""What the demo gives the Bluesky connector for its search source."""

Response = tuple[int, dict[str, str], bytes]


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


# A well-formed JWT (the SDK reads its expiry), never verified by anyone.
ACCESS_JWT = ".".join((_b64({"typ": "at+jwt", "alg": "ES256K"}),
                       _b64({"scope": "com.atproto.appPass", "sub": ME["did"], "aud": "did:web:demo.invalid",
                             "iat": 1791763200, "exp": 4102444800}), "ZGVtbw"))


def _json(status: int, body: Any) -> Response:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


def _error(status: int, error: str, message: str) -> Response:
    return _json(status, {"error": error, "message": message})


def _time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _cid(seed: str) -> str:
    return "bafyrei" + base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode().lower().rstrip("=")[:52]


def _profile(raw: dict[str, Any]) -> dict[str, Any]:
    return {"did": raw["did"], "handle": raw["handle"], "displayName": raw["name"], "labels": [],
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{raw['did']}/{_cid(raw['did'])}@jpeg",
            "createdAt": "2023-05-02T10:00:00.000Z"}


@cache
def _world() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(actors by handle and DID, post views by URI, author-feed entries newest first) from the sample file."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    actors: dict[str, dict[str, Any]] = {}
    for raw in [*data["actors"], ME]:
        actors[raw["handle"]] = actors[raw["did"]] = raw
    views: dict[str, dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    for raw in sorted(data["posts"], key=lambda r: r["created_at"]):
        author = actors[raw["author"]]
        uri = f"at://{author['did']}/app.bsky.feed.post/{raw['rkey']}"
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": raw["text"],
                                  "createdAt": _time(raw["created_at"]), "langs": [raw.get("lang", "en")]}
        view: dict[str, Any] = {"uri": uri, "cid": _cid(uri), "author": _profile(author), "record": record,
                                "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, "labels": [],
                                "indexedAt": _time(raw["created_at"] + timedelta(milliseconds=800))}
        entry: dict[str, Any] = {"post": view}
        if raw.get("reply_to"):
            parent = views[raw["reply_to"]]
            ref = {"uri": parent["uri"], "cid": parent["cid"]}
            record["reply"] = {"root": ref, "parent": ref}
            entry["reply"] = {"root": parent, "parent": parent}
        if raw.get("quote"):
            quoted = views[raw["quote"]]
            record["embed"] = {"$type": "app.bsky.embed.record", "record": {"uri": quoted["uri"], "cid": quoted["cid"]}}
            view["embed"] = {"$type": "app.bsky.embed.record#view", "record": {
                "$type": "app.bsky.embed.record#viewRecord", "uri": quoted["uri"], "cid": quoted["cid"],
                "author": quoted["author"], "value": quoted["record"], "labels": [], "indexedAt": quoted["indexedAt"],
                "embeds": [quoted["embed"]] if "embed" in quoted else []}}
        if raw.get("images"):
            blobs = [_cid(f"{uri}#{n}") for n in range(len(raw["images"]))]
            record["embed"] = {"$type": "app.bsky.embed.images", "images": [
                {"alt": i["alt"], "image": {"$type": "blob", "ref": {"$link": b}, "mimeType": "image/jpeg",
                                            "size": 402113}} for i, b in zip(raw["images"], blobs, strict=True)]}
            view["embed"] = {"$type": "app.bsky.embed.images#view", "images": [
                {"alt": i["alt"], "thumb": f"https://cdn.bsky.app/img/feed_thumbnail/plain/{author['did']}/{b}@jpeg",
                 "fullsize": f"https://cdn.bsky.app/img/feed_fullsize/plain/{author['did']}/{b}@jpeg"}
                for i, b in zip(raw["images"], blobs, strict=True)]}
        views[uri] = view
        entries.append({"actor": author["did"], "sort": record["createdAt"], "id": uri, "item": entry})
    for raw in data.get("reposts", []):
        by = actors[raw["by"]]
        uri = f"at://{by['did']}/app.bsky.feed.repost/{raw['rkey']}"
        when = _time(raw["created_at"])
        entries.append({"actor": by["did"], "sort": when, "id": uri, "item": {
            "post": views[raw["subject"]], "reason": {"$type": "app.bsky.feed.defs#reasonRepost",
                                                      "by": _profile(by), "uri": uri, "cid": _cid(uri),
                                                      "indexedAt": when}}})
    entries.sort(key=lambda e: (e["sort"], e["id"]), reverse=True)
    return actors, views, entries


def _arg(query: dict[str, list[str]], name: str, default: str = "") -> str:
    return query.get(name, [default])[0]


def _limit(query: dict[str, list[str]], default: int) -> int:
    value = _arg(query, "limit")
    return max(1, min(int(value), 100)) if value.isdigit() else default


def _author_feed(query: dict[str, list[str]]) -> Response:
    actors, _, entries = _world()
    actor = actors.get(_arg(query, "actor").lower()) or actors.get(_arg(query, "actor"))
    if actor is None:
        return _error(400, "InvalidRequest", "Profile not found")
    mine = [e for e in entries if e["actor"] == actor["did"]
            and not (_arg(query, "filter") == "posts_no_replies" and "reply" in e["item"])]
    cursor = _arg(query, "cursor")
    if cursor:
        sort, _, last = cursor.partition("::")
        mine = [e for e in mine if (e["sort"], e["id"]) < (sort, last)]
    page = mine[:_limit(query, 50)]
    out: dict[str, Any] = {"feed": [e["item"] for e in page]}
    if len(mine) > len(page):
        out["cursor"] = f"{page[-1]['sort']}::{page[-1]['id']}"
    return _json(200, out)


def _search(query: dict[str, list[str]], headers: dict[str, str]) -> Response:
    if headers.get("authorization") != f"Bearer {ACCESS_JWT}":
        return _error(401, "AuthenticationRequired", "Authentication Required")
    _, views, _ = _world()
    wanted = set(re.findall(r"\w+", _arg(query, "q").lower()))
    since, until = _arg(query, "since"), _arg(query, "until")

    def hit(view: dict[str, Any]) -> bool:
        when = view["record"]["createdAt"]  # sortAt: the demo indexes every post just after it is made
        return (bool(wanted) and wanted <= set(re.findall(r"\w+", view["record"]["text"].lower()))
                and (not since or when >= since) and (not until or when < until))

    found = sorted(filter(hit, views.values()), key=lambda v: v["record"]["createdAt"], reverse=True)
    offset = int(_arg(query, "cursor", "0") or 0)
    page = found[offset:offset + _limit(query, 25)]
    out: dict[str, Any] = {"posts": page, "hitsTotal": len(found)}
    if offset + len(page) < len(found):
        out["cursor"] = str(offset + len(page))
    return _json(200, out)


def handle(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
    """Answer one XRPC request to the demo's Bluesky (``path`` below the mount point)."""
    actors, _, _ = _world()
    headers = {k.lower(): v for k, v in headers.items()}
    nsid = path.removeprefix("/xrpc/")
    if method == "POST" and nsid == "com.atproto.server.createSession":
        return _json(200, {"did": ME["did"], "handle": ME["handle"], "accessJwt": ACCESS_JWT,
                           "refreshJwt": ACCESS_JWT, "active": True})
    if method != "GET":
        return _error(501, "MethodNotImplemented", "Method Not Implemented")
    if nsid == "com.atproto.identity.resolveHandle":
        actor = actors.get(_arg(query, "handle").lower())
        return _json(200, {"did": actor["did"]}) if actor else _error(400, "InvalidRequest", "Unable to resolve handle")
    if nsid == "app.bsky.actor.getProfile":
        actor = actors.get(_arg(query, "actor").lower()) or actors.get(_arg(query, "actor"))
        if actor is None:
            return _error(400, "InvalidRequest", "Profile not found")
        return _json(200, {**_profile(actor), "description": actor["description"], "followersCount": 0,
                           "followsCount": 0, "postsCount": 0})
    if nsid == "app.bsky.feed.getAuthorFeed":
        return _author_feed(query)
    if nsid == "app.bsky.feed.searchPosts":
        return _search(query, headers)
    return _error(501, "MethodNotImplemented", "Method Not Implemented")
