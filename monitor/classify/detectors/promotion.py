"""Promoting third parties' products or services: discount codes, #ad, affiliate links, sales pitches."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit

# The Society's own goods (its shop, tickets, proceeds) with no strong sign keep this share.
_OWN_FACTOR = 0.4


def detect(doc: Doc) -> list[Hit]:
    """Official accounts: any push for a third party. Personal accounts: only when naming the Society."""
    if doc.post.author_kind == "personal" and not doc.mentions:
        return []
    strong = doc.find("promotion", ("strong",))
    weak = list({m.line: m for m in doc.find("promotion", ("weak",))}.values())  # each kind of sign once
    if not strong and not weak:
        return []
    score = combine([max((m.score for m in strong), default=0.0), *(m.score for m in weak)])
    if not strong and doc.find("promotion", ("own",)):
        score *= _OWN_FACTOR
    return [hit("promotion", score, [(m, f"promotion ({m.label}) {{}}") for m in strong + weak])]
