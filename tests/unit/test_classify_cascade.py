"""The cascade: which posts the toxicity model is asked about (in one batch), what its answers add or
soften, the classifier without a model, and the shipped model loading with no network."""

import socket
import sys
import types
from collections.abc import Sequence
from typing import NamedTuple

import pytest

from monitor.classify import Classifier, PostContext
from monitor.classify import cascade as cascade_module
from monitor.classify.cascade import Cascade
from monitor.names import SocietyNames

NAMES = SocietyNames.from_terms("Oakfield Local History Society", ["OLHS", "@OakfieldHistory"])


class Scores(NamedTuple):
    """What the toxicity model returns for a text (monitor.classify.toxicity.ToxicityScores)."""

    offensive: float
    hate: float
    targeted: float


class FakeModel:
    """Scores every text the same way and records each batch it is given."""

    version = "fake-1"

    def __init__(self, offensive: float = 0.0, hate: float = 0.0, targeted: float = 0.0) -> None:
        self.scores = Scores(offensive, hate, targeted)
        self.batches: list[list[str]] = []

    def predict(self, texts: Sequence[str]) -> list[Scores]:
        self.batches.append(list(texts))
        return [self.scores] * len(texts)


def classifier_with(model: FakeModel | None) -> Classifier:
    return Classifier(NAMES, cascade=Cascade(model))


def categories(classifier: Classifier, text: str, kind: str = "public") -> set[str]:
    return {f.category for f in classifier.classify(PostContext(text, author_kind=kind))}


UNSURE = [
    "Those immigrants at the OLHS open day, they really are something else.",  # a group, a hint, no rule hit
    "@jenny_archives how dare you, shame on you.",                     # someone identifiable, no rule hit
    "What a load of b*llcr*p from the council.",                       # a masked word no lexicon knows
    "Why is our archive like a brothel? Everyone leaves with something 😂",  # perhaps a crude joke
]
SURE = [
    "Lovely walk round the old quarry this morning.",                  # nothing to ask about
    "Eid Mubarak to all our Muslim friends! 🌙",                        # a group, no sign of hostility
    "Fucking freezing at the dig today!",                              # a clear lexicon hit
]


def test_only_unsure_posts_go_to_the_model_in_one_batch() -> None:
    model = FakeModel()
    classifier_with(model).classify_many([PostContext(t) for t in SURE + UNSURE])
    assert [sorted(batch) for batch in model.batches] == [sorted(UNSURE)]


def test_the_model_reads_a_long_post_around_the_question_and_similar_lengths_together() -> None:
    filler = "The talk covered the canal, the mill and the tannery in some detail. " * 6
    long_post = filler + "Those immigrants at the open day, they really are something else. " + filler
    model = FakeModel()
    classifier_with(model).classify_many([PostContext(t) for t in [long_post, *UNSURE * 3]])
    assert "Those immigrants at the open day, they really are something else." in [t for b in model.batches for t in b]
    assert all(len(batch) <= cascade_module.CHUNK for batch in model.batches)
    assert max(len(t) for b in model.batches for t in b) < 100


def test_model_finds_hostility_to_a_group_the_rules_missed() -> None:
    text = UNSURE[0]
    assert "discrimination" not in categories(classifier_with(None), text)
    [flag] = [f for f in classifier_with(FakeModel(hate=0.9)).classify(PostContext(text))
              if f.category == "discrimination"]
    assert flag.clause == "Abusive behaviour"
    [evidence] = flag.evidence
    assert text[evidence.start:evidence.end] == "immigrants"
    assert evidence.reason.startswith("model:")


def test_a_group_word_addressing_the_readers_or_meaning_one_person_is_not_asked_about() -> None:
    hostile_model = classifier_with(FakeModel(hate=0.9))
    for text in ("Girls, please stop buying from @WoollyKnits, she's been slagging us off all over the village.",
                 "Thanks for a brilliant open day, ladies!",
                 "Screenshotted Maureen's post about the coach trip. Never again. Pathetic woman."):
        assert "discrimination" not in categories(hostile_model, text)
    for text in ("Immigrants, they really are something else at the OLHS open day.",  # the topic, taken up by "they"
                 "Come on lads, those immigrants won't move the chairs themselves."):  # another group named
        assert "discrimination" in categories(hostile_model, text)


