"""Personal details recognised by their shape: phone numbers (``phonenumbers``), e-mail addresses, UK
postcodes and street addresses, National Insurance numbers, dates of birth and membership numbers.

Whether a detail is a person's (not an organisation's, not a historical figure's) is decided by the
``personal_data`` detector from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

_STREET = (r"(?:Road|Rd|Street|St|Lane|Ln|Close|Avenue|Ave|Drive|Way|Crescent|Gardens|Terrace|Place|Court|Grove|"
           r"Row|Hill|Walk|Square|Mews|Park|Cottages|Rise|View|Yard|Parade|Wharf|Villas|Green)")
# Welsh street names put the street word first: "14 Heol y Nant", "3 Ffordd Las", "7 Lôn Goed".
_WELSH_STREET = r"(?:Heol|Ffordd|Stryd|Lon|Lôn|Rhodfa|Cilgant|Teras|Maes|Clos|Llwyn)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Details recognised by a regular expression; phone numbers are found by ``phonenumbers``.
SHAPES: dict[str, re.Pattern[str]] = {
    "e-mail address": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "street address": re.compile(rf"(?<!\d[-–])\b\d{{1,4}}[A-Za-z]?,?\s+(?:(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b|"
                                 rf"{_WELSH_STREET}\s+(?:(?:y|yr|'r)\s+)?[A-Z][\w'-]+)"),
    "home street": re.compile(rf"\blive[sd]?\s+(?:at|on|in)\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "national insurance number": re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
    "membership number": re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}\s*\(\s*[A-Z]{2,5}-?\d{4,}\s*\)"),
    "date of birth": re.compile(
        rf"\b(?:born|dob|d\.o\.b\.?|date of birth|b\.)[:\s(]*(?:on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+"
        rf"(?P<y1>\d{{4}})|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|"
        rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?P<y3>\d{{4}}|\d{{2}}))"
        # a full date given with an age or a birthplace: "turns 90 on Sunday (2 February 1935, Leslie born)"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<y4>\d{{4}})(?=[,;)\s]+(?:(?-i:[A-Z])[\w-]+\s+){{0,2}}born\b)"
        rf"|(?<=\bturns\s)\d{{2,3}}\b[^.!?\n]{{0,30}}?\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<y5>\d{{4}})",
        re.IGNORECASE),
}
MOBILE, LANDLINE = "mobile number", "phone number"
# Only text with a run of nine or more digits (spaces and brackets allowed) can hold a UK phone number.
_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){8,}")
_DATE_LIKE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_UK_NUMBER_LENGTHS = (9, 10)


@dataclass(frozen=True)
class Detail:
    """One personal detail in a text: its kind, span and text, and the year of a date of birth."""

    kind: str
    start: int
    end: int
    text: str
    year: int | None = None


def phone_numbers(text: str) -> list[Detail]:
    """UK phone numbers, with ``Leniency.POSSIBLE`` so that Ofcom's drama ranges (07700 900xxx, 01632
    960xxx), which are not valid numbers, are still found; dates and short numbers are left out."""
    if not _DIGIT_RUN.search(text):
        return []
    found = []
    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        national = phonenumbers.national_significant_number(m.number)
        if len(national) not in _UK_NUMBER_LENGTHS or _DATE_LIKE.fullmatch(m.raw_string):
            continue
        start = m.start + 1 if m.raw_string.startswith("(") and ")" not in m.raw_string else m.start
        found.append(Detail(MOBILE if national.startswith("7") else LANDLINE, start, m.end, text[start:m.end]))
    return found


def details(text: str) -> list[Detail]:
    """Every personal detail recognised by its shape in ``text``, in order."""
    found = phone_numbers(text)
    for kind, pattern in SHAPES.items():
        for m in pattern.finditer(text):
            year = next((int(y) for y in m.groupdict().values() if y), None)
            found.append(Detail(kind, m.start(), m.end(), m.group(), year))
    return sorted(found, key=lambda d: (d.start, d.end))
