"""Hostility on Equality Act 2010 protected characteristics: slurs, tropes, hostile remarks about groups."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, hit
from monitor.classify.lexicon import Match
from monitor.classify.people import THIRD_PERSON, people
from monitor.classify.severity import CRITICAL

_CUES = ("hostile", "stereotype")
# How many sentences apart a group and a cue may be: "Gay chairman ... Keep your lifestyle out."
_SPREAD = 1
# Discriminatory abuse aimed at a named person is harassment of that person too: the person named in the
# remark's sentence or the one before, or anywhere in the post when the remark says "she" or "him".
_AIMED_SCORE = 0.6


def detect(doc: Doc) -> list[Hit]:
    remarks = [m for m in doc.find("discrimination", ("slur", "trope")) if not doc.reported_quote(m)]
    hits = [hit("discrimination", m.score, [(m, f"{m.label} {{}}")], CRITICAL) for m in remarks]
    # a group word in the Society's own name ("Ystradowen Male Voice Choir") is no group spoken of
    groups = [g for g in doc.find("discrimination", ("group",))
              if not any(m.field == g.field and m.start <= g.start and g.end <= m.end for m in doc.mentions)]
    cues = [m for m in doc.find("discrimination", _CUES) if not doc.reported_quote(m)] if groups else []
    for cue in cues:
        near = [g for g in groups if doc.same_sentence(g, cue, _SPREAD)]
        if near:
            remarks.append(cue)
            hits.append(hit("discrimination", cue.score,
                            [(near[0], "protected group {}"), (cue, f"{cue.label} remark {{}}")]))
    return hits + _aimed(doc, remarks)


def _aimed(doc: Doc, remarks: list[Match]) -> list[Hit]:
    if not remarks:
        return []
    named = people(doc, certain=True)
    if not named:
        return []
    return [hit("harassment", _AIMED_SCORE, [(m, f"discriminatory {m.label} {{}} aimed at a named person")])
            for m in remarks if any(doc.same_sentence(p, m, 1) for p in named)
            or THIRD_PERSON.search(doc.sentence_text(m))]
