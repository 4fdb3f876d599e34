"""The policy classifier, a cascade: normalisation, then editable lexicons and rules for every post,
then the toxicity model in one batch for the posts the rules are unsure about, then context rules
(speaking for the Society, endorsing what a shared post breaches); one flag per category whose
score passes its threshold."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from monitor.classify.cascade import Cascade, Question
from monitor.classify.detectors import CONTENT_DETECTORS, LEXICONS, endorsement, speech
from monitor.classify.doc import Doc, kind_nouns
from monitor.classify.hits import Hit, combine
from monitor.classify.lexicon import LexiconError, Matcher, load_lexicons
from monitor.classify.normalise import normalise
from monitor.classify.severity import highest
from monitor.classify.types import CLAUSES, Flag, PostContext, clause_for
from monitor.names import SocietyNames

RULES_VERSION = "rules-2"
DEFAULT_LEXICON_DIR = Path(__file__).resolve().parents[2] / "config" / "lexicons"
AUTHOR_KINDS = ("official", "personal", "public")
_ACCOUNTS = ("official", "personal")
# Which authors each category applies to (DESIGN.md). Promotion by personal accounts is further
# limited to posts selling on the Society's name, by the promotion detector.
APPLIES_TO: dict[str, tuple[str, ...]] = {
    "harassment": AUTHOR_KINDS,
    "discrimination": AUTHOR_KINDS,
    "offensive": AUTHOR_KINDS,
    "misleading": AUTHOR_KINDS,
    "personal_data": AUTHOR_KINDS,
    "political": _ACCOUNTS,
    "promotion": _ACCOUNTS,
    "copyright_consent": _ACCOUNTS,
    "endorsement": _ACCOUNTS,
    "no_disclaimer": ("personal",),
}
# Categories a post can be flagged with, in report order (unapproved_account is about accounts).
CATEGORIES = tuple(c for c in CLAUSES if c in APPLIES_TO)
# A flag is raised when its category's score reaches the threshold; [thresholds] in the config overrides.
DEFAULT_THRESHOLDS: dict[str, float] = {c: 0.5 for c in CATEGORIES}


def _author(kind: str) -> str:
    """The author kind, unknown kinds counting as the public."""
    return kind if kind in AUTHOR_KINDS else "public"


def _applies(category: str, author_kind: str) -> bool:
    return _author(author_kind) in APPLIES_TO[category]


def society_pattern(names: SocietyNames) -> str:
    """A regex over normalised text for the Society's names, handles, hashtags and "the Society"/"the choir"
    (the words of its name that say what kind of body it is)."""
    terms = [names.name, *names.aliases, *names.handles, *(f"@{h}" for h in names.handles),
             *(f"#{t}" for t in names.hashtags)]
    alternatives = {re.escape(normalise(t.strip()).text).replace(r"\ ", r"\s+") for t in terms if t.strip()}
    kinds = "|".join(re.escape(k.lower()) for k in kind_nouns(names))
    ordered = sorted(alternatives, key=len, reverse=True) + [f"(?:{kinds})"]
    return r"(?<!\w)(?:(?:the|our)\s+(?:whole\s+|entire\s+|[\w-]+\s+(?=(?:" + kinds + \
        r")\b))?)?(?:" + "|".join(ordered) + r")(?!\w)"


class Classifier:
    """``classify_many(posts)`` returns, for each post, the flags that pass their thresholds."""

    def __init__(self, names: SocietyNames, lexicon_dir: Path | None = None,
                 thresholds: Mapping[str, float] | None = None, cascade: Cascade | None = None) -> None:
        unknown = sorted(set(thresholds or {}) - set(CLAUSES))
        if unknown:
            raise ValueError(f"thresholds for unknown categories: {', '.join(unknown)} "
                             f"(known: {', '.join(CLAUSES)})")
        self.names = names
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir is not None else DEFAULT_LEXICON_DIR
        self.thresholds = DEFAULT_THRESHOLDS | {c: v for c, v in (thresholds or {}).items() if c in CATEGORIES}
        self.cascade = cascade if cascade is not None else Cascade.load()
        # Read on every construction: each sweep builds its classifier, so an edited lexicon is used
        # from the next sweep on (the daemon included) without a restart.
        lexicons = load_lexicons(self.lexicon_dir)
        missing = sorted(set(LEXICONS) - set(lexicons))
        if missing:
            raise LexiconError(f"missing lexicon file(s) in {self.lexicon_dir}: "
                               f"{', '.join(m + '.txt' for m in missing)}")
        placeholders = {"society": society_pattern(self.names)}
        self._matchers: dict[str, Matcher] = {name: lexicons[name].compile(placeholders) for name in LEXICONS}
        digest = hashlib.sha256("".join(f"{n}:{lexicons[n].digest}\n" for n in sorted(lexicons)).encode())
        self.version = f"{RULES_VERSION}-{digest.hexdigest()[:10]}+{self.cascade.version}"

    def classify(self, post: PostContext) -> list[Flag]:
        """The flags of one post (see ``classify_many``)."""
        return self.classify_many([post])[0]

    def classify_many(self, posts: Sequence[PostContext]) -> list[list[Flag]]:
        """For each post, every flag whose score passes its category's threshold, for the categories that
        apply to its author. The toxicity model runs once, in a batch, for the posts that need it."""
        splits = [endorsement.split(p) for p in posts]
        shared = [(i, s) for i, (_, s) in enumerate(splits) if s is not None]
        docs = [Doc(own, self.names, self._matchers) for own, _ in splits]
        docs += [Doc(s.post, self.names, self._matchers) for _, s in shared]
        hits = self._content_hits(docs)
        shared_flags = {i: self._flags(h, s.post.author_kind)
                        for (i, s), h in zip(shared, hits[len(posts):], strict=True)}
        results = []
        for i, (post, doc) in enumerate(zip(posts, docs, strict=False)):
            own = hits[i]
            own += speech.detect(doc, {f.category for f in self._flags(own, post.author_kind)})
            if i in shared_flags:
                own += endorsement.detect(post, splits[i][1], shared_flags[i])
            results.append(self._flags(own, post.author_kind))
        return results

    def _content_hits(self, docs: Sequence[Doc]) -> list[list[Hit]]:
        """The rules' hits for each post, then the model's answers for the posts it is asked about."""
        hits = [[h for categories, detect in CONTENT_DETECTORS
                 if any(_applies(c, doc.post.author_kind) for c in categories) for h in detect(doc)] for doc in docs]
        asked: list[tuple[int, Question]] = []
        for i, (doc, found) in enumerate(zip(docs, hits, strict=True)):
            question = self.cascade.question(doc, found, self.thresholds)
            if question is not None:
                asked.append((i, question))
        answers = self.cascade.predict([question.text for _, question in asked])
        for (i, question), scores in zip(asked, answers, strict=True):
            hits[i] = self.cascade.answer(question, scores, hits[i])
        return hits

    def _flags(self, hits: Iterable[Hit], author_kind: str) -> list[Flag]:
        by_category: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            by_category[h.category].append(h)
        flags = []
        for category in CATEGORIES:
            group = by_category.get(category)
            if not group or not _applies(category, author_kind):
                continue
            score = combine(h.score for h in group)
            if score < self.thresholds[category]:
                continue
            evidence = sorted({e for h in group for e in h.evidence}, key=lambda e: (e.field, e.start, e.end))
            flags.append(Flag(category, clause_for(category, _author(author_kind)),
                              highest(category, (h.severity for h in group)), score, tuple(evidence)))
        return flags
