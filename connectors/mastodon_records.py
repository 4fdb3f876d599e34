"""Mastodon statuses (as Mastodon.py returns them) as normalised posts.

A status is identified by its URL, the guid of the account's profile RSS feed,
so a status found by both is stored once; a reblog, which has no page of its
own, by its activity URI, the same on every instance. ``author_handle`` is
``user@instance`` (the instance added to local accounts).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import suppress
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from connectors.base import BadRecord, Post, SeenAccount
from connectors.text import html_to_text


def sort_key(status_id: Any) -> str:
    """Mastodon ids are numbers (snowflakes, growing with time): zero-padded, they sort as text."""
    text = str(status_id)
    return f"{int(text):020d}" if text.isdigit() else text


def acct_handle(account: Mapping[str, Any]) -> str:
    """``user@instance``: the instance is added to local accounts, from the profile URL."""
    acct = str(account["acct"])
    if "@" in acct:
        return acct
    host = urlsplit(str(account.get("url") or "")).hostname
    if not host:
        raise BadRecord(f"account {acct!r} has neither an instance nor a profile URL")
    return f"{acct}@{host}"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda o: o.isoformat() if isinstance(o, datetime) else str(o)))


def _text(status: Mapping[str, Any]) -> str:
    body = html_to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()
    return f"{warning}\n\n{body}" if warning and body else warning or body


def _media(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"url": m.get("url") or m.get("remote_url"), "type": m.get("type"), "description": m.get("description")}
            for m in status.get("media_attachments") or []]


def _ref(status: Mapping[str, Any]) -> dict[str, Any]:
    """A referenced status: platform, id (its URL), text, and enough to show it."""
    return {"platform": "mastodon", "id": status.get("url") or status.get("uri"), "url": status.get("url"),
            "author_handle": acct_handle(status["account"]), "text": _text(status), "media": _media(status)}


def accounts_seen(statuses: list[Mapping[str, Any]]) -> list[SeenAccount]:
    """The authors of these statuses and of what they reblog, with their bios, for account
    discovery (an account's id is per instance, so none is given)."""
    seen: dict[str, SeenAccount] = {}
    for status in statuses:
        for shown in filter(None, (status, status.get("reblog"))):
            with suppress(BadRecord, KeyError, TypeError):
                account = shown["account"]
                seen.setdefault(acct_handle(account), SeenAccount(
                    platform="mastodon", handle=acct_handle(account), display_name=account.get("display_name"),
                    description=html_to_text(str(account.get("note") or "")) or None,
                    seen_at=shown.get("created_at")))
    return list(seen.values())


def status_to_post(status: Mapping[str, Any], source: Any, retrieved: datetime, endpoint: str) -> Post:
    """Normalise one status (a reblog becomes a ``repost`` whose ``ref`` is the original)."""
    try:
        account = status["account"]
        author_kind, owner = {"official": ("official", source.account),
                              "personal": ("personal", source.person)}.get(source.role, ("public", None))
        common = dict(platform="mastodon", source=source.name, created_at=status["created_at"],
                      author_kind=author_kind, account=owner, author_handle=acct_handle(account),
                      author_name=account.get("display_name") or None, raw=_jsonable(status),
                      endpoint=endpoint, retrieved_at=retrieved)
        original = status.get("reblog")
        if original:
            return Post(native_id=status["uri"], url=original.get("url") or original.get("uri"), text="",
                        kind="repost", ref=_ref(original), **common)
        quote = status.get("quote") or {}
        quoted = quote.get("quoted_status")
        if quote:
            kind = "quote"
            ref = _ref(quoted) if quoted else {"platform": "mastodon", "id": None, "text": "",
                                               "state": quote.get("state")}
        else:
            kind, ref = ("reply" if status.get("in_reply_to_id") else "post"), None
        return Post(native_id=status.get("url") or status["uri"], url=status.get("url"), text=_text(status),
                    kind=kind, ref=ref, media=_media(status), lang=status.get("language") or None, **common)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise BadRecord(f"status {status.get('id')!r}: {type(exc).__name__}: {exc}") from None


def status_items(statuses: list[Mapping[str, Any]], source: Any, retrieved: datetime,
                 endpoint: str) -> list[tuple[str, Post | None]]:
    """(sort key, post) for each status; an unreadable one keeps its key, with None for the post."""
    items: list[tuple[str, Post | None]] = []
    for status in statuses:
        try:
            items.append((sort_key(status.get("id")), status_to_post(status, source, retrieved, endpoint)))
        except BadRecord:
            items.append((sort_key(status.get("id")), None))
    return items
