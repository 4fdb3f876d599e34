"""The weekly and monthly PDFs from a real store: contents, escaping, no outside fetches, fonts,
the Board's privacy, month-on-month numbers and determinism."""

from __future__ import annotations

import hashlib
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from connectors.base import Post
from monitor import store
from monitor.config import Settings
from reports import render
from reports.generate import write_report
from reports.monthly import build_monthly_context
from reports.period import parse_period
from reports.weekly import build_weekly_context
from tests.conftest import feed_source

NOW = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
OFFICIAL = "thornfieldlhs@mastodon.social"
TRUSTEE = "davidpryce.bsky.social"
PUBLIC_HANDLE, PUBLIC_NAME = "angry_neighbour", "Alan Smithers"
HOSTILE_HTML = "<b>bold</b><script>alert('x')</script>"
PHONE = "07700 900123"

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils (pdftotext, pdffonts) are not installed")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Seeder:
    """Adds posts with flags (and reviews, sweeps) to the store the way the sweep does."""

    def __init__(self, engine: Any, prefix: str) -> None:
        self.engine = engine
        self.prefix = prefix
        self.count = 0

    def post(self, created: datetime, text: str, kind: str = "public", flags: tuple[dict, ...] = (),
             **kw: Any) -> list[int]:
        """Store one post and its flags; return the flag ids."""
        self.count += 1
        defaults = {"public": ("forum", PUBLIC_HANDLE, PUBLIC_NAME, None),
                    "official": ("mastodon", OFFICIAL, "Thornfield LHS", OFFICIAL),
                    "personal": ("bluesky", TRUSTEE, "David Pryce", "david-pryce")}[kind]
        platform, handle, name, account = defaults
        fields = {"platform": platform, "author_handle": handle, "author_name": name, "account": account,
                  "url": f"https://{platform}.example/{self.count}", **kw}
        post = Post(native_id=f"{self.prefix}-{self.count}", source="test", text=text, created_at=created,
                    author_kind=kind, **fields)
        [post_id] = store.save_page(self.engine, "test", [post], None, now=lambda: NOW)
        return store.replace_flags(self.engine, [(post_id, list(flags))], "test-v1", created)

    def flagged(self, created: datetime, text: str, kind: str, category: str, clause: str, severity: str,
                word: str, **kw: Any) -> int:
        """Store a post with one flag whose evidence is ``word``; return the flag id."""
        [flag_id] = self.post(created, text, kind, (flag(category, clause, severity, text, word),), **kw)
        return flag_id

    def review(self, flag_id: int, decision: str, when: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(store.reviews.insert().values(flag_id=flag_id, decision=decision, reviewer="officer",
                                                       created_at=when))

    def sweep(self, source: str, platform: str, when: datetime, status: str, error: str | None = None) -> None:
        row = store.start_sweep_row(self.engine, f"run-{when:%d%H}", source, platform, when)
        store.finish_sweep_row(self.engine, row, status=status, error=error, finished_at=when)


def flag(category: str, clause: str, severity: str, text: str, word: str, reason: str = "matched") -> dict:
    start = text.index(word)
    return {"category": category, "clause": clause, "severity": severity, "score": 0.91,
            "evidence": [{"start": start, "end": start + len(word), "reason": reason}]}


def supersede(engine: Any, flag_ids: list[int], when: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(store.flags.update().where(store.flags.c.id.in_(flag_ids)).values(superseded_at=when))


@pytest.fixture
def settings(write_settings) -> Settings:
    return write_settings(
        feed_source("society-mastodon", "feeds/society.rss", role="official", platform="mastodon")
        + feed_source("david-pryce-bluesky", "feeds/david.rss", role="personal", platform="bluesky",
                      person="david-pryce")
        + feed_source("mentions-forum", "feeds/forum.xml", platform="forum")
        + feed_source("mentions-news", "feeds/news.xml"))


ABUSE = f"You lot at TLHS are {HOSTILE_HTML} parasites 😡 中文字 مرحبا بكم"
POLITICAL = "Vote for the Green Party on Thursday, says the Society"
PHONE_POST = f"Ring Mrs Patel on {PHONE} about her unpaid subs"


@pytest.fixture
def week(engine) -> Seeder:
    """Week 2026-W45 (2-8 November): three flagged posts, one clean mention, sweeps with gaps."""
    seed = Seeder(engine, "week")
    [political] = seed.post(utc(2026, 11, 3, 10), POLITICAL, "official",
                            (flag("political", "6c", "medium", POLITICAL, "Green Party", "party named"),))
    seed.post(utc(2026, 11, 4, 12), PHONE_POST, "personal",
              (flag("personal_data", "6g", "high", PHONE_POST, PHONE, "phone number"),))
    seed.post(utc(2026, 11, 5, 23, 59), ABUSE, "public",
              (flag("harassment", "Abusive behaviour", "high", ABUSE, "parasites", "dehumanising insult"),))
    seed.post(utc(2026, 11, 6, 8), "Lovely talk at the Thornfield Local History Society", "public", platform="web",
              author_handle="happy_member")
    seed.post(utc(2026, 11, 9, 1), "next week's post calls them scum", "public",
              (flag("harassment", "Abusive behaviour", "high", "scum", "scum"),))
    seed.review(political, "confirmed", utc(2026, 11, 6, 9))
    seed.sweep("society-mastodon", "mastodon", utc(2026, 11, 2, 6), "ok")
    seed.sweep("mentions-forum", "forum", utc(2026, 11, 3, 6), "failed", "HTTP 503 Service Unavailable")
    seed.sweep("mentions-forum", "forum", utc(2026, 11, 4, 6), "ok")
    seed.sweep("david-pryce-bluesky", "bluesky", utc(2026, 11, 2, 6), "unavailable", "account suspended")
    seed.sweep("society-mastodon", "mastodon", utc(2026, 10, 30, 6), "failed", "before the week")
    return seed


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler reads it, whitespace squeezed."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_poppler
def test_weekly_report_shows_each_flagged_post_with_its_evidence(engine, settings, week, tmp_path) -> None:
    path = write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path)
    assert path == tmp_path / "weekly-2026-W45.pdf"
    text = pdf_text(path)
    assert "2026-W45" in text and "Thornfield Local History Society" in text
    for expected in (PUBLIC_HANDLE, PUBLIC_NAME, "Member of the public", "Abusive behaviour", "parasites",
                     "dehumanising insult", OFFICIAL, "6c: Party-political neutrality", "Green Party", TRUSTEE,
                     "Personal account: Treasurer", PHONE, "https://forum.example/3", "Thu 2026-11-05 23:59 UTC"):
        assert expected in text, expected
    assert "HIGH" in text and "MEDIUM" in text  # severities
    assert "confirmed" in text and "Unreviewed: 2 flags on 2 posts" in text
    assert "scum" not in text and "happy_member" not in text  # next week's post; an unflagged post is only counted
    assert "Page 1 of" in text


@needs_poppler
def test_post_html_is_shown_literally(engine, settings, week, tmp_path) -> None:
    text = pdf_text(write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path))
    assert squeezed(HOSTILE_HTML) in squeezed(text)


