"""The cascade's second layer: the statistical toxicity model (``monitor/classify/toxicity.py``), run in
one batch on the posts whose rules are unsure, its scores turned into hits.

The rules decide alone when they are clear: a hit at or over the threshold, or nothing at all that
looks hostile. The model is asked only about posts with a rule score just under the threshold in
``offensive``, ``harassment`` or ``discrimination``, or with no hit there but a signal worth a second
look: a protected group named with a sign of hostility; someone surely identifiable (a handle, an
addressed or titled name, a role such as "the treasurer") spoken of with a hostile word, or addressed
by a member of the public; a masked word no lexicon knows or a word that may make a crude joke (the
``[signal...]`` sections of discrimination.txt, harassment.txt and offensive.txt). Posts that quote
abuse in order to report it are not asked about. The model's calibrated probability then adds a hit,
with the span that licensed the question as evidence, which may lift a borderline score over the
threshold.

The model never removes a rule hit: on the development sets it scored doxxing, pile-ons and quiet
stereotypes as harmless, which the rules rightly flag. Without the model (module or files absent) the
rules work alone.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.classify.doc import Doc, Span
from monitor.classify.hits import Hit, combine
from monitor.classify.lexicon import Match
from monitor.classify.people import targets
from monitor.classify.types import Evidence

log = logging.getLogger(__name__)

MODEL_CATEGORIES = ("offensive", "harassment", "discrimination")
# A rule score this close under its threshold is borderline: the model may confirm it.
BORDER_BELOW = 0.2
# Each head's probability is calibrated against the decision threshold its training run chose (in the
# model's metadata): a shift of the logit puts that threshold at 0.5. The model adds a finding from
# these calibrated probabilities up: on the development sets, asked only through the gates above,
# it then added no false finding (the model alone, on every post, is right about a third of the time).
HEADS = ("offensive", "hate", "targeted")
ADD_FROM = {"offensive": 0.8, "harassment": 0.7, "discrimination": 0.6}
# The model reads a long post only around the spans that raised the question (its cost grows with
# the length of the longest text in a batch), and is given texts of similar length together.
WHOLE_TEXT_UP_TO = 280
CHUNK = 8
# A group word addressing the readers ("Girls, please...", "Thanks, ladies!") names no one it is hostile to;
# one taken up again by "they" ("Immigrants, they...") is the topic, not the readers.
_VOCATIVE_OPENING = re.compile(r"(?:^|[.!?\n]\s*)(?:(?:hi|hey|hello|dear|come on|oh|ok|okay|right|morning|evening|"
                               r"thanks|thank you|cheers|well done|go on)[\s,]+)?$", re.IGNORECASE)
_VOCATIVE_CLOSING = re.compile(r",\s*$")
_AFTER_OPENING = re.compile(r"\s*(?:!|,(?!\s*(?:they|them|their|they're|theyre|those|these)\b))", re.IGNORECASE)
_AFTER_CLOSING = re.compile(r"\s*(?:[.!?…]|$)")
# One person, not a group ("Pathetic woman."): insulting her is for the harassment question.
_ONE_PERSON = re.compile(r"(?i)woman|man|girl|lady|boy|bloke|lad|guy|fella|gentleman")
# A letter-and-mask word ("f**ker", "c*nt") that no lexicon entry matched.
_MASKED_WORD = re.compile(r"[^\W\d_]+\*+[^\W\d_]*|\*+[^\W\d_]{2,}")


@dataclass(frozen=True)
class Question:
    """Why the model is asked about a post: the categories in doubt and the spans behind each."""

    groups: tuple[Match, ...]
    targets: tuple[Span, ...]
    crude: tuple[Span | Match, ...]
    borderline: frozenset[str]
    text: str  # what the model reads: the post, or the sentences around these spans in a long one


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrated(p: float, threshold: float) -> float:
    """``p`` with the model's own decision ``threshold`` moved to 0.5 (a shift of its logit)."""
    return 1 / (1 + math.exp(-(_logit(p) - _logit(threshold))))


def _model_text(doc: Doc, spans: Sequence[Span | Match | Evidence]) -> str:
    """The post's text, or for a long post (or spans in its title) the sentences holding ``spans``."""
    if len(doc.post.text) <= WHOLE_TEXT_UP_TO and all(s.field == "text" for s in spans):
        return doc.post.text
    return doc.sentences_holding(spans)


def _vocative(doc: Doc, m: Match) -> bool:
    """Whether a group word is used to address the readers ("Ladies, ...", "..., lads!")."""
    text = doc.field(m.field)
    before = text[max(0, m.start - 40):m.start]
    return bool(_VOCATIVE_OPENING.search(before) and _AFTER_OPENING.match(text, m.end)
                or _VOCATIVE_CLOSING.search(before) and _AFTER_CLOSING.match(text, m.end))


