"""Classifying posts given as JSON lines, and scoring the results against labels.

The input format is that of ``../shared/data/policy/policy-dev.jsonl``: one object a line with
``id``, ``text``, ``platform``, ``author_kind``, ``author_bio``, ``has_media``, ``media_note``
(``labels`` and ``note`` are ignored when classifying; any ``platform`` string is accepted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from monitor.classify.classifier import AUTHOR_KINDS
from monitor.classify.types import Flag, PostContext


class _Classifies(Protocol):
    def classify(self, post: PostContext) -> list[Flag]: ...


def _string(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, got {type(value).__name__}")
    return value


def post_from_json(obj: Any) -> PostContext:
    """The classifier's input for one parsed line; ``ValueError`` says what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    if "text" not in obj:
        raise ValueError("missing 'text'")
    kind = obj.get("author_kind") or "public"
    if kind not in AUTHOR_KINDS:
        raise ValueError(f"'author_kind' must be one of {', '.join(AUTHOR_KINDS)}, got {kind!r}")
    return PostContext(
        text=_string(obj, "text"),
        author_kind=kind,
        platform=_string(obj, "platform") or "web",
        title=_string(obj, "title"),
        author_bio=_string(obj, "author_bio"),
        has_media=bool(obj.get("has_media")),
        media_note=_string(obj, "media_note"),
    )


def classify_jsonl(lines: Iterable[str], classifier: _Classifies) -> Iterator[tuple[int, dict | None, str | None]]:
    """For each non-blank line: (line number, output object, None) or (line number, None, error message).

    The output object is ``{"id", "labels": [flagged categories], "flags": [flag.to_json(), ...]}``.
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        try:
            post = post_from_json(obj)
        except ValueError as exc:
            yield number, None, str(exc)
            continue
        flags = classifier.classify(post)
        yield number, {"id": obj.get("id"), "labels": [f.category for f in flags],
                       "flags": [f.to_json() for f in flags]}, None


def _labels(item: Mapping[str, Any] | Iterable[str]) -> set[str]:
    return set(item["labels"]) if isinstance(item, Mapping) else set(item)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def score(outputs: Sequence[Mapping[str, Any] | Iterable[str]],
          gold: Sequence[Mapping[str, Any] | Iterable[str]]) -> dict[str, Any]:
    """Precision, recall, F1 and support per category present in ``gold``; micro F1 (over every category
    predicted or present) and macro F1 (mean over the categories present in ``gold``).

    ``outputs`` and ``gold`` are aligned: objects with ``labels``, or collections of category names.
    """
    if len(outputs) != len(gold):
        raise ValueError(f"{len(outputs)} outputs for {len(gold)} gold posts")
    predicted = [_labels(o) for o in outputs]
    expected = [_labels(g) for g in gold]
    present = sorted(set().union(*expected)) if expected else []
    every = set(present).union(*predicted) if predicted else set(present)
    counts = {c: [0, 0, 0] for c in every}  # true positives, false positives, false negatives
    for got, want in zip(predicted, expected, strict=True):
        for c in got & want:
            counts[c][0] += 1
        for c in got - want:
            counts[c][1] += 1
        for c in want - got:
            counts[c][2] += 1
    categories = {}
    for c in present:
        tp, fp, fn = counts[c]
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        categories[c] = {"precision": precision, "recall": recall, "f1": _f1(precision, recall), "support": tp + fn}
    tp, fp, fn = (sum(v[i] for v in counts.values()) for i in range(3))
    micro = _f1(_ratio(tp, tp + fp), _ratio(tp, tp + fn))
    macro = _ratio(sum(v["f1"] for v in categories.values()), len(categories)) if categories else 0.0
    return {"categories": categories, "micro_f1": micro, "macro_f1": macro}
