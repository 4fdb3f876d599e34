"""Highlighted evidence: escaped text, <mark> on code-point spans, excerpts of long texts."""

from __future__ import annotations

from markupsafe import Markup

from reports.evidence import CONTEXT_CHARS, FULL_TEXT_LIMIT, field_texts, highlight, merge_spans


def test_text_is_escaped_and_spans_are_marked() -> None:
    text = "<b>bold</b><script>alert(1)</script> you idiot & co"
    start = text.index("idiot")
    out = highlight(text, [(start, start + 5)])
    assert isinstance(out, Markup)
    assert out == ("&lt;b&gt;bold&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt; you <mark>idiot</mark> &amp; co")


def test_marked_text_is_escaped_too() -> None:
    assert highlight("a <img src=x> b", [(2, 13)]) == "a <mark>&lt;img src=x&gt;</mark> b"


def test_offsets_are_code_points_so_emoji_do_not_shift_them() -> None:
    text = "😀😀 scum 中文"
    out = highlight(text, [(3, 7)])
    assert out == "😀😀 <mark>scum</mark> 中文"


def test_spans_are_clipped_merged_and_bad_ones_dropped() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 4), (8, 12), (7, 7), (20, 30), (-4, 1)], 22) == [(0, 4), (5, 12), (20, 22)]
    assert highlight("abcdef", [(4, 99), (1, 2), (3, 1)]) == "a<mark>b</mark>cd<mark>ef</mark>"


def test_long_text_shows_excerpts_around_the_evidence() -> None:
    text = "a" * 2000 + " slur " + "b" * 2000 + " other " + "c" * 2000
    first, second = text.index("slur"), text.index("other")
    out = highlight(text, [(first, first + 4), (second, second + 5)])
    assert "<mark>slur</mark>" in out and "<mark>other</mark>" in out
    assert out.count('class="gap"') == 3  # before, between and after the two excerpts
    assert len(out) < 2 * (2 * CONTEXT_CHARS + 200)


def test_long_text_without_evidence_is_cut() -> None:
    out = highlight("x" * 5000, [])
    assert out.startswith("x" * FULL_TEXT_LIMIT) and out.endswith('<span class="gap"> … </span>')


def test_field_texts_follow_what_the_classifier_saw() -> None:
    post = {"text": "t", "title": None, "account": "jo", "ref": {"text": "quoted"},
            "media": [{"description": "a photo"}, {"url": "u"}, {"description": "of people"}]}
    texts = field_texts(post, {"jo": "bio"})
    assert texts == {"text": "t", "title": "", "author_bio": "bio", "ref_text": "quoted",
                     "media_note": "a photo  of people"}
