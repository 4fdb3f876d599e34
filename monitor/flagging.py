"""Running the classifier over stored posts and recording their flags.

Posts are classified after they are stored; a post stored but never
classified (a crash between the two steps) is picked up by the next run, and a
new classifier version re-classifies everything, superseding the old flags.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from monitor import store
from monitor.classify import Classifier, PostContext
from monitor.classify.parallel import BATCH, classify_in_parallel
from monitor.config import Settings


def post_context(row: dict[str, Any], bios: dict[str, str]) -> PostContext:
    """The classifier's view of a stored post (with its author's declared bio)."""
    media = row.get("media") or []
    ref = row.get("ref") or {}
    return PostContext(
        text=row["text"] or "",
        title=row.get("title") or "",
        author_kind=row["author_kind"],
        platform=row["platform"],
        kind=row["kind"],
        author_bio=bios.get(row.get("account") or "", ""),
        ref_text=ref.get("text", "") if isinstance(ref, dict) else "",
        has_media=bool(media),
        media_note=" ".join(str(m.get("description") or "") for m in media).strip(),
    )


def declared_bios(settings: Settings) -> dict[str, str]:
    return {person.id: person.bio for person in settings.people}


def classify_pending(engine: Engine, classifier: Classifier, settings: Settings,
                     now: Callable[[], datetime], batch: int = BATCH) -> dict[int, int]:
    """Classify every post not yet classified by this classifier version (a full batch on a worker
    process per core: after a lexicon edit every stored post is classified again).

    Returns ``{post_id: number of current flags}`` for the posts it classified.
    """
    bios = declared_bios(settings)
    counts: dict[int, int] = {}
    while True:
        rows = store.unclassified_posts(engine, classifier.version, limit=batch)
        if not rows:
            return counts
        results = []
        posts = [post_context(row, bios) for row in rows]
        for row, found in zip(rows, classify_in_parallel(classifier, posts), strict=True):
            results.append((row["id"], [{
                "category": f.category, "clause": f.clause, "severity": f.severity, "score": f.score,
                "evidence": [e.to_json() for e in f.evidence]} for f in found]))
            counts[row["id"]] = len(found)
        store.replace_flags(engine, results, classifier.version, now())
