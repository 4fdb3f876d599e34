"""Who a post is about: handles, people's names and roles ("the trustees", "volunteer Gary").

Used to tell targeted abuse from swearing at nobody, and personal details of an identifiable
person from general talk. Role and non-name words come from the ``people`` lexicon. Each span's
``kind`` says how it was found: ``handle``, ``titled`` ("treasurer Bill", "Mr Okafor"),
``addressed`` ("Sandra, you...", "that Fiona"), ``name`` (capitalised words, the least certain)
or ``role``.
"""

from __future__ import annotations

import re

from monitor.classify.doc import CONTENT_FIELDS, Doc, Span
from monitor.classify.lexicon import Match

_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}(?:@[\w.-]+)?")
_CAP = r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?"
# Two or more capitalised words: "Derek Holt", "Margaret Dunn".
_FULL_NAME = re.compile(rf"\b{_CAP}(?:\s+(?:[A-Z]\.\s*)?{_CAP})+")
# "Sandra, you've been told" / "Watch your back, Derek." / "the Greer woman" / "that Fiona" /
# "Shut up Brenda" / "Jamal, who's in hospital" / "our leading man Jamal".
_ADDRESSED = re.compile(
    rf"(?:^|(?<=[.!?]\s))({_CAP}),\s+(?=[a-z])|,\s+({_CAP})\s*[.!?]|"
    rf"\b(?:that|the)\s+({_CAP})\s+(?:woman|man|bloke|guy|lad|girl|lady)\b|\b[Tt]hat\s+({_CAP})\b|"
    rf"\b(?:[Ss]hut up|[Gg]row up|[Gg]et lost|[Oo]i|[Ll]isten|[Ll]ook),?\s+({_CAP})\b|"
    rf"\b({_CAP}),\s+(?:our|the|my|their|your)\s+(?:[\w-]+\s+){{0,3}}?(?:captain|member|volunteer|trustee|chair\w*|"
    rf"treasurer|secretary|friend|neighbour|colleague|leader|warden|director|conductor|organiser)\b|"
    rf"\b({_CAP}),\s+who(?:'s|\s)|\b(?:bloke|fella|lad|lass|guy)\s+({_CAP})\b|\b[Oo]ur\s+(?:[a-z]+\s+)?(?:man|woman|lady|lad|girl|boy|volunteer|member|"
    rf"friend|colleague|helper|star|hero|legend|stalwart|director|manager|lead)\s+({_CAP})\b")
# The name after a role word or title: "treasurer Bill", "Dr. Okafor" (a full stop only after a short title:
# "...our accompanist. She'll" names no one).
_NAME_AFTER = re.compile(rf"\s+({_CAP})")
_NAME_AFTER_TITLE = re.compile(rf"\.?\s+({_CAP})")
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "rev", "cllr", "st"}
PRONOUNS = re.compile(r"\b(?:you|your|you're|youre|u|ur|yourself|he|she|him|her|his|they|them)\b", re.IGNORECASE)
THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|he's|she's)\b", re.IGNORECASE)
# Kinds of reference that certainly point at a person (capitalised word pairs may be events or places).
CERTAIN = ("handle", "titled", "addressed")


def _overlaps(span: Span, blocked: list[Match | Span]) -> bool:
    return any(b.start < span.end and span.start < b.end for b in blocked)


# Capitalised words after these are places ("on Saddle Fell", "near Black Crag"), not people.
_PLACE_BEFORE = re.compile(r"\b(?:on|at|in|near|across|over|up|down|round|around|towards|via|along|into|onto|"
                           r"past|beyond|through)\s+$", re.IGNORECASE)


def _full_names(text: str, field: str, blocked: list[Match | Span]) -> list[Span]:
    """Runs of capitalised words, less leading non-name words ("To Stephen Lyle" -> "Stephen Lyle"),
    except places named after a preposition of place ("on Saddle Fell", but not "on Ruth Okafor's page")."""
    spans = []
    for m in _FULL_NAME.finditer(text):
        if _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()) and not m.group().endswith(("'s", "’s")):
            continue
        words = [Span(w.start() + m.start(), w.end() + m.start(), field) for w in re.finditer(r"\S+", m.group())]
        while words and _overlaps(words[0], blocked):
            words.pop(0)
        if len(words) >= 2:
            spans.append(Span(words[0].start, words[-1].end, field, "name"))
    return spans


def _names(doc: Doc, field: str) -> list[Span]:
    text = doc.field(field)
    blocked = doc.find("people", {"not-name"}, fields=(field,)) + [m for m in doc.mentions if m.field == field]
    spans = _full_names(text, field, blocked)
    groups = doc.find("discrimination", {"group"}, fields=(field,))
    for m in _ADDRESSED.finditer(text):
        group = next(g for g in range(1, _ADDRESSED.groups + 1) if m.group(g))
        addressed = Span(m.start(group), m.end(group), field, "addressed")
        if not _overlaps(addressed, groups):  # "that Polish lot" is no one's name
            spans.append(addressed)
    for role in doc.find("people", {"role-word"}, fields=(field,)):
        after = (_NAME_AFTER_TITLE if role.text.lower() in _TITLES else _NAME_AFTER).match(text, role.end)
        if after:
            spans.append(Span(role.start, after.end(1), field, "titled"))
    return [s for s in spans if not _overlaps(s, blocked)]


def people(doc: Doc, certain: bool = False) -> list[Span]:
    """Identifiable people (names, handles other than the Society's) in the post's text and title;
    with ``certain``, only references that surely point at a person."""
    if "people" not in doc.cache:
        found: list[Span] = []
        for field in CONTENT_FIELDS:
            if not doc.field(field):
                continue
            society = [m for m in doc.mentions if m.field == field]
            found += [Span(m.start(), m.end(), field, "handle") for m in _HANDLE.finditer(doc.field(field))
                      if not any(s.start <= m.start() < s.end for s in society)]
            found += _names(doc, field)
        doc.cache["people"] = found
    return [p for p in doc.cache["people"] if p.kind in CERTAIN] if certain else doc.cache["people"]


def targets(doc: Doc) -> list[Span]:
    """People plus roles and described individuals ("the trustees", "the bloke who runs the tours")."""
    return people(doc) + [Span(r.start, r.end, r.field, "role") for r in doc.find("people", {"role"})]
