"""Evidence for the weekly report: the flagged words, highlighted in escaped post text.

Every piece of post text goes through ``markupsafe.escape``; the only markup
added is the ``<mark>`` around evidence spans and the ellipsis between excerpts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

# Texts longer than this are shown as excerpts around the evidence.
FULL_TEXT_LIMIT = 500
CONTEXT_CHARS = 120
_MARK_OPEN, _MARK_CLOSE, _GAP = Markup("<mark>"), Markup("</mark>"), Markup('<span class="gap"> … </span>')


def field_texts(post: Mapping[str, Any], bios: Mapping[str, str]) -> dict[str, str]:
    """The texts an evidence ``field`` may point into, as the classifier saw them.

    Mirrors ``monitor.flagging.post_context``: ``text``, ``title``, the author's
    declared bio, the referenced post's text and the media descriptions.
    """
    media = post.get("media") or []
    ref = post.get("ref") or {}
    return {
        "text": post.get("text") or "",
        "title": post.get("title") or "",
        "author_bio": bios.get(post.get("account") or "", ""),
        "ref_text": str(ref.get("text") or "") if isinstance(ref, dict) else "",
        "media_note": " ".join(str(m.get("description") or "") for m in media if isinstance(m, dict)).strip(),
    }


def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to ``[0, length]``, empty ones dropped, overlapping ones merged, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _windows(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The parts of a long text to show: each span with some context, overlapping parts joined."""
    if length <= FULL_TEXT_LIMIT or not spans:
        return [(0, min(length, FULL_TEXT_LIMIT))] if length else []
    return merge_spans(((s - CONTEXT_CHARS, e + CONTEXT_CHARS) for s, e in spans), length)


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """``text`` escaped, with ``<mark>`` around the spans (code-point offsets); long texts as excerpts."""
    marks = merge_spans(spans, len(text))
    parts: list[Markup] = []
    windows = _windows(marks, len(text))
    for number, (w_start, w_end) in enumerate(windows):
        if number or w_start > 0:
            parts.append(_GAP)
        cursor = w_start
        for start, end in marks:
            if end <= w_start or start >= w_end:
                continue
            parts.append(escape(text[cursor:start]))
            parts.append(_MARK_OPEN + escape(text[start:end]) + _MARK_CLOSE)
            cursor = end
        parts.append(escape(text[cursor:w_end]))
    if windows and windows[-1][1] < len(text):
        parts.append(_GAP)
    return Markup("").join(parts)
