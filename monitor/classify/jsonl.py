"""Classifying posts given as JSON lines, and scoring the results against labels.

The input format is that of ``../shared/data/policy/policy-dev.jsonl``: one object a line with
``id``, ``text``, ``platform``, ``author_kind``, ``author_bio``, ``has_media``, ``media_note``
(``labels`` and ``note`` are ignored when classifying; any ``platform`` string is accepted), and
optionally ``title``, ``kind`` (post, reply, repost, quote, like) and the shared post's text as
``ref_text`` (or ``ref: {"text": ...}``). Lines are classified in batches, so that the toxicity model
runs batched too; the output keeps the input's order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from monitor.classify.classifier import AUTHOR_KINDS
from monitor.classify.types import Flag, PostContext

POST_KINDS = ("post", "reply", "repost", "quote", "like")
BATCH_SIZE = 256


class _Classifies(Protocol):
    def classify_many(self, posts: Sequence[PostContext]) -> list[list[Flag]]: ...


def _string(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, got {type(value).__name__}")
    return value


def _ref_text(obj: Mapping[str, Any]) -> str:
    ref = obj.get("ref")
    if isinstance(ref, Mapping):
        return _string(ref, "text")
    if ref is not None:
        raise ValueError(f"'ref' must be an object, got {type(ref).__name__}")
    return _string(obj, "ref_text")


def post_from_json(obj: Any) -> PostContext:
    """The classifier's input for one parsed line; ``ValueError`` says what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    if "text" not in obj:
        raise ValueError("missing 'text'")
    author_kind = obj.get("author_kind") or "public"
    if author_kind not in AUTHOR_KINDS:
        raise ValueError(f"'author_kind' must be one of {', '.join(AUTHOR_KINDS)}, got {author_kind!r}")
    kind = obj.get("kind") or "post"
    if kind not in POST_KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(POST_KINDS)}, got {kind!r}")
    return PostContext(
        text=_string(obj, "text"),
        author_kind=author_kind,
        platform=_string(obj, "platform") or "web",
        title=_string(obj, "title"),
        kind=kind,
        author_bio=_string(obj, "author_bio"),
        ref_text=_ref_text(obj),
        has_media=bool(obj.get("has_media")),
        media_note=_string(obj, "media_note"),
    )


def _parse(line: str) -> tuple[Any, PostContext]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    return obj, post_from_json(obj)


Result = tuple[int, "dict[str, Any] | None", "str | None"]


def _classified(batch: list[tuple[int, Any, PostContext | None, str | None]], classifier: _Classifies) -> list[Result]:
    flags = iter(classifier.classify_many([post for _, _, post, _ in batch if post is not None]))
    results: list[Result] = []
    for number, obj, post, error in batch:
        if post is None:
            results.append((number, None, error))
            continue
        found = next(flags)
        results.append((number, {"id": obj.get("id"), "labels": [f.category for f in found],
                                 "flags": [f.to_json() for f in found]}, None))
    return results


def classify_jsonl(lines: Iterable[str], classifier: _Classifies,
                   batch_size: int = BATCH_SIZE) -> Iterator[Result]:
    """For each non-blank line, in order: (line number, output object, None) or (line number, None, error).

    The output object is ``{"id", "labels": [flagged categories], "flags": [flag.to_json(), ...]}``.
    """
    batch: list[tuple[int, Any, PostContext | None, str | None]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj, post = _parse(line)
            batch.append((number, obj, post, None))
        except ValueError as exc:
            batch.append((number, None, None, str(exc)))
        if len(batch) >= batch_size:
            yield from _classified(batch, classifier)
            batch = []
    yield from _classified(batch, classifier)


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