@needs_poppler
def test_weekly_coverage_lists_every_source_and_its_gaps(engine, settings, week, tmp_path) -> None:
    text = pdf_text(write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path))
    assert "HTTP 503 Service Unavailable" in text and "account suspended" in text
    assert "mentions-news" in text and "not swept" in text  # configured but never swept
    assert "before the week" not in text
    assert "Likes by other users on X have been private since 2024" in text


def test_weekly_context_counts(engine, settings, week) -> None:
    context = build_weekly_context(engine, settings, parse_period("2026-W45"), NOW)
    assert (context.posts_total, context.flags_total, len(context.items)) == (4, 3, 3)
    assert (context.unreviewed_flags, context.unreviewed_posts) == (2, 2)
    assert [item.author_handle for item in context.items] == [TRUSTEE, PUBLIC_HANDLE, OFFICIAL]  # high first
    assert (context.mentions_total, context.mentions_flagged) == (2, 1)
    assert context.volume.rows[3] == ("Thu 05 Nov", "0", "1", "0", "0", "1")  # the post at 23:59 stays on Thursday
    assert context.volume.columns == ("Day", "bluesky", "forum", "mastodon", "web", "Total")
    gaps = {row.source: (row.last_status, row.failed, row.last_error) for row in context.coverage if row.gap}
    assert gaps == {"mentions-forum": ("ok", 1, "HTTP 503 Service Unavailable"),
                    "david-pryce-bluesky": ("unavailable", 1, "account suspended"),
                    "mentions-news": ("not swept", 0, "")}
    assert context.coverage_gaps == 3