def _masked_words(doc: Doc) -> list[Span]:
    """Masked words in the post's own text that the offensive lexicon did not explain."""
    known = doc.find("offensive")
    norm = doc.norm("text")
    spans = []
    for m in _MASKED_WORD.finditer(norm.text):
        start, end = norm.original_span(m.start(), m.end())
        if not any(k.start < end and start < k.end for k in known):
            spans.append(Span(start, end, "text", "masked"))
    return spans


class Cascade:
    """The model layer: which posts to ask about, and what its answers add."""

    def __init__(self, model: Any | None, note: str = "") -> None:
        self.model = model
        self.note = note
        shipped = getattr(model, "thresholds", None) or {}
        self.anchors = {head: float(shipped.get(head, 0.5)) for head in HEADS}

    @classmethod
    def load(cls) -> Cascade:
        """The shipped toxicity model, or rules only (the reason logged once) when it cannot be loaded."""
        return _shipped()

    @property
    def version(self) -> str:
        return f"model-{self.model.version}" if self.model is not None else "no-model"

    def question(self, doc: Doc, hits: Sequence[Hit], thresholds: Mapping[str, float]) -> Question | None:
        """What to ask the model about this post, or None when the rules are sure."""
        if self.model is None:
            return None
        scores = {c: combine(h.score for h in hits if h.category == c) for c in MODEL_CATEGORIES}
        borderline = frozenset(c for c, s in scores.items() if thresholds[c] - BORDER_BELOW <= s < thresholds[c])
        # cheapest tests first; whether the post reports abuse (then not asked about) only when it matters
        groups = tuple(g for g in doc.find("discrimination", {"group"})
                       if not _vocative(doc, g) and not _ONE_PERSON.fullmatch(g.text)) \
            if not scores["discrimination"] else ()
        groups = groups if groups and doc.find("discrimination", {"signal"}) and not doc.reporting else ()
        hinted = not scores["harassment"] and bool(
            doc.find("harassment", {"signal"})
            or doc.post.author_kind == "public" and doc.find("harassment", {"signal-you"})  # addressed
        ) and not doc.reporting
        who = tuple(t for t in targets(doc) if t.kind != "name") if hinted else ()
        crude = tuple(s for s in (*_masked_words(doc), *doc.find("offensive", {"signal"}))
                      if not doc.reported_quote(s)) if scores["offensive"] == 0 else ()
        if not (borderline or groups or who or crude):
            return None
        spans = [*groups, *who, *crude, *(e for h in hits if h.category in borderline for e in h.evidence)]
        return Question(groups, who, crude, borderline, _model_text(doc, spans))

    def predict(self, texts: Sequence[str]) -> list[Any]:
        """The model's scores for ``texts``, in order, asked in chunks of texts of similar length."""
        if self.model is None or not texts:
            return []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        scores: list[Any] = [None] * len(texts)
        for start in range(0, len(order), CHUNK):
            chunk = order[start:start + CHUNK]
            for i, answer in zip(chunk, self.model.predict([texts[i] for i in chunk]), strict=True):
                scores[i] = answer
        return scores

    def answer(self, question: Question, scores: Any, hits: list[Hit]) -> list[Hit]:
        """``hits`` with the model's findings added."""
        offensive, hate, targeted = (calibrated(getattr(scores, head), self.anchors[head]) for head in HEADS)
        by_category = {"offensive": offensive, "harassment": min(targeted, offensive), "discrimination": hate}
        out = list(hits)
        for category in question.borderline:
            if by_category[category] >= ADD_FROM[category]:
                first = next(e for h in hits if h.category == category for e in h.evidence)
                out.append(Hit(category, by_category[category],
                               (Evidence(first.start, first.end, f"model confirms {category} "
                                         f"(p={by_category[category]:.2f})", first.field),)))
        if question.groups and hate >= ADD_FROM["discrimination"]:
            g = question.groups[0]
            out.append(Hit("discrimination", hate, (Evidence(g.start, g.end, f"model: hostile to the protected group "
                                                             f"{g.text!r} (p={hate:.2f})", g.field),)))
        if question.targets and by_category["harassment"] >= ADD_FROM["harassment"]:
            t = question.targets[0]
            out.append(Hit("harassment", by_category["harassment"],
                           (Evidence(t.start, t.end, f"model: abuse aimed at this person (p={targeted:.2f})",
                                     t.field),)))
        if question.crude and offensive >= ADD_FROM["offensive"]:
            out.append(Hit("offensive", offensive, tuple(Evidence(m.start, m.end, f"model: offensive or crude "
                                                                  f"(p={offensive:.2f})", m.field)
                                                         for m in question.crude)))
        return out


@lru_cache(maxsize=1)
def _shipped() -> Cascade:
    try:
        from monitor.classify.toxicity import load_model
    except ImportError:
        return Cascade(None, "no toxicity module")
    try:
        return Cascade(load_model())
    except Exception as exc:  # any failure to load leaves the rules working alone
        log.warning("toxicity model not loaded, classifying with rules only: %s", exc)
        return Cascade(None, f"toxicity model not loaded: {exc}")
