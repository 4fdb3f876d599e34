"""Large batches on every core. The rules are pure Python, so threads would take turns: a batch of
``MIN_POSTS`` or more is split between worker processes, one per core.

The workers are forked, so they start with the parent's compiled lexicons at once; each opens its own
session of the toxicity model (an onnxruntime session is not carried across a fork). Flags come back in
the order of the posts, exactly as ``Classifier.classify_many`` gives them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from monitor.classify.cascade import Cascade
from monitor.classify.classifier import Classifier
from monitor.classify.toxicity import ToxicityModel
from monitor.classify.types import Flag, PostContext

# Below this many posts, starting the workers costs more than it saves.
MIN_POSTS = 1000
# Posts a worker classifies at a time.
CHUNK = 256
# Posts handed to the workers at once by callers that read a long stream (the sweep, ``classify``).
BATCH = 5000

_classifier: Classifier | None = None  # the parent's, inherited by each forked worker


def _start_worker() -> None:
    """In a new worker: a session of its own for the toxicity model, when the classifier uses it."""
    if _classifier is not None and isinstance(_classifier.cascade.model, ToxicityModel):
        model = ToxicityModel(_classifier.cascade.model.directory)
        _classifier.cascade = Cascade(model, _classifier.cascade.note)


def _classify(posts: Sequence[PostContext]) -> list[list[Flag]]:
    if _classifier is None:
        raise RuntimeError("classify_in_parallel's worker started without a classifier")
    return _classifier.classify_many(posts)


def classify_in_parallel(classifier: Classifier, posts: Sequence[PostContext],
                         workers: int | None = None, min_posts: int = MIN_POSTS) -> list[list[Flag]]:
    """``classifier.classify_many(posts)``, on ``workers`` processes (default: one per core) when the batch
    is large enough and the platform can fork; otherwise in this process. One call at a time per process
    (the workers find the classifier in a module global)."""
    global _classifier
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(posts) < min_posts or "fork" not in multiprocessing.get_all_start_methods():
        return classifier.classify_many(posts)
    chunks = [posts[i:i + CHUNK] for i in range(0, len(posts), CHUNK)]
    _classifier = classifier
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker) as pool:
            return [flags for batch in pool.map(_classify, chunks) for flags in batch]
    finally:
        _classifier = None


class OnEveryCore:
    """``classifier`` with its ``classify_many`` run by ``classify_in_parallel``."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def classify_many(self, posts: Sequence[PostContext]) -> list[list[Flag]]:
        return classify_in_parallel(self.classifier, posts)
