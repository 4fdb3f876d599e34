"""The statistical toxicity model: a fine-tuned all-MiniLM-L6-v2 run as an int8 ONNX graph.

Three scores per text, each a probability 0..1 from its own head on one shared encoder:

* ``offensive`` - offensive language (profanity, insults, crude), trained on OffensEval 2019;
* ``hate`` - hateful or discriminatory towards a protected group, trained on HatEval 2019;
* ``targeted`` - abuse aimed at an identifiable person or group (harassment, bullying), trained
  on the cyberbullying tweets.

The files live in ``monitor/classify/models/`` (see MODEL_CARD.md there) and are made by
``python -m monitor.classify.train_toxicity``. Inference needs only onnxruntime, tokenizers and
numpy, and never touches the network. Pass the post's original text: the model saw raw tweets
(mentions become ``@user`` and links ``http`` here, as in training; the tokenizer lower-cases).

    model = load_model()
    [scores] = model.predict(["you are a disgrace"])
    scores.offensive, scores.hate, scores.targeted
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models"
ONNX_FILE = "toxicity.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "toxicity.json"
REQUIRED_FILES = (ONNX_FILE, TOKENIZER_FILE, META_FILE)
HEADS = ("offensive", "hate", "targeted")

_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")


class ToxicityModelError(RuntimeError):
    """The model's files are missing or do not match each other."""


@dataclass(frozen=True)
class ToxicityScores:
    offensive: float  # P(offensive language: profanity, insults, crude) 0..1
    hate: float  # P(hateful/discriminatory towards a protected group) 0..1
    targeted: float  # P(abuse aimed at an identifiable person or group: harassment/bullying) 0..1


def prepare(text: str) -> str:
    """The text as the model saw it in training: mentions -> @user, links -> http, HTML entities decoded."""
    text = html.unescape(text)
    text = _URL.sub("http", text)
    return _MENTION.sub("@user", text)


class ToxicityModel:
    """Scores texts with the shipped ONNX model. Thread-safe; load it once with :func:`load_model`."""

    version: str

    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
        missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
        if missing:
            raise ToxicityModelError(
                f"toxicity model file(s) missing in {directory}: {', '.join(missing)} "
                "(reinstall the package, or rebuild them with `python -m monitor.classify.train_toxicity train`)")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        onnx_bytes = (directory / ONNX_FILE).read_bytes()
        digest = hashlib.sha256(onnx_bytes).hexdigest()
        if meta.get("onnx_sha256") not in (None, digest):
            raise ToxicityModelError(f"{directory / ONNX_FILE} does not match {META_FILE} (sha256 {digest[:12]}, "
                                     f"expected {str(meta['onnx_sha256'])[:12]}): the files come from different runs")
        heads = tuple(meta.get("heads", HEADS))
        if heads != HEADS:
            raise ToxicityModelError(f"{META_FILE} lists heads {heads}, expected {HEADS}")
        self.directory = directory
        self.meta = meta
        self.thresholds: dict[str, float] = dict(meta.get("thresholds", {}))
        self.max_length = int(meta.get("max_length", 64))
        self.version = f"{meta.get('name', 'tox-minilm-int8')}-{digest[:10]}"
        self._tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_length)
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Worker threads that do not spin waiting between runs leave the cores to the rules in between.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # the tokenizer's truncation state is shared

    def predict(self, texts: Sequence[str]) -> list[ToxicityScores]:
        """One :class:`ToxicityScores` per text, in order.

        Each text runs through the graph on its own: the int8 graph quantises activations with one
        scale per tensor, so in a padded batch a text's score would shift (by up to ~0.1) with the
        other texts beside it. One at a time, a post always gets the same score, batched or not, for
        about 10% less throughput than batches of 64 on tweets.
        """
        if isinstance(texts, str):
            raise TypeError("predict() takes a sequence of texts; wrap a single text in a list")
        if not texts:
            return []
        with self._lock:  # one text at a time: no tokenizer threads (a forked worker may use the model)
            encodings = [self._tokenizer.encode(prepare(t or "")) for t in texts]
        out = []
        for encoding in encodings:
            input_ids = np.asarray([encoding.ids], dtype=np.int64)
            feed = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            row = self._session.run(None, feed)[0][0]
            out.append(ToxicityScores(*(float(p) for p in row)))
        return out


@lru_cache(maxsize=4)
def _load(directory: Path) -> ToxicityModel:
    return ToxicityModel(directory)


def load_model(path: Path | None = None) -> ToxicityModel:
    """The model in ``path`` (default: the one shipped in the package), loaded once and cached. Offline."""
    return _load(Path(path if path is not None else DEFAULT_MODEL_DIR).resolve())
