"""The shipped toxicity model: loads offline, ranks clearly toxic text above clean text, batches consistently."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from monitor.classify import toxicity
from monitor.classify.toxicity import HEADS, ToxicityModel, ToxicityModelError, ToxicityScores, load_model

CLEAN = [
    "Thanks to everyone who came to the open day at the mill, lovely to see so many families.",
    "The next talk is on the history of the canal locks, Tuesday 7pm at the chapel hall.",
    "Membership renewals are due in March; the form is on our website.",
    "Beautiful photographs of the restoration work, well done to all the volunteers.",
]
OFFENSIVE = [
    "what a load of fucking bullshit, you absolute dickhead",
    "shut the fuck up you stupid prick",
    "this committee is full of useless shit and the chair is a twat",
]
HATEFUL = [
    "send all the immigrants back, they are vermin who ruin this country",
    "women are too stupid to run anything, get back in the kitchen you bitch",
    "muslims are filthy animals and should be banned from our town",
]
TARGETED = [
    "@user you are a pathetic loser, everyone at school hates you, just kill yourself",
    "@user nobody likes you, you fat ugly freak, go away and never come back",
    "@user you're a worthless idiot and I will make your life hell",
]


@pytest.fixture(scope="module")
def model() -> ToxicityModel:
    return load_model()


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_loads_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("the toxicity model tried to use the network")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    toxicity._load.cache_clear()
    fresh = load_model()
    assert fresh.version.startswith("tox-minilm-int8-")
    [scores] = fresh.predict(["hello there"])
    assert isinstance(scores, ToxicityScores)


def test_load_model_is_cached(model: ToxicityModel) -> None:
    assert load_model() is load_model()
    assert load_model(toxicity.DEFAULT_MODEL_DIR) is load_model()


def test_scores_are_probabilities(model: ToxicityModel) -> None:
    for s in model.predict(CLEAN + OFFENSIVE + ["", "   ", "🙂🙂🙂", "x" * 5000]):
        for head in HEADS:
            assert 0.0 <= getattr(s, head) <= 1.0


@pytest.mark.parametrize(("head", "toxic"), [("offensive", OFFENSIVE), ("hate", HATEFUL), ("targeted", TARGETED)])
def test_toxic_scores_above_clean(model: ToxicityModel, head: str, toxic: list[str]) -> None:
    clean = [getattr(s, head) for s in model.predict(CLEAN)]
    bad = [getattr(s, head) for s in model.predict(toxic)]
    assert min(bad) > max(clean), (head, bad, clean)
    assert _mean(bad) - _mean(clean) > 0.3, (head, bad, clean)
    threshold = model.thresholds[head]
    assert all(c < threshold for c in clean), (head, clean, threshold)


def test_batch_and_single_agree(model: ToxicityModel) -> None:
    texts = CLEAN + OFFENSIVE + HATEFUL + TARGETED
    batch = model.predict(texts)
    for text, together in zip(texts, batch, strict=True):
        [alone] = model.predict([text])
        for head in HEADS:
            assert getattr(alone, head) == pytest.approx(getattr(together, head), abs=1e-6)


def test_empty_and_order(model: ToxicityModel) -> None:
    assert model.predict([]) == []
    texts = [OFFENSIVE[0], CLEAN[0]]
    forward = model.predict(texts)
    backward = model.predict(texts[::-1])
    assert forward[0].offensive == pytest.approx(backward[1].offensive, abs=1e-6)
    assert forward[0].offensive > forward[1].offensive


def test_single_string_is_refused(model: ToxicityModel) -> None:
    with pytest.raises(TypeError):
        model.predict("a single string")  # type: ignore[arg-type]


def test_metadata_thresholds(model: ToxicityModel) -> None:
    assert set(model.thresholds) == set(HEADS)
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())


def test_missing_file_gives_clear_error(tmp_path: Path) -> None:
    for name in toxicity.REQUIRED_FILES:
        shutil.copy2(toxicity.DEFAULT_MODEL_DIR / name, tmp_path / name)
    (tmp_path / toxicity.ONNX_FILE).unlink()
    with pytest.raises(ToxicityModelError, match=r"missing.*toxicity\.onnx.*train_toxicity"):
        load_model(tmp_path)
    with pytest.raises(ToxicityModelError, match="missing"):
        load_model(tmp_path / "nowhere")


def test_mismatched_files_are_refused(tmp_path: Path) -> None:
    for name in toxicity.REQUIRED_FILES:
        shutil.copy2(toxicity.DEFAULT_MODEL_DIR / name, tmp_path / name)
    meta = json.loads((tmp_path / toxicity.META_FILE).read_text(encoding="utf-8"))
    meta["onnx_sha256"] = "0" * 64
    (tmp_path / toxicity.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ToxicityModelError, match="different runs"):
        load_model(tmp_path)


def test_shipped_files_are_small_and_licensed() -> None:
    directory = toxicity.DEFAULT_MODEL_DIR
    total = sum(p.stat().st_size for p in directory.iterdir() if p.is_file())
    assert total < 40_000_000
    assert (directory / "MODEL_CARD.md").is_file()
    assert "Apache License" in (directory / "LICENSE-all-MiniLM-L6-v2.txt").read_text(encoding="utf-8")


def test_prepare_matches_training() -> None:
    assert toxicity.prepare("@someone see https://x.example/a?b=1 &amp; more") == "@user see http & more"


def test_a_training_epoch_holds_every_row_once_in_batches_of_one_task() -> None:
    import numpy as np

    from monitor.classify.train_toxicity import length_batches

    lengths = [[5, 3, 9, 1, 7], [2, 2, 8]]
    batches = length_batches(lengths, batch_size=2, rng=np.random.default_rng(0))
    assert sorted((task, int(row)) for task, rows in batches for row in rows) == [(0, r) for r in range(5)] + [
        (1, r) for r in range(3)]
    assert all(len(rows) <= 2 for _, rows in batches)
    # similar lengths together: the rows of task 0 sorted by length (1, 3, 5, 7, 9) and cut in twos
    assert sorted(sorted(int(r) for r in rows) for task, rows in batches if task == 0) == [[0, 4], [1, 3], [2]]
