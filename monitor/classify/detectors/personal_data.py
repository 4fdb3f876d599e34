"""Sharing or gathering personal data: phone numbers, e-mail addresses, home addresses, dates of
birth, National Insurance and membership numbers, health details about a person, requests for them.

An organisation's own contact details, historical people and warnings against sharing are clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.classify.doc import Doc, Span
from monitor.classify.hits import Hit, hit
from monitor.classify.lexicon import Match
from monitor.classify.people import THIRD_PERSON, people
from monitor.classify.types import Evidence

_STREET = (r"(?:Road|Rd|Street|St|Lane|Ln|Close|Avenue|Ave|Drive|Way|Crescent|Gardens|Terrace|Place|Court|Grove|"
           r"Row|Hill|Walk|Square|Mews|Park|Cottages|Rise|View|Yard|Parade|Wharf|Villas|Green)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Details recognised by their shape, and how strongly each alone suggests personal data.
_SHAPES: dict[str, tuple[re.Pattern[str], float]] = {
    "mobile number": (
        re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?7\d{3}|\(?07\d{3}\)?)[\s-]?\d{3}[\s-]?\d{3}(?!\d)"), 0.8),
    "phone number": (
        re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|\(?0)[1-3]\d{2,4}\)?[\s-]?\d{3}[\s-]?\d{3,4}(?!\d)"), 0.8),
    "e-mail address": (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0.85),
    "street address": (re.compile(rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b"), 0.6),
    "home street": (re.compile(rf"\blive[sd]?\s+(?:at|on|in)\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b"), 0.7),
    "postcode": (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), 0.4),
    "national insurance number": (re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"), 0.9),
    "membership number": (re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\s*\(\s*[A-Z]{2,5}-?\d{4,}\s*\)"), 0.7),
    "date of birth": (re.compile(
        rf"\b(?:born|dob|d\.o\.b\.?|date of birth|b\.)[:\s(]*(?:on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+"
        rf"(?P<y1>\d{{4}})|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|"
        rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?P<y3>\d{{4}}|\d{{2}}))", re.IGNORECASE), 0.75),
}
_FREEMAIL = re.compile(r"@(?:g(?:oogle)?mail|hotmail|yahoo|outlook|live|icloud|me|aol|btinternet|sky|virginmedia|"
                       r"talktalk|protonmail|proton|gmx|ymail|msn)\.", re.IGNORECASE)
# Not a personal provider: a person's work address ("jo.bloggs@firm.co.uk") or a role's ("tickets@").
_WORK_EMAIL = re.compile(r"^[a-z]+[._-][a-z]+@", re.IGNORECASE)
_WORK_EMAIL_SCORE = 0.55
_ROLE_EMAIL_SCORE = 0.3
# An address with a postcode (or another address part, or "lives at") is a home address.
_HOME_SCORE = 0.85
_ADDRESS_PARTS = ("street address", "postcode", "home street")
_CONTACT = {"mobile number", "phone number", "e-mail address", *_ADDRESS_PARTS}


@dataclass(frozen=True)
class _Shape:
    kind: str
    span: Span
    text: str


def _shapes(doc: Doc) -> list[_Shape]:
    found = []
    for field in ("text", "title"):
        for kind, (pattern, _) in _SHAPES.items():
            for m in pattern.finditer(doc.field(field)):
                years = [int(y) for y in m.groupdict().values() if y]
                if kind == "date of birth" and years and 100 <= years[0] < 1900:
                    continue  # a historical person
                found.append(_Shape(kind, Span(m.start(), m.end(), field), m.group()))
    return found


def _near(doc: Doc, span: Span, matches: list[Match]) -> bool:
    return any(doc.same_sentence(span, m) for m in matches)


def _score(doc: Doc, shape: _Shape, shapes: list[_Shape]) -> float | None:
    """How strongly a shape-recognised detail is a person's data in its context (None: it is not)."""
    if _near(doc, shape.span, doc.find("personal_data", {"historical"})):
        return None
    org = doc.find("personal_data", {"org"})
    personal = _near(doc, shape.span, doc.find("personal_data", {"personal"}))
    kind, base = shape.kind, _SHAPES[shape.kind][1]
    if kind in _CONTACT and (_near(doc, shape.span, org) or any(m.start <= shape.span.start < m.end for m in org)):
        return None
    if kind == "phone number":
        return base if personal else None  # otherwise most likely an organisation's number
    if kind == "e-mail address" and not _FREEMAIL.search(shape.text):
        return _WORK_EMAIL_SCORE if _WORK_EMAIL.search(shape.text) else _ROLE_EMAIL_SCORE
    if kind in _ADDRESS_PARTS and (personal or any(
            s.kind in _ADDRESS_PARTS and s.span != shape.span and doc.same_sentence(s.span, shape.span)
            for s in shapes)):
        return _HOME_SCORE
    return base


def _shared(doc: Doc) -> list[Hit]:
    shapes = _shapes(doc)
    hits = []
    for shape in shapes:
        score = _score(doc, shape, shapes)
        if score is None:
            continue
        span = shape.span
        hits.append(Hit("personal_data", score, (Evidence(span.start, span.end, shape.kind, span.field),)))
    return hits


def _health(doc: Doc) -> list[Hit]:
    historical = doc.find("personal_data", {"historical"})
    who = people(doc)
    return [hit("personal_data", m.score, [(m, "health details {} about a person")])
            for m in doc.find("personal_data", {"health"})
            if not _near(doc, m, historical)
            and (any(doc.same_sentence(p, m, 1) for p in who) or THIRD_PERSON.search(doc.sentence_text(m)))]


def detect(doc: Doc) -> list[Hit]:
    hits = _shared(doc) + _health(doc)
    if not doc.find("personal_data", {"warning"}):
        hits += [hit("personal_data", m.score, [(m, "asks for personal details: {}")])
                 for m in doc.find("personal_data", {"request"})]
    hits += [hit("personal_data", m.score, [(m, "identifier {}")]) for m in doc.find("personal_data", {"identifier"})]
    if doc.post.has_media:
        hits += [hit("personal_data", m.score, [(m, "media shows personal details: {}")])
                 for m in doc.find("personal_data", {"data-media"}, fields=("media_note",))]
    return hits
