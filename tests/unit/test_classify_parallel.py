"""Large batches on worker processes give exactly the flags of one process, in order."""

import pytest

from monitor.classify import Classifier, PostContext
from monitor.classify.cascade import Cascade
from monitor.classify.jsonl import classify_jsonl
from monitor.classify.parallel import OnEveryCore, classify_in_parallel
from monitor.names import SocietyNames

NAMES = SocietyNames.from_terms("Oakfield Local History Society", ["OLHS", "@OakfieldHistory"])
TEXTS = [
    "Fuck the OLHS, @bob_the_archivist is a lying creep. Vote Reform!",
    "Lovely turnout for the OLHS canal walk today, thank you all!",
    "Her mobile is 07700 900412, tell her what you think.",
    "Women shouldn't be let near the archive maps, they can't read them anyway.",
    "Use my code OLHS10 for 10% off at Fenwick's Books #ad",
    "Does anyone know when the heritage walks start again?",
]
POSTS = [PostContext(f"{TEXTS[n % len(TEXTS)]} ({n})", author_kind=("public", "official", "personal")[n % 3])
         for n in range(300)]


@pytest.mark.parametrize("cascade", [Cascade(None, "rules only"), None], ids=["rules", "with the shipped model"])
def test_workers_give_the_flags_of_one_process(cascade: Cascade | None) -> None:
    classifier = Classifier(NAMES, cascade=cascade)
    expected = classifier.classify_many(POSTS)
    assert sum(map(len, expected)) > 100  # the batch has plenty to flag
    assert classify_in_parallel(classifier, POSTS, workers=2, min_posts=1) == expected


def test_small_batches_and_one_worker_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    classifier = Classifier(NAMES, cascade=Cascade(None, "rules only"))
    monkeypatch.setattr("monitor.classify.parallel.ProcessPoolExecutor", None)  # would fail if used
    assert classify_in_parallel(classifier, POSTS[:10], workers=2) == classifier.classify_many(POSTS[:10])
    assert classify_in_parallel(classifier, POSTS, workers=1, min_posts=1) == classifier.classify_many(POSTS)


def test_json_lines_classified_on_every_core_as_in_one_process() -> None:
    classifier = Classifier(NAMES, cascade=Cascade(None, "rules only"))
    lines = [f'{{"id": "p{n}", "text": "{TEXTS[n % len(TEXTS)]} ({n})", "author_kind": "public"}}'
             for n in range(1200)] + ["not json"]
    single = list(classify_jsonl(lines, classifier))
    assert sum(len(out["flags"]) for _, out, _ in single[:-1]) > 400 and single[-1][2]
    assert list(classify_jsonl(lines, OnEveryCore(classifier), batch_size=5000)) == single
