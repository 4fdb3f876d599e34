"""Sweep one feed of 10,000 entries into an empty SQLite store, then sweep it again unchanged.

Targets: >= 2,000 posts/s for the first sweep; < 1 s for the unchanged second one.

    .venv/bin/python bench/bench_sweep.py [--entries 10000] [--http]

With --http the feed is served on 127.0.0.1 with an ETag (the second sweep is a 304);
without it the feed is a local file (the second sweep compares the body's SHA-256).
"""

from __future__ import annotations

import argparse
import http.server
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import flagging  # noqa: E402
from monitor.classify import Classifier  # noqa: E402
from monitor.config import load_settings  # noqa: E402
from monitor.store import open_store  # noqa: E402
from monitor.sweep import run_sweep  # noqa: E402

WORDS = ("archive canal mill chapel volunteers open day walk talk heritage trust membership renewal raffle "
         "newsletter photographs Thornfield restoration lock keeper AGM minutes").split()


def build_feed(n: int) -> bytes:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = []
    for i in range(n):
        text = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(25 + i % 30))
        items.append(f"<item><title>Post {i}</title><link>https://blog.example.org/p/{i}</link>"
                     f"<guid>https://blog.example.org/p/{i}</guid>"
                     f"<pubDate>{format_datetime(start + timedelta(minutes=i))}</pubDate>"
                     f"<description>{escape('<p>' + text + '</p>')}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>'
            '<link>https://blog.example.org/</link><description>bench</description>'
            + "".join(items) + "</channel></rss>").encode()


def serve(body: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("If-None-Match") == '"bench"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"bench"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/feed.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--http", action="store_true", help="serve the feed over HTTP on 127.0.0.1")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        body = build_feed(args.entries)
        server = None
        if args.http:
            server, target = serve(body)
        else:
            target = str(folder / "feed.xml")
            Path(target).write_bytes(body)
        config = folder / "monitor.toml"
        config.write_text(f"""
[society]
name = "Thornfield Local History Society"
[store]
database_url = "sqlite:///{folder / 'bench.db'}"
[sweep]
max_bytes = 200_000_000
[[sources]]
name = "bench"
url = "{target}"
platform = "blog"
role = "official"
""", encoding="utf-8")
        settings = load_settings(config)
        engine = open_store(settings.database_url)

        classifier = Classifier(settings.society)
        classify, classifying = flagging.classify_in_parallel, [0.0]

        def timed_classify(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - measures the classifier's share
            began = time.perf_counter()
            try:
                return classify(*args, **kwargs)
            finally:
                classifying[0] += time.perf_counter() - began

        flagging.classify_in_parallel = timed_classify
        started = time.perf_counter()
        first = run_sweep(settings, engine, classifier=classifier)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        new = first.sources[0].new

        started = time.perf_counter()
        second = run_sweep(settings, engine)
        again = time.perf_counter() - started

        print(f"feed: {args.entries:,} entries, {len(body) / 1e6:.1f} MB, {'HTTP' if args.http else 'local file'}")
        storing = elapsed - classifying[0]
        print(f"first sweep: {new:,} new posts in {elapsed:.2f} s, classification included "
              f"({new / elapsed:,.0f} posts/s)")
        print(f"  fetch + parse + store: {storing:.2f} s = {new / storing:,.0f} posts/s (target >= 2,000)")
        print(f"  classification: {classifying[0]:.2f} s = {new / classifying[0]:,.0f} posts/s "
              f"(batches of 5,000 on a worker process per core)")
        print(f"peak RSS: {peak_mb:.0f} MB")
        print(f"unchanged second sweep: {again:.3f} s (target < 1 s), "
              f"{second.sources[0].fetched} posts read, {second.sources[0].new} stored")
        if server:
            server.shutdown()


if __name__ == "__main__":
    main()