@pytest.fixture
def local_server() -> Iterator[list[str]]:
    """A real HTTP server on 127.0.0.1 whose request log the test reads."""
    log: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            log.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    log.append(str(server.server_address[1]))
    yield log
    server.shutdown()
    server.server_close()


@needs_poppler
def test_urls_in_post_text_are_never_fetched(engine, settings, tmp_path, local_server, monkeypatch) -> None:
    port = local_server.pop()
    base = f"http://127.0.0.1:{port}"
    text = (f'look <img src="{base}/x.png"> and <p style="background: url({base}/y.css)">styled</p> '
            f'<link rel="stylesheet" href="{base}/z.css"> file:///etc/passwd <img src="file:///etc/passwd"> ugh')
    seen: list[str] = []
    real_fetch = render.SafeURLFetcher.fetch

    def spy(self: render.SafeURLFetcher, url: str, headers: Any = None) -> Any:
        seen.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(render.SafeURLFetcher, "fetch", spy)
    Seeder(engine, "hostile").post(utc(2026, 11, 3), text, "public",
                        (flag("offensive", "6d", "low", text, "ugh"),), url=f"{base}/post")
    path = write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path)
    assert local_server == []
    assert seen and all(url.startswith(render.ASSET_BASE) for url in seen)  # only the report's own assets
    assert sum(len(page.images) for page in PdfReader(path).pages) == 0
    assert "/etc/passwd" in pdf_text(path)  # shown as text, never opened


@needs_poppler
def test_emoji_cjk_and_arabic_fonts_are_embedded(engine, settings, week, tmp_path) -> None:
    path = write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Noto-Color-Emoji", fonts)
    assert re.search(r"Noto-Sans-CJK", fonts)
    assert re.search(r"Noto-Sans-Arabic", fonts)
    text = pdf_text(path)
    assert "中文字" in text and "😡" in text


@pytest.fixture
def months(engine) -> Seeder:
    """September and October 2026, counted by hand in the tests below."""
    seed = Seeder(engine, "months")
    for day in (3, 17):
        seed.flagged(utc(2026, 9, day), "rude words", "official", "offensive", "6d", "medium", "rude")
    seed.flagged(utc(2026, 9, 20), "nasty words", "personal", "harassment", "6d", "high", "nasty")
    seed.flagged(utc(2026, 9, 21), "abuse", "public", "harassment", "Abusive behaviour", "high", "abuse")
    # A superseded flag counts nowhere.
    mugs = seed.flagged(utc(2026, 10, 2), "buy my mugs", "official", "promotion", "6f", "low", "mugs")
    supersede(engine, [mugs], utc(2026, 10, 3))
    offensive = seed.flagged(utc(2026, 10, 5), "silly words", "official", "offensive", "6d", "low", "silly")
    seed.flagged(utc(2026, 10, 9), POLITICAL, "official", "political", "6c", "medium", "Green Party")
    phone = seed.flagged(utc(2026, 10, 12), PHONE_POST, "personal", "personal_data", "6g", "high", PHONE)
    seed.flagged(utc(2026, 10, 14), ABUSE, "public", "harassment", "Abusive behaviour", "high", "parasites")
    seed.flagged(utc(2026, 10, 31, 23, 59), "vile bigots", "public", "discrimination", "Abusive behaviour",
                 "critical", "bigots", platform="x")
    seed.flagged(utc(2026, 10, 15), "the Society lied", "public", "misleading", "6d", "low", "lied")
    seed.review(offensive, "confirmed", utc(2026, 10, 6))
    seed.review(phone, "removed", utc(2026, 10, 13))
    seed.review(phone, "escalated", utc(2026, 11, 2))  # recorded in November: not October's action
    return seed


