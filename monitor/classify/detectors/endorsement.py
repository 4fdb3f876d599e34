"""Liking, sharing or reposting content that breaches the policy (policy 6b).

A repost or like carries none of the author's own words: the shared content is its referenced post's
text, or its own text after an old-style ``RT @user:`` prefix. A quote adds the author's words to the
referenced post. The shared content is classified as if the author had posted it, and each of its flags
becomes an ``endorsement`` hit whose evidence points where that content lies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from monitor.classify.hits import Hit
from monitor.classify.types import Evidence, Flag, PostContext

ENDORSING_KINDS = ("repost", "quote", "like")
# What the shared content may breach for the share to count as endorsing a breach (not the author's
# own duty to disclaim, which belongs to their own words).
ENDORSABLE = ("harassment", "discrimination", "offensive", "misleading", "political", "promotion",
              "personal_data", "copyright_consent")
_RETWEET = re.compile(r"\s*RT @\w+:\s*")


@dataclass(frozen=True)
class Shared:
    """The content a post endorses, as a post of its own, and where its text lies in the stored post."""

    post: PostContext
    field: str
    offset: int


def split(post: PostContext) -> tuple[PostContext, Shared | None]:
    """The author's own words (as a post) and the content the post endorses, if any."""
    retweet = _RETWEET.match(post.text)
    if post.kind == "quote" and post.ref_text:
        own, field, offset, content = post, "ref_text", 0, post.ref_text
    elif post.kind in ("repost", "like") or retweet:
        own = replace(post, text="", title="")
        if post.ref_text:
            field, offset, content = "ref_text", 0, post.ref_text
        else:
            field, offset = "text", retweet.end() if retweet else 0
            content = post.text[offset:]
    else:
        return post, None
    if not content.strip():
        return own, None
    shared = replace(post, text=content, title="", kind="post", ref_text="", has_media=False, media_note="")
    return own, Shared(shared, field, offset)


def detect(post: PostContext, shared: Shared, shared_flags: Sequence[Flag]) -> list[Hit]:
    """``shared_flags``: the flags the shared content gets on its own."""
    verb = post.kind if post.kind in ENDORSING_KINDS else "repost"
    return [Hit("endorsement", f.score,
                tuple(Evidence(e.start + shared.offset, e.end + shared.offset,
                               f"{verb} of content with {f.category}: {e.reason}", shared.field)
                      for e in f.evidence if e.field == "text"), f.severity)
            for f in shared_flags if f.category in ENDORSABLE]
