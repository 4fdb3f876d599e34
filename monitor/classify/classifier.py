"""The rule-based policy classifier: detectors -> hits -> one flag per category over its threshold."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from monitor.classify.detectors import CONTENT_DETECTORS, LEXICONS, endorsement, speech
from monitor.classify.doc import Doc, head_noun
from monitor.classify.hits import Hit, combine
from monitor.classify.lexicon import LexiconError, load_lexicons
from monitor.classify.normalise import normalise
from monitor.classify.severity import highest
from monitor.classify.types import CLAUSES, Flag, PostContext, clause_for
from monitor.names import SocietyNames

RULES_VERSION = "rules-1"
DEFAULT_LEXICON_DIR = Path(__file__).resolve().parents[2] / "config" / "lexicons"
DEFAULT_THRESHOLD = 0.5
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


def society_pattern(names: SocietyNames) -> str:
    """A regex over normalised text for the Society's names, handles, hashtags and "the Society"/"the Trust"."""
    terms = [names.name, *names.aliases, *names.handles, *(f"@{h}" for h in names.handles),
             *(f"#{t}" for t in names.hashtags)]
    alternatives = {re.escape(normalise(t.strip()).text).replace(r"\ ", r"\s+") for t in terms if t.strip()}
    ordered = sorted(alternatives, key=len, reverse=True) + [re.escape(head_noun(names).lower())]
    return r"(?<!\w)(?:(?:the|our)\s+(?:whole\s+|entire\s+)?)?(?:" + "|".join(ordered) + r")(?!\w)"


class Classifier:
    """Rules and editable lexicons; ``classify(post)`` returns the flags that pass their thresholds."""

    def __init__(self, names: SocietyNames, lexicon_dir: Path | None = None,
                 thresholds: Mapping[str, float] | None = None) -> None:
        directory = Path(lexicon_dir) if lexicon_dir is not None else DEFAULT_LEXICON_DIR
        lexicons = load_lexicons(directory)
        missing = sorted(set(LEXICONS) - set(lexicons))
        if missing:
            raise LexiconError(f"missing lexicon file(s) in {directory}: {', '.join(m + '.txt' for m in missing)}")
        unknown = sorted(set(thresholds or {}) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"thresholds for unknown categories: {', '.join(unknown)} "
                             f"(known: {', '.join(CATEGORIES)})")
        self.names = names
        self.thresholds = {c: DEFAULT_THRESHOLD for c in CATEGORIES} | dict(thresholds or {})
        placeholders = {"society": society_pattern(names)}
        self._matchers = {name: lexicons[name].compile(placeholders) for name in LEXICONS}
        digest = hashlib.sha256("".join(f"{n}:{lexicons[n].digest}\n" for n in sorted(lexicons)).encode())
        self.version = f"{RULES_VERSION}-{digest.hexdigest()[:10]}"

    def classify(self, post: PostContext) -> list[Flag]:
        """Every flag whose score passes its category's threshold, for categories that apply to the author."""
        doc = Doc(post, self.names, self._matchers)
        hits = [h for detect in CONTENT_DETECTORS for h in detect(doc)]
        flagged = {f.category for f in self._flags(hits, post.author_kind)}
        hits += speech.detect(doc, flagged)
        if post.ref_text and post.kind in endorsement.ENDORSING_KINDS:
            shared = replace(post, text=post.ref_text, title="", kind="post", ref_text="", has_media=False,
                             media_note="")
            hits += endorsement.detect(post, self.classify(shared))
        return self._flags(hits, post.author_kind)

    def _flags(self, hits: Iterable[Hit], author_kind: str) -> list[Flag]:
        kind = author_kind if author_kind in AUTHOR_KINDS else "public"
        by_category: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            by_category[h.category].append(h)
        flags = []
        for category in CATEGORIES:
            group = by_category.get(category)
            if not group or kind not in APPLIES_TO[category]:
                continue
            score = combine(h.score for h in group)
            if score < self.thresholds[category]:
                continue
            evidence = sorted({e for h in group for e in h.evidence}, key=lambda e: (e.field, e.start, e.end))
            flags.append(Flag(category, clause_for(category, kind), highest(category, (h.severity for h in group)),
                              score, tuple(evidence)))
        return flags
