"""One post as the detectors see it: normalised fields, lexicon matches, sentences, quotes, mentions."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from monitor.classify.lexicon import ALLOW, Match, Matcher, is_signal, without_allowed
from monitor.classify.normalise import Normalised, normalise
from monitor.classify.types import Evidence, PostContext
from monitor.names import SocietyNames, is_acronym

# Fields a post's own words live in; media descriptions and bios are looked at only where asked.
CONTENT_FIELDS = ("text", "title")
# Sentence ends, but not after an initial or a common abbreviation ("b. 1851", "Mr. Holt", "St. Mary's").
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bno)(?<!\bNo)"
                           r"[.!?]+(?=[\s\"')\]]|$)|\n+|[:;](?=\s)|\s[-–—]\s")
# Quotations; a single-quoted one may contain apostrophes inside words ('I'm coming for them').
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|"
                     r"(?<!\w)['‘](?:[^'’\n]|(?<=\w)['’](?=\w)){1,400}?['’](?!\w)")


def head_noun(names: SocietyNames) -> str:
    """What members call the organisation for short: "the Society", "the Trust", "the Guild": the name's
    last word, or the last before "of"/"for" ("Brackenford Guild of Bell Ringers" -> "Guild")."""
    words = re.split(r"\s+(?:of|for|in|at|on)\s+", names.name.strip(), maxsplit=1)[0].split()
    return words[-1] if words and words[-1].isalpha() and words[-1][0].isupper() else "Society"


# Words in a name that say what kind of body it is: "the choir" is the Ystradowen Male Voice Choir Society.
_KIND_NOUNS = {"society", "club", "choir", "trust", "guild", "association", "group", "theatre", "company", "band",
               "orchestra", "chorus", "institute", "circle", "league", "federation", "fellowship", "ensemble",
               "players", "singers", "friends", "garden", "railway", "archive", "show"}


def kind_nouns(names: SocietyNames) -> list[str]:
    """The head noun and the other words of the name that say what kind of body it is ("Choir", "Society")."""
    words = [w for w in re.findall(r"[\w'-]+", names.name) if w[0].isupper()]
    return sorted({w for w in words if w.lower() in _KIND_NOUNS} | {head_noun(names)})


@lru_cache(maxsize=32)
def generic_mention(names: SocietyNames) -> re.Pattern[str]:
    """The short forms "the Society", "our Guild", "this club", "the choir" (a word of the name that says what
    kind of body it is), "the Brackenford Guild" (one capitalised word between), the name's first word with
    two or more others of the name or with its head noun ("Ystradowen Male Voice Choir", "Tamworth Hill Bowls
    Club"), and a vowel-less four-letter acronym in any case."""
    words = [w for w in re.findall(r"[\w'-]+", names.name) if w[0].isupper()]
    heads = "|".join(re.escape(k) for k in kind_nouns(names))
    first = re.escape(words[0]) if words else "(?!x)x"
    others = "|".join(re.escape(w) for w in words[1:]) or "(?!x)x"
    # a four-letter acronym with no vowel is no word, so a post typed in lower case ("kbyt is") names it too
    lowered = [re.escape(a) for a in names.aliases
               if is_acronym(a) and len(a) == 4 and not set(a.lower()) & set("aeiou")]
    acronyms = rf"|(?<![\w@#/.-])(?i:{'|'.join(lowered)})(?![\w])" if lowered else ""
    # the name without its first word(s), capitalised ("Civic Society"), unless another name comes before it
    tails = [r"\s+".join(map(re.escape, words[i:])) for i in range(1, len(words) - 1) if words[-1] in kind_nouns(names)]
    not_after_a_name = "".join(rf"(?<![A-Z][a-z]{{{n}}}\s)" for n in range(2, 13))  # "As Civic Society" is fine
    tail = rf"|{not_after_a_name}\b(?:{'|'.join(tails)})\b" if tails else ""
    return re.compile(rf"\b(?i:the|our|this)\s+(?:(?i:whole|entire)\s+|[A-Z][\w-]+\s+)?(?i:{heads})\b|"
                      rf"\b{first}(?:\s+(?:{others})){{2,}}\b{tail}|"
                      rf"\b{first}(?:\s+[A-Z][\w'-]+){{0,4}}\s+(?i:{heads})\b{acronyms}")


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
        self.cache: dict[Any, Any] = {}

    def field(self, name: str) -> str:
        return getattr(self.post, name) or ""

    def norm(self, name: str) -> Normalised:
        key = f"norm:{name}"
        if key not in self.cache:
            self.cache[key] = normalise(self.field(name))
        return self.cache[key]

    def find(self, lexicon: str, labels: Collection[str] | None = None,
             fields: Collection[str] = CONTENT_FIELDS) -> list[Match]:
        """Matches of ``lexicon`` (only ``labels`` if given, else all but ``signal``) in the named fields. Each
        label is matched at most once per field, and only when some detector asks for it."""
        key = ("find", lexicon, None if labels is None else frozenset(labels), tuple(fields))
        if key not in self.cache:
            matcher = self.matchers[lexicon]
            wanted = ({label for label in matcher.labels if label != ALLOW and not is_signal(label)}
                      if labels is None else matcher.labels.intersection(labels) - {ALLOW})
            found = []
            for name in fields:
                if not self.field(name):
                    continue
                matches = [m for label in sorted(wanted) for m in self._label(lexicon, label, name)]
                found += without_allowed(matches, self._label(lexicon, ALLOW, name)) if matches else []
            self.cache[key] = found
        return list(self.cache[key])  # a copy: callers may extend what they get

    def _label(self, lexicon: str, label: str, name: str) -> list[Match]:
        key = f"matches:{lexicon}:{label}:{name}"
        if key not in self.cache:
            self.cache[key] = self.matchers[lexicon].find_label(self.norm(name), label, name)
        return self.cache[key]

    def _sentence_starts(self, name: str) -> list[int]:
        key = f"sentences:{name}"
        if key not in self.cache:
            self.cache[key] = [0, *(m.end() for m in _SENTENCE_END.finditer(self.field(name)))]
        return self.cache[key]

    def sentence(self, span: Match | Span | Evidence) -> tuple[str, int]:
        """An id for the sentence a span starts in (field, index)."""
        return span.field, bisect.bisect_right(self._sentence_starts(span.field), span.start) - 1

    def same_sentence(self, a: Match | Span, b: Match | Span, spread: int = 0) -> bool:
        """Whether ``a`` and ``b`` start in the same sentence (or within ``spread`` sentences)."""
        (fa, ia), (fb, ib) = self.sentence(a), self.sentence(b)
        return fa == fb and abs(ia - ib) <= spread

    def _sentence_text(self, name: str, index: int) -> str:
        starts = self._sentence_starts(name)
        end = starts[index + 1] if index + 1 < len(starts) else None
        return self.field(name)[starts[index]:end]

    def sentence_text(self, span: Match | Span) -> str:
        return self._sentence_text(*self.sentence(span))

    def sentences_holding(self, spans: Iterable[Match | Span | Evidence]) -> str:
        """The sentences the spans start in, each once and in order, joined by a space."""
        return " ".join(self._sentence_text(name, index).strip()
                        for name, index in sorted({self.sentence(s) for s in spans}))

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

    def denied(self, span: Match | Span) -> bool:
        """Whether the span's sentence, or the next, reports a rumour or claim in order to deny it."""
        return any(self.sentence(d)[0] == span.field and 0 <= self.sentence(d)[1] - self.sentence(span)[1] <= 1
                   for d in self.find("context", {"denial"}))

    @cached_property
    def mentions(self) -> list[Span]:
        """Where the post's text or title names the Society (its names, or "the Society" / "the Trust")."""
        spans = [Span(m.start, m.end, name) for name in CONTENT_FIELDS
                 for m in self.names.find(self.field(name))]
        spans += [Span(m.start(), m.end(), name) for name in CONTENT_FIELDS
                  for m in generic_mention(self.names).finditer(self.field(name))]
        return sorted(spans, key=lambda s: (s.field, s.start))

    @cached_property
    def is_reshare(self) -> bool:
        return self.post.kind in ("repost", "like") or self.post.text.lstrip().startswith("RT @")
