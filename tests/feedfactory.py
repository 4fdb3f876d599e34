"""Build RSS documents for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def item(n: int, text: str | None = None, *, guid: str | None = "auto", when: datetime | str | None = "auto",
         title: str | None = None, link: str | None = "auto") -> dict:
    return {
        "guid": f"https://blog.example.org/posts/{n}" if guid == "auto" else guid,
        "link": f"https://blog.example.org/posts/{n}" if link == "auto" else link,
        "title": title if title is not None else f"Post {n}",
        "text": text if text is not None else f"<p>Entry number {n} about the archive &amp; the canal.</p>",
        "when": START + timedelta(minutes=n) if when == "auto" else when,
    }


def rss(items: list[dict], *, site: str = "https://blog.example.org/") -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
             f"<title>Test feed</title><link>{escape(site)}</link><description>test</description>"]
    for it in items:
        parts.append("<item>")
        if it["title"]:
            parts.append(f"<title>{escape(it['title'])}</title>")
        if it["link"]:
            parts.append(f"<link>{escape(it['link'])}</link>")
        if it["guid"]:
            parts.append(f"<guid>{escape(it['guid'])}</guid>")
        if it["when"]:
            parts.append(f"<pubDate>{format_datetime(it['when'])}</pubDate>")
        parts.append(f"<description>{escape(it['text'])}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def many(n: int, start: int = 0) -> bytes:
    return rss([item(i) for i in range(start, start + n)])