def test_model_finds_targeted_abuse_masked_swearing_and_crude_jokes() -> None:
    assert "harassment" in categories(classifier_with(FakeModel(offensive=0.9, targeted=0.9)), UNSURE[1])
    assert "offensive" in categories(classifier_with(FakeModel(offensive=0.9)), UNSURE[2])
    [flag] = classifier_with(FakeModel(offensive=0.9)).classify(PostContext(UNSURE[3], "official"))
    assert flag.category == "offensive"
    assert [UNSURE[3][e.start:e.end] for e in flag.evidence] == ["brothel"]


def test_a_calm_model_adds_nothing() -> None:
    for text in UNSURE:
        assert categories(classifier_with(FakeModel(0.05, 0.05, 0.05)), text) == categories(classifier_with(None), text)


def test_model_confirms_a_rule_score_just_under_the_threshold() -> None:
    text = "Derek Holt again. Third time this week. Honestly, you're pathetic."  # aimed by pronoun: 0.63
    strict = {"harassment": 0.7}
    assert Classifier(NAMES, thresholds=strict, cascade=Cascade(None)).classify(PostContext(text)) == []
    model = FakeModel(offensive=0.95, targeted=0.95)
    [flag] = Classifier(NAMES, thresholds=strict, cascade=Cascade(model)).classify(PostContext(text))
    assert flag.category == "harassment" and flag.score >= 0.7
    assert any(e.reason.startswith("model confirms harassment") for e in flag.evidence)


def test_a_calm_model_never_removes_a_rule_flag() -> None:
    texts = ["The woman who complained is Linda Marsh, 07700 900219. Tell her what you think.",
             "Pensioners can't use the new touchscreens.", *UNSURE]
    calm, rules = classifier_with(FakeModel(0.0, 0.0, 0.0)), classifier_with(None)
    for text in texts:
        assert categories(calm, text) == categories(rules, text)


def test_clear_rule_hits_stand_whatever_the_model_says() -> None:
    calm = classifier_with(FakeModel(0.0, 0.0, 0.0))
    assert "offensive" in categories(calm, SURE[-1])
    assert "discrimination" in categories(calm, "Muslims have no place in an English history society.")


def test_version_names_the_model_or_its_absence() -> None:
    assert classifier_with(None).version.endswith("+no-model")
    assert classifier_with(FakeModel()).version.endswith("+model-fake-1")


def test_rules_alone_when_the_model_cannot_be_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path=None):
        raise OSError("model files missing")

    monkeypatch.setitem(sys.modules, "monitor.classify.toxicity", types.SimpleNamespace(load_model=broken))
    cascade_module._shipped.cache_clear()
    try:
        loaded = Cascade.load()
        assert loaded.model is None and "model files missing" in loaded.note
        assert categories(Classifier(NAMES, cascade=loaded), "Fucking freezing today") == {"offensive"}
    finally:
        cascade_module._shipped.cache_clear()


def test_the_shipped_model_loads_and_scores_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    toxicity = pytest.importorskip("monitor.classify.toxicity")
    if not all((toxicity.DEFAULT_MODEL_DIR / name).is_file() for name in toxicity.REQUIRED_FILES):
        pytest.skip("the toxicity model files are not built in this checkout")

    def no_network(*args, **kwargs):
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    toxicity._load.cache_clear()
    try:
        model = toxicity.load_model()
        [scores] = model.predict(["you are a disgrace"])
        assert 0.0 <= scores.offensive <= 1.0 and 0.0 <= scores.hate <= 1.0 and 0.0 <= scores.targeted <= 1.0
        assert Classifier(NAMES, cascade=Cascade(model)).version.endswith(model.version)
    finally:
        toxicity._load.cache_clear()
