"""Personal accounts speaking on the Society (policy 6a): an opinion on it without a
personal-capacity disclaimer, or presenting a view or decision as the Society's (then misleading too)."""

from __future__ import annotations

from collections.abc import Collection

from monitor.classify.doc import Doc
from monitor.classify.hits import Hit, evidence, hit
from monitor.classify.types import Evidence

# Flags that are themselves a view: a post carrying one and naming the Society gives an opinion.
OPINION_CATEGORIES = {"political", "discrimination", "offensive"}
_OPINION_BY_FLAG = 0.65
_SPEAKING_FOR_MISLEADING = 0.7


def _speaking_for(doc: Doc) -> list[Hit]:
    disclaimers = doc.find("speech", {"disclaimer"})  # "not speaking for the Trust" is no claim
    claims = [m for m in doc.find("speech", {"speaking-for", "announce", "decision"})
              if (m.label == "speaking-for" or any(doc.same_sentence(m, s, 1) for s in doc.mentions))
              and not doc.denied(m) and not any(d.field == m.field and d.start < m.end and m.start < d.end
                                                for d in disclaimers)]
    if not claims:
        return []
    return [hit("no_disclaimer", max(m.score for m in claims), [(m, "speaks for the Society: {}") for m in claims]),
            hit("misleading", _SPEAKING_FOR_MISLEADING, [(m, "presents a view as the Society's: {}") for m in claims])]


def _opinion(doc: Doc, flagged: Collection[str]) -> list[Hit]:
    if doc.is_reshare or "promotion" in flagged:  # reshares and plain sales pitches are not views
        return []
    if doc.find("speech", {"disclaimer"}, fields=("text", "title", "author_bio")):
        return []
    opinions = doc.find("speech", {"opinion"})
    views = sorted(set(flagged) & OPINION_CATEGORIES)
    if not opinions and not views:
        return []
    mention = doc.mentions[0]
    named = doc.field(mention.field)[mention.start:mention.end]
    reason = f"names the Society ({named!r}) with no personal-capacity disclaimer"
    if views:
        reason += f"; the post's {', '.join(views)} content is a view"
    score = max([m.score for m in opinions] + ([_OPINION_BY_FLAG] if views else []))
    return [Hit("no_disclaimer", score, (Evidence(mention.start, mention.end, reason, mention.field),
                                         *(evidence(m, "opinion {}") for m in opinions)))]


def detect(doc: Doc, flagged: Collection[str]) -> list[Hit]:
    """``flagged``: the categories the content detectors flagged for the same post."""
    if doc.post.author_kind != "personal" or not doc.mentions:
        return []
    return _speaking_for(doc) or _opinion(doc, flagged)
