"""Personal accounts speaking on the Society (policy 6a): an opinion on it without a
personal-capacity disclaimer, or presenting a view or decision as the Society's (then misleading too)."""

from __future__ import annotations

import re
from collections.abc import Collection

from monitor.classify.doc import Doc, Span, generic_mention
from monitor.classify.hits import Hit, evidence, hit
from monitor.classify.types import Evidence

# Flags that are themselves a view: a post carrying one and naming the Society gives an opinion.
OPINION_CATEGORIES = {"political", "discrimination", "offensive"}
_OPINION_BY_FLAG = 0.65
_SPEAKING_FOR_MISLEADING = 0.7
# The Society's own business, spoken of by someone whose bio says they serve it: "the committee", "while I'm
# show secretary".
_ITS_BUSINESS = re.compile(r"\b(?:the|our|this) (?:committee|trustees|board|agm)\b|"
                           r"\bwhile i'?m (?:[\w-]+ ){0,2}(?:secretary|chair\w*|treasurer|president|steward|captain)\b",
                           re.IGNORECASE)


def _about_the_society(doc: Doc) -> Span | None:
    """Where the post names the Society, or speaks of its business when the author's bio names it."""
    if doc.mentions:
        return doc.mentions[0]
    bio = doc.field("author_bio")
    business = _ITS_BUSINESS.search(doc.field("text"))
    if business and (doc.names.find(bio) or generic_mention(doc.names).search(bio)):
        return Span(business.start(), business.end(), "text")
    return None


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
    mention = _about_the_society(doc)
    if mention is None:
        return []
    named = doc.field(mention.field)[mention.start:mention.end]
    reason = f"names the Society ({named!r}) with no personal-capacity disclaimer"
    if views:
        reason += f"; the post's {', '.join(views)} content is a view"
    score = max([m.score for m in opinions] + ([_OPINION_BY_FLAG] if views else []))
    return [Hit("no_disclaimer", score, (Evidence(mention.start, mention.end, reason, mention.field),
                                         *(evidence(m, "opinion {}") for m in opinions)))]


def detect(doc: Doc, flagged: Collection[str]) -> list[Hit]:
    """``flagged``: the categories the content detectors flagged for the same post."""
    if doc.post.author_kind != "personal":
        return []
    # "As treasurer I can confirm ..." speaks for the Society without naming it; an opinion must name it
    return _speaking_for(doc) or _opinion(doc, flagged)
