"""Sweep 20,000 X posts and 20,000 Reddit items served on 127.0.0.1 in pages of 100, through
the real tweepy and praw clients, into an empty SQLite store; then sweep again unchanged.

Prints, per platform: posts/s, requests, peak memory; then for the unchanged second sweep:
requests and posts read. Targets: one request per source and zero posts read twice.

    .venv/bin/python bench/bench_platforms.py [--posts 20000] [--items 20000]

The X source is a recent search (posts one every 20 s over the last days, 10% quoting the one
before, 2,000 authors); the Reddit source is one account's overview (submissions and comments
alternating). Each sweep uses fresh connectors, as a new cron run would, so Reddit asks for
an OAuth token each time. Peak memory is the process's, local server and sample data included.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import demo_reddit, demo_x  # noqa: E402
from monitor.classify import Classifier  # noqa: E402
from monitor.config import load_settings  # noqa: E402
from monitor.store import open_store  # noqa: E402
from monitor.sweep import run_sweep  # noqa: E402
from tests.apiserver import ApiServer  # noqa: E402 - the tests' 127.0.0.1 server mounting API handlers

NOW = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
CONFIG = """
[society]
name = "Thornfield Local History Society"
handles = ["ThornfieldLHS"]
hashtags = ["ThornfieldHistory"]
[store]
database_url = "sqlite:///{db}"
[sweep]
page_cap = 1000
max_bytes = 50_000_000

[[sources]]
name = "x-search"
kind = "x"
platform = "x"
role = "mentions"
options = {{ read = "search" }}

[[sources]]
name = "reddit-member"
kind = "reddit"
platform = "reddit"
role = "official"
account = "member0"
options = {{ read = "user", backfill_days = 30 }}
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000, help="X posts served")
    parser.add_argument("--items", type=int, default=20_000, help="Reddit items served")
    args = parser.parse_args()

    x_api = demo_x.XDemoAPI.generated(args.posts, NOW - timedelta(hours=1), spacing_seconds=20, authors=2000)
    reddit_api = demo_reddit.RedditDemoAPI.generated(args.items, NOW - timedelta(hours=1), spacing_seconds=20,
                                                     authors=1)
    with tempfile.TemporaryDirectory() as tmp, ApiServer({"/x": x_api.handle, "/reddit": reddit_api.handle}) as server:
        config = Path(tmp) / "monitor.toml"
        config.write_text(CONFIG.format(db=Path(tmp) / "bench.db"), encoding="utf-8")
        settings = load_settings(config)
        engine = open_store(settings.database_url)
        classifier = Classifier(settings.society)
        classify_many, classifying = classifier.classify_many, [0.0]

        def timed(posts):  # noqa: ANN001, ANN202 - measures the classifier's share
            began = time.perf_counter()
            try:
                return classify_many(posts)
            finally:
                classifying[0] += time.perf_counter() - began

        classifier.classify_many = timed

        def sweep(label: str) -> None:
            print(label)
            for source in settings.sources:
                connector = (demo_x.connector(settings, server.base + "/x") if source.kind == "x"
                             else demo_reddit.connector(settings, server.base + "/reddit"))
                server.calls.clear()
                classifying[0] = 0.0
                began = time.perf_counter()
                result = run_sweep(settings, engine, only=source.name, clock=lambda: NOW,
                                   connectors={source.kind: connector}, classifier=classifier).sources[0]
                elapsed = time.perf_counter() - began
                gets = sum(1 for c in server.calls if c.method == "GET")
                fetching = elapsed - classifying[0]
                rate = (f"{result.new / elapsed:,.0f} posts/s with classification, {result.new / fetching:,.0f} "
                        "posts/s fetch + normalise + store" if result.new else "")
                print(f"  {source.name:<14} {result.status}: read {result.fetched:,} posts, stored {result.new:,} "
                      f"in {elapsed:.2f} s (classifying {classifying[0]:.2f} s) {rate}\n"
                      f"  {'':<14} {len(server.calls)} requests ({gets} pages, {len(server.calls) - gets} OAuth "
                      f"token); {result.reads:,} billed reads ({result.user_reads:,} of users); "
                      f"peak RSS so far {peak_mb():.0f} MB")

        print(f"served: {args.posts:,} X posts, {args.items:,} Reddit items, pages of 100; "
              f"RSS before sweeping {peak_mb():.0f} MB")
        sweep("first sweep")
        sweep("unchanged second sweep (target: one page request per source, zero posts read twice)")
        engine.dispose()


if __name__ == "__main__":
    main()
