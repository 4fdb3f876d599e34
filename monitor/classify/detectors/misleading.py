"""Untrue or misleading statements: allegations stated as fact, invented statistics, pseudo-science,
and Society decisions announced by the public on hearsay or with figures.

Speaking for the Society (or announcing its decisions) from a personal account is found by ``speech``.
"""

from __future__ import annotations

import re

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit
from monitor.classify.lexicon import Match
from monitor.classify.people import targets

# A damaging claim about someone identifiable weighs like one more assertion.
_TARGET_SCORE = 0.3
# A Society decision stated by a member of the public: alone, below the threshold; with hearsay or a
# figure, over it.
_DECISION_SCORE = 0.4
_FIGURE_SCORE = 0.3
_FIGURE = re.compile(r"\d+\s?%|£\s?\d|\b\d{2,}\b")


def _question(doc: Doc, m: Match) -> bool:
    return doc.sentence_text(m).rstrip().endswith("?")


def _found(doc: Doc, label: str) -> list[Match]:
    """Matches of one label, less questions, rumours denied ("claims the mill was sold. It hasn't.") and words
    quoted in order to report them ("calling him a 'thief'")."""
    return [m for m in doc.find("misleading", (label,))
            if not _question(doc, m) and not doc.denied(m) and not doc.reported_quote(m)]


def _hearsay(doc: Doc) -> float:
    """The strongest sign that a claim is passed on as established fact ("apparently", "everyone knows")."""
    return max((m.score for m in _found(doc, "assertion")), default=0.0)


def detect(doc: Doc) -> list[Hit]:
    hits: list[Hit] = []
    allegations = _found(doc, "allegation")
    if allegations:
        about = _TARGET_SCORE if doc.mentions or targets(doc) else 0.0
        strongest = max(allegations, key=lambda m: m.score)
        hits.append(hit("misleading", combine([strongest.score, _hearsay(doc), about]),
                        [(m, "allegation stated as fact: {}") for m in allegations]))
    claims = _found(doc, "claim")
    if claims and not _found(doc, "sourced"):
        hits.append(hit("misleading", max(m.score for m in claims), [(m, "unsupported claim {}") for m in claims]))
    return hits + _decisions(doc)


def _decisions(doc: Doc) -> list[Hit]:
    if doc.post.author_kind != "public" or not doc.mentions:
        return []
    decisions = [m for m in doc.find("speech", {"decision"}) if not _question(doc, m) and not doc.denied(m)
                 and any(doc.same_sentence(m, s, 1) for s in doc.mentions)]
    if not decisions:
        return []
    figure = _FIGURE_SCORE if any(_FIGURE.search(doc.sentence_text(m)) for m in decisions) else 0.0
    return [hit("misleading", combine([_DECISION_SCORE, _hearsay(doc), figure]),
                [(m, "states a Society decision as fact: {}") for m in decisions])]