def test_month_on_month_counts(engine, settings, months) -> None:
    context = build_monthly_context(engine, settings, parse_period("2026-10"), NOW)
    assert (context.breaches, context.breaches_previous, context.breaches_change) == (3, 3, "0")
    assert context.by_clause.rows == (
        ("6c: Party-political neutrality", "1", "0", "+1 (new)"),
        ("6d: Offensive, abusive, discriminatory or misleading content", "1", "3", "-2 (-67%)"),
        ("6g: Personal and sensitive data", "1", "0", "+1 (new)"),
    )
    assert context.by_clause.totals == ("Total", "3", "3", "0")
    assert context.by_account_type.rows == (("Official account", "2", "2", "0"), ("Personal account", "1", "1", "0"))
    assert dict((r[0], r[1:]) for r in context.by_severity.rows)["high"] == ("1", "1", "0")
    assert (context.abuse, context.abuse_previous, context.abuse_change) == (2, 1, "+1 (+100%)")
    assert context.abuse_by_platform.rows == (("forum", "1", "1", "0"), ("x", "1", "0", "+1 (new)"))
    assert context.actions.rows == (("confirmed", "1"), ("removed", "1"))
    assert (context.unreviewed_breaches, context.unreviewed_abuse) == (1, 2)
    assert context.by_account.rows == (("Official: " + OFFICIAL, "2"), ("Treasurer: david-pryce", "1"))


@needs_poppler
def test_board_report_has_counts_but_no_personal_data(engine, settings, months, tmp_path) -> None:
    path = write_report("monthly", engine, settings, "2026-10", NOW, tmp_path)
    text = pdf_text(path)
    assert "October 2026" in text and "September 2026" in text and "-2 (-67%)" in text and "+1 (+100%)" in text
    assert "Treasurer: david-pryce" in text
    for private in (PHONE, "Mrs Patel", "unpaid subs", PUBLIC_HANDLE, PUBLIC_NAME, "parasites", "bigots",
                    "Green Party", "the Society lied", "forum.example", TRUSTEE, "David Pryce"):
        assert private not in text, private
    assert squeezed(PHONE) not in squeezed(text)


def test_reports_are_deterministic_and_recorded_once(engine, settings, week, months, tmp_path) -> None:
    first = write_report("weekly", engine, settings, None, NOW, tmp_path / "a")
    second = write_report("weekly", engine, settings, None, NOW, tmp_path / "b")
    assert first.name == "weekly-2026-W45.pdf"  # the last complete week before NOW
    assert first.read_bytes() == second.read_bytes()
    again = write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path / "a")
    monthly = write_report("monthly", engine, settings, None, NOW, tmp_path / "a")
    assert monthly.name == "monthly-2026-10.pdf"
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(store.reports).order_by(store.reports.c.id))]
    assert [(r["kind"], r["period"], Path(r["path"])) for r in rows] == [
        ("weekly", "2026-W45", first), ("weekly", "2026-W45", second), ("monthly", "2026-10", monthly)]
    assert rows[0]["sha256"] == hashlib.sha256(again.read_bytes()).hexdigest() == rows[1]["sha256"]
    assert rows[0]["created_at"] == NOW
    reader = PdfReader(BytesIO(first.read_bytes()))
    assert "/CreationDate" not in (reader.metadata or {})


def test_bad_kind_or_period_is_a_value_error(engine, settings, tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown report kind"):
        write_report("daily", engine, settings, None, NOW, tmp_path / "out")
    with pytest.raises(ValueError, match="not a weekly period"):
        write_report("weekly", engine, settings, "2026-10", NOW, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_empty_store_still_gives_a_report(engine, settings, tmp_path) -> None:
    path = write_report("weekly", engine, settings, "2026-W45", NOW, tmp_path)
    monthly = write_report("monthly", engine, settings, "2026-10", NOW, tmp_path)
    assert path.read_bytes().startswith(b"%PDF") and monthly.read_bytes().startswith(b"%PDF")
