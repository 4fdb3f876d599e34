"""Sharing or gathering personal data: phone numbers, e-mail addresses, home addresses, dates of
birth, National Insurance and membership numbers, health details about a person, requests for them.

An organisation's own contact details, historical people and warnings against sharing are clean.
Someone's details shared or asked for in a hostile post are harassment as well (``_exposure``).
Evidence reasons name the kind of detail, never the detail itself, so that reports can mask it.
"""

from __future__ import annotations

import re

from monitor.classify.doc import CONTENT_FIELDS, Doc, Span
from monitor.classify.hits import Hit, evidence, hit
from monitor.classify.lexicon import Match
from monitor.classify.people import THIRD_PERSON, targets
from monitor.classify.pii import LANDLINE, Detail, details
from monitor.classify.severity import CRITICAL
from monitor.classify.types import Evidence

# How strongly each kind of detail alone suggests a person's data.
_BASE = {
    "mobile number": 0.8,
    LANDLINE: 0.8,
    "e-mail address": 0.85,
    "street address": 0.6,
    "home street": 0.7,
    "postcode": 0.4,
    "national insurance number": 0.9,
    "membership number": 0.7,
    "date of birth": 0.75,
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
_CONTACT = {"mobile number", LANDLINE, "e-mail address", *_ADDRESS_PARTS}
_HISTORICAL_BEFORE = 1900
# A person's details (contact, health) or a request for them, in a post with a hostile cue: harassment too.
_HOSTILE = ("threat", "doxx", "insult", "dismissal", "pile-on")
_EXPOSURE_SCORE = 0.75
_EXPOSED_FROM = 0.5


def _shapes(doc: Doc) -> list[tuple[Detail, Span]]:
    return [(d, Span(d.start, d.end, field)) for field in CONTENT_FIELDS for d in details(doc.field(field))
            if not (d.kind == "date of birth" and d.year is not None and 100 <= d.year < _HISTORICAL_BEFORE)]


def _near(doc: Doc, span: Span, matches: list[Match]) -> bool:
    return any(doc.same_sentence(span, m) for m in matches)


def _score(doc: Doc, detail: Detail, span: Span, shapes: list[tuple[Detail, Span]]) -> float | None:
    """How strongly a shape-recognised detail is a person's data in its context (None: it is not)."""
    if _near(doc, span, doc.find("personal_data", {"historical"})):
        return None
    org = doc.find("personal_data", {"org"})
    personal = _near(doc, span, doc.find("personal_data", {"personal"}))
    kind, base = detail.kind, _BASE[detail.kind]
    if kind in _CONTACT and (_near(doc, span, org) or any(m.start <= span.start < m.end for m in org)):
        return None
    if kind == LANDLINE:
        return base if personal else None  # otherwise most likely an organisation's number
    if kind == "e-mail address" and not _FREEMAIL.search(detail.text):
        return _WORK_EMAIL_SCORE if _WORK_EMAIL.search(detail.text) else _ROLE_EMAIL_SCORE
    if kind in _ADDRESS_PARTS and (personal or any(
            other.kind in _ADDRESS_PARTS and where != span and doc.same_sentence(where, span)
            for other, where in shapes)):
        return _HOME_SCORE
    return base


def _shared(doc: Doc) -> list[Hit]:
    shapes = _shapes(doc)
    hits = []
    for detail, span in shapes:
        score = _score(doc, detail, span, shapes)
        if score is not None:
            hits.append(Hit("personal_data", score, (Evidence(span.start, span.end, detail.kind, span.field),)))
    return hits


def _health(doc: Doc) -> list[Hit]:
    health = doc.find("personal_data", {"health"})
    if not health or doc.find("personal_data", {"consented"}):  # an obituary written with the family's blessing
        return []
    historical = doc.find("personal_data", {"historical"})
    who = targets(doc)  # named people, and roles held by one person ("our new treasurer")
    return [hit("personal_data", m.score, [(m, "health details about an identifiable person")])
            for m in health
            if not _near(doc, m, historical)
            and (any(doc.same_sentence(p, m, 1) for p in who) or THIRD_PERSON.search(doc.sentence_text(m)))]


def _exposure(doc: Doc, contact: list[Hit]) -> list[Hit]:
    """Someone's details (contact, health) shared or asked for in a hostile post: posted to invite hostility,
    which is harassment of that person too ("... 14 Duncombe St. Maybe he'd like to say it to our faces")."""
    contact = [h for h in contact if h.score >= _EXPOSED_FROM]  # not a role's address ("lettings@")
    if not contact:
        return []
    hostile = [m for m in doc.find("harassment", _HOSTILE) + doc.find("offensive") if not doc.reported_quote(m)]
    if not hostile:
        return []
    return [Hit("harassment", _EXPOSURE_SCORE, (evidence(hostile[0], "personal details posted with hostility: {}"),
                                                 *contact[0].evidence), CRITICAL)]


def detect(doc: Doc) -> list[Hit]:
    shared = _shared(doc)
    requests = [hit("personal_data", m.score, [(m, "asks for personal details")])
                for m in doc.find("personal_data", {"request"})]
    if requests and doc.find("personal_data", {"warning"}):  # "we will never ask for your password"
        requests = []
    health = _health(doc)
    hits = shared + requests + health + _exposure(doc, shared + requests + health)
    hits += [hit("personal_data", m.score, [(m, "details that identify or locate a person")])
             for m in doc.find("personal_data", {"identifier"})]
    if doc.post.has_media:
        hits += [hit("personal_data", m.score, [(m, "media shows personal details")])
                 for m in doc.find("personal_data", {"data-media"}, fields=("media_note",))]
    return hits
