"""One post as the detectors see it: normalised fields, lexicon matches, sentences, quotes, mentions."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from monitor.classify.lexicon import Match, Matcher
from monitor.classify.normalise import Normalised, normalise
from monitor.classify.types import PostContext
from monitor.names import SocietyNames

# Fields a post's own words live in; media descriptions and bios are looked at only where asked.
CONTENT_FIELDS = ("text", "title")
# Sentence ends, but not after an initial or a common abbreviation ("b. 1851", "Mr. Holt", "St. Mary's").
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bno)(?<!\bNo)"
                           r"[.!?]+(?=[\s\"')\]]|$)|\n+|[:;](?=\s)|\s[-–—]\s")
# Quotations; a single-quoted one may contain apostrophes inside words ('I'm coming for them').
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|"
                     r"(?<!\w)['‘](?:[^'’\n]|(?<=\w)['’](?=\w)){1,400}?['’](?!\w)")


def head_noun(names: SocietyNames) -> str:
    """What members call the organisation for short: "the Society", "the Trust" (the name's last word)."""
    words = names.name.split()
    return words[-1] if words and words[-1].isalpha() and words[-1][0].isupper() else "Society"


@dataclass(frozen=True)
class Span:
    """A span of one field; ``kind`` says what found it (e.g. "handle", "name")."""

    start: int
    end: int
    field: str = "text"
    kind: str = ""


class Doc:
    """Lazily computed views of one post, shared by all detectors."""

    def __init__(self, post: PostContext, names: SocietyNames, matchers: Mapping[str, Matcher]) -> None:
        self.post = post
        self.names = names
        self.matchers = matchers
        # Everything computed once per post: normalised fields, matches, sentences, people named.
        self.cache: dict[str, Any] = {}

    def field(self, name: str) -> str:
        return getattr(self.post, name) or ""

    def norm(self, name: str) -> Normalised:
        key = f"norm:{name}"
        if key not in self.cache:
            self.cache[key] = normalise(self.field(name))
        return self.cache[key]

    def find(self, lexicon: str, labels: Collection[str] | None = None,
             fields: Collection[str] = CONTENT_FIELDS) -> list[Match]:
        """Matches of ``lexicon`` (only ``labels`` if given) in the named fields."""
        found = []
        for name in fields:
            if not self.field(name):
                continue
            key = f"matches:{lexicon}:{name}"
            if key not in self.cache:
                self.cache[key] = self.matchers[lexicon].find(self.norm(name), None, name)
            found += [m for m in self.cache[key] if labels is None or m.label in labels]
        return found

    def _sentence_starts(self, name: str) -> list[int]:
        key = f"sentences:{name}"
        if key not in self.cache:
            self.cache[key] = [0, *(m.end() for m in _SENTENCE_END.finditer(self.field(name)))]
        return self.cache[key]

    def sentence(self, span: Match | Span) -> tuple[str, int]:
        """An id for the sentence a span starts in (field, index)."""
        return span.field, bisect.bisect_right(self._sentence_starts(span.field), span.start) - 1

    def same_sentence(self, a: Match | Span, b: Match | Span, spread: int = 0) -> bool:
        """Whether ``a`` and ``b`` start in the same sentence (or within ``spread`` sentences)."""
        (fa, ia), (fb, ib) = self.sentence(a), self.sentence(b)
        return fa == fb and abs(ia - ib) <= spread

    def sentence_text(self, span: Match | Span) -> str:
        starts = self._sentence_starts(span.field)
        _, index = self.sentence(span)
        end = starts[index + 1] if index + 1 < len(starts) else None
        return self.field(span.field)[starts[index]:end]

    def quoted(self, span: Match | Span) -> bool:
        """Whether a span lies inside quotation marks."""
        return any(q.start() <= span.start and span.end <= q.end()
                   for q in _QUOTED.finditer(self.field(span.field)))

    @cached_property
    def reporting(self) -> bool:
        """Whether the post reports or condemns something someone else wrote."""
        return bool(self.find("context", {"report"}))

    def reported_quote(self, span: Match | Span) -> bool:
        """A quoted span in a post that reports or condemns it is not the author's own words."""
        return self.reporting and self.quoted(span)

    @cached_property
    def mentions(self) -> list[Span]:
        """Where the post's text or title names the Society (its names, or "the Society" / "the Trust")."""
        spans = [Span(m.start, m.end, name) for name in CONTENT_FIELDS
                 for m in self.names.find(self.field(name))]
        generic = re.compile(rf"\b(?:[Tt]he|[Oo]ur) (?:whole |entire )?{re.escape(head_noun(self.names))}\b")
        spans += [Span(m.start(), m.end(), name) for name in CONTENT_FIELDS
                  for m in generic.finditer(self.field(name))]
        return sorted(spans, key=lambda s: (s.field, s.start))

    @cached_property
    def is_reshare(self) -> bool:
        return self.post.kind in ("repost", "like") or self.post.text.lstrip().startswith("RT @")
