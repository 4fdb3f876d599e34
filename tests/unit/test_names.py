"""Mention matching: names on word boundaries, acronyms in capitals only."""

from __future__ import annotations

import pytest

from monitor.names import SocietyNames, is_acronym

NAMES = SocietyNames(
    name="Thornfield Local History Society",
    aliases=("Thornfield History Society", "TLHS"),
    handles=("ThornfieldLHS", "thornfieldlhs@mastodon.social"),
    hashtags=("ThornfieldHistory",),
)


@pytest.mark.parametrize("text", [
    "Great talk at the Thornfield Local History Society tonight",
    "thornfield local history society AGM",
    "Thornfield  Local\nHistory Society",
    "The TLHS archive is open",
    "TLHS's new book",
    "(TLHS)",
    "thanks @ThornfieldLHS!",
    "thanks @thornfieldlhs",
    "cc @thornfieldlhs@mastodon.social",
    "#ThornfieldHistory open day",
    "#thornfieldhistory",
])
def test_mentions(text: str) -> None:
    assert NAMES.find(text), text


@pytest.mark.parametrize("text", [
    "tlhs in lower case is not the acronym",
    "Tlhs",
    "ATLHS and TLHSX are other things",
    "https://example.org/tlhs-report",
    "#ThornfieldHistoryWalks is another tag",
    "email me at ThornfieldLHS2@example.org",
    "Thornfield History Societyx",
    "@ThornfieldLHSArchive",
    "",
])
def test_non_mentions(text: str) -> None:
    assert not NAMES.find(text), text


def test_spans_point_at_the_original_text() -> None:
    text = "Ask the TLHS or @ThornfieldLHS about #ThornfieldHistory"
    found = NAMES.find(text)
    assert [text[m.start:m.end] for m in found] == ["TLHS", "@ThornfieldLHS", "#ThornfieldHistory"]


def test_acronym_detection() -> None:
    assert is_acronym("RHS") and is_acronym("U3A") and not is_acronym("Rhs") and not is_acronym("Royal Society")


def test_from_terms_sorts_kinds() -> None:
    names = SocietyNames.from_terms("Riverside Heritage Society", ["RHS", "@RiversideHS", "#RiversideHeritage"])
    assert names.aliases == ("RHS",) and names.handles == ("RiversideHS",) and names.hashtags == ("RiversideHeritage",)
    assert names.mentioned_in(None, "the RHS") and not names.mentioned_in("rhs")
    assert SocietyNames().empty and not SocietyNames().find("anything at all")


def test_long_acronyms_match_in_any_case_short_ones_only_in_capitals() -> None:
    names = SocietyNames.from_terms("Harrowgate Canal Boat Preservation Trust", ["HCBPT", "NADS"])
    assert [m.term for m in names.find("tbh the hcbpt board couldnt run a bath")] == ["HCBPT"]
    assert names.mentioned_in("the NADS panto") and not names.mentioned_in("kicked in the nads")
