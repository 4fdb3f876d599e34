"""Others' content used without permission, and images of people posted without consent (policy 6e).

A flag needs an explicit sign that permission or consent is missing: in the post ("nicked", "didn't
ask", "sneaky pic", a full copy of a paid text) or in the media description (a watermark, a covert
photo). On official accounts, media showing identifiable people is a weaker sign that adds to those
(children most), and a stated licence, credit or consent cancels most of the score.
"""

from __future__ import annotations

from dataclasses import replace

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit

# A stated licence, credit or consent keeps this share of the score.
_CONSENT_FACTOR = 0.3
# Official media showing identifiable people, without stated consent: adults, and children.
_PEOPLE_SCORE = 0.3
_CHILDREN_SCORE = 0.45


def _people_in_media(doc: Doc) -> list[Hit]:
    if doc.post.author_kind != "official" or not doc.post.has_media:
        return []
    shown = doc.find("copyright", {"people", "children"}, fields=("media_note",))
    if not shown:
        return []
    children = [m for m in shown if m.label == "children"]
    return [hit("copyright_consent", _CHILDREN_SCORE if children else _PEOPLE_SCORE,
                [(m, "official media shows identifiable people: {}") for m in children or shown],
                "high" if children else None)]


def detect(doc: Doc) -> list[Hit]:
    taken = doc.find("copyright", {"taken"})
    media = doc.find("copyright", {"media"}, fields=("media_note",)) if doc.post.has_media else []
    signs = [hit("copyright_consent", combine([max((m.score for m in taken), default=0.0),
                                               max((m.score for m in media), default=0.0)]),
                 [(m, "no permission or consent: {}") for m in taken + media])] if taken or media else []
    hits = signs + _people_in_media(doc)
    if hits and doc.find("copyright", {"consent"}, fields=("text", "title", "media_note")):
        return [replace(h, score=h.score * _CONSENT_FACTOR) for h in hits]
    return hits
