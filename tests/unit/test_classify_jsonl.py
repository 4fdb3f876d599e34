"""Classifying JSON lines (malformed lines included, in batches, in order), the ``classify`` command's
output, and scoring outputs against labels."""

import json
from pathlib import Path

import pytest

from monitor import cli
from monitor.classify import Classifier
from monitor.classify.cascade import Cascade
from monitor.classify.jsonl import classify_jsonl, score
from monitor.names import SocietyNames


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(SocietyNames.from_terms("Oakfield Local History Society", ["OLHS"]), cascade=Cascade(None))


def line(**fields) -> str:
    return json.dumps(fields)


def test_outputs_in_order_with_labels_and_flags(classifier: Classifier) -> None:
    lines = [
        line(id="a", text="Shit parking again", platform="mastodon", author_kind="public", labels=["x"], note="n"),
        line(id="b", text="Lovely walk today", platform="carrier-pigeon", author_kind="official",
             author_bio="", has_media=False, media_note=""),
    ]
    results = list(classify_jsonl(lines, classifier))
    assert [(n, err) for n, _, err in results] == [(1, None), (2, None)]
    first, second = results[0][1], results[1][1]
    assert first["id"] == "a"
    assert first["labels"] == ["offensive"]
    assert first["flags"][0]["category"] == "offensive"
    assert set(first["flags"][0]) == {"category", "clause", "severity", "score", "evidence"}
    assert first["flags"][0]["evidence"][0] == {"start": 0, "end": 4, "reason": "offensive word 'Shit'"}
    assert second == {"id": "b", "labels": [], "flags": []}


def test_media_and_bio_are_used_as_context(classifier: Classifier) -> None:
    text = line(id="m", text="Our new poster!", author_kind="official", has_media=True,
                media_note="poster with a stock agency watermark")
    [(_, out, _)] = classify_jsonl([text], classifier)
    assert out["labels"] == ["copyright_consent"]


@pytest.mark.parametrize(("bad", "message"), [
    ("{not json", "invalid JSON"),
    ('["a list"]', "expected a JSON object"),
    (line(id="x", platform="x"), "missing 'text'"),
    (line(id="x", text=42), "'text' must be a string"),
    (line(id="x", text="hi", author_kind="robot"), "'author_kind' must be one of"),
    (line(id="x", text="hi", kind="boost"), "'kind' must be one of"),
    (line(id="x", text="hi", ref="not an object"), "'ref' must be an object"),
])
def test_malformed_lines_give_an_error_and_no_output(classifier: Classifier, bad: str, message: str) -> None:
    lines = [line(id="ok1", text="fine"), bad, "", line(id="ok2", text="also fine")]
    results = list(classify_jsonl(lines, classifier))
    assert [n for n, _, _ in results] == [1, 2, 4]  # blank lines are skipped
    number, output, error = results[1]
    assert output is None
    assert message in error
    assert [out["id"] for _, out, err in results if err is None] == ["ok1", "ok2"]


class CountingClassifier:
    """Records the size of each batch it is given."""

    def __init__(self, inner: Classifier) -> None:
        self.inner = inner
        self.batches: list[int] = []

    def classify_many(self, posts):
        self.batches.append(len(posts))
        return self.inner.classify_many(posts)


def test_lines_are_classified_in_batches_keeping_order_and_errors(classifier: Classifier) -> None:
    lines = [line(id=str(i), text="Shit parking" if i % 2 else "Lovely walk") for i in range(7)]
    lines.insert(3, "{broken")
    counting = CountingClassifier(classifier)
    results = list(classify_jsonl(lines, counting, batch_size=3))
    assert counting.batches == [3, 2, 2]  # the broken line takes a place in its batch, not a post
    assert [n for n, _, _ in results] == list(range(1, 9))
    assert results[3][2].startswith("invalid JSON")
    assert [(out["id"], out["labels"]) for _, out, err in results if err is None] == [
        (str(i), ["offensive"] if i % 2 else []) for i in range(7)]


def test_shared_posts_are_read_for_endorsement(classifier: Classifier) -> None:
    lines = [line(id="r", text="", author_kind="official", kind="repost", ref={"text": "Vote Reform UK!"}),
             line(id="q", text="Worth a read", author_kind="official", kind="quote", ref_text="Vote Reform UK!")]
    assert [out["labels"] for _, out, _ in classify_jsonl(lines, classifier)] == [["endorsement"], ["endorsement"]]


def test_the_classify_command_prints_valid_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text("\n".join([line(id="a", text="Fucking freezing at the OLHS dig", author_kind="official"),
                                  "{oops",
                                  line(id="b", text="Tea at four.", author_kind="public")]) + "\n", encoding="utf-8")
    code = cli.main(["classify", str(source), "--society", "Oakfield Local History Society", "--alias", "OLHS"])
    out, err = capsys.readouterr()
    assert code == 3  # a malformed line: partial success
    assert f"{source}:2:" in err
    rows = [json.loads(text) for text in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["labels"] == ["offensive"]
    assert rows[0]["flags"][0]["clause"] == "6d"
    assert rows[1] == {"id": "b", "labels": [], "flags": []}


def test_score_arithmetic() -> None:
    # Four posts. offensive: tp=1 fp=1 fn=1 -> P=R=F1=0.5; political: tp=1 -> 1.0; promotion is
    # predicted once but never in gold: it counts in micro F1 but not in the per-category table.
    predicted = [["offensive"], ["offensive", "political"], [], ["promotion"]]
    gold = [{"labels": ["offensive"]}, {"labels": ["political"]}, {"labels": ["offensive"]}, {"labels": []}]
    result = score([{"labels": p} for p in predicted], gold)
    assert result["categories"] == {
        "offensive": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2},
        "political": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1},
    }
    assert result["macro_f1"] == pytest.approx(0.75)
    # micro: tp=2, fp=2, fn=1 -> P=0.5, R=2/3, F1=4/7
    assert result["micro_f1"] == pytest.approx(4 / 7)


def test_score_edge_cases() -> None:
    assert score([], []) == {"categories": {}, "micro_f1": 0.0, "macro_f1": 0.0}
    assert score([[]], [["harassment"]])["categories"]["harassment"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    with pytest.raises(ValueError, match="2 outputs for 1 gold"):
        score([[], []], [[]])
