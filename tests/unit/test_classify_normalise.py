"""The normaliser: folding, leetspeak and masks, and the offset map back to the original text."""

import pytest

from monitor.classify.normalise import normalise


@pytest.mark.parametrize(("raw", "expected"), [
    ("ＳＨＩＴ", "shit"),            # fullwidth letters (NFKC)
    ("Shıt", "shit"),               # dotless i
    ("сrap", "crap"),               # Cyrillic es
    ("Μuѕlіmѕ", "muslims"),         # Greek capital mu, Cyrillic dze and i
    ("ΝΑΖΙ", "nazi"),               # Greek capitals whose lower case looks different (ν, η)
    ("fück", "fuck"),               # accent stripped
    ("sh1t", "shit"),
    ("b@stard", "bastard"),
    ("$hite", "shite"),
    ("f#ck", "f*ck"),
    ("f***", "f***"),
    ("fuuuuuuck", "fuuck"),
    ("f u c k", "fuck"),
    ("s.h.i.t", "shit"),
    ("sh\u200bit", "shit"),         # zero-width space
    ("don’t", "don't"),
])
def test_normalised_forms(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


@pytest.mark.parametrize("raw", [
    "@OakfieldHistory",             # a handle keeps its @
    "#OakfieldHistory",
    "info@oakfield.org.uk",         # e-mail and links keep their symbols
    "shop.example.com/?ref=abc1",
    "Call 01632 960123",
    "20% off",
])
def test_handles_addresses_and_numbers_survive(raw: str) -> None:
    assert normalise(raw).text == raw.lower()


@pytest.mark.parametrize("raw", ["Ｆｕｃｋ", "f u c k", "fuuuuuck", "sh\u200bit", "ﬁne ﬂower", "Straße"])
def test_whole_span_maps_back_to_the_whole_original(raw: str) -> None:
    norm = normalise(raw)
    assert norm.original_span(0, len(norm.text)) == (0, len(raw))


def test_span_of_a_word_after_expansions_maps_to_the_original_word() -> None:
    raw = "Straße ﬁsh: what a ｂａｓｔａｒｄ"
    norm = normalise(raw)
    start = norm.text.index("bastard")
    s, e = norm.original_span(start, start + len("bastard"))
    assert raw[s:e] == "ｂａｓｔａｒｄ"


def test_empty_text() -> None:
    norm = normalise("")
    assert norm.text == ""
    assert norm.original_span(0, 0) == (0, 0)
