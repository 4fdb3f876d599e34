"""Benchmark: the weekly PDF of a busy week (1,000 flagged posts) from a temporary SQLite store.

Prints the seconds taken to build and render the report, the process's peak
resident memory, the number of pages and the file size. Targets: < 20 s, < 500 MB.

    .venv/bin/python bench/bench_weekly_report.py [--posts 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from connectors.base import Post  # noqa: E402
from monitor import store  # noqa: E402
from monitor.config import BUNDLED_CONFIG, load_settings  # noqa: E402
from reports.generate import write_report  # noqa: E402

WEEK_START = datetime(2026, 11, 2, tzinfo=UTC)
NOW = datetime(2026, 11, 9, 7, tzinfo=UTC)
PLATFORMS = ("x", "reddit", "mastodon", "bluesky", "facebook", "instagram", "blog", "forum", "web")
FLAGS = (("harassment", "6d"), ("discrimination", "6d"), ("offensive", "6d"), ("misleading", "6d"),
         ("political", "6c"), ("promotion", "6f"), ("personal_data", "6g"), ("no_disclaimer", "6a"),
         ("copyright_consent", "6e"), ("endorsement", "6b"))
SEVERITIES = ("low", "medium", "high", "critical")
FILLER = ("The committee met on Tuesday to discuss the spring lecture series and the archive move. 📚 "
          "会议讨论了档案馆搬迁。 ناقشت اللجنة نقل الأرشيف. কমিটি আর্কাইভ স্থানান্তর নিয়ে আলোচনা করেছে। ")
WORDS = ("idiots", "Vote Green", "07700 900123", "buy now", "scum", "liars", "parasites")


def make_post(n: int, rng: random.Random) -> tuple[Post, list[dict]]:
    """One flagged post: a varied platform, author and length, evidence on its words."""
    kind = ("official", "personal", "public")[n % 3]
    word = WORDS[n % len(WORDS)]
    head = f"Post {n} 😀🎉 about TLHS: they are {word} "
    text = head + FILLER * (1 + (n % 40 if n % 10 == 0 else n % 3))
    start = text.index(word)
    flags = []
    for i in range(1 + (n % 5 == 0)):
        category, clause = FLAGS[(n + i) % len(FLAGS)]
        if kind == "public" and category in ("harassment", "discrimination"):
            clause = "Abusive behaviour"
        flags.append({"category": category, "clause": clause, "severity": SEVERITIES[(n + i) % 4],
                      "score": round(rng.uniform(0.5, 1.0), 2),
                      "evidence": [{"start": start, "end": start + len(word), "reason": f"matched {word!r}"}]})
    platform = PLATFORMS[n % len(PLATFORMS)]
    post = Post(platform=platform, native_id=f"bench-{n}", source="bench", text=text,
                created_at=WEEK_START + timedelta(seconds=rng.randrange(7 * 86400)), author_kind=kind,
                author_handle=f"user_{n % 97}", author_name=f"Person {n % 97} 🌟", url=f"https://{platform}.example/{n}",
                account="david-pryce" if kind == "personal" else None)
    return post, flags


def fill(engine, posts: int) -> None:
    """``posts`` flagged posts, as many unflagged ones, and a week of hourly sweeps of nine sources."""
    rng = random.Random(45)
    made = [make_post(n, rng) for n in range(posts)]
    ids = store.save_page(engine, "bench", [p for p, _ in made], None, now=lambda: NOW)
    store.replace_flags(engine, list(zip(ids, [f for _, f in made], strict=True)), "bench-v1", NOW)
    quiet = [Post(platform=PLATFORMS[n % 9], native_id=f"quiet-{n}", source="bench", text="A nice talk at TLHS",
                  created_at=WEEK_START + timedelta(seconds=rng.randrange(7 * 86400))) for n in range(posts)]
    store.save_page(engine, "bench", quiet, None, now=lambda: NOW)
    for hour in range(7 * 24):
        for s, source in enumerate(("society-blog", "society-mastodon", "society-bluesky", "margaret-okafor-mastodon",
                                    "david-pryce-bluesky", "priya-raman-blog", "tom-hesketh-mastodon",
                                    "mentions-forum", "mentions-news")):
            when = WEEK_START + timedelta(hours=hour, minutes=s)
            row = store.start_sweep_row(engine, f"run-{hour}", source, "web", when)
            failed = source == "mentions-forum" and hour % 24 == 3
            store.finish_sweep_row(engine, row, finished_at=when, status="failed" if failed else "ok",
                                   error="HTTP 503" if failed else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="flagged posts in the week (default 1000)")
    parser.add_argument("--keep", type=Path, help="write the store and PDF here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        engine = store.open_store(f"sqlite:///{folder / 'bench.db'}")
        started = time.perf_counter()
        fill(engine, args.posts)
        filled = time.perf_counter()
        path = write_report("weekly", engine, load_settings(BUNDLED_CONFIG), "2026-W45", NOW, folder)
        rendered = time.perf_counter()
        pages = len(PdfReader(path).pages)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(f"flagged posts   {args.posts}")
        print(f"fill store      {filled - started:.1f} s")
        print(f"weekly report   {rendered - filled:.1f} s  (target < 20 s)")
        print(f"peak RSS        {peak_mb:.0f} MB  (target < 500 MB)")
        print(f"pages           {pages}")
        print(f"file size       {path.stat().st_size / 1e6:.1f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
