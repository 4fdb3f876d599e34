"""The classifier's input and output records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")

# One canonical clause per category (see DESIGN.md). Abuse from the public is
# cited by the policy section's title rather than a number.
CLAUSES = {
    "harassment": "6d",
    "discrimination": "6d",
    "offensive": "6d",
    "misleading": "6d",
    "political": "6c",
    "promotion": "6f",
    "personal_data": "6g",
    "no_disclaimer": "6a",
    "copyright_consent": "6e",
    "endorsement": "6b",
    "unapproved_account": "4",
}
PUBLIC_ABUSE_CLAUSE = "Abusive behaviour"


def clause_for(category: str, author_kind: str) -> str:
    """The policy clause a flag of ``category`` cites for an author of ``author_kind``."""
    if author_kind == "public" and category in ("harassment", "discrimination"):
        return PUBLIC_ABUSE_CLAUSE
    return CLAUSES[category]


@dataclass(frozen=True)
class Evidence:
    """A span of the original text (code-point offsets) and why it matters."""

    start: int
    end: int
    reason: str
    field: str = "text"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "reason": self.reason}
        if self.field != "text":
            out["field"] = self.field
        return out


@dataclass(frozen=True)
class Flag:
    category: str
    clause: str
    severity: str
    score: float
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "clause": self.clause,
            "severity": self.severity,
            "score": round(self.score, 4),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class PostContext:
    """Everything the classifier may look at for one post."""

    text: str
    author_kind: str = "public"
    platform: str = "web"
    title: str = ""
    kind: str = "post"
    author_bio: str = ""
    ref_text: str = ""
    has_media: bool = False
    media_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
