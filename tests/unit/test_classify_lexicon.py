"""Lexicon files: their format, matching rules, errors, and the classifier version they feed."""

import shutil
from pathlib import Path

import pytest

from monitor.classify import Classifier, LexiconError, load_lexicons
from monitor.classify.classifier import DEFAULT_LEXICON_DIR, society_pattern
from monitor.classify.lexicon import _register, literals_in, parse_lexicon
from monitor.classify.normalise import normalise
from monitor.names import SocietyNames

NAMES = SocietyNames.from_terms("Oakfield Local History Society", ["OLHS", "@OakfieldHistory"])


def matches(lexicon_text: str, text: str, labels=None) -> list[tuple[str, str]]:
    matcher = parse_lexicon("test", lexicon_text).compile({"society": society_pattern(NAMES)})
    return [(m.label, m.text) for m in matcher.find(normalise(text), labels)]


def test_one_search_finds_every_registered_literal_nested_and_overlapping() -> None:
    _register(["zqkw", "zqkwyy", "kwy", "wyyj"])
    assert {"zqkw", "zqkwyy", "kwy", "wyyj"} <= literals_in("a zqkwyyj b")
    assert {"zqkw", "kwy"} <= literals_in("zqkwy") and not {"zqkwyy", "wyyj"} & literals_in("zqkwy")
    # case-sensitive: normalised texts are lower case
    assert not {"zqkw", "zqkwyy", "kwy", "wyyj"} & literals_in("ZQKWYY")


def test_sections_give_labels_and_scores() -> None:
    lex = parse_lexicon("t", "# comment\n\n[strong 0.9]\nfoo\n[weak]\nbar\n")
    assert [(e.raw, e.label, e.score, e.line) for e in lex.entries] == [
        ("foo", "strong", 0.9, 4), ("bar", "weak", 0.5, 6)]


def test_literals_match_whole_words_only() -> None:
    assert matches("[w]\ncrud\n", "what crud, crudely put") == [("w", "crud")]


def test_hashtag_entries_match_whole_tags_while_hash_space_starts_a_comment() -> None:
    lexicon = "# a comment\n[strong]\n#ad\n#gifted\n"
    assert len(parse_lexicon("t", lexicon).entries) == 2
    assert matches(lexicon, "#Gifted waterproofs, thanks! #ad") == [("strong", "#Gifted"), ("strong", "#ad")]
    assert matches(lexicon, "#adventure #headline ad gifted") == []


def test_prefix_and_suffix_wildcards() -> None:
    assert matches("[w]\nblast*\n*ster\n", "blasted tipster") == [("w", "blasted"), ("w", "tipster")]


def test_masked_repeated_and_spaced_letters() -> None:
    found = matches("[w]\nblimey\n", "b*imey! bliiiiimey. b l i m e y")
    assert [t for _, t in found] == ["b*imey", "bliiiiimey", "b l i m e y"]


def test_short_words_are_not_matched_masked() -> None:
    assert matches("[w]\nsod\n", "s*d off") == []


def test_regex_entries_and_phrases_with_flexible_spacing() -> None:
    found = matches("[w]\nre:\\b\\d+ ?% off\\b\npiss take\n", "20% off, a piss-take")
    assert [t for _, t in found] == ["20% off", "piss-take"]


def test_allow_section_cancels_overlapping_matches() -> None:
    text = "[w]\ndick\n[allow]\nspotted dick\n"
    assert matches(text, "spotted dick for pudding") == []
    assert matches(text, "what a dick") == [("w", "dick")]


def test_capital_entries_need_a_capital_in_the_original() -> None:
    assert matches("[p]\nCap:labour\n", "a labour of love; vote Labour") == [("p", "Labour")]


def test_society_placeholder() -> None:
    found = matches("[s]\nre:on behalf of {society}\n", "on behalf of the OLHS and on behalf of @OakfieldHistory")
    assert [t for _, t in found] == ["on behalf of the OLHS", "on behalf of @OakfieldHistory"]


def test_signal_sections_are_hints_found_only_when_asked_for() -> None:
    text = "[w]\nfoo\n[signal]\nbar\n"
    assert matches(text, "foo bar") == [("w", "foo")]
    assert matches(text, "foo bar", {"signal"}) == [("signal", "bar")]


def test_plain_words_in_one_section_share_a_trie_and_keep_their_lines() -> None:
    matcher = parse_lexicon("t", "[w]\npiss\npiss-take\npissed off\nfuck*\n").compile({})
    found = matcher.find(normalise("a pisss take, well pissed off, fuuucking hell"))
    assert [(m.text, m.line) for m in found] == [("pisss take", 3), ("pissed off", 4), ("fuuucking", 5)]


def test_labels_filter_but_allow_always_applies() -> None:
    assert matches("[a]\nfoo\n[b]\nbar\n", "foo bar", {"b"}) == [("b", "bar")]


@pytest.mark.parametrize(("text", "problem"), [
    ("[bad section here]\n", "test.txt:1"),
    ("[x 1.5]\nfoo\n", "between 0 and 1"),
])
def test_bad_sections_name_file_and_line(text: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=problem):
        parse_lexicon("test", text)


def test_bad_regex_names_file_and_line() -> None:
    with pytest.raises(LexiconError, match=r"test\.txt:3: bad pattern"):
        parse_lexicon("test", "# c\n[x]\nre:(unclosed\n").compile({})


def test_load_lexicons_reads_every_txt_file(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("[a]\nfoo\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert set(load_lexicons(tmp_path)) == {"one"}


def test_load_lexicons_refuses_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no lexicon files"):
        load_lexicons(tmp_path)


def test_every_repository_lexicon_has_a_format_header() -> None:
    for path in DEFAULT_LEXICON_DIR.glob("*.txt"):
        assert path.read_text(encoding="utf-8").startswith("#"), path.name


def test_classifier_names_missing_lexicon_files(tmp_path: Path) -> None:
    (tmp_path / "offensive.txt").write_text("[w]\nfoo\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing lexicon file.*harassment.txt"):
        Classifier(NAMES, lexicon_dir=tmp_path)


def test_editing_a_lexicon_changes_the_version(tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicons)
    before = Classifier(NAMES, lexicon_dir=lexicons).version
    assert before == Classifier(NAMES).version
    assert before.startswith("rules-2-")
    with (lexicons / "offensive.txt").open("a", encoding="utf-8") as f:
        f.write("\n[strong 0.85]\nflibbertigibbet\n")
    after = Classifier(NAMES, lexicon_dir=lexicons)
    assert after.version != before
    from monitor.classify import PostContext
    assert [f.category for f in after.classify(PostContext("you flibbertigibbet"))] == ["offensive"]
