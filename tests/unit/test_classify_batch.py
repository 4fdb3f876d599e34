"""The classifier as a whole: the batch API, lexicons reloaded when edited, thresholds, endorsement
of shared content (reposts, quotes, likes, old-style "RT @user:" posts), and evidence spans that
index the original text however the words were disguised."""

import shutil
from pathlib import Path

import pytest

from monitor.classify import CATEGORIES, Classifier, PostContext
from monitor.classify.cascade import Cascade
from monitor.classify.classifier import DEFAULT_LEXICON_DIR
from monitor.names import SocietyNames

NAMES = SocietyNames.from_terms("Oakfield Local History Society", ["OLHS", "@OakfieldHistory"])
RULES_ONLY = Cascade(None)
BIO = "Trustee, Oakfield Local History Society."

POSTS = [
    PostContext("Lovely walk round the quarry today.", "public"),
    PostContext("Fucking freezing at the dig today!", "official"),
    PostContext("Vote Labour on Thursday: the only party for heritage.", "official"),
    PostContext("Honestly the OLHS has lost its way.", "personal", author_bio=BIO),
    PostContext("", "personal", kind="repost", ref_text="Vote Reform UK on Thursday!"),
    PostContext("Her mobile is 07700 900412. Tell her what you think.", "public"),
]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(NAMES, cascade=RULES_ONLY)


def test_classify_many_gives_each_post_what_classify_gives_it(classifier: Classifier) -> None:
    assert classifier.classify_many(POSTS) == [classifier.classify(p) for p in POSTS]
    assert classifier.classify_many([]) == []


def test_an_edited_lexicon_is_used_by_the_next_classifier(tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicons)
    before = Classifier(NAMES, lexicon_dir=lexicons, cascade=RULES_ONLY)
    assert before.classify(PostContext("you flibbertigibbet")) == []
    with (lexicons / "offensive.txt").open("a", encoding="utf-8") as f:
        f.write("\n[strong 0.85]\nflibbertigibbet\n")
    after = Classifier(NAMES, lexicon_dir=lexicons, cascade=RULES_ONLY)
    assert after.version != before.version
    assert [f.category for f in after.classify(PostContext("you flibbertigibbet"))] == ["offensive"]


def test_thresholds_accept_every_configurable_category_and_refuse_others() -> None:
    classifier = Classifier(NAMES, thresholds={"offensive": 0.99, "unapproved_account": 0.7}, cascade=RULES_ONLY)
    assert classifier.thresholds["offensive"] == 0.99
    assert set(classifier.thresholds) == set(CATEGORIES)
    assert classifier.classify(PostContext("Fucking freezing")) == []
    with pytest.raises(ValueError, match="unknown categories: loudness"):
        Classifier(NAMES, thresholds={"loudness": 0.5}, cascade=RULES_ONLY)


def test_an_old_style_retweet_endorses_what_it_shares(classifier: Classifier) -> None:
    text = "RT @angry_bob: Vote Reform UK on Thursday, the only party for us!"
    flags = {f.category: f for f in classifier.classify(PostContext(text, "official"))}
    assert set(flags) == {"endorsement"}
    assert flags["endorsement"].clause == "6b"
    for e in flags["endorsement"].evidence:
        assert e.field == "text" and "political" in e.reason
        assert text[e.start:e.end] in text[len("RT @angry_bob: "):]


def test_a_quote_is_judged_on_its_own_words_and_on_what_it_quotes(classifier: Classifier) -> None:
    quote = PostContext("The OLHS should frankly stop wasting money.", "personal", kind="quote", author_bio=BIO,
                        ref_text="Fucking council closing the library again")
    flags = {f.category: f for f in classifier.classify(quote)}
    assert set(flags) == {"no_disclaimer", "endorsement"}
    assert {e.field for e in flags["endorsement"].evidence} == {"ref_text"}


def test_liking_abuse_is_endorsement_but_only_for_accounts(classifier: Classifier) -> None:
    liked = "Watch your back, Martin. We know where you live."
    like = PostContext("", "personal", kind="like", ref_text=liked)
    [flag] = classifier.classify(like)
    assert (flag.category, flag.severity) == ("endorsement", "critical")
    assert classifier.classify(PostContext("", "public", kind="like", ref_text=liked)) == []


DISGUISED = [
    "Ｗｈａｔ ａ ｂａｓｔａｒｄ of a week at the OLHS",
    "who the f.u.c.k schedules a talk during the cup final",
    "Ѕhіt, the archive's flooded again",
    "the new curator is a 1d10t and a r3tard",
    "f🤬ck this weather, fuuuuuck",
    "@OakfieldHistory your chair is a tw@t. I know where he lives.",
    "Her mobile is (07700 900412), she lives at 3 Weir Cottages, OK2 4PT.",
]


@pytest.mark.parametrize("text", DISGUISED)
def test_evidence_spans_index_the_original_text(classifier: Classifier, text: str) -> None:
    flags = classifier.classify(PostContext(text, "personal", author_bio=BIO))
    assert flags
    for flag in flags:
        for e in flag.evidence:
            assert e.field == "text"
            assert 0 <= e.start < e.end <= len(text)
            covered = text[e.start:e.end]
            assert covered == covered.strip() and covered
