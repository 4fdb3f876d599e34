"""Speed of the shipped toxicity model alone: posts/s in batch, and single-post latency.

    .venv/bin/python bench/bench_toxicity.py [--posts 2000] [--singles 200] [--threads N]

The posts are of tweet-like lengths (5-60 words). The model runs in the classifier's cascade
only on posts the cheap layers are unsure about, so its own throughput can be below the
classifier's target of 1,000 posts/s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.classify.toxicity import load_model  # noqa: E402

WORDS = ("archive canal mill chapel volunteers open day walk talk heritage trust membership renewal raffle "
         "newsletter photographs Thornfield restoration lock keeper AGM minutes you idiot rubbish awful great "
         "thanks committee chair disgrace lovely @user http://example.org #history").split()


def posts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) for _ in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--singles", type=int, default=200)
    args = parser.parse_args()

    t0 = time.perf_counter()
    model = load_model()
    load_s = time.perf_counter() - t0
    model.predict(posts(64, seed=1))  # warm-up

    batch = posts(args.posts)
    t0 = time.perf_counter()
    model.predict(batch)
    batch_s = time.perf_counter() - t0

    latencies = []
    for text in posts(args.singles, seed=2):
        t0 = time.perf_counter()
        model.predict([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    print(f"model {model.version} (load {load_s:.2f}s)")
    print(f"batch: {args.posts} posts in {batch_s:.2f}s = {args.posts / batch_s:.0f} posts/s")
    print(f"single post: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms over {args.singles}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
