"""Liking, sharing or reposting content that breaches the policy (policy 6b)."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.classify.hits import Hit
from monitor.classify.types import Evidence, Flag, PostContext

ENDORSING_KINDS = ("repost", "quote", "like")
# What the shared content may breach for the share to count as endorsing a breach.
ENDORSABLE = ("harassment", "discrimination", "offensive", "misleading", "political", "personal_data")


def detect(post: PostContext, ref_flags: Sequence[Flag]) -> list[Hit]:
    """``ref_flags``: the flags the referenced post (``post.ref_text``) gets on its own."""
    if post.kind not in ENDORSING_KINDS:
        return []
    breaches = [f for f in ref_flags if f.category in ENDORSABLE]
    return [Hit("endorsement", f.score,
                tuple(Evidence(e.start, e.end, f"{post.kind} of content with {f.category}: {e.reason}", "ref")
                      for e in f.evidence), f.severity)
            for f in breaches]
