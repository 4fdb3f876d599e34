"""Party-political content: parties, party figures and slogans, calls to vote, campaigning."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit
from monitor.classify.lexicon import Match

# Even-handed posts (all candidates, hustings) keep this share of their score, unless the author is a candidate
# or calls for a vote.
_NEUTRAL_FACTOR = 0.3
# A party, figure, office, slogan, call or the author's candidacy makes a post political; campaign cues only
# strengthen one.
_ANCHORS = ("party", "ambiguous", "office", "slogan", "call", "candidacy")


def _strongest(matches: list[Match]) -> dict[str, Match]:
    strongest: dict[str, Match] = {}
    for m in matches:
        if m.label not in strongest or m.score > strongest[m.label].score:
            strongest[m.label] = m
    return strongest


def detect(doc: Doc) -> list[Hit]:
    anchors = doc.find("political", _ANCHORS)
    if not anchors:
        return []
    strongest = _strongest(anchors + doc.find("political", ("cue",)))
    score = combine(m.score for m in strongest.values())
    if not {"candidacy", "call"} & set(strongest) and doc.find("political", ("neutral",)):
        score *= _NEUTRAL_FACTOR
    return [hit("political", score, [(m, f"party-political {m.label} {{}}") for m in strongest.values()])]
