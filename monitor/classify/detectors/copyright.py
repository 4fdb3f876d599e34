"""Others' content used without permission, and images of people posted without consent."""

from __future__ import annotations

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, combine, hit

# A stated licence, credit or consent keeps this share of the score.
_CONSENT_FACTOR = 0.3


def detect(doc: Doc) -> list[Hit]:
    taken = doc.find("copyright", {"taken"})
    media = doc.find("copyright", {"media"}, fields=("media_note",)) if doc.post.has_media else []
    if not taken and not media:
        return []
    score = combine([max((m.score for m in taken), default=0.0), max((m.score for m in media), default=0.0)])
    consent = doc.find("copyright", {"consent"}, fields=("text", "title", "media_note"))
    if consent:
        score *= _CONSENT_FACTOR
    return [hit("copyright_consent", score, [(m, "no permission or consent: {}") for m in taken + media])]
