"""Speed of the whole classifier (rules and, where installed, the toxicity model in its cascade):
posts/s in batch and single-post latency.

Targets: >= 1,000 posts/s in batch on a 2-core machine; a single post in < 20 ms.

    .venv/bin/python bench/bench_classifier.py [--posts 5000] [--singles 500] [--rules-only]

The posts are those of ../shared/data/policy/policy-dev.jsonl when it is there (repeated to
--posts, each repeat with its own text so that no cache sees a text twice), else generated ones of
varied kinds and lengths. Batches are of 256 posts, as the ``classify`` command uses them, in one
process; then the same posts on a worker process per core, as the sweep classifies a batch of 1,000
or more (monitor/classify/parallel.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.classify import Classifier, PostContext  # noqa: E402
from monitor.classify.cascade import Cascade  # noqa: E402
from monitor.classify.jsonl import BATCH_SIZE, post_from_json  # noqa: E402
from monitor.classify.parallel import classify_in_parallel  # noqa: E402
from monitor.names import SocietyNames  # noqa: E402

DEV_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "policy" / "policy-dev.jsonl"
NAMES = SocietyNames.from_terms("Riverside Heritage Society", ["RHS", "@RiversideHS", "#RiversideHeritage"])
SENTENCES = [
    "Lovely turnout at the RHS open day, thanks to all our volunteers!",
    "The mill museum is open all bank holiday weekend, 10 till 4.",
    "Bloody freezing on the towpath today but the heron was worth it.",
    "Who the f*** keeps leaving the archive door unlocked??",
    "@RiversideHS your chair Derek Holt is a spineless liar. Watch your back, Derek.",
    "Vote Labour on Thursday: the only party that cares about heritage.",
    "Use code RHS20 for 20% off at Bramley Tea Co #ad",
    "Her mobile is 07700 900412, tell her what you think.",
    "Women shouldn't be let near the archive maps, they can't read them anyway.",
    "Honestly the RHS has lost its way, too many talks and not enough digging.",
    "Nicked this photo of the mill off a drone guy's YouTube channel.",
    "Apparently the RHS treasurer has been fiddling the books. Spread the word.",
    "Does anyone know when the heritage walks start again?",
    "Our 2025 calendar is here! £8 from the museum shop, all proceeds to the archive.",
]


def dev_posts() -> list[PostContext]:
    if DEV_FILE.is_file():
        return [post_from_json(json.loads(line)) for line in DEV_FILE.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    rng = random.Random(0)
    kinds = ("official", "personal", "public")
    return [PostContext(" ".join(rng.sample(SENTENCES, rng.randint(1, 3))), rng.choice(kinds),
                        author_bio="Trustee, Riverside Heritage Society.") for _ in range(500)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=5000, help="posts classified in batch (default 5000)")
    parser.add_argument("--singles", type=int, default=500, help="posts classified one at a time (default 500)")
    parser.add_argument("--rules-only", action="store_true", help="leave the toxicity model out")
    args = parser.parse_args()

    started = time.perf_counter()
    classifier = Classifier(NAMES, cascade=Cascade(None) if args.rules_only else None)
    built = time.perf_counter() - started
    base = dev_posts()
    # Each repeat of a post gets its own text, as in a real sweep: no cache sees the same text twice.
    posts = [replace(post, text=f"{post.text} [{n}]") for n, post in
             enumerate((base * (args.posts // len(base) + 1))[:args.posts])]
    asked, in_model = 0, 0.0
    predict = classifier.cascade.predict

    def counting(texts: list[str]) -> list:  # counts the posts the model is asked about, and its time
        nonlocal asked, in_model
        asked += len(texts)
        started = time.perf_counter()
        answers = predict(texts)
        in_model += time.perf_counter() - started
        return answers

    classifier.cascade.predict = counting
    classifier.classify_many(posts[:BATCH_SIZE])  # warm up: lazy compilation, model session
    asked, in_model = 0, 0.0
    started = time.perf_counter()
    for start in range(0, len(posts), BATCH_SIZE):
        classifier.classify_many(posts[start:start + BATCH_SIZE])
    batch = time.perf_counter() - started
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    classify_in_parallel(classifier, posts, workers=workers, min_posts=1)
    parallel = time.perf_counter() - started

    singles = []
    for n, post in enumerate((base * (args.singles // len(base) + 1))[:args.singles]):
        post = replace(post, text=f"{post.text} [single {n}]")
        started = time.perf_counter()
        classifier.classify(post)
        singles.append(time.perf_counter() - started)
    singles.sort()

    source = DEV_FILE if DEV_FILE.is_file() else "generated posts"
    print(f"classifier {classifier.version} (built in {built:.2f} s; posts from {source})")
    print(f"batch:  {len(posts)} posts in {batch:.2f} s = {len(posts) / batch:,.0f} posts/s "
          f"(model asked about {asked} = {asked / len(posts):.0%}, {in_model:.2f} s in the model)")
    print(f"batch on {workers} worker processes: {len(posts)} posts in {parallel:.2f} s = "
          f"{len(posts) / parallel:,.0f} posts/s (workers started included)")
    print(f"single: median {statistics.median(singles) * 1000:.2f} ms, "
          f"p95 {singles[int(len(singles) * 0.95) - 1] * 1000:.2f} ms, max {singles[-1] * 1000:.2f} ms "
          f"over {len(singles)} posts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
