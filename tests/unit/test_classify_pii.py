"""Personal details recognised by their shape (phone numbers through ``phonenumbers``), and evidence
reasons that name the kind of detail without repeating it."""

import pytest

from monitor.classify import Classifier, PostContext
from monitor.classify.cascade import Cascade
from monitor.classify.pii import LANDLINE, MOBILE, details, phone_numbers
from monitor.names import SocietyNames


@pytest.mark.parametrize(("text", "number", "kind"), [
    ("Her mobile is 07700 900412, ring after six.", "07700 900412", MOBILE),   # Ofcom drama range
    ("Call +44 7700 900123 today", "+44 7700 900123", MOBILE),
    ("mobile (07700 900345) please", "07700 900345", MOBILE),
    ("landline 0161 496 0732, evenings", "0161 496 0732", LANDLINE),
    ("(0161) 496 0123 is the number", "(0161) 496 0123", LANDLINE),
    ("tel: 020 7946 0018", "020 7946 0018", LANDLINE),
    ("ring 07700-900-345", "07700-900-345", MOBILE),
])
def test_uk_phone_numbers_including_drama_ranges(text: str, number: str, kind: str) -> None:
    [found] = phone_numbers(text)
    assert (text[found.start:found.end], found.kind) == (number, kind)


@pytest.mark.parametrize("text", [
    "born 12.05.1955 in the old infirmary",
    "we raised 2,340 pounds in 2024 from 120 plots",
    "membership code QQ123456C",
    "see page 1234 of the 1911 census",
])
def test_dates_years_and_short_numbers_are_not_phone_numbers(text: str) -> None:
    assert phone_numbers(text) == []


def test_other_shapes() -> None:
    text = "Mrs Edna Cole, 42 Orchard Road, OK4 7TB (NI AB 12 34 56 C, DOB 02/11/1958) edna@example.com"
    kinds = {d.kind: text[d.start:d.end] for d in details(text)}
    assert kinds["street address"] == "42 Orchard Road"
    assert kinds["postcode"] == "OK4 7TB"
    assert kinds["national insurance number"] == "AB 12 34 56 C"
    assert kinds["date of birth"].startswith("DOB 02/11/1958")
    assert kinds["e-mail address"] == "edna@example.com"


def test_welsh_street_names_put_the_street_word_first() -> None:
    text = "The treasurer is Huw Beynon, 14 Heol y Nant, Ystradowen CF72 9QX. Rehearsals at 3 Ffordd Las."
    assert [text[d.start:d.end] for d in details(text) if d.kind == "street address"] == ["14 Heol y Nant",
                                                                                          "3 Ffordd Las"]


@pytest.mark.parametrize("text, year", [
    ("Betty turns 90 on Sunday (2 February 1935, Leslie born and bred)", 1935),
    ("Jim (14 May 1948, Dundee born) sang with us for forty years", 1948),
])
def test_a_full_date_with_an_age_or_birthplace_is_a_date_of_birth(text: str, year: int) -> None:
    assert [d.year for d in details(text) if d.kind == "date of birth"] == [year]


@pytest.mark.parametrize("text", [
    "The hall opened on 2 February 1935, a date born of necessity after the fire.",
    "Concert on 14 May 2026 at the Rothes Halls, doors 7pm.",
])
def test_dates_that_are_not_birthdays(text: str) -> None:
    assert [d for d in details(text) if d.kind == "date of birth"] == []


def test_personal_data_reasons_never_repeat_the_data() -> None:
    classifier = Classifier(SocietyNames.from_terms("Oakfield Local History Society", ["OLHS"]),
                            cascade=Cascade(None))
    text = ("The OLHS secretary is Sheila Crump, her mobile is 07700 900 811 and her email is "
            "sheila.crump58@gmail.com. Membership card no. 004517. She has just started chemo.")
    [flag] = [f for f in classifier.classify(PostContext(text)) if f.category == "personal_data"]
    spans = {text[e.start:e.end] for e in flag.evidence}
    assert {"07700 900 811", "sheila.crump58@gmail.com"} <= spans
    for e in flag.evidence:
        assert text[e.start:e.end] not in e.reason
        assert not any(ch.isdigit() for ch in e.reason) and "@" not in e.reason
