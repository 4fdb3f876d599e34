"""Party-political content: parties, party figures and slogans, calls to vote, campaigning."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit
from monitor.classify.lexicon import Match

# Even-handed posts (all candidates, hustings) keep this share of their score.
_NEUTRAL_FACTOR = 0.3
_SIGNALS = ("party", "ambiguous", "slogan", "call", "cue")


def detect(doc: Doc) -> list[Hit]:
    found = doc.find("political")
    strongest: dict[str, Match] = {}
    for m in found:
        if m.label in _SIGNALS and (m.label not in strongest or m.score > strongest[m.label].score):
            strongest[m.label] = m
    if not strongest:
        return []
    score = combine(m.score for m in strongest.values())
    if any(m.label == "neutral" for m in found):
        score *= _NEUTRAL_FACTOR
    return [hit("political", score, [(m, f"party-political {m.label} {{}}") for m in strongest.values()])]
