"""Bullying, harassment and threats: threats and doxxing, and insults or pile-ons aimed at someone."""

from __future__ import annotations

from monitor.classify.doc import Doc, Span
from monitor.classify.hits import Hit, evidence, hit
from monitor.classify.people import PRONOUNS, THIRD_PERSON, targets
from monitor.classify.severity import CRITICAL
from monitor.classify.types import Evidence

_LABELS = ("threat", "doxx", "insult", "dismissal", "pile-on")
# Insults addressed by pronoun ("you're a laughing stock") to a target named elsewhere count a little less.
_PRONOUN_FACTOR = 0.9


def detect(doc: Doc) -> list[Hit]:
    found = [m for m in doc.find("harassment", _LABELS) if not doc.reported_quote(m)]
    hits = [hit("harassment", m.score, [(m, f"{m.label} {{}}")], CRITICAL)
            for m in found if m.label in ("threat", "doxx")]
    aimed = [m for m in found if m.label in ("insult", "dismissal", "pile-on")]
    who = targets(doc) if aimed else []
    first_in_sentence: dict[tuple[str, int], Span] = {}
    for t in who:
        first_in_sentence.setdefault(doc.sentence(t), t)
    for m in aimed:
        field, index = doc.sentence(m)
        # the person named in the insult's sentence, or in the one before ("That Joan ... Absolute tw@t.")
        target = first_in_sentence.get((field, index)) or first_in_sentence.get((field, index - 1))
        if target is not None:
            named = doc.field(target.field)[target.start:target.end]
            hits.append(Hit("harassment", m.score, (evidence(m, f"{m.label} {{}}"),
                                                    Evidence(target.start, target.end, f"aimed at {named!r}",
                                                             target.field))))
        elif who and (PRONOUNS.search(doc.sentence_text(m)) or m.label == "pile-on") or \
                m.label == "pile-on" and THIRD_PERSON.search(doc.sentence_text(m)):
            # addressed by pronoun to someone named elsewhere, or a call to go after "him" or "her"
            hits.append(hit("harassment", m.score * _PRONOUN_FACTOR, [(m, f"{m.label} {{}} aimed at someone")]))
    return hits
