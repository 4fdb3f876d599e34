"""Untrue or misleading statements: allegations stated as fact, invented statistics, pseudo-science.

Speaking for the Society from a personal account is found by ``speech``.
"""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit
from monitor.classify.lexicon import Match
from monitor.classify.people import targets

# A damaging claim about someone identifiable weighs like one more assertion.
_TARGET_SCORE = 0.3


def _question(doc: Doc, m: Match) -> bool:
    return doc.sentence_text(m).rstrip().endswith("?")


def detect(doc: Doc) -> list[Hit]:
    found = [m for m in doc.find("misleading") if not _question(doc, m)]
    hits: list[Hit] = []
    allegations = [m for m in found if m.label == "allegation"]
    if allegations:
        assertion = max((m.score for m in found if m.label == "assertion"), default=0.0)
        about = _TARGET_SCORE if doc.mentions or targets(doc) else 0.0
        strongest = max(allegations, key=lambda m: m.score)
        hits.append(hit("misleading", combine([strongest.score, assertion, about]),
                        [(m, "allegation stated as fact: {}") for m in allegations]))
    claims = [m for m in found if m.label == "claim"]
    if claims and not any(m.label == "sourced" for m in found):
        hits.append(hit("misleading", max(m.score for m in claims), [(m, "unsupported claim {}") for m in claims]))
    return hits
